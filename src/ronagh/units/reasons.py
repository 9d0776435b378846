"""The reasons of a risk score in words (SPEC 6: "the reasons that drive it in Persian"): each
is one bin that scored, with the value that put the unit there and the points it adds."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ronagh.core.i18n import local_number, pct_sign

from .risk import Contribution


def feature_labels() -> dict[str, str]:
    return {
        "utilisation_gap": _("Capacity utilisation"),
        "tax_overdue": _("Overdue tax"),
        "insurance_overdue": _("Overdue insurance premium"),
        "bank_overdue": _("Overdue bank instalments"),
        "bounced_cheques": _("Bounced cheques in three months"),
        "utility_cutoffs": _("Utility cut-offs in three months"),
        "staff_fall_3": _("Fall in staff over three months"),
        "staff_fall_12": _("Fall in staff over twelve months"),
        "sales_fall_3": _("Fall in sales over three months"),
        "sales_fall_12": _("Fall in sales over twelve months"),
        "missing_reports": _("Monthly report missing"),
    }


def value_text(feature: str, value: float) -> str:
    n = local_number(value, 0)
    if feature == "utilisation_gap":
        return _("only %(value)s%(pct)s") % {
            "value": local_number(100 - value, 0),
            "pct": pct_sign(),
        }
    if feature.endswith("_overdue"):
        return _("%(n)s months") % {"n": n}
    if feature.startswith(("staff_fall", "sales_fall")):
        return f"{n}{pct_sign()}"
    if feature == "missing_reports":
        return _("%(n)s months in a row") % {"n": n}
    return n


def reason_text(c: Contribution | dict) -> str:
    """'Overdue bank instalments: 6 months (+22 points)'."""
    if isinstance(c, dict):
        feature, value, points = c["feature"], c["value"], c["points"]
    else:
        feature, value, points = c.feature, c.value, c.points
    return _("%(label)s: %(value)s (+%(points)s points)") % {
        "label": feature_labels().get(feature, feature),
        "value": value_text(feature, value),
        "points": local_number(points, 0),
    }


def reasons(contributions: list[dict], n: int = 3) -> list[str]:
    """The texts of the bins that scored most (contributions are stored most points first)."""
    return [reason_text(c) for c in contributions[:n]]
