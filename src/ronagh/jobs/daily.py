"""The daily job (`ronagh remind`): a small runner that calls each app's steps in order.

The steps, each owned and tested by its app (see `notifications.daily` for their shape):

1. ``unsent_reports`` — `plans.reminders`: reporters with unsent reports;
2. ``stalled_or_critical`` — `plans.reminders`: managers of agencies with stalled or critical
   actions;
3. ``overdue_obstacles`` — `obstacles.escalations`: managers of agencies with overdue obstacles;
4. ``overdue_clauses`` — `hq.escalations`: managers of agencies with overdue HQ resolutions;
5. ``early_warning`` — `units.reminders`: units that sent no monthly report scored, preventive
   cases opened, the secretariat told;
6. ``overdue_permits`` — `units.reminders`: managers of agencies with permits past deadline;
7. ``digest`` — `reports.digest`: the secretariat's digest;
8. ``weekly_brief`` — `reports.weekly`: the governor's weekly brief, by email with the PDF
   (once a week: the first run of each week sends it).

On a day that is not a working day (Friday, a holiday; SPEC 3) the job sends nothing at all:
nobody reports on such a day, so nothing is late, and nobody wants an official SMS on a day off.
A step that fails is recorded and the others still run.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from ronagh.hq.escalations import overdue_clauses
from ronagh.lib import jalali
from ronagh.notifications.daily import Context, Step, StepResult, count_totals
from ronagh.notifications.services import Outcome
from ronagh.obstacles.escalations import overdue_obstacles
from ronagh.plans.reminders import stalled_or_critical, unsent_reports
from ronagh.reports.digest import digest
from ronagh.reports.weekly import weekly_brief
from ronagh.units.reminders import early_warning, overdue_permits

logger = logging.getLogger(__name__)

STEPS: tuple[Step, ...] = (
    Step("unsent_reports", lambda: _("Reporters with unsent reports"), unsent_reports),
    Step(
        "stalled_or_critical",
        lambda: _("Managers of agencies with stalled or critical actions"),
        stalled_or_critical,
    ),
    Step(
        "overdue_obstacles",
        lambda: _("Managers of agencies with overdue obstacles"),
        overdue_obstacles,
    ),
    Step(
        "overdue_clauses",
        lambda: _("Managers of agencies with overdue HQ resolutions"),
        overdue_clauses,
    ),
    Step("early_warning", lambda: _("Early warning of production units"), early_warning),
    Step(
        "overdue_permits",
        lambda: _("Managers of agencies with permits past their deadline"),
        overdue_permits,
    ),
    Step("digest", lambda: _("Secretariat digest"), digest),
    Step("weekly_brief", lambda: _("The governor's weekly brief"), weekly_brief),
)


@dataclass
class RunSummary:
    today: dt.date
    working_day: bool
    dry_run: bool
    steps: list[StepResult] = field(default_factory=list)

    @property
    def outcome(self) -> Outcome:
        total = Outcome()
        for step in self.steps:
            total.add(step.outcome)
        return total

    @property
    def errors(self) -> list[StepResult]:
        return [s for s in self.steps if s.error]

    def counts(self) -> dict[str, dict[str, int]]:
        """{step code: {messages, people, in_app, email, sms, failed, duplicates}} and "total"."""
        out = {s.code: s.counts() for s in self.steps}
        out["total"] = count_totals(self.steps)
        return out


def _write(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text + "\n")  # a command's OutputWrapper does not double the newline


def describe(step: StepResult, *, dry_run: bool) -> list[str]:
    """The summary lines of one step, in the site's language."""
    c = {k: str(v) for k, v in step.counts().items()} | {"label": step.label}
    if step.error:
        lines = [_("%(label)s: failed: %(error)s") % {"label": step.label, "error": step.error}]
    elif dry_run:
        lines = [_("%(label)s: %(messages)s messages to %(people)s people would be sent.") % c]
        for m in step.messages:
            names = [u.username for u in m.recipients]
            shown = ", ".join(names[:5]) + (" …" if len(names) > 5 else "")
            lines.append(f"  → {shown}: {m.title}")
    else:
        lines = [
            _(
                "%(label)s: %(messages)s messages to %(people)s people — in the app %(in_app)s, "
                "email %(email)s, SMS %(sms)s, Bale %(bale)s; sent before %(duplicates)s; "
                "failed %(failed)s."
            )
            % c
        ]
    if step.note:
        lines.append(f"  {step.note}")
    return lines


def run_daily(
    *,
    today: dt.date,
    stdout=None,
    dry_run: bool = False,
    steps: tuple[Step, ...] = STEPS,
    progress=None,
) -> RunSummary:
    """Run every step for `today` and send what they ask for (nothing on a dry run); a line per
    step goes to `stdout` when given, and `progress(done, total)` (a console bar) is told after
    each step. Returns the summary with counts per step."""
    with translation.override(settings.LANGUAGE_CODE):
        ctx = Context(today)
        summary = RunSummary(
            today=today, working_day=ctx.calendar.is_working(today), dry_run=dry_run
        )
        if not summary.working_day:
            _write(
                stdout,
                _("%(date)s is not a working day: nobody is reminded.")
                % {"date": jalali.format_date(today)},
            )
            return summary
        for step in steps:
            result = StepResult(code=step.code, label=step.label())
            try:
                step.run(ctx, result)
                if not dry_run:
                    for message in result.messages:
                        result.outcome.add(message.send())
            except Exception as exc:  # one broken step must not stop the others
                logger.exception("remind: step %s failed", step.code)
                result.error = str(exc) or exc.__class__.__name__
            summary.steps.append(result)
            if progress is not None:
                progress(len(summary.steps), len(steps))
            for line in describe(result, dry_run=dry_run):
                _write(stdout, line)
    return summary
