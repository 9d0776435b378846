"""The national view over HTTP (SPEC 7: `GET /api/v1/national/`): one row for each of the 31
provinces on an as-of date, for the national viewers (governor, auditor and secretariat without
a province). Figures are null where a province has no communicated plan that year."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ronagh.core.permissions import is_national
from ronagh.national.selectors import national
from ronagh.plans import rollup

from .fields import AS_OF, JalaliField, PercentField, as_of_param


class IsNationalViewer(permissions.BasePermission):
    @property
    def message(self):
        return _("Only a national viewer sees the provinces side by side.")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and is_national(request.user))


class ProvinceRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    plan = serializers.IntegerField(allow_null=True)
    planned = PercentField(allow_null=True)
    actual = PercentField(allow_null=True)
    gap = PercentField(allow_null=True)
    coverage = PercentField(allow_null=True)
    status_counts = serializers.DictField(child=serializers.IntegerField(), allow_null=True)
    obstacles_open = serializers.IntegerField()
    obstacles_overdue = serializers.IntegerField()
    execution_rate = PercentField(
        allow_null=True, help_text="The HQ's clauses done on time ÷ clauses due (percent)."
    )
    clauses_due = serializers.IntegerField()


class NationalSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    as_of_jalali = JalaliField(source="as_of")
    year = serializers.IntegerField()
    provinces = ProvinceRowSerializer(many=True)


def _row(r) -> dict:
    total = r.total
    return {
        "code": r.province.code,
        "name": r.province.name,
        "plan": r.plan.pk if r.plan else None,
        "planned": total.planned if total else None,
        "actual": total.actual if total else None,
        "gap": total.gap if total else None,
        "coverage": total.coverage if total else None,
        "status_counts": (
            {s: total.status_counts.get(s, 0) for s in rollup.STATUSES} if total else None
        ),
        "obstacles_open": r.obstacles_open,
        "obstacles_overdue": r.obstacles_overdue,
        "execution_rate": r.execution.percent,
        "clauses_due": r.execution.due,
    }


class NationalView(APIView):
    permission_classes = [IsNationalViewer]

    @extend_schema(
        parameters=[AS_OF],
        responses={
            200: NationalSerializer,
            403: OpenApiResponse(description="Not a national viewer."),
        },
        tags=["national"],
    )
    def get(self, request):
        """The 31 provinces side by side on `as_of` (default today)."""
        result = national(user=request.user, as_of=as_of_param(request))
        body = {
            "as_of": result.as_of,
            "year": result.year,
            "provinces": [_row(r) for r in result.rows],
        }
        return Response(NationalSerializer(body).data)
