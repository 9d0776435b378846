"""factory_boy factories shared by the test suite."""

import datetime as dt

import factory

from ronagh.core.models import Agency, Province, User
from ronagh.core.services import ensure_provinces
from ronagh.plans.models import Action, Axis, Plan, ProgressReport

# A fixed plan year for tests: Jalali 1405 = 2026-03-21 … 2027-03-20.
YEAR = 1405
YEAR_START = dt.date(2026, 3, 21)
YEAR_END = dt.date(2027, 3, 20)


def qom() -> Province:
    ensure_provinces()  # a transactional (browser) test empties the tables behind it
    return Province.objects.get(code="qom")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    province = factory.LazyFunction(qom)
    name = factory.Sequence(lambda n: f"دستگاه آزمایشی {n}")
    kind = Agency.Kind.OTHER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = User.Role.SECRETARIAT
    province = factory.LazyFunction(qom)
    password = factory.PostGenerationMethodCall("set_password", "pass-1234")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def secretariat(**kw) -> User:
    kw.setdefault("is_staff", True)  # as services.add_user makes them
    return UserFactory(role=User.Role.SECRETARIAT, **kw)


def reporter(agency: Agency, **kw) -> User:
    return UserFactory(
        role=User.Role.AGENCY_REPORTER, agency=agency, province=agency.province, **kw
    )


def manager(agency: Agency, **kw) -> User:
    return UserFactory(role=User.Role.AGENCY_MANAGER, agency=agency, province=agency.province, **kw)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    province = factory.LazyFunction(qom)
    year = YEAR
    title = "برنامه رونق تولید ۱۴۰۵"
    status = Plan.Status.DRAFT


class AxisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Axis

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"محور {n + 1}")
    weight = 1


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    axis = factory.SubFactory(AxisFactory)
    plan = factory.LazyAttribute(lambda o: o.axis.plan)
    code = factory.Sequence(lambda n: f"A{n + 1:03d}")
    title = factory.Sequence(lambda n: f"اقدام {n + 1}")
    lead_agency = factory.SubFactory(AgencyFactory)
    weight = 1
    start = dt.date(2026, 4, 1)
    end = dt.date(2026, 12, 31)
    indicator = "درصد پیشرفت"
    target = 100
    unit = "درصد"


def communicated(plan: Plan, on: dt.date = YEAR_START) -> Plan:
    """Mark a plan communicated without the quality check (for tests of progress rules)."""
    plan.status = Plan.Status.COMMUNICATED
    plan.communicated_on = on
    plan.save()
    return plan


def add_report(
    action: Action, date: dt.date, percent, user: User | None = None, **kw
) -> ProgressReport:
    """A report written straight to the table (tests of the rules that read reports)."""
    user = user or UserFactory(role=User.Role.SECRETARIAT)
    return ProgressReport.objects.create(
        action=action, agency=action.lead_agency, date=date, percent=percent, entered_by=user, **kw
    )
