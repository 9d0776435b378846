"""Reads of pages and API answers from a PostgreSQL read replica, when one is configured
(`DATABASE_REPLICA_URL`, docs/deploy.md); writes, and every read inside a transaction, on the
primary.

A request of a safe method (GET, HEAD, OPTIONS) reads from the replica — the dashboards, the
national view, the scorecards: what most users do all day — unless the same browser wrote
something in the last few seconds (`PIN_COOKIE`): a reporter who has just sent a report sees it
on the next page even while the replica catches up. Everything that writes (a POST, the CLI, the
daily job) never sees the replica, because nothing turns it on outside this middleware.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PIN_COOKIE = "ronagh_primary"
PIN_SECONDS = 10
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

_reading = ContextVar("ronagh_replica_reads", default=False)


def has_replica() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads():
    """Within this block, reads outside a transaction go to the replica (if there is one)."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading.get() and has_replica() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaMiddleware:
    """Safe requests read from the replica; a write pins the browser to the primary for
    PIN_SECONDS (read-your-writes)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        safe = request.method in SAFE_METHODS
        if not (safe and has_replica() and PIN_COOKIE not in request.COOKIES):
            response = self.get_response(request)
        else:
            with replica_reads():
                response = self.get_response(request)
        if not safe and has_replica():
            response.set_cookie(
                PIN_COOKIE, "1", max_age=PIN_SECONDS, httponly=True, samesite="Lax",
                secure=request.is_secure(),
            )  # fmt: skip
        return response
