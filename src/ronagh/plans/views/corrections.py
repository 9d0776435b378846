"""The approval queue (SPEC 1, 4.2): the reporters' corrections awaiting the agency's manager or
the secretariat, each approved or rejected with a comment, and the latest decisions. Writes go
through services.decide_correction only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import permissions, selectors, services


@login_required
def corrections(request):
    """GET: the queue. POST (`correction`, `decision` approve|reject, `comment`): one decision;
    on a refusal the queue is shown again with the message on that card."""
    user = request.user
    queue = list(selectors.corrections_to_decide(user))
    errors: dict[int, list[str]] = {}
    typed: dict[int, str] = {}
    status = 200
    if request.method == "POST":
        wanted = request.POST.get("correction", "")
        if not wanted.isdigit() or len(wanted) > 18:
            return redirect("plans:corrections")
        # A correction decided meanwhile (or never offered) is no longer in the queue: 404.
        correction = get_object_or_404(selectors.corrections_to_decide(user), pk=int(wanted))
        comment = request.POST.get("comment", "")
        approve = request.POST.get("decision") == "approve"
        try:
            services.decide_correction(
                actor=user, correction=correction, approve=approve, comment=comment
            )
        except ValidationError as exc:
            errors[correction.pk] = exc.messages
            typed[correction.pk] = comment
            status = 400
        except PermissionDenied as exc:
            errors[correction.pk] = [str(exc)]
            status = 403
        else:
            done = (
                _("The correction of %(code)s was approved.")
                if approve
                else _("The correction of %(code)s was rejected.")
            )
            messages.success(request, done % {"code": correction.action.code})
            return redirect("plans:corrections")
    cards = [
        {
            "report": r,
            "may_decide": permissions.may_decide_correction(user, r),
            "errors": errors.get(r.pk, []),
            "comment": typed.get(r.pk, ""),
        }
        for r in queue
    ]
    context = {
        "cards": cards,
        "decisions": selectors.recent_decisions(user),
        "may_decide_any": any(c["may_decide"] for c in cards),
    }
    return render(request, "plans/corrections.html", context, status=status)
