"""The axes × agencies heat-map of a plan (SPEC 4.3 weights): each agency's lead actions in each
axis, planned against actual."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from ronagh.core.models import Agency
from ronagh.plans.figures import figures
from ronagh.plans.models import Plan

# --- the heat-map --------------------------------------------------------------------------------


@dataclass
class HeatCell:
    planned: float
    actual: float
    count: int

    @property
    def gap(self) -> float:
        return self.planned - self.actual

    @property
    def ratio(self) -> float | None:
        """100 · actual / planned; None before anything is planned."""
        return 100.0 * self.actual / self.planned if self.planned > 0 else None


@dataclass
class HeatMap:
    as_of: dt.date
    axes: list
    agencies: list[Agency]
    cells: dict[tuple[int, int], HeatCell]  # (axis id, agency id) → cell


def heatmap(*, plan: Plan, as_of: dt.date, agency_ids: set[int] | None = None) -> HeatMap:
    """Axes × agencies: the planned and actual rollup (SPEC 4.3 weights) of each agency's lead
    actions in each axis as of `as_of`. Only the agencies that lead an action (of `agency_ids`,
    when given) are columns; a cell exists where the agency leads actions in that axis."""
    pf = figures(plan, as_of)
    data = pf.data
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, a in data.inputs.items():
        if a.lead_agency_id and (agency_ids is None or a.lead_agency_id in agency_ids):
            groups[(a.axis_id, a.lead_agency_id)].append(i)
    agencies = Agency.objects.in_bulk({g for _ax, g in groups})
    cells = {}
    for key, ids in groups.items():
        r = pf.of(ids)
        cells[key] = HeatCell(planned=r.planned, actual=r.actual, count=r.count)
    return HeatMap(
        as_of=as_of,
        axes=data.axes,
        agencies=sorted(agencies.values(), key=lambda g: g.name),
        cells=cells,
    )
