"""ronagh backtest [--json] [--province CODE] [--save]"""

import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ronagh.core import console
from ronagh.units import backtest
from ronagh.units.models import ProductionUnit
from ronagh.units.selectors import backtest_histories
from ronagh.units.services import adopt_table


class Command(console.Command):
    help = (
        "The honest out-of-time backtest of the early warning (SPEC 6): the model beside the "
        "rule 'any arrears >= 3 months'; --save re-fits the table on the whole history and "
        "adopts it as a new version."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--province", help="province code (default: every unit)")
        parser.add_argument(
            "--save", action="store_true", help="re-fit on all the history and adopt the table"
        )

    def handle(self, *args, **opts):
        province = console.province_from_code(opts["province"]) if opts["province"] else None
        units = ProductionUnit.objects.all()
        if province is not None:
            units = units.filter(province=province)
        if not opts["json"]:
            self.stderr.write(_("Reading the indicators…"))
        histories = backtest_histories(units)
        bar = self.bar(_("Scoring"))
        try:
            result = backtest.run(
                histories,
                horizon=self._settings()["HORIZON_MONTHS"],
                budget=self._settings()["ALERT_BUDGET"],
                progress=bar,
            )
        except backtest.NotEnoughHistory as exc:
            raise CommandError(_("The backtest cannot run: %(reason)s.") % {"reason": exc}) from exc
        finally:
            bar.finish()
        if opts["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            self._report(result)
        if opts["save"]:
            table = backtest.fit_all(histories, horizon=result.split.horizon)
            model = adopt_table(
                actor=None,
                province=province,
                table=table,
                metrics=result.as_json(),
                note=_("Re-fitted with ronagh backtest --save."),
            )
            self.stderr.write(
                _("The re-fitted table is version %(v)s; months scored from now on use it.")
                % {"v": model.version}
            )

    def _settings(self):
        from django.conf import settings

        return settings.RONAGH_EARLY_WARNING

    def _report(self, r: backtest.Result) -> None:
        s = r.split
        self.stdout.write(
            _(
                "%(units)s units, %(months)s months; horizon %(h)s months. Fitted on months "
                "%(a)s–%(b)s (%(rows)s rows, %(pos)s went on to distress), gap %(c)s–%(d)s, "
                "tested on months %(e)s–%(f)s (%(test)s rows, %(tpos)s positive, %(events)s "
                "distress events, %(lead)s of them 6 or more months into the test)."
            )
            % {
                "units": r.units,
                "months": s.months,
                "h": s.horizon,
                "a": s.train[0] + 1,
                "b": s.train[1] + 1,
                "rows": r.train_rows,
                "pos": r.train_positives,
                "c": s.gap[0] + 1,
                "d": s.gap[1] + 1,
                "e": s.test[0] + 1,
                "f": s.test[1] + 1,
                "test": r.test_rows,
                "tpos": r.test_positives,
                "events": r.test_events,
                "lead": r.lead_events,
            }
        )
        labels = {
            "auc": "AUC",
            "precision": _("precision at the alert budget"),
            "recall": _("recall at the alert budget"),
            "recall_lead_6": _("recall 6+ months ahead"),
            "alerts_per_month": _("alerts per month"),
            "false_alarms_per_month": _("false alarms per month"),
        }
        model, rule = r.model.as_dict(), r.rule.as_dict()
        width = max(len(v) for v in labels.values())
        head_model, head_rule = _("model"), _("rule")
        self.stdout.write(f"{'':{width}}  {head_model:>8}  {head_rule:>8}")
        for key, label in labels.items():
            a = "—" if model[key] is None else f"{model[key]:.3f}"
            b = "—" if rule[key] is None else f"{rule[key]:.3f}"
            self.stdout.write(f"{label:{width}}  {a:>8}  {b:>8}")
