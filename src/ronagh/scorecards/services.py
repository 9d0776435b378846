"""Writes: the secretariat's written evaluations, the detection of suspicious patterns and their
clearing. The pages, the API, the commands and the demo all call these."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ronagh.core.errors import Conflict
from ronagh.core.models import Agency, User
from ronagh.core.permissions import require, secretariat_refusal
from ronagh.lib.jalali import year_bounds
from ronagh.plans.models import Plan, ProgressReport, ReportState

from . import patterns, permissions
from .models import Evaluation, SuspiciousFlag
from .selectors import evaluation_deadlines


@transaction.atomic
def add_evaluation(
    *,
    actor: User,
    agency: Agency,
    plan: Plan,
    period_start: dt.date | None,
    period_end: dt.date | None,
    text: str,
    period_label: str = "",
    grade: str = "",
) -> Evaluation:
    """Keep the secretariat's written evaluation of an agency for a period of a plan. Refuses
    (ValidationError) an empty text, a missing or reversed period, a period outside the plan's
    year, an unknown grade or an agency of another province; (PermissionDenied) anyone but the
    secretariat of the province. Evaluations are never edited: a new one is added."""
    errors = {}
    text = (text or "").strip()
    period_label = " ".join((period_label or "").split())[:100]
    grade = (grade or "").strip().upper()
    if not text:
        errors["text"] = _("Write the evaluation.")
    if period_start is None:
        errors["period_start"] = _("Give the first day of the period evaluated.")
    if period_end is None:
        errors["period_end"] = _("Give the last day of the period evaluated.")
    if period_start and period_end:
        first, last = year_bounds(plan.year)
        if period_end < period_start:
            errors["period_end"] = _("The period ends before it starts.")
        elif period_start < first or period_end > last:
            errors["period_end"] = _("The period must fall inside the plan's year.")
    if grade and grade not in Evaluation.Grade.values:
        errors["grade"] = _("The suggested grade is one of A, B, C and D.")
    if agency.province_id != plan.province_id:
        errors["agency"] = _("The agency belongs to another province than the plan.")
    require(permissions.may_evaluate(actor, plan.province_id), secretariat_refusal(actor))
    if errors:
        raise ValidationError(errors)
    return Evaluation.objects.create(
        agency=agency,
        plan=plan,
        period_label=period_label,
        period_start=period_start,
        period_end=period_end,
        text=text,
        grade=grade,
        author=actor,
    )


def _report_inputs(plan: Plan) -> dict[int, list[patterns.ReportInput]]:
    """Every report of the plan as patterns.ReportInput, per action, in one query."""
    rows = (
        ProgressReport.objects.filter(action__plan=plan)
        .with_state()
        .order_by("action_id", "date", "id")
        .values_list(
            "id", "action_id", "date", "percent", "note", "corrects_id", "corrects__percent",
            "state",
        )
    )  # fmt: skip
    out: dict[int, list[patterns.ReportInput]] = defaultdict(list)
    for rid, action_id, day, pct, note, corrects, corrects_pct, state in rows:
        out[action_id].append(
            patterns.ReportInput(
                id=rid,
                date=day,
                percent=float(pct),
                note=note,
                corrects=corrects,
                corrects_percent=float(corrects_pct) if corrects_pct is not None else None,
                # Only effective reports make the series; a pending or rejected correction
                # still counts among the corrections downwards.
                superseded=state != ReportState.EFFECTIVE,
            )
        )
    return out


def detect_flags(
    *, plan: Plan, as_of: dt.date | None = None, actor: User | None = None
) -> list[SuspiciousFlag]:
    """Look for SPEC 4.2's suspicious patterns (patterns.py) in every report of the plan dated
    on or before `as_of` (today by default) and store a flag for each one not flagged before.
    Idempotent: a second run adds nothing, and a cleared flag stays cleared. Returns the flags
    it added. The deadlines of a burst are the plan year's last day and the last day of every
    period the secretariat evaluated the action's lead agency for. With an `actor` (a page), only
    the secretariat of the plan's province may run it; the demo and the daily job run it as the
    system."""
    if actor is not None:
        require(permissions.may_review_flags(actor, plan.province_id), secretariat_refusal(actor))
    as_of = as_of or timezone.localdate()
    _first, year_end = year_bounds(plan.year)
    per_agency = evaluation_deadlines(plan)
    leads = dict(plan.actions.values_list("id", "lead_agency_id"))
    findings = []
    for action_id, reports in _report_inputs(plan).items():
        deadlines = [year_end, *per_agency.get(leads.get(action_id), [])]
        for f in patterns.detect(reports, deadlines=deadlines, as_of=as_of):
            findings.append((action_id, f))
    if not findings:
        return []
    with transaction.atomic():
        existing = set(
            SuspiciousFlag.objects.filter(action__plan=plan).values_list(
                "action_id", "report_id", "kind"
            )
        )
        new = []
        for action_id, f in findings:
            key = (action_id, f.report_id, f.kind)
            if key in existing:
                continue
            existing.add(key)
            new.append(
                SuspiciousFlag(
                    action_id=action_id,
                    report_id=f.report_id,
                    kind=f.kind,
                    date=f.date,
                    detail=f.detail,
                )
            )
        # A concurrent run may have stored the same flags meanwhile: the unique constraints
        # keep one of each.
        SuspiciousFlag.objects.bulk_create(new, ignore_conflicts=True)
    return new


@transaction.atomic
def clear_flag(*, actor: User, flag: SuspiciousFlag, note: str) -> SuspiciousFlag:
    """The secretariat has looked into a flag: clear it with a note saying what it found.
    Refuses (ValidationError) an empty note, (PermissionDenied) anyone but the secretariat of the
    plan's province, (Conflict) a flag already cleared."""
    note = (note or "").strip()
    flag = SuspiciousFlag.objects.select_for_update().select_related("action__plan").get(pk=flag.pk)
    require(
        permissions.may_review_flags(actor, flag.action.plan.province_id),
        secretariat_refusal(actor),
    )
    if not note:
        raise ValidationError({"note": _("Write a note saying what was found.")})
    if flag.cleared_at is not None:
        raise Conflict(_("This flag has already been cleared."))
    flag.cleared_by = actor
    flag.cleared_at = timezone.now()
    flag.note = note
    flag.save(update_fields=["cleared_by", "cleared_at", "note"])
    return flag
