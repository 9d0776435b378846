"""A small province for the reports: one diligent agency, one under-performing one, one whose
name looks like a spreadsheet formula; and helpers to read a PDF as a reader would."""

import datetime as dt
import io
import re
import unicodedata
from decimal import Decimal
from types import SimpleNamespace

import pypdf
import pytest
from django.utils import translation
from django.utils.translation import gettext

from ronagh.core.calendar import working_calendar
from ronagh.core.models import User
from ronagh.lib.digits import to_latin
from ronagh.lib.text import squash
from ronagh.plans.services import communicate_plan
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AxisFactory,
    PlanFactory,
    UserFactory,
    add_report,
    secretariat,
)

AS_OF = dt.date(2026, 7, 15)  # 1405/04/24, a Wednesday
AS_OF_TEXT = "1405/04/24"
START = dt.date(2026, 4, 1)  # 1405/01/12
END = dt.date(2026, 12, 31)  # 1405/10/10
INDUSTRY = "سازمان صنعت، معدن و تجارت استان قم"
TAX = "اداره کل امور مالیاتی استان قم"
FORMULA = '=HYPERLINK("http://example.invalid","x")'


def planned_linear(d: dt.date, start: dt.date = START, end: dt.date = END) -> float:
    """SPEC 4.3, linear by calendar days."""
    if d < start:
        return 0.0
    if d >= end:
        return 100.0
    return 100 * (d - start).days / (end - start).days


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The default hasher takes most of a second per user; these tests only log users in.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    """Plan 1405 of Qom, communicated on 1405/01/11. Industry reports its one action every
    working day on schedule; Tax never reports on T-1 (ended 1405/04/09: stalled) and reports
    5 % on T-2 once (critical): grade D."""
    sec = secretariat(username="dabir")
    industry = AgencyFactory(name=INDUSTRY)
    tax = AgencyFactory(name=TAX)
    formula = AgencyFactory(name=FORMULA)
    plan = PlanFactory(title="برنامه رونق تولید استان قم ۱۴۰۵")
    ax1 = AxisFactory(plan=plan, number=1, title="بهبود محیط کسب‌وکار")
    ax2 = AxisFactory(plan=plan, number=2, title="تأمین مالی واحدهای تولیدی")
    s1 = ActionFactory(
        axis=ax1, code="S-1", title="ساماندهی شهرک‌های صنعتی", lead_agency=industry,
        start=START, end=END,
    )  # fmt: skip
    t1 = ActionFactory(
        axis=ax2, code="T-1", title="استرداد مالیات صادرکنندگان", lead_agency=tax,
        start=START, end=dt.date(2026, 6, 30),
    )  # fmt: skip
    t2 = ActionFactory(
        axis=ax2, code="T-2", title="تقسیط بدهی مالیاتی واحدهای تولیدی", lead_agency=tax,
        start=START, end=END,
    )  # fmt: skip
    communicate_plan(actor=sec, plan=plan, today=dt.date(2026, 3, 31))
    for d in working_calendar().working_days(START, AS_OF):
        add_report(s1, d, Decimal(str(round(planned_linear(d), 1))), user=sec)
    add_report(t2, dt.date(2026, 7, 12), 5, user=sec)
    plan.refresh_from_db()
    return SimpleNamespace(
        plan=plan, sec=sec, industry=industry, tax=tax, formula=formula, s1=s1, t1=t1, t2=t2
    )


@pytest.fixture
def users(world):
    return SimpleNamespace(
        secretariat=world.sec,
        governor=UserFactory(role=User.Role.GOVERNOR),
        auditor=UserFactory(role=User.Role.AUDITOR),
        reporter=UserFactory(
            role=User.Role.AGENCY_REPORTER, agency=world.industry, province=world.industry.province
        ),
        manager=UserFactory(
            role=User.Role.AGENCY_MANAGER, agency=world.tax, province=world.tax.province
        ),
    )


def fa(msgid: str) -> str:
    """A message as a Persian reader reads it (the English msgid until it is translated)."""
    with translation.override("fa"):
        return gettext(msgid)


def pdf_text(data: bytes) -> str:
    """Every page's text, presentation forms folded back to letters (NFKC)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return unicodedata.normalize("NFKC", "\n".join(p.extract_text() for p in reader.pages))


def pdf_pages(data: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


def page_texts(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [unicodedata.normalize("NFKC", p.extract_text()) for p in reader.pages]


def has(text: str, needle: str) -> bool:
    """Whether the PDF text holds the words, whatever the spacing, ZWNJ, ی/ک, and whether the
    extractor wrote a right-to-left run in logical or in visual order."""
    t, n = _fold(text), _fold(needle)
    return n in t or n[::-1] in t


def _fold(text: str) -> str:
    # Sentence punctuation of a left-to-right message in a right-to-left paragraph may come
    # out at the other end of the line.
    return _PUNCTUATION.sub("", squash(unicodedata.normalize("NFKC", text)))


_PUNCTUATION = re.compile(r"[.,:;!?()«»“”\"'·،؛]")


def has_words(text: str, phrase: str) -> bool:
    """Every word of the phrase is there (a mixed Persian-and-digits run may come out of the
    extractor with its parts in another order)."""
    return all(has(text, word) for word in phrase.split())


GREGORIAN_MONTHS = re.compile(
    r"\b(January|February|March|April|June|July|August|September|October|November|December)\b"
)


def gregorian_dates(text: str) -> list[str]:
    """Anything that looks like a Gregorian date or year (2000–2099) in any digits, read either
    way round."""
    found = []
    for t in (to_latin(text), to_latin(text)[::-1]):
        found += re.findall(r"(?<!\d)20\d\d(?!\d)", t)
        found += re.findall(r"\d{4}-\d{1,2}-\d{1,2}", t)
    found += GREGORIAN_MONTHS.findall(text)
    return found
