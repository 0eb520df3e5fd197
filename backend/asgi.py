"""ASGI entry point: HTTP and `graphql-transport-ws` subscriptions on /graphql/ (uvicorn).

`make run` serves everything through it. In production gunicorn serves HTTP through WSGI,
which runs the sync schema 3-6 times faster than Django's ASGI handler, and uvicorn serves the
websockets; the proxy sends upgrade requests to uvicorn.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import re_path  # noqa: E402

from schema.consumers import GraphQLWSConsumer  # noqa: E402
from schema.schema import schema  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": URLRouter([re_path(r"^graphql/?$", GraphQLWSConsumer.as_asgi(schema=schema))]),
    }
)
