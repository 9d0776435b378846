"""Corrections approved by the manager (SPEC 1, 4.2): a reporter's correction is pending until
the agency's manager or the secretariat approves or rejects it with a comment. The decision is a
new append-only record (CorrectionDecision); the correction itself is never changed. Who is told:
the managers when a correction waits (the secretariat when the agency has no manager), the
reporter when it is decided."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from ronagh.core.i18n import local_date, local_number
from ronagh.core.models import User
from ronagh.core.permissions import require
from ronagh.notifications.selectors import agency_people
from ronagh.notifications.services import notify

from .. import permissions
from ..models import Action, CorrectionDecision, ProgressReport, ReportState

KIND_PENDING = "correction_pending"
KIND_DECIDED = "correction_decided"
CHANNELS = ("in_app", "email", "bale")


@transaction.atomic
def decide_correction(
    *, actor: User, correction: ProgressReport, approve: bool, comment: str
) -> CorrectionDecision:
    """Approve or reject a pending correction, with a comment (both required).

    Refuses (PermissionDenied) anyone but the manager of the report's agency and the secretariat
    of its province; (ValidationError) a report that is not a pending correction, an empty
    comment, and an approval when the corrected report no longer counts (it was superseded
    meanwhile). Approved, the correction counts in every figure from now on and the report it
    corrects no longer does; rejected, it stays on record and counts nowhere. Two decisions at
    the same moment: the database keeps the first, the second is refused."""
    # The action's lock orders this decision with every report and correction of the action.
    Action.objects.select_for_update().get(pk=correction.action_id)
    correction = (
        ProgressReport.objects.with_state()
        .select_related("action__plan", "corrects", "entered_by")
        .get(pk=correction.pk)
    )
    require(
        permissions.may_decide_correction(actor, correction),
        _("Only the agency's manager or the secretariat decides a correction."),
    )
    if correction.state != ReportState.PENDING:
        raise ValidationError({"correction": _("This is not a correction awaiting a decision.")})
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("A decision must give a comment.")})
    if approve:
        original = ProgressReport.objects.effective().filter(pk=correction.corrects_id)
        if not original.exists():
            raise ValidationError(
                {
                    "correction": _(
                        "The report it corrects no longer counts (it was corrected meanwhile); "
                        "reject this correction."
                    )
                }
            )
    try:
        with transaction.atomic():
            decision = CorrectionDecision.objects.create(
                correction=correction, approved=approve, comment=comment, decided_by=actor
            )
    except IntegrityError:
        raise ValidationError(
            {"correction": _("This correction has already been decided.")}
        ) from None
    transaction.on_commit(lambda: announce_decision(decision))
    return decision


# --- who is told ------------------------------------------------------------------------------


def _deciders(report: ProgressReport) -> list[User]:
    managers = agency_people([report.agency_id], [User.Role.AGENCY_MANAGER]).get(
        report.agency_id, []
    )
    if managers:
        return managers
    return list(
        User.objects.filter(
            role=User.Role.SECRETARIAT,
            is_active=True,
            province_id=report.action.plan.province_id,
        )
    )


def _words(report: ProgressReport) -> dict[str, str]:
    original = report.corrects
    return {
        "code": report.action.code,
        "title": report.action.title,
        "date": local_date(original.date),
        "old": local_number(original.percent),
        "new": local_number(report.percent),
        "reason": report.reason,
        "who": report.entered_by.get_full_name() or report.entered_by.username,
    }


def announce_pending(report: ProgressReport) -> None:
    """Tell the agency's managers (else the province's secretariat) that a correction waits."""
    report = ProgressReport.objects.select_related(
        "action__plan", "corrects", "entered_by", "agency"
    ).get(pk=report.pk)
    words = _words(report)
    notify(
        recipients=_deciders(report),
        kind=KIND_PENDING,
        title=_("A correction awaits your approval: %(code)s") % words,
        body=_(
            "%(who)s asks to correct the report of %(date)s on %(code)s — %(title)s from "
            "%(old)s%% to %(new)s%%. Reason: %(reason)s"
        )
        % words,
        link=reverse("plans:corrections"),
        key=f"{KIND_PENDING}:{report.pk}",
        channels=CHANNELS,
    )


def announce_decision(decision: CorrectionDecision) -> None:
    """Tell the reporter who entered the correction what was decided."""
    report = ProgressReport.objects.select_related("action__plan", "corrects", "entered_by").get(
        pk=decision.correction_id
    )
    words = _words(report) | {"comment": decision.comment}
    if decision.approved:
        title = _("Your correction of %(code)s was approved") % words
        body = _("The report of %(date)s on %(code)s now counts as %(new)s%%. Comment: %(comment)s")
    else:
        title = _("Your correction of %(code)s was rejected") % words
        body = _("The report of %(date)s on %(code)s stays at %(old)s%%. Comment: %(comment)s")
    notify(
        recipients=[report.entered_by],
        kind=KIND_DECIDED,
        title=title,
        body=body % words,
        link=reverse("plans:action", args=[report.action_id]),
        key=f"{KIND_DECIDED}:{report.pk}",
        channels=CHANNELS,
    )
