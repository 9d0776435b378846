"""Who may evaluate agencies and review suspicious patterns (SPEC 1, 4.2, 4.4), on the ladder of
`core.permissions`."""

from __future__ import annotations

from ronagh.core import permissions as ladder


def may_evaluate(user, province_id: int | None) -> bool:
    """Write an evaluation of an agency of a province: its secretariat."""
    return ladder.is_secretariat_of(user, province_id)


def may_read_flags(user) -> bool:
    """The flags are the secretariat's work; the governor and the auditor may read them."""
    return ladder.reads_everything(user)


def may_review_flags(user, province_id: int | None) -> bool:
    """Clear a flag (and run the detection) of a province's plan: its secretariat."""
    return ladder.is_secretariat_of(user, province_id)
