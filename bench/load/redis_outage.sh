#!/bin/sh
# A private Redis for load runs, and an outage of it in the middle of one.
#
#   bench/load/redis_outage.sh start PORT            start a Redis on 127.0.0.1:PORT
#   bench/load/redis_outage.sh outage PORT AFTER FOR  after AFTER s, stop it for FOR s, restart
#   bench/load/redis_outage.sh stop PORT             stop it
#
# It shuts the Redis on PORT down: never point it at a Redis that others use. The restarted
# Redis is empty (no persistence), as after a crash: caches and persisted queries refill.
set -eu
cmd=${1:?start, outage or stop}
PORT=${2:?port}
DIR=${TMPDIR:-/tmp}/bench-redis-$PORT
now() { date +%H:%M:%S; }

start() {
  mkdir -p "$DIR"
  redis-server --port "$PORT" --bind 127.0.0.1 --save "" --appendonly no \
    --daemonize yes --dir "$DIR" --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log"
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    redis-cli -p "$PORT" ping >/dev/null 2>&1 && { echo "$(now) redis :$PORT up"; return; }
    sleep 0.2
  done
  echo "redis :$PORT did not start" >&2; exit 1
}

stop() {
  redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true
  echo "$(now) redis :$PORT down"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  outage)
    sleep "${3:?after}"; stop
    sleep "${4:?for}"; start ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
