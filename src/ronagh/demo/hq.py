"""The demo's Facilitation HQ (SPEC 8): about one meeting a month over the year, each with an
agenda of the obstacles open at the time, numbered resolutions answering them with clauses for
agencies and for the firms themselves; some clauses done on time, some late, some declared not
done, some still overdue and climbing the escalation ladder (one as far as the Article 62 board);
and two systemic issues, one referred to the national HQ.

Everything is written through ronagh.hq.services, back-dated with the services' `today`/`on`
arguments. Deterministic for a given `rnd`, `today` and set of obstacles. Run it after the
obstacles step; `drop_hq` must run before the obstacles are dropped (agenda items protect them).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from ronagh.core.models import Agency, Province, User
from ronagh.hq import services
from ronagh.hq.models import (
    AgendaItem,
    Article62Case,
    Clause,
    ClauseUpdate,
    EscalationStep,
    Meeting,
    Resolution,
    SystemicIssue,
)
from ronagh.lib.jalali import year_bounds
from ronagh.obstacles.models import OPEN, Obstacle

FRIDAY = 4

PLACES = ("سالن شهید بهشتی استانداری قم", "سالن جلسات سازمان صنعت، معدن و تجارت استان قم")
CHAIR = "استاندار قم"
SECRETARY = "رئیس سازمان صنعت، معدن و تجارت استان قم"
ATTENDEES = (
    "استاندار قم (رئیس ستاد)",
    "رئیس سازمان صنعت، معدن و تجارت استان (دبیر ستاد)",
    "رئیس سازمان مدیریت و برنامه‌ریزی استان",
    "مدیرکل تعاون، کار و رفاه اجتماعی استان",
    "رئیس سازمان جهاد کشاورزی استان",
    "مدیرکل امور مالیاتی استان",
    "مدیرکل تأمین اجتماعی استان",
    "مدیرعامل شرکت شهرک‌های صنعتی استان",
    "رئیس اتاق بازرگانی، صنایع، معادن و کشاورزی قم",
    "رئیس خانه صنعت، معدن و تجارت استان",
)
MEMBERS = ("sanat", "barnameh", "kar", "jahad", "maliat", "tamin", "shahrak", "otagh",
           "khaneh-sanat")  # fmt: skip
BANKS = ("bank-melli", "bank-saderat", "bank-mellat", "bank-keshavarzi", "bank-sanat-madan")

# category → the resolution's text ({who}: the firm or park; {agency}: the responsible agency).
RESOLUTION_TEXTS = {
    "banking": "مقرر شد {agency} پرونده تسهیلات {who} را حداکثر ظرف دو هفته بررسی و با رعایت "
    "مصوبات ستاد، نتیجه را کتباً به دبیرخانه اعلام کند.",
    "tax": "مقرر شد {agency} برگ تشخیص {who} را در هیئت حل اختلاف بدوی خارج از نوبت رسیدگی "
    "و تا تعیین تکلیف، از اقدامات اجرایی خودداری کند.",
    "insurance": "مقرر شد {agency} بدهی بیمه‌ای {who} را تقسیط و مفاصاحساب موقت صادر کند.",
    "customs": "مقرر شد {agency} با اخذ تعهد، محموله مواد اولیه {who} را به صورت امانی ترخیص کند.",
    "energy": "مقرر شد {agency} انشعاب {who} را طبق برنامه زمان‌بندی ستاد برقرار کند.",
    "permits": "مقرر شد {agency} استعلام‌های پروانه {who} را ظرف ده روز پاسخ دهد.",
    "land": "مقرر شد {agency} تکلیف زمین و زیرساخت {who} را در کمیسیون مربوط تعیین کند.",
    "labour": "مقرر شد {agency} با حضور کارفرما و نمایندگان کارگران {who} جلسه سازش برگزار کند.",
    "market": "مقرر شد {agency} سهمیه مواد اولیه {who} را در سامانه بازارگاه تخصیص دهد.",
    "other": "مقرر شد {agency} موضوع {who} را پیگیری و نتیجه را به جلسه بعد گزارش کند.",
}
AGENCY_OBLIGATIONS = {
    "banking": "بررسی پرونده و اعلام کتبی نتیجه پرداخت تسهیلات",
    "tax": "رسیدگی خارج از نوبت و توقف اقدامات اجرایی تا تعیین تکلیف",
    "insurance": "تقسیط بدهی و صدور مفاصاحساب موقت",
    "customs": "ترخیص امانی محموله با اخذ تعهد",
    "energy": "برقراری انشعاب طبق زمان‌بندی",
    "permits": "پاسخ به استعلام‌های صدور پروانه",
    "land": "تعیین تکلیف زمین در کمیسیون",
    "labour": "برگزاری جلسه سازش و گزارش نتیجه",
    "market": "تخصیص سهمیه مواد اولیه",
    "other": "پیگیری و گزارش نتیجه به جلسه بعد",
}
FIRM_OBLIGATIONS = (
    "ارائه صورت‌های مالی حسابرسی‌شده به بانک عامل",
    "تکمیل وثایق و تضامین مورد نیاز",
    "پرداخت آورده سهم متقاضی",
    "ارائه برنامه زمان‌بندی تسویه بدهی معوق",
    "تکمیل مدارک ثبت سفارش",
)
FOLLOW_UP = "پیگیری اجرای مصوبه و گزارش به دبیرخانه ستاد"
NOT_DONE_REASONS = (
    "واحد تولیدی مدارک لازم را ارائه نکرد.",
    "بانک عامل به دلیل نبود منابع از پرداخت خودداری کرد.",
    "اعتبار لازم در بودجه سال جاری پیش‌بینی نشده است.",
    "مجوز از مرجع ملی صادر نشد.",
)
ESCALATION_NOTES = {
    "reminder": "نامه یادآوری دبیرخانه ستاد",
    "governor_letter": "نامه استاندار به بالاترین مقام دستگاه",
    "article_62": "ارجاع پرونده به هیئت موضوع ماده ۶۲",
    "judicial_committee": "ارجاع به کمیته حمایت قضایی",
    "national_hq": "گزارش به ستاد ملی تسهیل",
    "central_bank_board": "گزارش به هیئت انتظامی بانک مرکزی",
}


@dataclass
class HqDemo:
    meetings: int = 0
    resolutions: int = 0
    clauses: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def drop_hq(province: Province) -> int:
    """Delete the province's sample meetings (with their resolutions, clauses, follow-up and
    escalation) and sample systemic issues; returns how many meetings. Runs before the sample
    obstacles are dropped: agenda items protect the obstacles they name."""
    meetings = Meeting.objects.filter(province=province, is_sample=True)
    clauses = Clause.objects.filter(resolution__meeting__in=meetings)
    # Append-only rows are removed in bulk here only because the whole sample goes.
    Article62Case.objects.filter(step__clause__in=clauses).delete()
    EscalationStep.objects.filter(clause__in=clauses).purge_sample()
    ClauseUpdate.objects.filter(clause__in=clauses).purge_sample()
    clauses.delete()
    Resolution.objects.filter(meeting__in=meetings).delete()
    AgendaItem.objects.filter(meeting__in=meetings).delete()
    SystemicIssue.objects.filter(province=province, is_sample=True).delete()
    count, _ = meetings.delete()
    return count


def meeting_dates(first: dt.date, today: dt.date, *, ahead: int = 7) -> list[dt.date]:
    """About one a month: three weeks into the year, then every 30 days, never on a Friday, up to
    and including a meeting recorded ahead of its day (within `ahead` days of today)."""
    dates = []
    day = first + dt.timedelta(days=21)
    while day <= today + dt.timedelta(days=ahead):
        d = day + dt.timedelta(days=1) if day.weekday() == FRIDAY else day
        dates.append(d)
        day += dt.timedelta(days=30)
    return dates


def _who(obstacle: Obstacle) -> str:
    if obstacle.unit_id:
        return f"واحد «{obstacle.unit.name}»"
    if obstacle.park_id:
        return f"واحدهای {obstacle.park.name}"
    return f"واحدهای بخش {obstacle.sector}" if obstacle.sector else "واحدهای تولیدی"


def build_hq(
    *,
    province: Province,
    rnd: random.Random,
    today: dt.date,
    secretariat: User,
    agencies: dict[str, Agency],
    reporters: dict[str, User] | None = None,
    obstacles: list[Obstacle] | None = None,
    first: dt.date | None = None,
) -> HqDemo:
    """The HQ's year up to `today`: meetings with their agenda, resolutions and clauses, the
    follow-up and escalation of the clauses, and two systemic issues. `obstacles` default to the
    province's sample obstacles; `first` to the first day of today's Jalali year. Earlier sample
    HQ data of the province is replaced."""
    from ronagh.lib.jalali import current_year

    reporters = reporters or {}
    first = first or year_bounds(current_year(today))[0]
    summary = HqDemo()
    with transaction.atomic():
        drop_hq(province)
        if obstacles is None:
            obstacles = list(
                Obstacle.objects.filter(province=province, is_sample=True)
                .select_related("unit", "park", "responsible_agency")
                .order_by("id")
            )
        reporter_of = {agencies[c].pk: u for c, u in reporters.items() if c in agencies}
        members = [agencies[c] for c in MEMBERS if c in agencies]
        used: set[int] = set()
        article62_done = False
        # A meeting ahead of its day only in a demo of the running year.
        ahead = 7 if today == timezone.localdate() else 0
        for n, day in enumerate(meeting_dates(first, today, ahead=ahead), start=1):
            before = [o for o in obstacles if o.registered_on < day and o.pk not in used]
            agenda = [o for o in before if o.status in OPEN]
            rnd.shuffle(agenda)
            agenda = sorted(agenda[: rnd.randint(4, 7)], key=lambda o: (-o.severity, o.pk))
            # Cases resolved since were answered by the resolutions of their time as well.
            resolved = [o for o in before if o.status == "resolved"]
            rnd.shuffle(resolved)
            answers = agenda + resolved[: rnd.randint(2, 3)]
            banks = [agencies[c] for c in BANKS if c in agencies and rnd.random() < 0.4]
            meeting = services.create_meeting(
                actor=secretariat,
                province=province,
                date=day,
                number=n,
                place=PLACES[n % len(PLACES)],
                chair=CHAIR,
                secretary=SECRETARY,
                attendees="\n".join(ATTENDEES),
                agencies=members + banks,
                obstacles=agenda,
                topics=["گزارش دبیرخانه از اجرای مصوبات جلسه قبل"] if n > 1 else [],
                is_sample=True,
            )
            summary.meetings += 1
            if day > today:
                continue  # recorded ahead of its day: no resolution yet
            for obstacle in answers[: rnd.randint(4, 6)]:
                used.add(obstacle.pk)
                story = (
                    "article_62"
                    if not article62_done and _article62_fits(obstacle, day, today)
                    else ""
                )
                article62_done = article62_done or bool(story)
                _resolution(
                    meeting,
                    obstacle,
                    rnd=rnd,
                    today=today,
                    secretariat=secretariat,
                    agencies=agencies,
                    reporter_of=reporter_of,
                    story=story,
                    summary=summary,
                )
        _systemic(province, obstacles, rnd=rnd, today=today, secretariat=secretariat)
    clauses = Clause.objects.filter(resolution__meeting__province=province)
    summary.counts = {s: clauses.filter(status=s).count() for s in Clause.Status.values}
    summary.counts["overdue"] = clauses.overdue(today).count()
    summary.counts["escalations"] = EscalationStep.objects.filter(clause__in=clauses).count()
    summary.counts["systemic"] = SystemicIssue.objects.filter(province=province).count()
    return summary


def _article62_fits(obstacle: Obstacle, day: dt.date, today: dt.date) -> bool:
    """The Article 62 story needs a bank's case old enough for the whole ladder."""
    return (
        obstacle.category == "banking"
        and obstacle.responsible_agency is not None
        and obstacle.responsible_agency.kind == Agency.Kind.BANK
        and (today - day).days >= 75
    )


def _resolution(
    meeting: Meeting,
    obstacle: Obstacle,
    *,
    rnd: random.Random,
    today: dt.date,
    secretariat: User,
    agencies: dict[str, Agency],
    reporter_of: dict[int, User],
    story: str,
    summary: HqDemo,
) -> None:
    agency = obstacle.responsible_agency or agencies.get("sanat")
    text = RESOLUTION_TEXTS.get(obstacle.category, RESOLUTION_TEXTS["other"]).format(
        agency=agency.name, who=_who(obstacle)
    )
    due = meeting.date + dt.timedelta(days=rnd.choice((14, 21, 30, 30, 45)))
    clauses = [
        {"obligation": AGENCY_OBLIGATIONS[obstacle.category], "agency": agency, "due_date": due}
    ]
    if obstacle.unit_id and (story or rnd.random() < 0.35):
        clauses.append(
            {
                "party_kind": "firm",
                "unit": obstacle.unit,
                "obligation": rnd.choice(FIRM_OBLIGATIONS),
                "due_date": meeting.date + dt.timedelta(days=rnd.choice((7, 10, 14))),
            }
        )
    if "sanat" in agencies and agency != agencies["sanat"] and rnd.random() < 0.3:
        clauses.append(
            {
                "obligation": FOLLOW_UP,
                "agency": agencies["sanat"],
                "due_date": due + dt.timedelta(7),
            }
        )
    resolution = services.add_resolution(
        actor=secretariat,
        meeting=meeting,
        text=text,
        obstacles=[obstacle],
        clauses=clauses,
        today=today,
    )
    summary.resolutions += 1
    for i, clause in enumerate(resolution.clauses.order_by("number")):
        summary.clauses += 1
        if story and i == 0:
            _article62_story(clause, rnd=rnd, today=today, secretariat=secretariat)
        else:
            _follow_up(
                clause, rnd=rnd, today=today, secretariat=secretariat, reporter_of=reporter_of
            )


def _marker(clause: Clause, secretariat: User, reporter_of: dict[int, User]) -> User:
    if clause.party_kind == Clause.Party.AGENCY and clause.agency_id in reporter_of:
        return reporter_of[clause.agency_id]
    return secretariat


def _follow_up(
    clause: Clause,
    *,
    rnd: random.Random,
    today: dt.date,
    secretariat: User,
    reporter_of: dict[int, User],
) -> None:
    """An outcome for the clause, as it would have unfolded up to `today`."""
    meeting_day = clause.resolution.meeting.date
    due = clause.due_date
    bank = clause.party_is_bank
    firm = clause.party_kind == Clause.Party.FIRM
    # Banks and firms keep their word less often: a common reason resolutions fail.
    on_time = 0.5 if bank or firm else 0.66
    roll = rnd.random()
    who = _marker(clause, secretariat, reporter_of)
    if roll < on_time:
        done = meeting_day + dt.timedelta(days=rnd.randint(1, max(1, (due - meeting_day).days)))
        if done <= today:
            services.mark_clause(actor=who, clause=clause, status="done", on=done, today=today)
        return
    if roll < on_time + 0.14:  # done late, after a reminder
        done = due + dt.timedelta(days=rnd.randint(5, 30))
        if due + dt.timedelta(days=3) < min(done, today + dt.timedelta(days=1)):
            _escalate(clause, "reminder", due + dt.timedelta(days=3), secretariat, today)
        if done <= today:
            services.mark_clause(
                actor=who, clause=clause, status="done", on=done, note="با تأخیر انجام شد.",
                today=today,
            )  # fmt: skip
        return
    if roll < on_time + 0.24:  # declared not done
        declared = due + dt.timedelta(days=rnd.randint(1, 10))
        if declared <= today:
            services.mark_clause(
                actor=who,
                clause=clause,
                status="not_done",
                on=declared,
                reason=rnd.choice(NOT_DONE_REASONS),
                today=today,
            )
            later = declared + dt.timedelta(days=5)
            if later <= today and rnd.random() < 0.5:
                _escalate(clause, "reminder", later, secretariat, today)
        return
    # Still open: overdue ones climb the ladder with time.
    ladder = [(3, "reminder"), (15, "governor_letter")]
    if not firm:
        ladder += [(40, "judicial_committee"), (70, "national_hq")]
    for after, step in ladder:
        if due + dt.timedelta(days=after) < today:
            _escalate(clause, step, due + dt.timedelta(days=after), secretariat, today)


def _escalate(clause: Clause, step: str, on: dt.date, secretariat: User, today: dt.date, **kw):
    return services.escalate(
        actor=secretariat,
        clause=clause,
        step=step,
        on=on,
        note=ESCALATION_NOTES[step],
        today=today,
        **kw,
    )


def _article62_story(
    clause: Clause, *, rnd: random.Random, today: dt.date, secretariat: User
) -> None:
    """A bank refusing finance, all the way to the Article 62 board and its opinion."""
    due = clause.due_date
    _escalate(clause, "reminder", due + dt.timedelta(days=3), secretariat, today)
    _escalate(clause, "governor_letter", due + dt.timedelta(days=14), secretariat, today)
    step = _escalate(
        clause,
        "article_62",
        due + dt.timedelta(days=30),
        secretariat,
        today,
        facility_amount=rnd.choice((35, 60, 120)) * 1_000_000_000,
        bank_reasons="نامه شعبه: نسبت بدهی به دارایی واحد بالاتر از سقف مجاز دستورالعمل "
        "اعتباری بانک است و وثیقه ملکی کافی ارائه نشده است.",
    )
    opinion_on = due + dt.timedelta(days=45)
    if opinion_on <= today:
        services.record_board_opinion(
            actor=secretariat,
            case=step.article62,
            opinion="هیئت، امتناع بانک را موجه ندانست و بانک را مکلف کرد با اخذ وثیقه "
            "قراردادی (ماشین‌آلات خط تولید) تسهیلات مصوب را پرداخت کند.",
            on=opinion_on,
            pay_by=opinion_on + dt.timedelta(days=20),
            today=today,
        )


def _systemic(
    province: Province,
    obstacles: list[Obstacle],
    *,
    rnd: random.Random,
    today: dt.date,
    secretariat: User,
) -> None:
    """Two systemic issues: banks' collateral policy (referred to the national HQ) and a customs
    (or, failing that, tax) rule (still with the province)."""

    def firms_of(category: str, limit: int) -> list[Obstacle]:
        """Obstacles of different firms in a category, the ones still standing first."""
        pool = [o for o in obstacles if o.category == category and o.unit_id]
        pool.sort(key=lambda o: (o.status not in OPEN, o.status != "referred_national", o.pk))
        seen, chosen = set(), []
        for o in pool:
            if o.status != "rejected" and o.unit_id not in seen:
                seen.add(o.unit_id)
                chosen.append(o)
        return chosen[:limit]

    banking = firms_of("banking", 6)
    if len(banking) >= 2:
        issue = services.group_systemic(
            actor=secretariat,
            province=province,
            obstacles=banking,
            title="وثیقه مازاد و سقف تسهیلات بانک‌ها برای واحدهای تولیدی",
            cause_kind="bank_policy",
            cause="بخشنامه اعتباری بانک‌ها وثیقه ملکی بیش از دو برابر مبلغ تسهیلات می‌خواهد و "
            "ماشین‌آلات و قراردادها را به عنوان وثیقه نمی‌پذیرد؛ موضوع در اختیار استان نیست.",
            is_sample=True,
        )
        services.refer_systemic(
            actor=secretariat, issue=issue, on=today, reference="1405/س/2417", today=today
        )
    second = firms_of("customs", 5)
    if len(second) < 2:
        second = firms_of("tax", 5)
    if len(second) >= 2:
        services.group_systemic(
            actor=secretariat,
            province=province,
            obstacles=second,
            title="توقف ترخیص مواد اولیه به سبب نقص ثبت سفارش در سامانه جامع تجارت",
            cause_kind="customs_rule",
            cause="دستورالعمل گمرک ترخیص امانی مواد اولیه را بدون ثبت سفارش کامل نمی‌پذیرد و "
            "آیین‌نامه‌ای برای واحدهای تولیدی دارای تعهد ارزی معوق وجود ندارد.",
            is_sample=True,
        )
