"""The HTTP endpoint of the schema (GraphQL over HTTP, served by a WSGI server)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from strawberry.django.views import GraphQLView as StrawberryGraphQLView
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from schema.context import Context

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


def wants_graphql_response_json(request: HttpRequest) -> bool:
    return GRAPHQL_RESPONSE_JSON in request.headers.get("Accept", "")


def is_request_error(result: ExecutionResult) -> bool:
    """A document that failed to parse or validate (or was refused before execution): no
    error has a path, and there is no data."""
    return (
        result.data is None
        and bool(result.errors)
        and all(not error.path for error in result.errors)
    )


# Authentication is by bearer token only (no cookies), so a cross-site request cannot act as
# anybody: CSRF protection has nothing to protect here.
@method_decorator(csrf_exempt, name="dispatch")
class GraphQLView(StrawberryGraphQLView):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("graphql_ide", "graphiql" if settings.GRAPHIQL_ENABLED else None)
        kwargs.setdefault("multipart_uploads_enabled", True)
        super().__init__(**kwargs)

    def get_context(self, request: HttpRequest, response: HttpResponse) -> Context:
        return Context(
            request=request,
            response=response,
            authorization=request.headers.get("Authorization"),
        )

    def process_result(self, request: HttpRequest, result: ExecutionResult) -> GraphQLHTTPResponse:
        data = super().process_result(request, result)
        if wants_graphql_response_json(request) and is_request_error(result):
            # GraphQL over HTTP: a request error has no `data` entry and a 4xx status.
            data.pop("data", None)
            request._graphql_request_error = True  # read in dispatch()
        return data

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().dispatch(request, *args, **kwargs)
        if wants_graphql_response_json(request) and response.get("Content-Type", "").startswith(
            "application/json"
        ):
            response["Content-Type"] = f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8"
            if getattr(request, "_graphql_request_error", False):
                response.status_code = 400
        return response
