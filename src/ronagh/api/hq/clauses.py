"""Clauses of HQ resolutions over HTTP (SPEC 5, 7): the clauses the user may see (an agency
user: its own agency's), a new clause, its follow-up and its escalation ladder. Every write is
one call of ronagh.hq.services."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action as route
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from ronagh.core.models import Agency
from ronagh.hq import selectors, services
from ronagh.hq.models import (
    Clause,
    ClauseUpdate,
    EscalationStep,
)
from ronagh.units.models import ProductionUnit

from ..fields import DateInputField, JalaliField, NumberInputField
from ..fields import id_param as _id_param
from ..permissions import IsSecretariat, ServiceErrorsMixin
from .common import RateSerializer, today, visible_or_400  # noqa: F401

# --- clauses --------------------------------------------------------------------------------------


# Plain strings rather than enums for the statuses: a further "status" enum beside the plans'
# and obstacles' would need ENUM_NAME_OVERRIDES in settings to be named cleanly in the schema.
CLAUSE_STATUSES = "One of: " + ", ".join(Clause.Status.values)


class ClauseUpdateSerializer(serializers.ModelSerializer):
    by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    from_status = serializers.CharField(help_text=CLAUSE_STATUSES)
    to_status = serializers.CharField(help_text=CLAUSE_STATUSES)
    on_jalali = JalaliField(source="on")
    at_jalali = JalaliField(source="at")

    class Meta:
        model = ClauseUpdate
        fields = ["from_status", "to_status", "on", "on_jalali", "note", "by", "at", "at_jalali"]
        read_only_fields = fields


class Article62Serializer(serializers.Serializer):
    facility_amount = serializers.IntegerField(help_text="rial")
    bank_reasons = serializers.CharField()
    board_opinion = serializers.CharField()
    opinion_on = serializers.DateField(allow_null=True)
    opinion_on_jalali = JalaliField(source="opinion_on", allow_null=True)
    pay_by = serializers.DateField(allow_null=True)
    pay_by_jalali = JalaliField(source="pay_by", allow_null=True)


class EscalationSerializer(serializers.ModelSerializer):
    by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    date_jalali = JalaliField(source="date")
    article62 = serializers.SerializerMethodField()

    class Meta:
        model = EscalationStep
        fields = ["id", "step", "level", "date", "date_jalali", "note", "by", "article62"]
        read_only_fields = fields

    @extend_schema_field(Article62Serializer(allow_null=True))
    def get_article62(self, obj):
        case = getattr(obj, "article62", None)
        return Article62Serializer(case).data if case is not None else None


class ClauseSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True, help_text="e.g. 12/3-1")
    meeting = serializers.IntegerField(source="resolution.meeting_id", read_only=True)
    party = serializers.CharField(read_only=True, help_text="Who must act, for display")
    due_date_jalali = JalaliField(source="due_date")
    done_on_jalali = JalaliField(source="done_on", allow_null=True)
    status = serializers.CharField(read_only=True, help_text=CLAUSE_STATUSES)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Clause
        fields = [
            "id",
            "code",
            "meeting",
            "resolution",
            "number",
            "party_kind",
            "agency",
            "unit",
            "firm",
            "party",
            "obligation",
            "due_date",
            "due_date_jalali",
            "status",
            "done_on",
            "done_on_jalali",
            "not_done_on",
            "reason",
            "overdue",
        ]
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue(self.context["today"])


class ClauseDetailSerializer(ClauseSerializer):
    updates = ClauseUpdateSerializer(many=True, read_only=True)
    escalations = EscalationSerializer(many=True, read_only=True)
    next_steps = serializers.SerializerMethodField(
        help_text="The escalation steps that may be recorded next"
    )

    class Meta(ClauseSerializer.Meta):
        fields = ClauseSerializer.Meta.fields + ["updates", "escalations", "next_steps"]

    def get_next_steps(self, obj) -> list[str]:
        return services.next_steps(obj)


class ClauseFieldsSerializer(serializers.Serializer):
    """A clause as a client sends it (alone with `resolution`, or inside a new resolution)."""

    party_kind = serializers.ChoiceField(choices=Clause.Party.choices, default="agency")
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), required=False, allow_null=True, default=None
    )
    unit = serializers.PrimaryKeyRelatedField(
        queryset=ProductionUnit.objects.all(), required=False, allow_null=True, default=None
    )
    firm = serializers.CharField(required=False, allow_blank=True, default="")
    obligation = serializers.CharField(allow_blank=True)
    due_date = DateInputField(allow_null=True, help_text="ISO 8601 (or Jalali 1405/09/01)")


class ClauseInputSerializer(ClauseFieldsSerializer):
    resolution = serializers.IntegerField()


class MarkSerializer(serializers.Serializer):
    # Checked by the service (400 with a message) like every other rule of the follow-up.
    status = serializers.CharField(help_text=CLAUSE_STATUSES)
    on = DateInputField(
        required=False, allow_null=True, default=None, help_text="The day it was done; today"
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class EscalateSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=EscalationStep.Step.choices)
    date = DateInputField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    facility_amount = NumberInputField(
        required=False, allow_null=True, default=None, help_text="Article 62 only: rial"
    )
    bank_reasons = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Article 62 only"
    )


@extend_schema(tags=["hq"])
class ClauseViewSet(
    ServiceErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Clauses of HQ resolutions the user may see (an agency user: its own agency's)."""

    serializer_class = ClauseSerializer
    pagination_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        qs = selectors.visible_clauses(self.request.user).order_by("due_date", "id")
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                Prefetch("updates", queryset=ClauseUpdate.objects.select_related("by")),
                Prefetch(
                    "escalations",
                    queryset=EscalationStep.objects.select_related("by", "article62").order_by(
                        "date", "at", "id"
                    ),
                ),
            )
        if self.action == "list":
            for param, lookup in (
                ("meeting", "resolution__meeting_id"),
                ("resolution", "resolution_id"),
                ("agency", "agency_id"),
            ):
                value = _id_param(self.request, param)
                if value is not None:
                    qs = qs.filter(**{lookup: value})
            wanted = self.request.query_params.get("status")
            if wanted:
                if wanted not in Clause.Status.values:
                    raise ValidationError(
                        {
                            "status": [
                                _("Choose one of: %(s)s.") % {"s": ", ".join(Clause.Status.values)}
                            ]
                        }
                    )
                qs = qs.filter(status=wanted)
            if self.request.query_params.get("overdue", "").lower() in ("1", "true", "yes"):
                qs = qs.overdue(today())
        return qs

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": today()}

    def get_serializer_class(self):
        return ClauseDetailSerializer if self.action != "list" else ClauseSerializer

    def _detail(self, clause, code=status.HTTP_200_OK):
        clause = self.get_queryset().model.objects.get(pk=clause.pk)
        data = ClauseDetailSerializer(clause, context=self.get_serializer_context()).data
        return Response(data, status=code)

    @extend_schema(
        parameters=[
            OpenApiParameter("meeting", int),
            OpenApiParameter("resolution", int),
            OpenApiParameter("agency", int),
            OpenApiParameter("status", str, enum=list(Clause.Status.values)),
            OpenApiParameter("overdue", bool, description="Open clauses past their due date"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=ClauseInputSerializer,
        responses={201: ClauseDetailSerializer, 400: OpenApiResponse(description="Per field")},
    )
    def create(self, request):
        """A new clause of a resolution (the secretariat)."""
        if not IsSecretariat().has_permission(request, self):
            self.permission_denied(request, message=IsSecretariat().message)
        given = ClauseInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        v = dict(given.validated_data)
        resolution = visible_or_400(
            selectors.visible_resolutions(request.user), v.pop("resolution"), "resolution"
        )
        clause = services.add_clause(actor=request.user, resolution=resolution, **v)
        return self._detail(clause, status.HTTP_201_CREATED)

    @extend_schema(
        request=MarkSerializer,
        responses={
            200: ClauseDetailSerializer,
            400: OpenApiResponse(description="A message per field"),
            403: OpenApiResponse(description="Not the clause's agency nor the secretariat"),
            409: OpenApiResponse(description="The clause is already in that status"),
        },
    )
    @route(detail=True, methods=["post"])
    def mark(self, request, pk=None):
        """Follow-up: done (with the day), not done (with the reason), or reopened by the
        secretariat."""
        clause = self.get_object()
        given = MarkSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        v = given.validated_data
        clause = services.mark_clause(
            actor=request.user,
            clause=clause,
            status=v["status"],
            on=v["on"],
            reason=v["reason"],
            note=v["note"],
        )
        return self._detail(clause)

    @extend_schema(
        request=EscalateSerializer,
        responses={
            201: ClauseDetailSerializer,
            400: OpenApiResponse(description="Out of the ladder's order, not overdue, …"),
            403: OpenApiResponse(description="Only the secretariat escalates"),
            409: OpenApiResponse(description="The clause has been done"),
        },
    )
    @route(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        """The next step of the escalation ladder of an overdue clause."""
        clause = self.get_object()
        given = EscalateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        v = given.validated_data
        services.escalate(
            actor=request.user,
            clause=clause,
            step=v["step"],
            on=v["date"],
            note=v["note"],
            facility_amount=v["facility_amount"],
            bank_reasons=v["bank_reasons"],
        )
        return self._detail(clause, status.HTTP_201_CREATED)
