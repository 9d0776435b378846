"""The escalation ladder of an overdue clause (SPEC 5), as plain rules with no Django import.

    1. reminder to the agency (may be repeated while on this rung)
    2. the governor's letter
    3. the Article 62 board (only for a bank refusing finance) or the judicial-support committee
    4. the central bank's disciplinary board (only for a bank) or the national HQ

A clause climbs one rung at a time: the first step is a reminder, and each later step is on the
rung just above the last one taken (a second reminder excepted). The fourth rung is the top.
"""

from __future__ import annotations

from collections.abc import Sequence

REMINDER = "reminder"
GOVERNOR_LETTER = "governor_letter"
ARTICLE_62 = "article_62"
JUDICIAL_COMMITTEE = "judicial_committee"
CENTRAL_BANK_BOARD = "central_bank_board"
NATIONAL_HQ = "national_hq"

# In ladder order; the rung of each step.
LEVELS: dict[str, int] = {
    REMINDER: 1,
    GOVERNOR_LETTER: 2,
    ARTICLE_62: 3,
    JUDICIAL_COMMITTEE: 3,
    CENTRAL_BANK_BOARD: 4,
    NATIONAL_HQ: 4,
}
STEPS: tuple[str, ...] = tuple(LEVELS)
TOP = max(LEVELS.values())
BANK_ONLY = frozenset({ARTICLE_62, CENTRAL_BANK_BOARD})
REPEATABLE = frozenset({REMINDER})


def current_level(taken: Sequence[str]) -> int:
    """The highest rung reached by the steps taken so far (0 when none)."""
    return max((LEVELS[s] for s in taken), default=0)


def next_steps(taken: Sequence[str], *, bank: bool) -> list[str]:
    """The steps that may be taken next, in ladder order. `taken` are the steps already recorded
    (oldest first); `bank` tells whether the clause's party is a bank."""
    level = current_level(taken)
    allowed = []
    for step in STEPS:
        if step in BANK_ONLY and not bank:
            continue
        on_next_rung = LEVELS[step] == level + 1
        repeated = step in REPEATABLE and LEVELS[step] == level
        if on_next_rung or repeated:
            allowed.append(step)
    return allowed


def may_take(step: str, taken: Sequence[str], *, bank: bool) -> bool:
    return step in next_steps(taken, bank=bank)
