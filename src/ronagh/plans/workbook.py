"""The plan workbook of SPEC 7: read it, check it, import it, and write it back out.

Reading (`read_workbook`) touches no database: it turns an .xlsx into plain rows and a list of
every bad cell. `import_plan` is the one write: it matches agency names against the province's
agencies, then creates the plan or replaces its draft in one transaction. `export_plan` and
`template_workbook` write the same layout, so an exported plan imports again unchanged.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO

import openpyxl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from ronagh.core.errors import Conflict
from ronagh.core.models import Agency, Province, User
from ronagh.core.selectors import closest_agency_names
from ronagh.core.services import create_agency
from ronagh.lib import jalali
from ronagh.lib.digits import parse_decimal, to_latin, to_persian
from ronagh.lib.spreadsheet import FORMULA_START, header_row, rtl_sheet, safe_text
from ronagh.lib.text import clean_name, normalize, squash

from .models import Action, Axis, Plan

Progress = Callable[[int, int], None]
"""progress(done, total): called as rows are read and actions written, for a progress bar."""


@dataclass(frozen=True)
class Column:
    key: str  # the English alias, also the field's name here
    header: str  # the Persian header written on export
    required: bool = False
    width: int = 14


COLUMNS: tuple[Column, ...] = (
    Column("axis_no", "کد محور", True, 9),
    Column("axis_title", "عنوان محور", width=30),
    Column("axis_weight", "وزن محور", width=9),
    Column("action_code", "کد اقدام", True, 10),
    Column("action_title", "عنوان اقدام", True, 50),
    Column("lead_agency", "دستگاه مسئول", width=30),
    Column("partner_agencies", "دستگاه‌های همکار", width=40),
    Column("weight", "وزن", width=7),
    Column("start", "تاریخ شروع", width=12),
    Column("end", "تاریخ پایان", width=12),
    Column("indicator", "شاخص", width=30),
    Column("target", "مقدار هدف", width=11),
    Column("unit", "واحد سنجش", width=12),
)
_POSITION = {c.key: i for i, c in enumerate(COLUMNS)}


def _header_key(text: str) -> str:
    # 'دستگاه های همکار', 'دستگاه‌های‌همکار' and 'Partner Agencies' all meet here.
    return re.sub(r"[\W_]+", "", squash(text))


_BY_HEADER = {_header_key(name): c for c in COLUMNS for name in (c.header, c.key)}

# Model limits, checked here so a long cell is a message and not a database error.
_MAX_LEN = {
    "axis_title": Axis._meta.get_field("title").max_length,
    "action_code": Action._meta.get_field("code").max_length,
    "action_title": Action._meta.get_field("title").max_length,
    "lead_agency": Agency._meta.get_field("name").max_length,
    "indicator": Action._meta.get_field("indicator").max_length,
    "unit": Action._meta.get_field("unit").max_length,
}
_WEIGHT_STEP, _WEIGHT_LIMIT = Decimal("0.001"), Decimal("1000000")  # DecimalField(9, 3)
_TARGET_STEP, _TARGET_LIMIT = Decimal("0.01"), Decimal("10000000000000000")  # (18, 2)
_MAX_AXIS = 100_000

_BIDI_MARKS = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_PARTNER_SEPARATORS = re.compile(r"([؛;،,\r\n]+)")


# --- what reading produces -----------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    """One thing wrong with the workbook: the row as the spreadsheet numbers it (the header is
    row 1), the column's header as written in the file, and the reason, already translated."""

    message: str
    row: int | None = None
    column: str | None = None
    code: str = "invalid"
    position: int = field(default=-1, compare=False)  # column order, for sorting only

    def __str__(self) -> str:
        if self.row is not None and self.column:
            return _("Row %(row)s, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row is not None:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


class WorkbookError(ValidationError):
    """The workbook cannot be imported; `cell_errors` lists every bad cell."""

    def __init__(self, cell_errors: list[CellError]):
        self.cell_errors = sorted(cell_errors, key=lambda e: (e.row or 0, e.position))
        super().__init__([str(e) for e in self.cell_errors], code="workbook")


@dataclass
class AxisRow:
    number: int
    title: str
    weight: Decimal
    row: int  # the first row that names the axis


@dataclass
class ActionRow:
    row: int
    axis: int | None
    code: str
    title: str
    lead_agency: str = ""
    partners: str = ""  # as written: split against the known agency names at import
    weight: Decimal = Decimal(1)
    start: dt.date | None = None
    end: dt.date | None = None
    indicator: str = ""
    target: Decimal | None = None
    unit: str = ""
    ok: bool = True  # False when a cell of the row is bad; its agencies are still checked


@dataclass
class ParsedWorkbook:
    axes: list[AxisRow] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # column key → header in the file
    errors: list[CellError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- reading ---------------------------------------------------------------------------------


class _Unreadable(Exception):
    pass


def _load(source) -> openpyxl.Workbook:
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    elif isinstance(source, str | os.PathLike):
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise _Unreadable(
                _("The file “%(name)s” cannot be read: %(reason)s")
                % {"name": source, "reason": exc.strerror or exc}
            ) from exc
    else:
        data = source.read()
    if not data:
        raise _Unreadable(_("The file is empty."))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _Unreadable(
            _(
                "This is an old Excel 97–2003 (.xls) file; save it as an .xlsx workbook and try again."
            )
        )
    not_xlsx = _("The file is not an Excel workbook (.xlsx), or it is damaged.")
    if not data.startswith(b"PK"):
        raise _Unreadable(not_xlsx)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's notes on styles it does not support
            # Not read-only: merged cells are only known to a fully loaded sheet.
            return openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # a damaged zip fails in many ways; all mean the same to the user
        raise _Unreadable(not_xlsx) from exc


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value) -> str:
    """A cell as text, the apostrophe of a neutralised formula removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _BIDI_MARKS.sub("", str(value))
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
        text = text[1:]
    return text


def _shown(value) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return _text(value).strip()


def _number(value) -> Decimal | None:
    if isinstance(value, bool | dt.date):
        return None
    if isinstance(value, float | int | Decimal):
        return parse_decimal(value)
    return parse_decimal(_text(value))


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            # Jalali text; an ISO Gregorian date (year ≥ 1900) is read as what it plainly is.
            return jalali.parse_any(_text(value))
        except jalali.JalaliDateError:
            return None
    return None


def _merged_values(ws) -> dict[tuple[int, int], object]:
    """(row, column index) → value, for the lower cells of vertically merged ranges: what the
    reader sees in them is the value of the range's top cell."""
    inherited = {}
    for rng in ws.merged_cells.ranges:
        if rng.min_col != rng.max_col or rng.min_row < 2 or rng.max_row == rng.min_row:
            continue
        top = ws.cell(rng.min_row, rng.min_col).value
        for r in range(rng.min_row + 1, rng.max_row + 1):
            inherited[(r, rng.min_col - 1)] = top
    return inherited


class _Row:
    """The cells of one data row, read one by one; each bad cell is added to the errors."""

    def __init__(self, result: ParsedWorkbook, row: int, cells: dict[str, object]):
        self.result, self.row, self.cells = result, row, cells

    def bad(self, key: str, message: str, code: str = "invalid") -> None:
        self.result.errors.append(
            CellError(message, self.row, self.result.headers[key], code, _POSITION[key])
        )

    def text(self, key: str, *, required: bool = False) -> str:
        value = clean_name(_text(self.cells.get(key)))
        if required and not value:
            self.bad(key, _("This cell must not be empty."), "required")
        limit = _MAX_LEN.get(key)
        if limit and len(value) > limit:
            self.bad(
                key,
                _("The text is too long: at most %(max)s characters.") % {"max": limit},
                "too_long",
            )
        return value

    def number(self, key: str, *, positive: bool, step: Decimal, limit: Decimal) -> Decimal | None:
        raw = self.cells.get(key)
        if _blank(raw):
            return None
        value = _number(raw)
        if value is None:
            self.bad(key, _("“%(value)s” is not a number.") % {"value": _shown(raw)}, "number")
            return None
        if abs(value) >= limit:
            self.bad(
                key, _("The number %(value)s is too large.") % {"value": _shown(raw)}, "number"
            )
            return None
        value = value.quantize(step)
        if positive and value <= 0:
            self.bad(key, _("The weight must be greater than zero."), "weight")
            return None
        return value

    def date(self, key: str) -> dt.date | None:
        raw = self.cells.get(key)
        if _blank(raw):
            return None
        value = _date(raw)
        if value is None:
            self.bad(
                key,
                _("“%(value)s” is not a date; write a Jalali date such as 1405/01/15.")
                % {"value": _shown(raw)},
                "date",
            )
        return value

    def axis_number(self) -> int | None:
        raw = self.cells.get("axis_no")
        if _blank(raw):
            self.bad("axis_no", _("This cell must not be empty."), "required")
            return None
        value = _number(raw)
        if value is None or value != value.to_integral_value() or not 1 <= value < _MAX_AXIS:
            self.bad(
                "axis_no",
                _("“%(value)s” is not an axis number (a whole number from 1).")
                % {"value": _shown(raw)},
                "number",
            )
            return None
        return int(value)


@dataclass
class _AxisSeen:
    number: int
    row: int
    title: str = ""
    title_row: int = 0
    weight: Decimal | None = None
    weight_row: int = 0


def read_workbook(
    source: str | os.PathLike | bytes | IO[bytes], *, progress: Progress | None = None
) -> ParsedWorkbook:
    """Read a plan workbook (a path, the bytes, or an open binary file) into plain rows.

    Never raises for bad input and never touches the database: every problem — an unreadable
    file, a missing required column, each bad cell — is in `errors`, each with its row, column
    and reason; unknown columns are in `warnings`. Agency names are returned as written; they are
    matched at import."""
    result = ParsedWorkbook()
    try:
        wb = _load(source)
    except _Unreadable as exc:
        result.errors.append(CellError(str(exc), code="file"))
        return result
    sheets = wb.worksheets
    if not sheets:
        result.errors.append(CellError(_("The workbook has no sheet."), code="file"))
        return result
    ws = sheets[0]
    headers_in_file = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())

    index: dict[str, int] = {}
    for i, value in enumerate(headers_in_file):
        written = clean_name(_text(value))
        if not written:
            continue
        column = _BY_HEADER.get(_header_key(written))
        if column is None:
            result.warnings.append(
                _("The column “%(header)s” is not part of the plan layout and was ignored.")
                % {"header": written}
            )
        elif column.key in index:
            result.errors.append(
                CellError(
                    _("This column repeats the column “%(other)s”.")
                    % {"other": result.headers[column.key]},
                    row=1,
                    column=written,
                    code="duplicate_column",
                    position=_POSITION[column.key],
                )
            )
        else:
            index[column.key] = i
            result.headers[column.key] = written
    if not index and not result.warnings:
        message = (
            _("The first sheet is empty.")
            if ws.max_row <= 1
            else _("Row 1 of the first sheet must hold the column headers.")
        )
        result.errors.append(CellError(message, code="no_header"))
        return result
    for column in COLUMNS:
        if column.required and column.key not in index:
            result.errors.append(
                CellError(
                    _("The required column “%(header)s” (or “%(alias)s”) is missing.")
                    % {"header": column.header, "alias": column.key},
                    row=1,
                    column=column.header,
                    code="missing_column",
                    position=_POSITION[column.key],
                )
            )
    if result.errors:
        return result

    inherited = _merged_values(ws)
    total = max(ws.max_row - 1, 0)
    axes: dict[int, _AxisSeen] = {}
    codes: dict[str, int] = {}
    seen_rows = False

    for offset, values in enumerate(ws.iter_rows(min_row=2, values_only=True)):
        row = offset + 2
        if progress is not None:
            progress(offset + 1, total)
        own = {key: values[i] if i < len(values) else None for key, i in index.items()}
        if all(_blank(v) for v in own.values()):
            continue
        seen_rows = True
        cells = {
            key: inherited.get((row, index[key]), v) if _blank(v) else v for key, v in own.items()
        }
        errors_before = len(result.errors)
        r = _Row(result, row, cells)
        axis_no = r.axis_number()
        code = to_latin(r.text("action_code", required=True))
        title = r.text("action_title", required=True)
        axis_title = r.text("axis_title")
        axis_weight = r.number("axis_weight", positive=True, step=_WEIGHT_STEP, limit=_WEIGHT_LIMIT)
        action = ActionRow(
            row=row,
            axis=axis_no,
            code=code,
            title=title,
            lead_agency=r.text("lead_agency"),
            partners=_text(cells.get("partner_agencies")),
            weight=Decimal(1),
            start=r.date("start"),
            end=r.date("end"),
            indicator=r.text("indicator"),
            target=r.number("target", positive=False, step=_TARGET_STEP, limit=_TARGET_LIMIT),
            unit=r.text("unit"),
        )
        weight = r.number("weight", positive=True, step=_WEIGHT_STEP, limit=_WEIGHT_LIMIT)
        if weight is not None:
            action.weight = weight
        if action.start and action.end and action.end < action.start:
            r.bad(
                "end",
                _("The end date %(end)s is before the start date %(start)s.")
                % {
                    "end": jalali.format_date(action.end),
                    "start": jalali.format_date(action.start),
                },
                "end_before_start",
            )
        if code:
            first = codes.setdefault(normalize(code), row)
            if first != row:
                r.bad(
                    "action_code",
                    _("The action code “%(code)s” is already used in row %(row)s.")
                    % {"code": code, "row": first},
                    "duplicate_code",
                )

        if axis_no is not None:
            seen = axes.setdefault(axis_no, _AxisSeen(axis_no, row))
            if axis_title:
                if not seen.title:
                    seen.title, seen.title_row = axis_title, row
                elif normalize(seen.title) != normalize(axis_title):
                    r.bad(
                        "axis_title",
                        _("Axis %(number)s already has the title “%(title)s” (row %(row)s).")
                        % {"number": axis_no, "title": seen.title, "row": seen.title_row},
                        "axis_conflict",
                    )
            if axis_weight is not None:
                if seen.weight is None:
                    seen.weight, seen.weight_row = axis_weight, row
                elif seen.weight != axis_weight:
                    r.bad(
                        "axis_weight",
                        _("Axis %(number)s already has the weight %(weight)s (row %(row)s).")
                        % {
                            "number": axis_no,
                            "weight": _plain(seen.weight),
                            "row": seen.weight_row,
                        },
                        "axis_conflict",
                    )
        action.ok = len(result.errors) == errors_before
        result.actions.append(action)

    if not seen_rows:
        result.errors.append(
            CellError(_("The workbook has no data rows under the header."), code="no_rows")
        )
    result.axes = [
        AxisRow(
            number=a.number,
            title=a.title or _("Axis %(number)s") % {"number": a.number},
            weight=a.weight if a.weight is not None else Decimal(1),
            row=a.row,
        )
        for a in sorted(axes.values(), key=lambda a: a.number)
    ]
    return result


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


# --- agency names ----------------------------------------------------------------------------


def _agency_key(name: str) -> str:
    # normalize() plus one spelling of the separators a name may contain ("X، Y" = "X ,Y").
    key = re.sub(r"\s*[,،]\s*", "، ", normalize(name))
    return re.sub(r"\s*[;؛]\s*", "؛ ", key)


def split_partners(text: str, known_keys: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The partner agency names of a cell, in the order written.

    Names may themselves contain "،", so wherever a run of pieces joins into a known name
    (compared by `_agency_key`) the longest such run is taken whole; everything else is split at
    ؛ ; ، , and line breaks. Returns names cleaned for storage (ی/ک, single spaces)."""
    tokens = _PARTNER_SEPARATORS.split(text or "")
    pieces = tokens[0::2]
    names: list[str] = []
    i = 0
    while i < len(pieces):
        taken = i
        for j in range(len(pieces) - 1, i, -1):
            joined = "".join(tokens[2 * i : 2 * j + 1])
            if _agency_key(joined) in known_keys:
                taken = j
                break
        name = clean_name("".join(tokens[2 * i : 2 * taken + 1]))
        if name:
            names.append(name)
        i = taken + 1
    return names


# --- importing -------------------------------------------------------------------------------


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
    shown = to_persian(year) if (get_language() or "").startswith("fa") else str(year)
    return _("Production-boom plan of %(province)s province — year %(year)s") % {
        "province": province.name,
        "year": shown,
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
        if not actor.is_secretariat:
            raise PermissionDenied(_("Only the secretariat may import a plan."))
        if actor.province_id and actor.province_id != province.id and not actor.is_superuser:
            raise PermissionDenied(_("You may import plans of your own province only."))
    if not 1300 <= year <= 1499:
        raise ValidationError({"year": _("%(year)s is not a Jalali year.") % {"year": year}})
    existing = Plan.objects.filter(province=province, year=year).first()
    _require_replaceable(existing)

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
        plan = Plan.objects.select_for_update().filter(province=province, year=year).first()
        _require_replaceable(plan)
        if plan is not None:
            try:
                Action.objects.filter(plan=plan).delete()
                Axis.objects.filter(plan=plan).delete()
            except ProtectedError as exc:
                raise Conflict(
                    _(
                        "The draft plan has records that refer to its actions; it cannot be replaced."
                    )
                ) from exc
        else:
            try:
                with transaction.atomic():
                    plan = Plan.objects.create(province=province, year=year, title=title)
            except IntegrityError as exc:
                raise Conflict(_("Another import of this plan is under way; try again.")) from exc
        for key, name in new_agencies.items():
            agencies[key] = create_agency(province=province, name=name)
        _write(plan, parsed, agencies, links, progress)
    result.plan = plan
    return result


def _require_replaceable(plan: Plan | None) -> None:
    if plan is not None and plan.status != Plan.Status.DRAFT:
        raise Conflict(
            _(
                "The %(year)s plan of %(province)s is %(status)s; an import cannot replace it. "
                "Changes to it go through re-planning."
            )
            % {
                "year": plan.year,
                "province": plan.province.name,
                "status": plan.get_status_display(),
            }
        )


_Links = list[tuple[str | None, list[str]]]  # per action row: lead agency key, partner keys


def _resolve_agencies(
    parsed: ParsedWorkbook, province: Province, create: bool, errors: list[CellError]
) -> tuple[dict[str, Agency], dict[str, str], _Links]:
    """The province's agencies by key, the names to create by key, and each action row's agency
    keys. Names that match nothing (without `create`) are added to `errors`."""
    province_agencies = Agency.objects.filter(province=province)
    known = {_agency_key(a.name_key): a for a in province_agencies}
    in_file = {_agency_key(a.lead_agency) for a in parsed.actions if a.lead_agency}
    names_to_match = set(known) | in_file
    limit = _MAX_LEN["lead_agency"]
    new: dict[str, str] = {}
    closest: dict[str, list[str]] = {}

    def resolve(name: str, row: int, column: str) -> str | None:
        key = _agency_key(name)
        if key in known or key in new:
            return key
        position = _POSITION[column]
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


def _write(
    plan: Plan,
    parsed: ParsedWorkbook,
    agencies: dict[str, Agency],
    links: _Links,
    progress: Progress | None,
) -> None:
    # Bulk writes: a provincial plan has hundreds of actions and the checks above already hold
    # every rule save_action would check; the database constraints guard the rest.
    axes = Axis.objects.bulk_create(
        Axis(plan=plan, number=a.number, title=a.title, weight=a.weight) for a in parsed.axes
    )
    axis_by_number = {a.number: a for a in axes}
    total, done, chunk = len(parsed.actions), 0, 500
    through = Action.partners.through
    for start in range(0, total, chunk):
        rows = parsed.actions[start : start + chunk]
        row_links = links[start : start + chunk]
        actions = Action.objects.bulk_create(
            Action(
                plan=plan,
                axis=axis_by_number[r.axis],
                code=r.code,
                title=r.title,
                lead_agency=agencies[lead] if lead else None,
                weight=r.weight,
                start=r.start,
                end=r.end,
                indicator=r.indicator,
                target=r.target,
                unit=r.unit,
            )
            for r, (lead, _partners) in zip(rows, row_links, strict=True)
        )
        through.objects.bulk_create(
            through(action_id=action.pk, agency_id=agencies[key].pk)
            for action, (_lead, partner_keys) in zip(actions, row_links, strict=True)
            for key in partner_keys
        )
        done += len(rows)
        if progress is not None:
            progress(done, total)


# --- writing ---------------------------------------------------------------------------------


def _cell_number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _natural(code: str) -> list:
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", code) if p]


def _plan_sheet(wb: openpyxl.Workbook):
    ws = rtl_sheet(wb.active, _("Plan"), [c.width for c in COLUMNS])
    header_row(ws, [c.header for c in COLUMNS])
    return ws


def _text_columns(ws, last_row: int) -> None:
    # Codes and dates stay text when someone retypes them ("01" keeps its zero; "1405/01/15" is
    # not taken for a Gregorian date).
    for key in ("action_code", "start", "end"):
        letter = get_column_letter(_POSITION[key] + 1)
        for row in range(2, last_row + 1):
            ws[f"{letter}{row}"].number_format = "@"


def plan_workbook(plan: Plan) -> openpyxl.Workbook:
    """The plan in the SPEC 7 layout: Persian headers, right to left, one action a row, Jalali
    dates as text, numbers in number cells; `read_workbook` reads it back unchanged."""
    wb = openpyxl.Workbook()
    ws = _plan_sheet(wb)
    actions = sorted(
        Action.objects.filter(plan=plan)
        .select_related("axis", "lead_agency")
        .prefetch_related("partners"),
        key=lambda a: (a.axis.number, _natural(a.code)),
    )
    for a in actions:
        ws.append(
            [
                a.axis.number,
                safe_text(a.axis.title),
                _cell_number(a.axis.weight),
                safe_text(a.code),
                safe_text(a.title),
                safe_text(a.lead_agency.name) if a.lead_agency else None,
                safe_text("، ".join(p.name for p in a.partners.all())) or None,
                _cell_number(a.weight),
                jalali.format_date(a.start) or None,
                jalali.format_date(a.end) or None,
                safe_text(a.indicator) or None,
                _cell_number(a.target),
                safe_text(a.unit) or None,
            ]
        )
    _text_columns(ws, len(actions) + 1)
    ws.auto_filter.ref = ws.dimensions
    return wb


def export_plan(plan: Plan) -> bytes:
    """The plan as .xlsx bytes (see `plan_workbook`)."""
    return _to_bytes(plan_workbook(plan))


def template_workbook() -> bytes:
    """An empty plan workbook: the headers, and a second sheet that explains each column."""
    wb = openpyxl.Workbook()
    ws = _plan_sheet(wb)
    _text_columns(ws, 500)
    guide = rtl_sheet(wb.create_sheet(), _("Guide"), [20, 18, 12, 70])
    header_row(guide, [_("Column"), _("English alias"), _("Required"), _("What to write")])
    explain = {
        "axis_no": _("The axis number: a whole number from 1."),
        "axis_title": _("The axis title; blank repeats the title of the axis's earlier rows."),
        "axis_weight": _(
            "The axis weight, greater than zero; blank repeats the earlier rows, or 1."
        ),
        "action_code": _("A code unique in the plan, e.g. 1-3."),
        "action_title": _("What is to be done."),
        "lead_agency": _("The agency responsible, by its name."),
        "partner_agencies": _("Partner agencies, separated by ، or ؛"),
        "weight": _("The action's weight within its axis, greater than zero; blank means 1."),
        "start": _("Jalali date, e.g. 1405/01/15."),
        "end": _("Jalali date, e.g. 1405/12/29; not before the start."),
        "indicator": _("How progress is measured."),
        "target": _("The target value of the indicator (a number)."),
        "unit": _("The unit of the target, e.g. percent, hectare, person."),
    }
    for c in COLUMNS:
        guide.append([c.header, c.key, _("yes") if c.required else "", explain[c.key]])
    guide.append([])
    for note in (
        _("One action per row; the headers stay in row 1 of the first sheet."),
        _("Digits may be Persian or Latin; merged axis cells are fine."),
        _("Importing again replaces a draft plan of the same year whole."),
    ):
        guide.append([note])
    return _to_bytes(wb)


def _to_bytes(wb: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


__all__ = [
    "COLUMNS",
    "ActionRow",
    "AxisRow",
    "CellError",
    "ImportResult",
    "ParsedWorkbook",
    "WorkbookError",
    "default_title",
    "export_plan",
    "import_plan",
    "plan_workbook",
    "read_workbook",
    "split_partners",
    "template_workbook",
]
