"""Errors the services raise beyond Django's ValidationError and PermissionDenied."""


class Conflict(Exception):
    """The object is not in a state that allows the change (HTTP 409)."""
