"""The organisation over HTTP: the signed-in user, the agencies the user may see, and an
agency's scorecard (SPEC 4.4)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action as route
from rest_framework.response import Response
from rest_framework.views import APIView

from ronagh.core.models import Agency, User
from ronagh.lib.jalali import current_year
from ronagh.plans import selectors
from ronagh.plans.models import Plan

from .fields import AS_OF, JalaliField, PercentField, as_of_param
from .permissions import ServiceErrorsMixin


class AgencySerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Agency
        fields = ["id", "name", "kind", "province"]


class ScorecardSerializer(serializers.Serializer):
    progress = PercentField(allow_null=True)
    compliance = PercentField(allow_null=True)
    obstacles = PercentField(allow_null=True)
    score = PercentField(allow_null=True)
    grade = serializers.ChoiceField(choices=["A", "B", "C", "D"], allow_null=True)
    agency = serializers.IntegerField()
    plan = serializers.IntegerField(allow_null=True, help_text="The plan the figures come from")
    as_of = serializers.DateField()
    as_of_jalali = JalaliField(source="as_of")


GRADES = ((90.0, "A"), (75.0, "B"), (60.0, "C"))


def score_and_grade(components: dict[str, float | None]) -> tuple[float | None, str | None]:
    """SPEC 4.4: the weighted score of the components present, the weights of the absent ones
    rescaled away, and its grade (A ≥ 90, B ≥ 75, C ≥ 60, D below). The grade is read from the
    score as shown (2 decimals), so that 89.999 shown as 90.00 is not a B.

    Pure; belongs in a scorecard core beside rollup.py once compliance and obstacles exist."""
    weights = settings.RONAGH["SCORE_WEIGHTS"]
    present = {k: v for k, v in components.items() if v is not None and weights.get(k, 0) > 0}
    total = sum(weights[k] for k in present)
    if total <= 0:
        return None, None
    score = round(sum(weights[k] * v for k, v in present.items()) / total, 2)
    grade = next((g for floor, g in GRADES if score >= floor), "D")
    return score, grade


def scorecard_plan(agency: Agency, as_of: dt.date) -> Plan | None:
    """The plan an agency is judged on at `as_of`: its province's plan of that Jalali year, else
    the newest communicated one."""
    plans = Plan.objects.filter(province_id=agency.province_id)
    return (
        plans.filter(year=current_year(as_of)).first()
        or plans.filter(status=Plan.Status.COMMUNICATED).order_by("-year").first()
    )


@extend_schema(tags=["agencies"])
class AgencyViewSet(
    ServiceErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Agencies the user may see: an agency user only its own."""

    serializer_class = AgencySerializer
    pagination_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.visible_agencies(self.request.user).order_by("province__name", "name")

    @extend_schema(parameters=[AS_OF], responses=ScorecardSerializer)
    @route(detail=True, methods=["get"])
    def scorecard(self, request, pk=None):
        """SPEC 4.4 scorecard as of a date. Only `progress` is computed so far; `compliance` and
        `obstacles` are null and the score rescales the weights of the components present."""
        agency = self.get_object()
        as_of = as_of_param(request)
        plan = scorecard_plan(agency, as_of)
        progress = (
            selectors.agency_scorecard_progress(selectors.plan_data(plan), agency.id, as_of)
            if plan is not None
            else None
        )
        components = {"progress": progress, "compliance": None, "obstacles": None}
        score, grade = score_and_grade(components)
        body = {
            **components,
            "score": score,
            "grade": grade,
            "agency": agency.id,
            "plan": plan.id if plan else None,
            "as_of": as_of,
        }
        return Response(ScorecardSerializer(body).data)


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField(source="get_full_name")
    role = serializers.ChoiceField(choices=User.Role.choices)
    agency = serializers.IntegerField(source="agency_id", allow_null=True)
    agency_name = serializers.CharField(source="agency.name", allow_null=True, default=None)
    province = serializers.SerializerMethodField()

    def get_province(self, user) -> str | None:
        province = user.agency.province if user.agency_id else user.province
        return province.code if province else None


@extend_schema(tags=["me"], responses=MeSerializer)
class MeView(ServiceErrorsMixin, APIView):
    """Who the token or session belongs to."""

    def get(self, request):
        return Response(MeSerializer(request.user).data)
