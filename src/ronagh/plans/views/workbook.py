"""The plan workbook in the secretariat's UI (SPEC 7): upload → preview → confirm, the export of
a plan and the blank template. The reading, checking and importing are workbook.py's (the same
code as `ronagh import-plan`); these views only keep the uploaded file between the steps.

Between preview and confirm the file waits under DATA_DIR/uploads, named by a random token that
is kept in the uploader's session: the confirm step takes nothing from the browser but the
token, and a token that is not in the session (forged, someone else's, or expired) is refused.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ronagh.core import pages
from ronagh.core.errors import Conflict
from ronagh.core.models import Province
from ronagh.core.permissions import require
from ronagh.core.templatetags.ronagh import localize_digits

from .. import permissions, selectors
from ..forms import PlanImportForm
from ..workbook import (
    CellError,
    ImportResult,
    WorkbookError,
    export_plan,
    import_plan,
    read_workbook,
    template_workbook,
)
from .editing import secretariat_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "ronagh_plan_imports"
UPLOAD_TTL = dt.timedelta(hours=2)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{40,60}$")
# Problems with the whole file: shown on the upload form, the file is not kept.
_FILE_PROBLEMS = {"file", "no_header"}


def _xlsx(request, data: bytes, filename: str) -> HttpResponse:
    return pages.file_response(request, data, content_type=XLSX, filename=filename)


# --- the uploaded file between the steps -------------------------------------------------------


def _uploads() -> Path:
    folder = Path(settings.DATA_DIR) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _path(token: str) -> Path:
    return _uploads() / f"plan-{token}.xlsx"


def _sweep() -> None:
    """Remove uploads nobody confirmed in time (from any session)."""
    limit = time.time() - UPLOAD_TTL.total_seconds()
    for path in _uploads().glob("plan-*.xlsx"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            pass


def _keep(request, data: bytes, meta: dict) -> str:
    _sweep()
    token = secrets.token_urlsafe(32)
    path = _path(token)
    # Readable by the app only, and never over an existing file.
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as f:
        f.write(data)
    now = time.time()
    pending = {  # uploads of this session that are still waiting, and the new one
        t: m
        for t, m in request.session.get(SESSION_KEY, {}).items()
        if now - m.get("at", 0) <= UPLOAD_TTL.total_seconds()
    }
    pending[token] = {**meta, "at": now}
    request.session[SESSION_KEY] = pending
    return token


def _forget(request, token: str) -> None:
    pending = request.session.get(SESSION_KEY, {})
    if pending.pop(token, None) is not None:
        request.session[SESSION_KEY] = pending
    if _TOKEN.match(token):
        _path(token).unlink(missing_ok=True)


@dataclass
class _Pending:
    token: str
    path: Path
    province: Province
    year: int
    create_agencies: bool
    name: str
    uploaded_at: float


def _pending(request, token: str) -> _Pending | None:
    """The upload behind a token of this session, or None (unknown, malformed or expired)."""
    if not _TOKEN.match(token):
        return None
    meta = request.session.get(SESSION_KEY, {}).get(token)
    if meta is None:
        return None
    path = _path(token)
    if time.time() - meta["at"] > UPLOAD_TTL.total_seconds() or not path.is_file():
        _forget(request, token)
        return None
    province = Province.objects.filter(pk=meta["province"]).first()
    if province is None:
        return None
    return _Pending(
        token, path, province, meta["year"], meta["create_agencies"], meta["name"], meta["at"]
    )


def _refuse(request):
    messages.error(
        request,
        _("This upload has expired or does not belong to you; upload the workbook again."),
    )
    return redirect("plans:plan_import")


# --- the steps ---------------------------------------------------------------------------------


@secretariat_required
def plan_import(request):
    """Step 1: choose the workbook, the province and the year."""
    form = PlanImportForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            parsed = read_workbook(data)
            whole_file = [e for e in parsed.errors if e.code in _FILE_PROBLEMS]
            if whole_file:
                form.add_error("file", [e.message for e in whole_file])
            else:
                token = _keep(
                    request,
                    data,
                    {
                        "province": form.cleaned_data["province"].pk,
                        "year": form.cleaned_data["year"],
                        "create_agencies": form.cleaned_data["create_agencies"],
                        "name": Path(upload.name).name[:200],
                    },
                )
                return redirect("plans:plan_import_preview", token=token)
    return render(request, "plans/workbook_upload.html", {"form": form}, status=status)


@dataclass
class _Preview:
    parsed: object  # ParsedWorkbook
    result: ImportResult | None
    errors: list[CellError]
    problem: str  # a refusal of the whole import (a communicated plan, a wrong province …)
    bad_rows: set[int]


def _preview(request, pending: _Pending) -> _Preview:
    parsed = read_workbook(pending.path)
    result, errors, problem = None, [], ""
    try:
        result = import_plan(
            parsed=parsed,
            province=pending.province,
            year=pending.year,
            create_agencies=pending.create_agencies,
            dry_run=True,
            actor=request.user,
        )
    except WorkbookError as exc:
        errors = exc.cell_errors
    except (Conflict, PermissionDenied) as exc:
        problem = str(exc)
    except ValidationError as exc:
        problem = " ".join(exc.messages)
    return _Preview(parsed, result, errors, problem, {e.row for e in errors if e.row})


@secretariat_required
def plan_import_preview(request, token: str):
    """Step 2 (GET): what the workbook holds and what importing it would do; nothing is saved.
    Step 3 (POST): import it."""
    pending = _pending(request, token)
    if pending is None:
        return _refuse(request)
    if request.method == "POST":
        return _confirm(request, pending)
    preview = _preview(request, pending)
    parsed = preview.parsed
    per_axis: dict[int | None, int] = {}
    for a in parsed.actions:
        per_axis[a.axis] = per_axis.get(a.axis, 0) + 1
    context = {
        "rows": [{"row": a, "bad": a.row in preview.bad_rows} for a in parsed.actions],
        "axis_rows": [
            {
                "number": ax.number,
                "title": ax.title,
                "weight": ax.weight,
                "count": per_axis.get(ax.number, 0),
            }
            for ax in parsed.axes
        ],
        "pending": pending,
        "preview": preview,
        "parsed": preview.parsed,
        "result": preview.result,
        "existing": selectors.visible_plans(request.user)
        .filter(province=pending.province, year=pending.year)
        .first(),
        "can_confirm": preview.result is not None,
    }
    return render(
        request,
        "plans/workbook_preview.html",
        context,
        status=200 if preview.result is not None else 400,
    )


def _confirm(request, pending: _Pending):
    parsed = read_workbook(pending.path)
    try:
        result = import_plan(
            parsed=parsed,
            province=pending.province,
            year=pending.year,
            create_agencies=pending.create_agencies,
            actor=request.user,
        )
    except (WorkbookError, Conflict, PermissionDenied, ValidationError) as exc:
        # Something changed since the preview (an agency renamed, the plan communicated …):
        # the preview shows what stands in the way now.
        messages.error(
            request, _("Nothing was imported: %(reason)s") % {"reason": _first_message(exc)}
        )
        return redirect("plans:plan_import_preview", token=pending.token)
    _forget(request, pending.token)
    if result.replaced:
        text = _("The draft plan “%(title)s” was replaced: %(axes)s axes, %(actions)s actions.")
    else:
        text = _("The plan “%(title)s” was created as a draft: %(axes)s axes, %(actions)s actions.")
    messages.success(
        request,
        text
        % {
            "title": result.title,
            "axes": localize_digits(result.axes),
            "actions": localize_digits(result.actions),
        },
    )
    return redirect("plans:quality", pk=result.plan.pk)


def _first_message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return exc.messages[0] if exc.messages else ""
    return str(exc)


@secretariat_required
def plan_import_cancel(request, token: str):
    """Drop an upload without importing it."""
    if request.method == "POST":
        _forget(request, token)
        messages.info(request, _("The upload was discarded; nothing was imported."))
    return redirect("plans:plan_import")


# --- downloads ---------------------------------------------------------------------------------


@require_safe
@login_required
def plan_export(request, pk: int):
    """The plan as a workbook in the import layout. The whole plan names every agency's actions,
    so it is for the readers of everything, not for one agency."""
    plan = get_object_or_404(selectors.visible_plans(request.user), pk=pk)
    require(
        permissions.may_export(request.user, plan),
        _("Only the secretariat, the governor's office and auditors may export a whole plan."),
    )
    return _xlsx(request, export_plan(plan), f"plan-{plan.province.code}-{plan.year}.xlsx")


@require_safe
@login_required
def plan_template(request):
    """The blank workbook: the headers, and a sheet that explains each column."""
    return _xlsx(request, template_workbook(), "plan-template.xlsx")
