"""SPEC 7's `Idempotency-Key` for the API's POSTs (core/idempotency.py does the work): the same key
with the same body gets the first answer again and stores nothing; with another body, 422."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.response import Response

from ronagh.core import idempotency

IDEMPOTENCY_KEY = OpenApiParameter(
    idempotency.HEADER,
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Send the same key again (a retry) and get the first answer, nothing stored "
    "twice; the same key with another body is refused with 422.",
)


class KeyReusedError(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"


def fingerprint(request) -> str:
    """The request's method, path, body and files, as a digest."""
    data = request.data
    files = getattr(request, "FILES", {}) or {}
    body = {k: (data.getlist(k) if hasattr(data, "getlist") else data[k]) for k in data}
    body = {k: v for k, v in body.items() if k not in files}
    return idempotency.fingerprint(
        request.method,
        request.path,
        body,
        {name: idempotency.file_fingerprint(f) for name, f in files.items()},
    )


def respond_once(request, *, scope: str, run: Callable[[], tuple[int, Any]]) -> Response:
    """`run()` (the writes; returns status and a JSON-able body) answered as a Response — once
    per key when the request carries an Idempotency-Key, every time when it does not."""
    key = idempotency.clean_key(request.headers.get(idempotency.HEADER))
    if key is None:
        code, body = run()
        return Response(body, status=code)
    try:
        answer = idempotency.once(
            user=request.user, scope=scope, key=key, fingerprint=fingerprint(request), run=run
        )
    except idempotency.KeyReused as exc:
        raise KeyReusedError(str(exc)) from None
    response = Response(answer.body, status=answer.status)
    if answer.replayed:
        response["Idempotent-Replayed"] = "true"
    return response
