"""Production units, monthly indicators and the early warning over HTTP (SPEC 7):

- `GET /api/v1/units/?park=&county=&sector=&risk=low|medium|high&q=` and `GET /api/v1/units/{id}/`
  (adds the indicators by their workbook aliases, the risk history and the preventive cases);
- `GET /api/v1/indicators/?unit=&month=` and `POST /api/v1/indicators/`;
- `GET /api/v1/jobs-at-risk/`.

Thin on purpose: reads start from `units.selectors.visible_*` (another agency's unit is a 404),
writes go through `units.services`, whose ValidationError / PermissionDenied become 400 / 403."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ronagh.lib import jalali
from ronagh.units import selectors, services
from ronagh.units.models import INDICATOR_FIELDS, PreventiveCase, ProductionUnit, UnitIndicator
from ronagh.units.reasons import reasons
from ronagh.units.risk import Level

from .fields import id_param
from .permissions import ServiceErrorsMixin

LEVELS = [v.value for v in Level]


def _number(value):
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


def risk_of(score) -> dict | None:
    if score is None:
        return None
    return {
        "month_jalali": jalali.format_month(score.month),
        "score": score.score,
        "level": score.level,
        "reasons": reasons(score.contributions),
    }


def indicator_json(row: UnitIndicator) -> dict:
    out = {
        "id": row.pk,
        "unit": row.unit_id,
        "month": row.month.isoformat(),
        "month_jalali": jalali.format_month(row.month),
    }
    for name, alias in INDICATOR_FIELDS:
        out[alias] = _number(getattr(row, name))
    out["revisions"] = row.revisions
    return out


class RiskSerializer(serializers.Serializer):
    month_jalali = serializers.CharField()
    score = serializers.IntegerField()
    level = serializers.ChoiceField(choices=LEVELS)
    reasons = serializers.ListField(child=serializers.CharField())


class UnitSerializer(serializers.ModelSerializer):
    county = serializers.CharField(source="county.name", default=None)
    park = serializers.CharField(source="park.name", default=None)
    status = serializers.CharField(read_only=True, help_text="active, idle or closed")
    risk = serializers.SerializerMethodField()

    class Meta:
        model = ProductionUnit
        fields = [
            "id",
            "national_id",
            "name",
            "isic",
            "sector",
            "priority",
            "county",
            "park",
            "status",
            "employees",
            "risk",
        ]
        read_only_fields = fields

    @extend_schema_field(RiskSerializer(allow_null=True))
    def get_risk(self, obj) -> dict | None:
        return risk_of(self.context.get("risk", {}).get(obj.pk))


class IndicatorInputSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    month_jalali = serializers.CharField(help_text="Jalali YYYY/MM, e.g. 1405/07 (any digits)")


@extend_schema(tags=["units"])
class UnitViewSet(
    ServiceErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Units the user may see: the province's for the secretariat, the governor and the
    auditor; an agency user those its agency is responsible for. `risk` is the unit's current
    (newest) score with its reasons in the reader's language."""

    serializer_class = UnitSerializer
    pagination_class = None
    permission_classes = [IsAuthenticated]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        qs = selectors.visible_units(self.request.user).order_by("name", "id")
        if self.action != "list":
            return qs
        params = self.request.query_params
        risk = params.get("risk", "").strip().lower()
        if risk and risk not in LEVELS:
            raise ValidationError({"risk": [_("Choose one of: %(s)s.") % {"s": ", ".join(LEVELS)}]})
        return selectors.filter_units(
            qs,
            q=params.get("q", "")[:200],
            park=id_param(self.request, "park"),
            county=id_param(self.request, "county"),
            sector=params.get("sector", "").strip(),
            risk=risk,
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["risk"] = self._risk
        return context

    @extend_schema(
        parameters=[
            OpenApiParameter("park", int, description="Industrial park id"),
            OpenApiParameter("county", int, description="County id"),
            OpenApiParameter("sector", str, description="Sector, as written on the units"),
            OpenApiParameter("risk", str, enum=LEVELS, description="Level of the current score"),
            OpenApiParameter("q", str, description="Search: name, national id, ISIC, manager …"),
        ]
    )
    def list(self, request, *args, **kwargs):
        qs = self.get_queryset()
        self._risk = selectors.with_current_risk(qs)
        return Response(UnitSerializer(qs, many=True, context=self.get_serializer_context()).data)

    @extend_schema(
        responses={
            200: OpenApiResponse(
                description="The unit, with `indicators` (by their workbook aliases), "
                "`risk_history` and `cases` (obstacle ids of its preventive cases)."
            )
        }
    )
    def retrieve(self, request, *args, **kwargs):
        unit = self.get_object()
        self._risk = selectors.with_current_risk(ProductionUnit.objects.filter(pk=unit.pk))
        data = dict(UnitSerializer(unit, context=self.get_serializer_context()).data)
        data["indicators"] = [indicator_json(r) for r in unit.indicators.order_by("month")]
        data["risk_history"] = [
            {"month_jalali": jalali.format_month(s.month), "score": s.score, "level": s.level}
            for s in unit.risk_scores.order_by("month")
        ]
        data["cases"] = list(
            PreventiveCase.objects.filter(unit=unit)
            .order_by("month")
            .values_list("obstacle_id", flat=True)
        )
        return Response(data)

    _risk: dict = {}


@extend_schema(tags=["units"])
class IndicatorViewSet(
    ServiceErrorsMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Monthly indicators of the units the user may see. A unit-month entered again replaces its
    values as a recorded revision; the months touched are rescored at once."""

    pagination_class = None
    permission_classes = [IsAuthenticated]
    serializer_class = IndicatorInputSerializer

    def get_queryset(self):
        qs = selectors.visible_indicators(self.request.user).order_by("unit_id", "month")
        unit = id_param(self.request, "unit")
        if unit is not None:
            qs = qs.filter(unit_id=unit)
        month = self.request.query_params.get("month", "").strip()
        if month:
            try:
                qs = qs.filter(month=jalali.parse_month(month))
            except jalali.JalaliDateError:
                raise ValidationError(
                    {"month": [_("Write the month as a Jalali year and month, e.g. 1405/07.")]}
                ) from None
        return qs

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", int, description="Production unit id"),
            OpenApiParameter("month", str, description="Jalali YYYY/MM"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def list(self, request, *args, **kwargs):
        return Response([indicator_json(r) for r in self.get_queryset()])

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        description='`{"unit": id, "month_jalali": "1405/07", "employees": 80, '
        '"capacity_utilisation": 62.5, "sales": …, "energy": …, "tax_overdue_months": …, '
        '"insurance_overdue_months": …, "bank_overdue_months": …, "bounced_cheques": …, '
        '"utility_cutoffs": …}` — values in any digits; a value left out keeps the stored one.',
        responses={
            201: OpenApiTypes.OBJECT,
            400: OpenApiResponse(description="A message per bad field."),
            403: OpenApiResponse(description="Neither the responsible agency nor the secretariat."),
            404: OpenApiResponse(description="No such unit among those the user may see."),
        },
    )
    def create(self, request, *args, **kwargs):
        data = request.data if isinstance(request.data, dict) else {}
        unit_id = data.get("unit")
        if isinstance(unit_id, bool) or not str(unit_id or "").strip().isdigit():
            raise ValidationError({"unit": [_("Give the id of the production unit.")]})
        if int(str(unit_id)) > 2**63 - 1:
            raise ValidationError({"unit": [_("Give the id of the production unit.")]})
        unit = get_object_or_404(selectors.visible_units(request.user), pk=int(str(unit_id)))
        month = None
        raw_month = data.get("month_jalali", data.get("month"))
        if raw_month not in (None, ""):
            try:
                month = jalali.parse_month(str(raw_month))
            except jalali.JalaliDateError:
                month = None
        values = {name: data.get(alias) for name, alias in INDICATOR_FIELDS}
        try:
            row = services.enter_indicator(
                actor=request.user, unit=unit, month=month, values=values, channel="api"
            )
        except DjangoValidationError as exc:
            # The service names the model's fields; the API answers by the workbook aliases.
            alias = {**dict(INDICATOR_FIELDS), "month": "month_jalali"}
            raise ValidationError(
                {alias.get(k, k): v for k, v in exc.message_dict.items()}
                if hasattr(exc, "error_dict")
                else {"non_field_errors": exc.messages}
            ) from None
        row.refresh_from_db()
        return Response(indicator_json(row), status=status.HTTP_201_CREATED)


class GroupSerializer(serializers.Serializer):
    name = serializers.CharField()
    units = serializers.IntegerField()
    jobs = serializers.IntegerField()


class JobsAtRiskSerializer(serializers.Serializer):
    month_jalali = serializers.CharField(allow_null=True)
    units_at_risk = serializers.IntegerField()
    jobs_at_risk = serializers.IntegerField()
    by_sector = GroupSerializer(many=True)
    by_park = GroupSerializer(many=True)
    by_county = GroupSerializer(many=True)


@extend_schema(tags=["units"], responses=JobsAtRiskSerializer)
class JobsAtRiskView(ServiceErrorsMixin, APIView):
    """Jobs at risk (SPEC 6): the employees of the medium- and high-risk units the user may see
    (closed units left out), by sector, park and county; `month_jalali` is the newest month
    scored."""

    permission_classes = [IsAuthenticated]

    def get(self, request):
        figures = selectors.jobs_at_risk(
            selectors.visible_units(request.user),
            no_park=_("Outside any park"),
            no_county=_("Not stated"),
        )

        def groups(items):
            return [{"name": g.name, "units": g.units, "jobs": g.jobs} for g in items]

        return Response(
            {
                "month_jalali": jalali.format_month(figures.month) or None,
                "units_at_risk": figures.units_at_risk,
                "jobs_at_risk": figures.jobs_at_risk,
                "by_sector": groups(figures.by_sector),
                "by_park": groups(figures.by_park),
                "by_county": groups(figures.by_county),
            }
        )
