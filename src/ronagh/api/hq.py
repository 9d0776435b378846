"""The Facilitation HQ over HTTP (SPEC 5, 7): meetings with their agenda and execution rate,
numbered resolutions, and clauses with their follow-up and escalation ladder.

Thin on purpose: every read starts from the HQ's scoping selectors (an agency user sees only its
agency's clauses and the resolutions and meetings they belong to), every write is one call of
ronagh.hq.services, whose errors come back as 400 (a message per field), 403 or 409."""

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

from ronagh.core.models import Agency, Province
from ronagh.hq import charts, rates, selectors, services
from ronagh.hq.models import (
    Clause,
    ClauseUpdate,
    EscalationStep,
    Meeting,
    Resolution,
)
from ronagh.obstacles.models import Obstacle
from ronagh.units.models import ProductionUnit

from .fields import AS_OF, DateInputField, JalaliField, NumberInputField, PercentField, as_of_param
from .fields import id_param as _id_param
from .permissions import IsSecretariat, ServiceErrorsMixin

# --- the execution rate ---------------------------------------------------------------------------


class RateSerializer(serializers.Serializer):
    """An execution rate with the counts behind it (rates.Rate)."""

    due = serializers.IntegerField(help_text="Clauses whose due date has come")
    on_time = serializers.IntegerField(help_text="… done on or before their due date")
    late = serializers.IntegerField(help_text="… done after their due date")
    not_done = serializers.IntegerField(help_text="… declared not done")
    overdue = serializers.IntegerField(help_text="… still open past their due date")
    not_yet_due = serializers.IntegerField()
    rate = PercentField(
        source="percent",
        allow_null=True,
        help_text="Percent of the clauses due that were done on time; null when none is due",
    )


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


def _today():
    from django.utils import timezone

    return timezone.localdate()


def _visible_or_400(qs, pk, field: str):
    """An object the user may see, by id from the request body; 400 naming the field if not."""
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: [_("There is no such record, or you may not see it.")]})
    return obj


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
                qs = qs.filter(status=Clause.Status.OPEN, due_date__lt=_today())
        return qs

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": _today()}

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
        resolution = _visible_or_400(
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


# --- resolutions --------------------------------------------------------------------------------


class ResolutionSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True, help_text="e.g. 12/3")
    clauses = serializers.SerializerMethodField()

    class Meta:
        model = Resolution
        fields = ["id", "meeting", "number", "code", "text", "obstacles", "clauses"]
        read_only_fields = fields

    @extend_schema_field(ClauseSerializer(many=True))
    def get_clauses(self, obj):
        # Only the clauses the user may see (an agency user: its own).
        clauses = getattr(obj, "clause_list", None)
        if clauses is None:
            clauses = selectors.visible_clauses(self.context["request"].user).filter(resolution=obj)
        return ClauseSerializer(clauses, many=True, context=self.context).data


class ResolutionInputSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    text = serializers.CharField(allow_blank=True)
    obstacles = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    clauses = ClauseFieldsSerializer(many=True, required=False, default=list)


@extend_schema(tags=["hq"])
class ResolutionViewSet(
    ServiceErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Resolutions the user may see, each with the clauses the user may see."""

    serializer_class = ResolutionSerializer
    pagination_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        user = self.request.user
        clauses = selectors.visible_clauses(user).order_by("number")
        qs = (
            selectors.visible_resolutions(user)
            .prefetch_related(Prefetch("clauses", queryset=clauses, to_attr="clause_list"))
            .prefetch_related("obstacles")
            .order_by("-meeting__date", "meeting_id", "number")
        )
        meeting = _id_param(self.request, "meeting") if self.action == "list" else None
        if meeting is not None:
            qs = qs.filter(meeting_id=meeting)
        return qs

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": _today()}

    @extend_schema(parameters=[OpenApiParameter("meeting", int)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=ResolutionInputSerializer,
        responses={
            201: ResolutionSerializer,
            400: OpenApiResponse(description="A message per field"),
            409: OpenApiResponse(description="The meeting has not been held yet"),
        },
    )
    def create(self, request):
        """The next numbered resolution of a meeting (the secretariat), with its clauses."""
        if not IsSecretariat().has_permission(request, self):
            self.permission_denied(request, message=IsSecretariat().message)
        given = ResolutionInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        v = given.validated_data
        meeting = _visible_or_400(selectors.visible_meetings(request.user), v["meeting"], "meeting")
        obstacles = list(Obstacle.objects.filter(pk__in=v["obstacles"]))
        if len(obstacles) != len(set(v["obstacles"])):
            raise ValidationError({"obstacles": [_("An obstacle was not found.")]})
        resolution = services.add_resolution(
            actor=request.user,
            meeting=meeting,
            text=v["text"],
            obstacles=obstacles,
            clauses=[dict(c) for c in v["clauses"]],
        )
        resolution = self.get_queryset().get(pk=resolution.pk)
        body = ResolutionSerializer(resolution, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)


# --- meetings -----------------------------------------------------------------------------------


class AgendaItemSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    obstacle = serializers.IntegerField(source="obstacle_id", allow_null=True)


class MeetingSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    date_jalali = JalaliField(source="date")
    attendees = serializers.ListField(
        source="attendee_lines", child=serializers.CharField(), read_only=True
    )
    execution = serializers.SerializerMethodField(help_text="Execution rate as of today")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "province",
            "number",
            "date",
            "date_jalali",
            "place",
            "chair",
            "secretary",
            "attendees",
            "agencies",
            "is_sample",
            "execution",
        ]
        read_only_fields = fields

    @extend_schema_field(RateSerializer)
    def get_execution(self, obj):
        rates_by_meeting = self.context.get("rates") or {}
        rate = rates_by_meeting.get(obj.pk, rates.Rate())
        return RateSerializer(rate).data


class MeetingDetailSerializer(MeetingSerializer):
    agenda = serializers.SerializerMethodField()
    resolutions = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = MeetingSerializer.Meta.fields + ["notes", "agenda", "resolutions"]

    @extend_schema_field(AgendaItemSerializer(many=True))
    def get_agenda(self, obj):
        user = self.context["request"].user
        if not selectors.sees_whole_meetings(user):
            return []  # other agencies' obstacles are not an agency's business
        return AgendaItemSerializer(obj.agenda.order_by("number"), many=True).data

    @extend_schema_field(ResolutionSerializer(many=True))
    def get_resolutions(self, obj):
        user = self.context["request"].user
        return ResolutionSerializer(
            selectors.meeting_resolutions(user, obj), many=True, context=self.context
        ).data


class MeetingInputSerializer(serializers.Serializer):
    number = serializers.IntegerField(required=False, allow_null=True, default=None)
    date = DateInputField(allow_null=True, help_text="ISO 8601 (or Jalali 1405/09/01)")
    place = serializers.CharField(required=False, allow_blank=True, default="")
    chair = serializers.CharField(required=False, allow_blank=True, default="")
    secretary = serializers.CharField(required=False, allow_blank=True, default="")
    attendees = serializers.ListField(
        child=serializers.CharField(), required=False, default=list, help_text="One a line"
    )
    agencies = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    agenda = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="Ids of open obstacles, in agenda order",
    )
    topics = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    province = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Province code (national users)"
    )


class MonthRateSerializer(RateSerializer):
    year = serializers.IntegerField(help_text="Jalali year of the due date")
    month = serializers.IntegerField(help_text="Jalali month of the due date")
    label = serializers.CharField()


class MeetingRateSerializer(RateSerializer):
    meeting = serializers.IntegerField()
    number = serializers.IntegerField()
    date = serializers.DateField()
    date_jalali = JalaliField(source="date")


class AgencyRateSerializer(RateSerializer):
    agency = serializers.IntegerField(allow_null=True, help_text="null: the firms' commitments")
    name = serializers.CharField()


class ExecutionRatesSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    as_of_jalali = JalaliField(source="as_of")
    total = RateSerializer()
    meetings = MeetingRateSerializer(many=True)
    agencies = AgencyRateSerializer(many=True)
    months = MonthRateSerializer(many=True)


def _rate_dict(r: rates.Rate, **extra) -> dict:
    return {
        "due": r.due,
        "on_time": r.on_time,
        "late": r.late,
        "not_done": r.not_done,
        "overdue": r.overdue,
        "not_yet_due": r.not_yet_due,
        "percent": r.percent,
        **extra,
    }


@extend_schema(tags=["hq"])
class MeetingViewSet(
    ServiceErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """HQ meetings the user may see (an agency user: those that gave its agency a clause)."""

    serializer_class = MeetingSerializer
    pagination_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return (
            selectors.visible_meetings(self.request.user)
            .prefetch_related("agencies")
            .order_by("-date", "-number")
        )

    def get_serializer_class(self):
        return MeetingDetailSerializer if self.action != "list" else MeetingSerializer

    def get_serializer_context(self):
        context = {**super().get_serializer_context(), "today": _today()}
        if self.action in ("list", "retrieve") and getattr(self, "request", None) is not None:
            meetings = self.get_queryset()
            if self.action == "retrieve":
                meetings = meetings.filter(pk=self.kwargs.get("pk"))
            context["rates"] = selectors.meeting_rates(meetings, self.request.user, _today())
        return context

    @extend_schema(
        request=MeetingInputSerializer,
        responses={
            201: MeetingDetailSerializer,
            400: OpenApiResponse(description="A message per field"),
            403: OpenApiResponse(description="Only the secretariat records meetings"),
        },
    )
    def create(self, request):
        """A new meeting with its agenda of open obstacles (the secretariat)."""
        if not IsSecretariat().has_permission(request, self):
            self.permission_denied(request, message=IsSecretariat().message)
        given = MeetingInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        v = given.validated_data
        user = request.user
        province = None
        if v["province"]:
            province = Province.objects.filter(code=v["province"]).first()
            if province is None:
                raise ValidationError({"province": [_("There is no province with this code.")]})
        elif user.province_id:
            province = user.province
        if province is None:
            raise ValidationError({"province": [_("Give the province code.")]})
        agencies = list(Agency.objects.filter(pk__in=v["agencies"]))
        by_id = {o.pk: o for o in Obstacle.objects.filter(pk__in=v["agenda"])}
        if len(agencies) != len(set(v["agencies"])):
            raise ValidationError({"agencies": [_("An agency was not found.")]})
        if set(by_id) != set(v["agenda"]):
            raise ValidationError({"agenda": [_("An obstacle was not found.")]})
        meeting = services.create_meeting(
            actor=user,
            province=province,
            date=v["date"],
            number=v["number"],
            place=v["place"],
            chair=v["chair"],
            secretary=v["secretary"],
            attendees="\n".join(v["attendees"]),
            agencies=agencies,
            obstacles=[by_id[i] for i in v["agenda"]],
            topics=v["topics"],
            notes=v["notes"],
        )
        context = {**self.get_serializer_context(), "rates": {}}
        body = MeetingDetailSerializer(meeting, context=context).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[AS_OF], responses=ExecutionRatesSerializer)
    @route(detail=False, methods=["get"], url_path="execution-rate")
    def execution_rate(self, request):
        """The execution rate (clauses done on time ÷ clauses due) as of a date, in total, per
        meeting, per agency and per Jalali month of the due date, over what the user may see."""
        as_of = as_of_param(request)
        result = selectors.execution_rates(user=request.user, as_of=as_of)
        body = {
            "as_of": as_of,
            "total": _rate_dict(result.total),
            "meetings": [
                _rate_dict(r, meeting=m.pk, number=m.number, date=m.date)
                for m, r in result.meetings
            ],
            "agencies": [
                _rate_dict(
                    r,
                    agency=a.pk if a else None,
                    name=a.name if a else charts.firm_label(),
                )
                for a, r in result.agencies
            ],
            "months": [
                _rate_dict(r, year=y, month=m, label=charts.month_label((y, m)))
                for (y, m), r in result.months
            ],
        }
        return Response(ExecutionRatesSerializer(body).data)
