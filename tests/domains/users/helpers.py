"""Helpers of the account tests: the token in an e-mail's link, requests from a chosen IP
address, GraphQL multipart uploads."""

import json
import re
from urllib.parse import unquote

from django.core.files.uploadedfile import SimpleUploadedFile


def link_token(body: str, path: str) -> str:
    """The token of the `<FRONTEND_URL>/<path>?token=...` link in an e-mail."""
    match = re.search(rf"/{path}\?token=(\S+)", body)
    assert match, body
    return unquote(match.group(1))


def post_from(gql, query: str, variables: dict, ip: str) -> dict:
    """Post as a client at `ip` (REMOTE_ADDR; no proxy is trusted in the tests)."""
    response = gql.http.post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
        secure=True,
        headers=gql.headers(None, None),
        REMOTE_ADDR=ip,
    )
    assert response.status_code == 200, response.content
    return response.json()


def post_multipart(gql, query: str, variables: dict, files: dict[str, SimpleUploadedFile]):
    """A GraphQL multipart request (operations, map, one part per file), as Apollo's upload
    link sends it; `files` maps a variable path (e.g. `variables.input.avatar`) to a file."""
    names = {str(index): path for index, path in enumerate(files)}
    data = {
        "operations": json.dumps({"query": query, "variables": variables}),
        "map": json.dumps({name: [path] for name, path in names.items()}),
        **{name: files[path] for name, path in names.items()},
    }
    response = gql.http.post("/graphql/", data, secure=True, headers=gql.headers(None, None))
    assert response.status_code == 200, response.content
    return response.json()
