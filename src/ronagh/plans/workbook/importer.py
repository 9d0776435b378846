"""Importing a read plan workbook (SPEC 7): agency names matched against the province's agencies
(known names first, longest first, then split), then the draft plan created or replaced whole
through `services.replace_draft` — the same rules and permission checks as the action form, with
the actor recorded."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from ronagh.core.i18n import local_digits
from ronagh.core.models import Agency, Province, User
from ronagh.core.permissions import require, secretariat_refusal
from ronagh.core.selectors import closest_agency_names
from ronagh.core.services import create_agency
from ronagh.lib.text import clean_name, normalize

from .. import permissions
from ..models import Plan
from ..services.building import (
    DraftAction,
    DraftAxis,
    check_year,
    replace_draft,
    require_draft_for_import,
)
from .layout import MAX_LEN, POSITION, CellError, Progress, WorkbookError
from .reader import ParsedWorkbook

_PARTNER_SEPARATORS = re.compile(r"([؛;،,\r\n]+)")


def agency_key(name: str) -> str:
    """normalize() plus one spelling of the separators a name may contain ("X، Y" = "X ,Y")."""
    key = re.sub(r"\s*[,،]\s*", "، ", normalize(name))
    return re.sub(r"\s*[;؛]\s*", "؛ ", key)


def split_partners(text: str, known_keys: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The partner agency names of a cell, in the order written.

    Names may themselves contain "،", so wherever a run of pieces joins into a known name
    (compared by `agency_key`) the longest such run is taken whole; everything else is split at
    ؛ ; ، , and line breaks. Returns names cleaned for storage (ی/ک, single spaces)."""
    tokens = _PARTNER_SEPARATORS.split(text or "")
    pieces = tokens[0::2]
    names: list[str] = []
    i = 0
    while i < len(pieces):
        taken = i
        for j in range(len(pieces) - 1, i, -1):
            joined = "".join(tokens[2 * i : 2 * j + 1])
            if agency_key(joined) in known_keys:
                taken = j
                break
        name = clean_name("".join(tokens[2 * i : 2 * taken + 1]))
        if name:
            names.append(name)
        i = taken + 1
    return names


@dataclass
class ImportResult:
    title: str
    plan: Plan | None  # None on a dry run of a new plan
    created: bool  # a new plan (on a dry run: would be)
    replaced: bool  # an earlier draft replaced (on a dry run: would be)
    axes: int
    actions: int
    new_agencies: list[str]
    dry_run: bool
    warnings: list[str]


def default_title(province: Province, year: int) -> str:
    return _("Production-boom plan of %(province)s province — year %(year)s") % {
        "province": province.name,
        "year": local_digits(year),
    }


def import_plan(
    *,
    parsed: ParsedWorkbook,
    province: Province,
    year: int,
    create_agencies: bool = False,
    dry_run: bool = False,
    actor: User | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a read workbook as the draft plan of a province and Jalali year; all or nothing.

    Promises:
    - refuses (PermissionDenied) an actor who is not the secretariat of that province; the
      command line passes no actor;
    - refuses (ValidationError) an implausible year, and (Conflict) a province and year whose
      plan has been communicated or closed — changes to it go through re-planning;
    - refuses (WorkbookError) any bad cell of the workbook and any agency name that matches no
      agency of the province (naming the closest known names) unless `create_agencies`, which
      creates them with the kind "other"; every problem is listed, none is skipped;
    - otherwise replaces the draft plan of that year whole (its axes, actions and milestones;
      the plan itself and its title are kept) or creates a new one, in one transaction;
    - on `dry_run`, checks all of the above and returns what would be created, saving nothing.
    """
    if actor is not None:
        require(permissions.may_build_plans(actor, province.pk), secretariat_refusal(actor))
    check_year(year)
    existing = Plan.objects.filter(province=province, year=year).first()
    require_draft_for_import(existing)

    errors = list(parsed.errors)
    agencies, new_agencies, links = _resolve_agencies(parsed, province, create_agencies, errors)
    if errors:
        raise WorkbookError(errors)

    title = existing.title if existing else default_title(province, year)
    result = ImportResult(
        title=title,
        plan=existing,
        created=existing is None,
        replaced=existing is not None,
        axes=len(parsed.axes),
        actions=len(parsed.actions),
        new_agencies=list(new_agencies.values()),
        dry_run=dry_run,
        warnings=list(parsed.warnings),
    )
    if dry_run:
        return result

    with transaction.atomic():
        for key, name in new_agencies.items():
            agencies[key] = create_agency(province=province, name=name)
        plan, created = replace_draft(
            actor=actor,
            province=province,
            year=year,
            title=title,
            axes=[DraftAxis(a.number, a.title, a.weight) for a in parsed.axes],
            actions=[
                DraftAction(
                    axis=r.axis,
                    code=r.code,
                    title=r.title,
                    lead_agency=agencies[lead] if lead else None,
                    partners=[agencies[k] for k in partner_keys],
                    weight=r.weight,
                    start=r.start,
                    end=r.end,
                    indicator=r.indicator,
                    target=r.target,
                    unit=r.unit,
                    milestones=r.milestones,
                )
                for r, (lead, partner_keys) in zip(parsed.actions, links, strict=True)
            ],
            progress=progress,
        )
    result.plan, result.created, result.replaced = plan, created, not created
    return result


_Links = list[tuple[str | None, list[str]]]  # per action row: lead agency key, partner keys


def _resolve_agencies(
    parsed: ParsedWorkbook, province: Province, create: bool, errors: list[CellError]
) -> tuple[dict[str, Agency], dict[str, str], _Links]:
    """The province's agencies by key, the names to create by key, and each action row's agency
    keys. Names that match nothing (without `create`) are added to `errors`."""
    province_agencies = Agency.objects.filter(province=province)
    known = {agency_key(a.name_key): a for a in province_agencies}
    in_file = {agency_key(a.lead_agency) for a in parsed.actions if a.lead_agency}
    names_to_match = set(known) | in_file
    limit = MAX_LEN["lead_agency"]
    new: dict[str, str] = {}
    closest: dict[str, list[str]] = {}

    def resolve(name: str, row: int, column: str) -> str | None:
        key = agency_key(name)
        if key in known or key in new:
            return key
        position = POSITION[column]
        header = parsed.headers[column]
        if create:
            if len(name) > limit:
                errors.append(
                    CellError(
                        _("The agency name is too long: at most %(max)s characters.")
                        % {"max": limit},
                        row,
                        header,
                        "too_long",
                        position,
                    )
                )
                return None
            new[key] = name
            return key
        if key not in closest:
            closest[key] = closest_agency_names(name, province_agencies)
        message = _("No agency of %(province)s is called “%(name)s”.") % {
            "province": province.name,
            "name": name,
        }
        if closest[key]:
            message += " " + _("Closest known names: %(names)s.") % {
                "names": "، ".join(closest[key])
            }
        errors.append(CellError(message, row, header, "unknown_agency", position))
        return None

    links: _Links = []
    for action in parsed.actions:
        lead = (
            resolve(action.lead_agency, action.row, "lead_agency") if action.lead_agency else None
        )
        partner_keys: list[str] = []
        for name in split_partners(action.partners, names_to_match):
            key = resolve(name, action.row, "partner_agencies")
            if key is not None and key != lead and key not in partner_keys:
                partner_keys.append(key)
        links.append((lead, partner_keys))
    return known, new, links
