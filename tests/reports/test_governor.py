"""The governor's one page: his landing page (and the secretariat's), its figures against
hand-computed ones for the small province of conftest.py, the as-of date on every panel, the
weekly brief PDF agreeing with it figure for figure, and the weekly sending by `ronagh remind`."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from ronagh.hq.models import Clause, Meeting, Resolution
from ronagh.lib.digits import to_latin, to_persian
from ronagh.notifications.daily import Context, StepResult
from ronagh.notifications.models import Notification
from ronagh.obstacles.models import Obstacle
from ronagh.reports import brief, governor
from ronagh.reports.weekly import week_of, weekly_brief

from .conftest import AS_OF, AS_OF_TEXT, TAX, has, pdf_pages, pdf_text, planned_linear

pytestmark = pytest.mark.django_db

WEEK_AGO = AS_OF - dt.timedelta(days=7)


def page(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("reports:governor"), params)
    assert response.status_code == 200
    return response.content.decode()


def figure(html: str, name: str) -> list[str]:
    """The text of every element marked data-figure=name: tags and percent signs stripped,
    digits Latin ('49.9')."""
    found = re.findall(rf'data-figure="{name}"[^>]*>(.*?)</(?:div|td|span)>', html, re.S)
    return [to_latin(re.sub(r"<[^>]+>|[٪%]", "", f)).strip() for f in found]


def overdue_obstacle(world, due=dt.date(2026, 7, 8)):
    return Obstacle.objects.create(
        province=world.plan.province, category="banking", title="امتناع بانک از تمدید تسهیلات",
        severity=4, responsible_agency=world.tax, status="assigned", jobs_affected=120,
        assigned_on=due - dt.timedelta(days=7), due_date=due, registered_by=world.sec,
        registered_on=due - dt.timedelta(days=7),
    )  # fmt: skip


def hq_clauses(world):
    """Two clauses of Tax due 1405/04/10 (2026-07-01): one done on time, one still open."""
    meeting = Meeting.objects.create(
        province=world.plan.province, number=1, date=dt.date(2026, 6, 20), created_by=world.sec
    )
    resolution = Resolution.objects.create(
        meeting=meeting, number=1, text="پرداخت استرداد", created_by=world.sec
    )
    due = dt.date(2026, 7, 1)
    done = Clause.objects.create(
        resolution=resolution, number=1, agency=world.tax, obligation="پرداخت", due_date=due,
        status="done", done_on=dt.date(2026, 6, 28), created_by=world.sec,
    )  # fmt: skip
    late = Clause.objects.create(
        resolution=resolution, number=2, agency=world.tax, obligation="تقسیط", due_date=due,
        created_by=world.sec,
    )  # fmt: skip
    return done, late


def test_the_governor_and_the_secretariat_land_on_it(client, users):
    for user in (users.governor, users.secretariat):
        client.force_login(user)
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response["Location"] == reverse("reports:governor")


def test_agency_users_may_not_open_it(client, users):
    for user in (users.reporter, users.manager):
        client.force_login(user)
        assert client.get(reverse("reports:governor")).status_code == 403


def test_its_figures_are_the_hand_computed_ones(world):
    """Effective weights S-1 ½, T-1 ¼, T-2 ¼ (two axes of weight 1). On 1405/04/24 S-1 is on
    schedule (reported at its planned value, to a tenth), T-1 (ended) has no report, T-2 has 5.
    Tax's progress component: T-1 costs 100 · ¼ · (1 − 0) / ½ = 50 points, T-2 costs
    100 · ¼ · (1 − 5/P) / ½; together 100 − progress."""
    with translation.override("fa"):
        o = governor.build(plan=world.plan, as_of=AS_OF)
    p = planned_linear(AS_OF)
    assert o.total.planned == pytest.approx(0.5 * p + 0.25 * 100 + 0.25 * p)
    assert o.total.actual == pytest.approx(0.5 * round(p, 1) + 0.25 * 5)
    p_before = planned_linear(WEEK_AGO)
    assert o.week_before.actual == pytest.approx(0.5 * round(p_before, 1))
    assert o.planned_change == pytest.approx(0.75 * (p - p_before))
    assert o.gap_change == pytest.approx(o.total.gap - o.week_before.gap)

    (tax,) = o.underperformers
    assert tax.agency == world.tax and tax.card.grade == "D"
    losses = {c.action.code: c.loss for c in tax.costly}
    assert losses["T-1"] == pytest.approx(50)
    assert losses["T-2"] == pytest.approx(50 * (1 - 5 / p))
    assert [c.action.code for c in tax.costly] == ["T-1", "T-2"]  # the costliest first
    assert sum(losses.values()) == pytest.approx(tax.progress_lost)
    # its score points: progress weighs 0.60 of 0.85 (no obstacle was due)
    assert tax.costly[0].score_loss == pytest.approx(50 * 0.60 / 0.85)
    assert tax.card.missed_reports > 0 and tax.overdue_clauses == []
    ranked = [s.agency for s in o.ranked]
    assert ranked[0] == world.industry and ranked[-1] == world.tax  # by score, best first
    assert o.execution.due == 0 and o.execution_percent is None
    assert o.jobs_at_risk is None  # no made-up number before the units register is wired


def test_overdue_obstacles_and_clauses_and_the_execution_rate(world):
    overdue_obstacle(world)
    done, late = hq_clauses(world)
    o = governor.build(plan=world.plan, as_of=AS_OF)
    assert o.obstacles_overdue == 1 and o.obstacles_open == 1
    assert o.oldest_overdue[0]["days_overdue"] == (AS_OF - dt.date(2026, 7, 8)).days
    assert o.execution.due == 2 and o.execution.on_time == 1
    assert o.execution_percent == pytest.approx(50)
    (tax,) = o.underperformers
    assert tax.overdue_clauses == [late]
    assert [ob.title for ob in tax.card.overdue_obstacles] == ["امتناع بانک از تمدید تسهیلات"]


def test_every_panel_follows_the_as_of_date(client, users, world):
    overdue_obstacle(world)  # due 1405/04/17: not yet overdue on 1405/04/10
    html = page(client, users.governor, as_of="۱۴۰۵/۰۴/۱۰")
    early = governor.build(plan=world.plan, as_of=dt.date(2026, 7, 1))
    assert figure(html, "planned") == [f"{early.total.planned:.1f}"]
    assert figure(html, "obstacles-overdue") == ["0"]
    assert "۱۴۰۵" in html and "۱۰ تیر ۱۴۰۵" in html  # the page says which date
    html = page(client, users.governor, as_of=AS_OF_TEXT)
    assert figure(html, "obstacles-overdue") == ["1"]


def test_the_page_shows_persian_figures_and_why_tax_is_graded_d(client, users, world):
    html = page(client, users.governor, as_of=AS_OF_TEXT)
    o = governor.build(plan=world.plan, as_of=AS_OF)
    assert to_persian(f"{o.total.actual:.1f}".replace(".", "٫")) in html
    assert TAX in html and "T-1" in html  # a code with Latin letters stays as typed
    assert figure(html, "loss")[0] == "50"
    assert 'data-figure="jobs-at-risk"' not in html
    assert "·" not in re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S)


def test_the_weekly_brief_agrees_with_the_page_figure_for_figure(client, users, world):
    overdue_obstacle(world)
    hq_clauses(world)
    html = page(client, users.governor, as_of=AS_OF_TEXT)
    with translation.override("fa"):
        data = brief.to_pdf(brief.build(plan=world.plan, as_of=AS_OF))
    text = pdf_text(data)
    assert pdf_pages(data) == 1
    names = ["planned", "actual", "gap", "planned-change", "actual-change", "gap-change",
             "grade-d", "obstacles-overdue", "execution-rate", "score", "loss"]  # fmt: skip
    for name in names:
        values = figure(html, name)
        assert values, name
        for value in values:
            if value == "—":  # an agency with no score yet: listed on the page only
                continue
            shown = to_persian(value.replace(".", "٫"))
            assert has(text, shown), (name, value)


def test_remind_sends_the_brief_to_the_governor_once_a_week_with_the_pdf(users, world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    users.governor.email = "ostandar@example.ir"
    users.governor.save()
    saturday = week_of(AS_OF)
    assert saturday.weekday() == 5 and saturday <= AS_OF
    for day in (saturday, saturday + dt.timedelta(days=2)):  # two runs in one week
        ctx, result = Context(day), StepResult("weekly_brief", "x")
        weekly_brief(ctx, result)
        for message in result.messages:
            message.send()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    (name, content, mimetype) = email.attachments[0]
    assert mimetype == "application/pdf" and name.startswith("brief-qom-")
    assert pdf_pages(content) == 1
    note = Notification.objects.get(recipient=users.governor, kind="weekly_brief")
    assert note.link == f"{reverse('reports:governor')}?plan={world.plan.pk}"
    assert TAX in note.body  # the grade-D agency named
    # the next week, the next brief
    ctx, result = Context(saturday + dt.timedelta(days=7)), StepResult("weekly_brief", "x")
    weekly_brief(ctx, result)
    for message in result.messages:
        message.send()
    assert len(mail.outbox) == 2


def test_jobs_at_risk_come_from_the_units_register_as_of_the_date(world):
    """SPEC 6: the employees of the medium- and high-risk units of the newest month scored by the
    date; a closed unit and a low-risk one count nowhere, a later month not yet."""
    from ronagh.lib import national_id
    from ronagh.units.models import ProductionUnit, RiskScore
    from ronagh.units.services.warning import active_model

    model = active_model(None)
    month = dt.date(AS_OF.year, AS_OF.month, 1) - dt.timedelta(days=40)
    later = AS_OF + dt.timedelta(days=40)

    def unit(serial, employees, level, status="active", when=month):
        u = ProductionUnit.objects.create(
            province=world.plan.province, name=f"واحد {serial}", employees=employees,
            national_id=national_id.make(f"10100{serial:05d}"), status=status,
        )  # fmt: skip
        RiskScore.objects.create(unit=u, month=when, score=50, level=level, model=model)
        return u

    unit(1, 120, "high")
    unit(2, 30, "medium")
    unit(3, 500, "low")
    unit(4, 80, "high", status=ProductionUnit.Status.CLOSED)
    RiskScore.objects.create(
        unit=unit(5, 7, "low"), month=later, score=90, level="high", model=model
    )
    o = governor.build(plan=world.plan, as_of=AS_OF)
    assert o.jobs_at_risk == {"units": 2, "jobs": 150, "month": month}
