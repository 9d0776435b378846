"""Meetings and resolutions of the HQ over HTTP (SPEC 5, 7): meetings with their agenda and
execution rate, numbered resolutions, and the execution rate per meeting, agency and month."""

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
    Meeting,
    Resolution,
)
from ronagh.obstacles.models import Obstacle

from ..fields import AS_OF, DateInputField, JalaliField, as_of_param
from ..fields import id_param as _id_param
from ..permissions import IsSecretariat, ServiceErrorsMixin
from .clauses import ClauseFieldsSerializer, ClauseSerializer
from .common import RateSerializer, today, visible_or_400

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
        return {**super().get_serializer_context(), "today": today()}

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
        meeting = visible_or_400(selectors.visible_meetings(request.user), v["meeting"], "meeting")
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
        context = {**super().get_serializer_context(), "today": today()}
        if self.action in ("list", "retrieve") and getattr(self, "request", None) is not None:
            meetings = self.get_queryset()
            if self.action == "retrieve":
                meetings = meetings.filter(pk=self.kwargs.get("pk"))
            context["rates"] = selectors.meeting_rates(meetings, self.request.user, today())
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
