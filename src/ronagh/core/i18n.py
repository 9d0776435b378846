"""The reader's language, once for every page, chart, PDF and message."""

from django.utils.translation import get_language


def is_persian() -> bool:
    """Whether the active language is Persian (the default when none is active)."""
    return (get_language() or "fa").startswith("fa")
