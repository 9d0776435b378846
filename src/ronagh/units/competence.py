"""The competence score of a permit application (seed: permits only for competent managers), a
pure function (no Django). It is **advice** shown beside the file, never a decision: the officer
decides and records why.

Out of 100:
- education of the managing director: none 0, diploma 5, associate 8, bachelor 12, master or
  doctorate 15 (at most 15);
- years of relevant experience: 2.5 points a year, up to 10 years (at most 25);
- earlier failed units: none 15, one 7, two or more 0 (at most 15);
- own capital against the project's cost: 30 points at half the cost or more, in proportion
  below it (at most 30);
- a business plan: 15.
The reasons list every part with its points, the weakest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

EDUCATION_POINTS = {
    "none": 0,
    "diploma": 5,
    "associate": 8,
    "bachelor": 12,
    "master": 15,
    "doctorate": 15,
}
MAXIMA = {"education": 15, "experience": 25, "failures": 15, "capital": 30, "business_plan": 15}
STRONG, REVIEW = 70, 50


@dataclass(frozen=True)
class Part:
    code: str
    points: float
    maximum: float
    value: object  # what the applicant gave (for the reason's text)


@dataclass(frozen=True)
class Competence:
    score: float
    parts: tuple[Part, ...]  # the weakest (largest shortfall) first

    @property
    def advice(self) -> str:
        """strong (≥ 70), review (≥ 50) or weak: advice, never a refusal."""
        if self.score >= STRONG:
            return "strong"
        return "review" if self.score >= REVIEW else "weak"


def competence(
    *,
    education: str,
    experience_years: float,
    failed_units: int,
    own_capital: Decimal | float,
    project_cost: Decimal | float,
    business_plan: bool,
) -> Competence:
    share = float(own_capital) / float(project_cost) if float(project_cost) > 0 else 0.0
    parts = [
        Part("education", EDUCATION_POINTS.get(education, 0), MAXIMA["education"], education),
        Part(
            "experience",
            2.5 * min(max(float(experience_years), 0.0), 10.0),
            MAXIMA["experience"],
            experience_years,
        ),
        Part(
            "failures",
            15 if failed_units <= 0 else 7 if failed_units == 1 else 0,
            MAXIMA["failures"],
            failed_units,
        ),
        Part(
            "capital",
            round(30 * min(max(share, 0.0), 0.5) / 0.5, 1),
            MAXIMA["capital"],
            round(share * 100, 1),
        ),
        Part("business_plan", 15 if business_plan else 0, MAXIMA["business_plan"], business_plan),
    ]
    total = round(sum(p.points for p in parts), 1)
    ordered = sorted(parts, key=lambda p: (-(p.maximum - p.points), p.code))
    return Competence(score=total, parts=tuple(ordered))
