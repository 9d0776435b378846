"""The number on the bell in the navigation bar."""

from .selectors import unread_count


def unread(request) -> dict:
    """{"unread_notifications": n} for a signed-in user, 0 otherwise."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": unread_count(user)}
