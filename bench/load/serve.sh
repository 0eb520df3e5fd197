#!/bin/sh
# Serve the app for a load run as in production: gunicorn with sync workers (see
# backend/gunicorn.conf.py), DEBUG off, JSON logs. The environment (DATABASE_URL, REDIS_URL,
# SECRET_KEY, GUNICORN_WORKERS, ...) is the app's. For a load run from one address the rate
# limits are off, and per-operation figures (SQL queries) come back in `extensions.metrics`.
#
#   bench/load/serve.sh [PORT]      (default 8200; stop it with Ctrl-C or kill its pid)
set -eu
cd "$(dirname "$0")/../.."
PORT=${1:-8200}
export DEBUG=0 \
  ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost} \
  SECURE_SSL_REDIRECT=0 \
  RATE_LIMIT_ANONYMOUS=${RATE_LIMIT_ANONYMOUS:-0} \
  RATE_LIMIT_USER=${RATE_LIMIT_USER:-0} \
  RATE_LIMIT_IP=${RATE_LIMIT_IP:-0} \
  GRAPHQL_METRICS_IN_RESPONSE=${GRAPHQL_METRICS_IN_RESPONSE:-1} \
  LOG_LEVEL=${LOG_LEVEL:-WARNING} \
  GUNICORN_BIND=127.0.0.1:$PORT
exec .venv/bin/gunicorn backend.wsgi:application -c backend/gunicorn.conf.py
