"""gunicorn settings for production HTTP (see DESIGN: sync WSGI serves the schema fastest)."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# The app logs every request itself (JSON, with its request id: backend.middleware); set
# GUNICORN_ACCESSLOG=- for gunicorn's own access log as well.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
if os.environ.get("LOG_FORMAT", "json") == "json":
    # gunicorn's own records (start, workers, timeouts) as JSON lines too.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "backend.logging.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "gunicorn.access": {
                "handlers": ["console"],
                "level": "INFO" if accesslog else "WARNING",
                "propagate": False,
            },
        },
    }
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 24+ opens a control socket at one fixed path per user (~/.gunicorn/gunicorn.ctl), so
# two servers of one user clash; nothing here uses it.
control_socket_disable = True
