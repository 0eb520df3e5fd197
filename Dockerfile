# Production image: gunicorn serves HTTP (WSGI), uvicorn the websockets (same image, other
# command), Celery the worker and beat. Migrations run as a separate step (`migrate` service).
FROM python:3.12-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends libjpeg62-turbo curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .
# collectstatic needs settings but no database or Redis.
RUN DATABASE_URL=postgres://build@localhost/build SECRET_KEY=build-only \
    python manage.py collectstatic --noinput

RUN useradd --system --uid 10001 --home /app app && mkdir -p /app/media && chown app /app/media
USER app

EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1

CMD ["gunicorn", "backend.wsgi:application", "-c", "backend/gunicorn.conf.py"]
