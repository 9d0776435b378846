"""The demo's industrial parks, production units and about 200 obstacles of the year (SPEC 8).

Every obstacle is registered and moved through ronagh.obstacles.services, back-dated with `at`:
routed by the table or by name, some re-routed (bounced), worked on, resolved on time or late,
some referred to the national HQ or rejected, some still open and overdue. Deterministic for a
given `rnd` and `today`."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from ronagh.core.models import Agency, County, Province, User
from ronagh.lib import national_id
from ronagh.lib.jalali import year_bounds
from ronagh.obstacles import routing, services
from ronagh.obstacles.models import Obstacle, RoutingRule, Status, Transition
from ronagh.plans.models import Action, Plan
from ronagh.units.models import IndustrialPark, ProductionUnit

# (name, county) — the demo's industrial parks and zones of Qom.
PARKS = (
    ("شهرک صنعتی شکوهیه", "قم"),
    ("شهرک صنعتی محمودآباد", "قم"),
    ("شهرک صنعتی سلفچگان", "سلفچگان"),
    ("شهرک صنعتی رازی", "قم"),
    ("ناحیه صنعتی قنوات", "قم"),
    ("ناحیه صنعتی دستجرد", "قم"),
    ("ناحیه صنعتی کهک", "کهک"),
    ("ناحیه صنعتی جعفرآباد", "جعفرآباد"),
    ("ناحیه صنعتی طغرود", "کهک"),
    ("شهرک تخصصی سنگ قم", "قم"),
)

# sector → (products for unit names)
SECTORS = {
    "صنایع غذایی": ("صنایع غذایی", "لبنیات", "شیرینی و شکلات", "نان صنعتی"),
    "شیمیایی و پلاستیک": ("پلاستیک", "رنگ و رزین", "شوینده", "لوله و اتصالات"),
    "فلزی و ماشین‌سازی": ("ماشین‌سازی", "قطعه‌سازی", "ریخته‌گری", "سازه‌های فلزی"),
    "کانی غیرفلزی و سنگ": ("سنگ‌بری", "کاشی و سرامیک", "آجر و مصالح"),
    "نساجی و پوشاک": ("نساجی", "پوشاک", "فرش ماشینی"),
    "چاپ و نشر": ("چاپ و بسته‌بندی", "نشر و کتاب"),
    "برق و الکترونیک": ("کابل و سیم", "تابلو برق", "لوازم الکترونیکی"),
    "دارویی و بهداشتی": ("داروسازی", "تجهیزات پزشکی", "محصولات بهداشتی"),
}
BRANDS = (
    "آریا", "پارس", "کوثر", "سپهر", "نگین", "البرز", "مهر", "سپید", "آسیا", "زاگرس", "فجر",
    "ارغوان", "نوین", "پویا", "ستاره", "کیمیا", "بهار", "دنا", "افق", "تابان",
)  # fmt: skip

# category → (title, description) templates; {unit} names who faces it.
TITLES = {
    "banking": (
        ("امتناع بانک از پرداخت تسهیلات سرمایه در گردش",
         "بانک عامل با وجود معرفی ستاد، پرونده تسهیلات سرمایه در گردش {unit} را بدون ذکر دلیل "
         "کتبی متوقف کرده است."),
        ("درخواست وثیقه مازاد برای تمدید تسهیلات",
         "برای تمدید تسهیلات {unit} وثیقه‌ای بیش از دو برابر مبلغ تسهیلات خواسته شده است."),
        ("تأخیر در گشایش اعتبار اسنادی برای واردات مواد اولیه",
         "گشایش اعتبار اسنادی {unit} بیش از دو ماه در صف مانده است."),
        ("عدم تقسیط بدهی معوق بانکی با وجود مصوبه ستاد",
         "شعبه بانک مصوبه ستاد درباره تقسیط بدهی معوق {unit} را اجرا نمی‌کند."),
        ("مسدود شدن حساب واحد به دلیل بدهی ضامن",
         "حساب جاری {unit} به سبب بدهی یکی از ضامنان مسدود شده و پرداخت حقوق متوقف است."),
    ),
    "tax": (
        ("اختلاف در برگ تشخیص مالیات عملکرد",
         "برگ تشخیص مالیات عملکرد {unit} علی‌الرأس و چند برابر سال قبل صادر شده است."),
        ("جریمه دیرکرد مالیات بر ارزش افزوده با وجود بخشودگی",
         "با وجود بخشنامه بخشودگی، جرائم ارزش افزوده {unit} مطالبه می‌شود."),
        ("عدم استرداد اعتبار مالیات بر ارزش افزوده صادرات",
         "اعتبار مالیاتی صادرات {unit} پس از شش ماه مسترد نشده است."),
    ),
    "insurance": (
        ("بدهی حق بیمه مانع صدور مفاصاحساب",
         "بدهی معوق حق بیمه، صدور مفاصاحساب و شرکت {unit} در مناقصه را ناممکن کرده است."),
        ("اختلاف در محاسبه حق بیمه قرارداد پیمانکاری",
         "حق بیمه قراردادهای پیمانکاری {unit} با ضریب نادرست محاسبه شده است."),
        ("توقیف حساب به سبب بدهی بیمه‌ای",
         "درخواست تقسیط بدهی بیمه‌ای {unit} پذیرفته نشده و حساب‌ها توقیف شده است."),
    ),
    "customs": (
        ("توقف ترخیص مواد اولیه وارداتی در گمرک",
         "محموله مواد اولیه {unit} به سبب نقص مدارک ثبت سفارش در گمرک مانده است."),
        ("تأخیر ترخیص قطعات یدکی ماشین‌آلات",
         "قطعات یدکی خط تولید {unit} بیش از سه هفته در انتظار ترخیص است."),
        ("اختلاف در تعرفه گمرکی مواد اولیه",
         "گمرک برای مواد اولیه {unit} تعرفه کالای نهایی را اعمال کرده است."),
    ),
    "energy": (
        ("قطعی مکرر برق در ساعات اوج مصرف",
         "خاموشی‌های برنامه‌ریزی‌نشده، خط تولید {unit} را روزانه چند ساعت متوقف می‌کند."),
        ("محدودیت سهمیه گاز در فصل سرما",
         "سهمیه گاز {unit} در زمستان به نصف کاهش یافته است."),
        ("تأخیر در افزایش قدرت انشعاب برق",
         "درخواست افزایش قدرت انشعاب {unit} با وجود پرداخت هزینه، اجرا نشده است."),
        ("کمبود فشار آب صنعتی",
         "فشار آب صنعتی در {unit} برای خطوط خنک‌کاری کافی نیست."),
    ),
    "permits": (
        ("تأخیر در صدور پروانه بهره‌برداری",
         "پرونده پروانه بهره‌برداری {unit} بیش از مهلت قانونی در کارتابل مانده است."),
        ("استعلام محیط زیست بیش از مهلت قانونی",
         "پاسخ استعلام محیط زیست برای توسعه {unit} داده نشده است."),
        ("تأخیر در صدور پروانه بهداشتی محصول",
         "پروانه ساخت و بهداشت محصول جدید {unit} صادر نشده است."),
        ("تمدید نشدن جواز تأسیس",
         "جواز تأسیس {unit} به سبب نقص یک استعلام تمدید نشده است."),
    ),
    "land": (
        ("تأخیر در واگذاری زمین در شهرک صنعتی",
         "قرارداد واگذاری زمین توسعه {unit} یک سال است که امضا نشده است."),
        ("نبود سند تفکیکی زمین برای ترهین",
         "نبود سند تفکیکی، ترهین زمین {unit} نزد بانک را ناممکن کرده است."),
        ("ناتمام ماندن راه دسترسی",
         "راه دسترسی {unit} آسفالت نشده و حمل بار در بارندگی متوقف می‌شود."),
    ),
    "labour": (
        ("شکایت کارگران از تأخیر در پرداخت دستمزد",
         "کارگران {unit} از سه ماه تأخیر در پرداخت دستمزد شکایت کرده‌اند."),
        ("کمبود نیروی کار ماهر",
         "{unit} برای راه‌اندازی شیفت دوم، تکنسین ماهر پیدا نمی‌کند."),
        ("اختلاف در اجرای طرح طبقه‌بندی مشاغل",
         "اختلاف درباره طرح طبقه‌بندی مشاغل {unit} به هیئت حل اختلاف رسیده است."),
    ),
    "market": (
        ("کمبود مواد اولیه پتروشیمی در بورس کالا",
         "سهمیه مواد اولیه {unit} در بورس کالا تأمین نمی‌شود."),
        ("قیمت‌گذاری دستوری زیر قیمت تمام‌شده",
         "قیمت مصوب محصول {unit} از قیمت تمام‌شده کمتر است."),
        ("واردات کالای مشابه خارجی",
         "واردات کالای مشابه، بازار فروش {unit} را از دست گرفته است."),
        ("تأخیر در تخصیص ارز مواد اولیه",
         "ارز مواد اولیه {unit} ماه‌هاست تخصیص نیافته است."),
    ),
    "other": (
        ("نبود حمل‌ونقل عمومی برای کارکنان",
         "کارکنان {unit} سرویس رفت‌وآمد ندارند و ترک کار زیاد شده است."),
        ("اختلاف با شهرداری بر سر عوارض",
         "شهرداری برای {unit} عوارض سال‌های گذشته را با نرخ جدید مطالبه می‌کند."),
        ("ضعف اینترنت و ارتباطات",
         "اینترنت {unit} برای سامانه‌های فروش و گمرک کافی نیست."),
    ),
}  # fmt: skip

# How often each category turns up (banking and energy lead, as in the provinces' reports).
CATEGORY_WEIGHTS = {
    "banking": 24,
    "tax": 12,
    "insurance": 11,
    "customs": 7,
    "energy": 13,
    "permits": 10,
    "land": 6,
    "labour": 6,
    "market": 8,
    "other": 3,
}

# The demo's routing table: category → agency code ("other" is left for the secretariat).
ROUTING = {
    "banking": "eghtesad",
    "tax": "maliat",
    "insurance": "tamin",
    "customs": "gomrok",
    "energy": "bargh",
    "permits": "sanat",
    "land": "shahrak",
    "labour": "kar",
    "market": "sanat",
}
BANKS = ("bank-melli", "bank-saderat", "bank-mellat", "bank-keshavarzi", "bank-sanat-madan")
# Where a bounced case goes next: (category → codes of the agencies it is passed to)
REROUTES = {
    "banking": BANKS,
    "energy": ("gaz", "ab-mantaghei", "abfa"),
    "permits": ("mohit-zist", "oloom-pezeshki", "estandard"),
    "land": ("rah", "shahrak"),
    "market": ("eghtesad",),
    "tax": ("eghtesad",),
    "other": ("ostandari", "rah", "ertebatat"),
}

START_NOTES = (
    "پرونده بررسی شد و جلسه با مدیرعامل واحد تشکیل شد.",
    "کارشناس دستگاه از واحد بازدید کرد؛ مدارک تکمیلی خواسته شد.",
    "موضوع در کمیته تخصصی دستگاه مطرح شد.",
    "مکاتبه با اداره مرکزی برای کسب مجوز انجام شد.",
)
RESOLVE_NOTES = (
    "مشکل با هماهنگی انجام‌شده برطرف شد و واحد رضایت کتبی داد.",
    "موضوع طبق مصوبه ستاد حل شد.",
    "درخواست واحد پذیرفته و اجرا شد.",
    "پس از پیگیری، اقدام لازم انجام و نتیجه به واحد ابلاغ شد.",
)
REROUTE_NOTES = (
    "موضوع در حیطه وظایف این دستگاه نیست؛ به دستگاه ذی‌ربط ارجاع شد.",
    "به درخواست دستگاه قبلی و با توجه به ماهیت موضوع، مسئولیت جابه‌جا شد.",
    "بانک عامل واحد تغییر کرده است.",
)
REJECT_NOTES = (
    "درخواست تکراری است و در پرونده دیگری پیگیری می‌شود.",
    "موضوع دعوای حقوقی خصوصی است و در صلاحیت ستاد نیست.",
)
REFER_NOTES = (
    "حل موضوع نیازمند اصلاح بخشنامه ملی است؛ به ستاد ملی ارجاع شد.",
    "موضوع مشابه در چند واحد دیده شده و به ستاد ملی تسهیل گزارش شد.",
)
REOPEN_NOTES = ("واحد اعلام کرد مشکل دوباره پیش آمده است.",)


@dataclass
class ObstacleDemo:
    parks: list[IndustrialPark]
    units: list[ProductionUnit]
    obstacles: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def legal_national_id(serial: int) -> str:
    """An 11-digit national id of a legal person (شناسه ملی) with a valid check digit, for
    sample units: ten digits from the serial (digits 4–9 never all zero), then the check digit
    (lib/national_id.py)."""
    return national_id.make(f"1410{serial + 100000:06d}")


def ensure_parks(province: Province) -> list[IndustrialPark]:
    counties = {c.name: c for c in County.objects.filter(province=province)}
    return [
        IndustrialPark.objects.get_or_create(
            province=province, name=name, defaults={"county": counties.get(county)}
        )[0]
        for name, county in PARKS
    ]


def ensure_units(
    province: Province, parks: list[IndustrialPark], rnd: random.Random, count: int
) -> list[ProductionUnit]:
    """`count` minimal sample units spread over the parks (a few outside any park)."""
    counties = list(County.objects.filter(province=province))
    units = []
    for i in range(count):
        # Drawn whether or not the unit exists, so that a rebuild draws the same obstacles.
        sector = rnd.choice(list(SECTORS))
        name = f"{rnd.choice(SECTORS[sector])} {rnd.choice(BRANDS)}"
        park = rnd.choice(parks) if rnd.random() < 0.9 else None
        county = park.county if park else rnd.choice(counties) if counties else None
        employees = int(rnd.triangular(8, 400, 40))
        status = rnd.choices(["active", "idle", "closed"], [88, 9, 3])[0]
        unit, _created = ProductionUnit.objects.get_or_create(
            national_id=legal_national_id(i + 1),
            defaults={
                "province": province,
                "name": name,
                "sector": sector,
                "county": county,
                "park": park,
                "employees": employees,
                "status": status,
            },
        )
        units.append(unit)
    return units


def drop_obstacles(province: Province) -> int:
    """Delete the province's sample obstacles and their history (before a rebuild)."""
    sample = Obstacle.objects.filter(province=province, is_sample=True)
    Transition.objects.filter(obstacle__in=sample).purge_sample()
    count, _ = sample.delete()
    return count


def _moment(day: dt.date, rnd: random.Random) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time(rnd.randint(8, 14), rnd.randint(0, 59)))
    )


def build_obstacles(
    *,
    province: Province,
    plan: Plan | None,
    rnd: random.Random,
    today: dt.date,
    secretariat: User,
    agencies: dict[str, Agency],
    reporters: dict[str, User],
    count: int = 200,
    units: int = 60,
) -> ObstacleDemo:
    """Parks, `units` production units, the routing table and `count` obstacles registered over
    the plan year up to `today`, each moved through the services as the secretariat and the
    agencies' reporters would. Earlier sample obstacles of the province are replaced."""
    with transaction.atomic():
        drop_obstacles(province)
        parks = ensure_parks(province)
        unit_list = ensure_units(province, parks, rnd, units)
        for category, code in ROUTING.items():
            if code in agencies:
                routing.set_routing_rule(
                    actor=secretariat,
                    province=province,
                    category=category,
                    agency=agencies[code],
                )
        RoutingRule.objects.filter(province=province, category="other").delete()

        by_agency: dict[int, list[Action]] = {}
        if plan is not None:
            for action in Action.objects.filter(plan=plan, lead_agency__isnull=False):
                by_agency.setdefault(action.lead_agency_id, []).append(action)
        reporter_of = {agencies[c].pk: u for c, u in reporters.items() if c in agencies}
        industry_reporter = reporters.get("sanat")

        first = year_bounds(plan.year)[0] if plan is not None else today - dt.timedelta(365)
        span = max((today - first).days, 1)
        categories, weights = zip(*CATEGORY_WEIGHTS.items(), strict=True)
        counties = list(County.objects.filter(province=province))
        made = 0
        for i in range(count):
            # Older obstacles are rarer than recent ones only a little: a steady flow.
            day = first + dt.timedelta(days=int(span * (rnd.random() ** 0.85)))
            day = min(day, today)
            category = rnd.choices(categories, weights)[0]
            if i >= count - 3:
                # A few fresh ones the routing table has no agency for: the secretariat's queue.
                day, category = today - dt.timedelta(days=rnd.randint(0, 2)), "other"
            made += _one_obstacle(
                i,
                rnd=rnd,
                day=day,
                today=today,
                category=category,
                counties=counties,
                parks=parks,
                units=unit_list,
                secretariat=secretariat,
                agencies=agencies,
                reporter_of=reporter_of,
                industry_reporter=industry_reporter,
                actions=by_agency,
            )
    statuses = Obstacle.objects.filter(province=province, is_sample=True)
    summary = ObstacleDemo(parks=parks, units=unit_list, obstacles=made)
    summary.counts = {s: statuses.filter(status=s).count() for s in Status.values}
    summary.counts["overdue"] = sum(1 for o in statuses if o.is_overdue(today))
    summary.counts["bounced"] = statuses.filter(bounces__gt=0).count()
    return summary


def _one_obstacle(
    i: int,
    *,
    rnd: random.Random,
    day: dt.date,
    today: dt.date,
    category: str,
    counties: list[County],
    parks: list[IndustrialPark],
    units: list[ProductionUnit],
    secretariat: User,
    agencies: dict[str, Agency],
    reporter_of: dict[int, User],
    industry_reporter: User | None,
    actions: dict[int, list[Action]],
) -> int:
    title, description = rnd.choice(TITLES[category])
    roll = rnd.random()
    unit = park = None
    sector = ""
    if roll < 0.62 and units:
        unit = rnd.choice(units)
        who = unit.name
        jobs = max(1, int(unit.employees * rnd.uniform(0.3, 1.0)))
    elif roll < 0.87:
        park = rnd.choice(parks)
        who = f"واحدهای {park.name}"
        jobs = rnd.randint(50, 900)
    else:
        sector = rnd.choice(list(SECTORS))
        who = f"واحدهای بخش {sector}"
        jobs = rnd.randint(100, 2500)
    amount = rnd.choice([0, 1, 2, 5, 8, 12, 20, 35, 60, 120, 250]) * 1_000_000_000
    severity = rnd.choices([1, 2, 3, 4], [15, 35, 32, 18])[0]

    # Banking cases often name the bank at registration; some "other" ones wait for the
    # secretariat; the rest follow the routing table.
    named = None
    if category == "banking" and rnd.random() < 0.6:
        named = agencies.get(rnd.choice(BANKS))
    registrar = secretariat
    if industry_reporter is not None and rnd.random() < 0.2:
        registrar = industry_reporter
    # A quarter of them block a plan action of the agency they go to.
    expected = named or agencies.get(ROUTING.get(category, ""))
    candidates = actions.get(expected.pk, []) if expected is not None else []
    action = rnd.choice(candidates) if candidates and rnd.random() < 0.25 else None
    at = _moment(day, rnd)
    obstacle = services.register_obstacle(
        actor=registrar,
        title=title,
        description=description.format(unit=who),
        category=category,
        severity=severity,
        jobs_affected=jobs,
        amount=amount,
        unit=unit,
        park=park,
        sector=sector,
        county=None if unit or park or not counties else rnd.choice(counties),
        responsible_agency=named,
        action=action,
        at=at,
        is_sample=True,
    )
    clock = day

    def step(to: str, after: tuple[int, int], actor: User | None, comment: str = "", **kw):
        nonlocal clock, obstacle
        nxt = clock + dt.timedelta(days=rnd.randint(*after))
        if nxt > today or actor is None:
            return False
        clock = nxt
        obstacle = services.transition(
            actor=actor, obstacle=obstacle, to=to, comment=comment, at=_moment(nxt, rnd), **kw
        )
        return True

    if obstacle.status == Status.REGISTERED:
        if rnd.random() < 0.06:
            step("rejected", (1, 4), secretariat, rnd.choice(REJECT_NOTES))
            return 1
        target = agencies.get(rnd.choice(REROUTES.get(category, ("ostandari",))))
        if not step("assigned", (1, 12), secretariat, agency=target):
            return 1

    # A bounce or two: passed from one agency to another.
    bounces = 0 if rnd.random() > 0.14 else rnd.choice([1, 1, 2])
    for _ in range(bounces):
        options = [
            agencies[c]
            for c in REROUTES.get(category, ("ostandari",)) + (ROUTING.get(category, ""),)
            if c in agencies and agencies[c].pk != obstacle.responsible_agency_id
        ]
        if not options:
            break
        if not step(
            "assigned", (2, 8), secretariat, rnd.choice(REROUTE_NOTES), agency=rnd.choice(options)
        ):
            return 1

    sla = routing.sla_days(obstacle.severity)
    reporter = reporter_of.get(obstacle.responsible_agency_id)
    fate = rnd.random()
    if fate < 0.05:
        step("rejected", (1, 5), secretariat, rnd.choice(REJECT_NOTES))
        return 1
    if fate < 0.11:
        step("referred_national", (3, 15), secretariat, rnd.choice(REFER_NOTES))
        return 1
    if rnd.random() < 0.85 and not step("in_progress", (1, max(2, sla // 3)), reporter,
                                        rnd.choice(START_NOTES)):  # fmt: skip
        return 1
    # Most are resolved within the SLA, some late, the rest stay open (overdue once due).
    outcome = rnd.random()
    left = (obstacle.due_date - clock).days
    if outcome < 0.55 and left >= 1:
        window = (1, left)
    elif outcome < 0.75:
        window = (max(1, left + 1), max(1, left + 1) + 40)
    else:
        return 1
    resolver = reporter if rnd.random() < 0.85 else secretariat
    if not step("resolved", window, resolver, rnd.choice(RESOLVE_NOTES)):
        return 1
    if rnd.random() < 0.03:
        step("in_progress", (3, 20), secretariat, rnd.choice(REOPEN_NOTES))
    return 1
