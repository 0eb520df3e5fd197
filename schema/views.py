"""The HTTP endpoint of the schema (GraphQL over HTTP, served by a WSGI server).

Besides strawberry's view: automatic persisted queries (`schema.persisted`), a bounded number of
operations per batch, size limits answered as GraphQL errors (413), the viewer taken from the
bearer token only (never a session cookie), and unexpected errors masked as a last resort.
"""

from typing import Any

from cross_web import HTTPException
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.decorators import method_decorator
from django.utils.functional import SimpleLazyObject
from django.views.decorators.csrf import csrf_exempt
from strawberry.django.views import GraphQLView as StrawberryGraphQLView
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.types import ExecutionResult

from backend.stack import with_headroom
from domains.shared.errors import ErrorCode
from schema import persisted
from schema.context import Context
from schema.masking import is_unexpected, masked

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


class RequestRefused(Exception):
    """A request answered with GraphQL errors (no `data`) and an HTTP status, unexecuted."""

    def __init__(
        self, status: int, errors: list[dict], headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(errors[0]["message"])
        self.status = status
        self.body = {"errors": errors}
        self.headers = headers or {}

    @classmethod
    def error(
        cls, status: int, message: str, code: ErrorCode, **extensions: Any
    ) -> "RequestRefused":
        return cls(status, [{"message": message, "extensions": {"code": code.name, **extensions}}])

    @classmethod
    def from_persisted(cls, error: persisted.PersistedQueryError) -> "RequestRefused":
        return cls(error.status, [error.error.formatted], error.headers)

    def response(self, request: HttpRequest) -> HttpResponse:
        content_type = (
            GRAPHQL_RESPONSE_JSON if wants_graphql_response_json(request) else "application/json"
        )
        response = JsonResponse(self.body, status=self.status, content_type=content_type)
        for name, value in self.headers.items():
            response[name] = value
        return response


def too_large(limit: int) -> RequestRefused:
    return RequestRefused.error(
        413,
        f"The request is too large (at most {limit} bytes).",
        ErrorCode.REQUEST_TOO_LARGE,
        maxBytes=limit,
    )


# Authentication is by bearer token only (no cookies), so a cross-site request cannot act as
# anybody: CSRF protection has nothing to protect here.
@method_decorator(csrf_exempt, name="dispatch")
class GraphQLView(StrawberryGraphQLView):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("graphql_ide", "graphiql" if settings.GRAPHIQL_ENABLED else None)
        kwargs.setdefault("multipart_uploads_enabled", True)
        super().__init__(**kwargs)
        # Django builds a view instance per request, so these are the request's.
        self.batch = False
        self.request_error = False

    def get_context(self, request: HttpRequest, response: HttpResponse) -> Context:
        context = Context(
            request=request,
            response=response,
            authorization=request.headers.get("Authorization"),
        )
        # The session's user (an admin signed in to /admin/ in the same browser) never
        # reaches the schema: whatever reads request.user sees the token's user or nobody.
        request.user = SimpleLazyObject(lambda: context.user)
        return context

    def parse_http_body(self, request_adapter: Any) -> Any:
        data = super().parse_http_body(request_adapter)
        self.batch = isinstance(data, list)
        return data

    def _validate_batch_request(self, request_data: list, protocol: str) -> None:
        # Replaces strawberry's check (a plain-text 400) with GraphQL errors, read per request.
        limit = settings.GRAPHQL_BATCH_MAX_OPERATIONS
        if limit <= 0:
            raise RequestRefused.error(
                400, "Batched requests are turned off: send one operation per request.",
                ErrorCode.BAD_REQUEST,
            )  # fmt: skip
        if not request_data:
            raise RequestRefused.error(400, "The batch is empty.", ErrorCode.BAD_REQUEST)
        if len(request_data) > limit:
            raise RequestRefused.error(
                400,
                f"A batch may hold at most {limit} operations; this one has {len(request_data)}.",
                ErrorCode.QUERY_TOO_COMPLEX,
                limit="batch",
                maxOperations=limit,
            )
        for item in request_data:
            if not (
                isinstance(item, dict)
                and isinstance(item.get("query"), str | None)
                and isinstance(item.get("variables"), dict | None)
                and isinstance(item.get("extensions"), dict | None)
                and isinstance(item.get("operationName"), str | None)
            ):
                raise RequestRefused.error(
                    400, "Each operation of a batch is an object with a string `query`.",
                    ErrorCode.BAD_REQUEST,
                )  # fmt: skip

    def execute_single(
        self,
        request: HttpRequest,
        request_adapter: Any,
        sub_response: Any,
        context: Context,
        root_value: Any,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        try:
            resolved = persisted.resolve(request_data.query, request_data.extensions)
        except persisted.PersistedQueryError as error:
            if not self.batch:
                raise RequestRefused.from_persisted(error) from error
            return ExecutionResult(data=None, errors=[error.error])
        request_data.query = resolved.query
        result = super().execute_single(
            request=request,
            request_adapter=request_adapter,
            sub_response=sub_response,
            context=context,
            root_value=root_value,
            request_data=request_data,
        )
        if resolved.register_hash and not is_request_error(result):
            # It parsed, validated, passed the limits and ran: worth keeping.
            persisted.register(resolved.register_hash, resolved.query)
        return result

    def process_result(self, request: HttpRequest, result: ExecutionResult) -> GraphQLHTTPResponse:
        if result.errors:
            # Errors raised outside execution skip the MaskErrors extension: mask them here.
            result.errors = [masked(e) if is_unexpected(e) else e for e in result.errors]
        data = super().process_result(request, result)
        if wants_graphql_response_json(request) and is_request_error(result):
            # GraphQL over HTTP: a request error has no `data` entry and a 4xx status.
            data.pop("data", None)
            self.request_error = not self.batch
        return data

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            self.check_upload_size(request)
            # Resolving runs deep: away from the edge of CPython's frame-stack chunks
            # (backend/stack.py), where it would run several times slower.
            response = with_headroom(self.run, request=request)
        except HTTPException as error:
            # strawberry's own refusals (malformed JSON, no query, a mutation over GET, ...)
            # are plain text; clients get them as GraphQL errors like every other.
            code = ErrorCode.NOT_FOUND if error.status_code == 404 else ErrorCode.BAD_REQUEST
            refusal = RequestRefused.error(error.status_code, error.reason, code)
            if error.status_code == 405:
                refusal.headers["Allow"] = "GET, POST"
            return refusal.response(request)
        except RequestRefused as refusal:
            return refusal.response(request)
        except RequestDataTooBig:
            return too_large(settings.DATA_UPLOAD_MAX_MEMORY_SIZE).response(request)
        except (SuspiciousOperation, MultiPartParserError) as error:
            # Too many fields or files, a malformed multipart body: Django's own message.
            message = str(error) or "The request body is malformed."
            return RequestRefused.error(400, message, ErrorCode.BAD_REQUEST).response(request)
        except UnicodeDecodeError:
            refusal = RequestRefused.error(
                400, "The request body is not UTF-8.", ErrorCode.BAD_REQUEST
            )
            return refusal.response(request)
        if wants_graphql_response_json(request) and response.get("Content-Type", "").startswith(
            "application/json"
        ):
            response["Content-Type"] = f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8"
            if self.request_error:
                response.status_code = 400
        return response

    @staticmethod
    def check_upload_size(request: HttpRequest) -> None:
        """Refuse an oversize multipart request before reading it (Django's
        DATA_UPLOAD_MAX_MEMORY_SIZE covers other bodies and multipart's non-file fields)."""
        if not request.content_type.startswith("multipart/"):
            return
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.UPLOAD_MAX_BYTES:
            raise too_large(settings.UPLOAD_MAX_BYTES)
