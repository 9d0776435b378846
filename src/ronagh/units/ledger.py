"""The net jobs ledger (SPEC 6) as pure functions (no Django): per unit and month, jobs created,
kept and lost, each with how it is known. Where a unit-month has entries of several kinds, the
best evidence counts — a field check, then the insurance list, then the unit's declaration — so
nothing is counted twice. Gross "jobs created" and net (created − lost) are given side by side,
with the declared figure beside them: gross alone overstates, as the published national figures
show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

RANK = {"field": 3, "insurance": 2, "declared": 1}


@dataclass(frozen=True)
class Entry:
    unit: int
    month: dt.date
    year: int  # Jalali
    sector: str
    county: str
    created: int
    kept: int
    lost: int
    evidence: str  # declared | insurance | field


@dataclass
class Totals:
    declared_created: int = 0  # what the units declared, whatever was checked later
    created: int = 0  # gross, by the best evidence
    kept: int = 0
    lost: int = 0
    verified_created: int = 0  # gross created known from the insurance list or the field
    target: int | None = None

    @property
    def net(self) -> int:
        return self.created - self.lost

    @property
    def verified_share(self) -> float | None:
        return self.verified_created / self.created if self.created else None

    @property
    def net_of_target(self) -> float | None:
        return 100 * self.net / self.target if self.target else None


def best(entries: Iterable[Entry]) -> list[Entry]:
    """One entry per unit-month: the best evidence."""
    chosen: dict[tuple[int, dt.date], Entry] = {}
    for e in entries:
        key = (e.unit, e.month)
        if key not in chosen or RANK[e.evidence] > RANK[chosen[key].evidence]:
            chosen[key] = e
    return list(chosen.values())


def summarise(
    entries: Iterable[Entry],
    key: Callable[[Entry], tuple],
    targets: dict[tuple, int] | None = None,
) -> dict[tuple, Totals]:
    """Totals by `key` (e.g. year and sector), with the targets of the same keys."""
    entries = list(entries)
    out: dict[tuple, Totals] = {}
    for e in entries:
        if e.evidence == "declared":
            out.setdefault(key(e), Totals()).declared_created += e.created
    for e in best(entries):
        t = out.setdefault(key(e), Totals())
        t.created += e.created
        t.kept += e.kept
        t.lost += e.lost
        if e.evidence != "declared":
            t.verified_created += e.created
    for k, jobs in (targets or {}).items():
        out.setdefault(k, Totals()).target = jobs
    return out
