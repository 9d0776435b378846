"""Requests that may be sent twice and act once (SPEC 7's `Idempotency-Key`; a phone on a bad
connection retries its submit, a double tap sends it twice).

`once(user=, scope=, key=, fingerprint=, run=)` runs `run()` — which performs the writes and
returns the answer as (status, JSON-able body) — the first time a (user, scope, key) is seen, and
stores the answer with a fingerprint of the request in the same transaction. The same key again:

- with the same fingerprint, the stored answer is returned and nothing runs (`replayed`);
- with another fingerprint, `KeyReused` is raised (the API answers 422).

Safe under concurrent replays: the key's row is inserted *before* the work, and the unique
constraint makes every other request with that key wait for the first transaction to end (the
row lock on PostgreSQL; the IMMEDIATE write lock on SQLite), then find its committed answer. When
`run()` raises (a refused report, a validation error), the whole transaction rolls back, the key
included: nothing is stored, and the same key may be sent again, corrected or not.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import IdempotencyKey, User

HEADER = "Idempotency-Key"
MAX_LENGTH = 255
_KEY_RE = re.compile(r"^[\x21-\x7e]{1,255}$")  # visible ASCII, as HTTP header values carry


class KeyReused(Exception):
    """The key was used before with another request."""

    def __init__(self):
        super().__init__(
            _("This Idempotency-Key was already used with another request; use a new key.")
        )


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    replayed: bool


def clean_key(value: str | None) -> str | None:
    """The key as sent, or None when none was sent. ValidationError for a key that is too long
    or not printable ASCII."""
    if value is None or value == "":
        return None
    if not _KEY_RE.match(value):
        raise ValidationError(
            {"idempotency_key": _("An Idempotency-Key is 1 to 255 visible ASCII characters.")}
        )
    return value


def fingerprint(*parts: Any) -> str:
    """A digest of what identifies a request (its method, path and body), in a stable order."""
    text = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_fingerprint(upload) -> list:
    """What a file sent with a request contributes to its fingerprint: name, size, content."""
    if not upload:
        return []
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return [upload.name, upload.size, digest.hexdigest()]


def replay(*, user: User, scope: str, key: str, fingerprint: str) -> Answer | None:
    """The stored answer to this key, if the first request with it has finished (a page may
    answer a retry at once, before it reads anything the first request changed); None when the
    key is new. KeyReused when it came with another request."""
    row = IdempotencyKey.objects.filter(user=user, scope=scope, key=key).first()
    if row is None:
        return None
    if row.fingerprint != fingerprint:
        raise KeyReused()
    return Answer(row.status, row.response, replayed=True)


def once(
    *,
    user: User,
    scope: str,
    key: str,
    fingerprint: str,
    run: Callable[[], tuple[int, Any]],
) -> Answer:
    """Run `run()` once per (user, scope, key); see the module's docstring."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(
                    user=user, scope=scope, key=key, fingerprint=fingerprint, status=0
                )
        except IntegrityError:
            row = IdempotencyKey.objects.get(user=user, scope=scope, key=key)
            if row.fingerprint != fingerprint:
                raise KeyReused() from None
            return Answer(row.status, row.response, replayed=True)
        status, body = run()
        IdempotencyKey.objects.filter(pk=row.pk).update(status=status, response=body)
        return Answer(status, body, replayed=False)
