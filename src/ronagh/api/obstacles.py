"""Obstacles over HTTP (SPEC 7): register, list with filters, read with the transition history,
and move one step of SPEC 5's workflow.

Thin on purpose: reads start from `visible_obstacles` (an agency user never finds another
agency's obstacle: 404), writes go through `services.register_obstacle` and
`services.transition`, whose ValidationError / PermissionDenied become 400 / 403."""

from __future__ import annotations

from django.utils import timezone
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

from ronagh.core.models import Agency, County
from ronagh.obstacles import selectors, services
from ronagh.obstacles.models import Category, FacingKind, Obstacle, Status
from ronagh.plans.models import Action
from ronagh.units.models import IndustrialPark, ProductionUnit

from .fields import JalaliField, NumberInputField, id_param
from .permissions import ServiceErrorsMixin

STATUSES = ", ".join(Status.values)
CATEGORIES = ", ".join(Category.values)


class TransitionSerializer(serializers.Serializer):
    # "from" is a Python keyword: it goes into the class namespace by name.
    locals()["from"] = serializers.CharField(source="from_status", help_text="Status before")
    to = serializers.CharField(source="to_status", help_text="Status after the step")
    by = serializers.CharField(source="by.username", help_text="Username of who made it")
    by_name = serializers.SerializerMethodField()
    at = serializers.DateTimeField()
    at_jalali = JalaliField(source="at")
    comment = serializers.CharField()
    agency = serializers.IntegerField(
        source="to_agency_id", allow_null=True, help_text="Responsible agency after the step"
    )
    bounce = serializers.BooleanField(source="is_bounce", help_text="A re-routing")

    def get_by_name(self, obj) -> str:
        return obj.by.get_full_name() or obj.by.username


class ObstacleSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status = serializers.CharField(read_only=True, help_text=f"One of: {STATUSES}")
    category = serializers.CharField(read_only=True, help_text=f"One of: {CATEGORIES}")
    facing_kind = serializers.CharField(
        read_only=True, help_text="Who faces it: unit, park, sector, or blank (not stated)"
    )
    responsible_agency_name = serializers.CharField(
        source="responsible_agency.name", read_only=True, allow_null=True, default=None
    )
    registered_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    registered_at_jalali = JalaliField(source="registered_at")
    assigned_on_jalali = JalaliField(source="assigned_on", allow_null=True)
    due_date_jalali = JalaliField(source="due_date", allow_null=True)
    resolved_on_jalali = JalaliField(source="resolved_on", allow_null=True)
    overdue = serializers.SerializerMethodField(
        help_text="Assigned or in progress, and past its due date"
    )
    days_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Obstacle
        fields = [
            "id",
            "province",
            "title",
            "description",
            "category",
            "severity",
            "jobs_affected",
            "amount",
            "facing_kind",
            "unit",
            "park",
            "sector",
            "county",
            "action",
            "status",
            "responsible_agency",
            "responsible_agency_name",
            "assigned_on",
            "assigned_on_jalali",
            "due_date",
            "due_date_jalali",
            "overdue",
            "days_overdue",
            "resolved_on",
            "resolved_on_jalali",
            "bounces",
            "registered_by",
            "registered_at",
            "registered_at_jalali",
            "is_sample",
        ]
        read_only_fields = fields

    def _today(self):
        return self.context.get("today") or timezone.localdate()

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue(self._today())

    def get_days_overdue(self, obj) -> int:
        return obj.days_overdue(self._today())


class ObstacleDetailSerializer(ObstacleSerializer):
    transitions = serializers.SerializerMethodField()

    class Meta(ObstacleSerializer.Meta):
        fields = ObstacleSerializer.Meta.fields + ["transitions"]

    @extend_schema_field(TransitionSerializer(many=True))
    def get_transitions(self, obj) -> list[dict]:
        return TransitionSerializer(selectors.transitions_of(obj), many=True).data


class ObstacleInputSerializer(serializers.Serializer):
    """An obstacle as a client registers it. Ranges, choices and provinces are the service's
    business (400 with a message per field)."""

    title = serializers.CharField(allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    category = serializers.CharField(help_text=f"One of: {CATEGORIES}")
    severity = NumberInputField(help_text="1 (low) to 4 (gravest)")
    jobs_affected = NumberInputField(required=False, default=0)
    amount = NumberInputField(required=False, default=0, help_text="Rial")
    responsible_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Kept when given; otherwise the province's routing table decides",
    )
    action = serializers.PrimaryKeyRelatedField(
        queryset=Action.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The plan action it blocks",
    )
    facing_kind = serializers.ChoiceField(
        choices=[c for c in FacingKind.values if c],
        required=False,
        allow_null=True,
        default=None,
        help_text="Who faces it; inferred from unit / park / sector when left out",
    )
    unit = serializers.PrimaryKeyRelatedField(
        queryset=ProductionUnit.objects.all(), required=False, allow_null=True, default=None
    )
    park = serializers.PrimaryKeyRelatedField(
        queryset=IndustrialPark.objects.all(), required=False, allow_null=True, default=None
    )
    sector = serializers.CharField(required=False, allow_blank=True, default="")
    county = serializers.PrimaryKeyRelatedField(
        queryset=County.objects.all(), required=False, allow_null=True, default=None
    )


class TransitionInputSerializer(serializers.Serializer):
    to = serializers.CharField(help_text=f"The new status: one of {STATUSES}")
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required to resolve, reject, reopen and re-route",
    )
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="When assigning or re-routing: the new responsible agency",
    )


def _true(value: str) -> bool | None:
    value = (value or "").strip().lower()
    if not value:
        return None
    if value in {"1", "true", "yes"}:
        return True
    if value in {"0", "false", "no"}:
        return False
    raise ValidationError({"overdue": [_("Write true or false.")]})


@extend_schema(tags=["obstacles"])
class ObstacleViewSet(
    ServiceErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Obstacles the user may see: everything of the province for the secretariat, the governor
    and the auditor; an agency user those routed to its agency (and those it registered)."""

    serializer_class = ObstacleSerializer
    pagination_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        qs = selectors.visible_obstacles(self.request.user).order_by("-registered_at", "-id")
        if self.action != "list":
            return qs
        params = self.request.query_params
        wanted = [s for s in params.get("status", "").split(",") if s.strip()]
        unknown = [s for s in wanted if s not in Status.values]
        if unknown:
            raise ValidationError({"status": [_("Choose one of: %(s)s.") % {"s": STATUSES}]})
        if wanted:
            qs = qs.filter(status__in=wanted)
        category = params.get("category", "").strip()
        if category:
            if category not in Category.values:
                raise ValidationError(
                    {"category": [_("Choose one of: %(s)s.") % {"s": CATEGORIES}]}
                )
            qs = qs.filter(category=category)
        for param, lookup in (
            ("agency", "responsible_agency_id"),
            ("severity", "severity"),
            ("county", "county_id"),
            ("park", "park_id"),
            ("unit", "unit_id"),
            ("action", "action_id"),
        ):
            value = id_param(self.request, param)
            if value is not None:
                qs = qs.filter(**{lookup: value})
        overdue = _true(params.get("overdue", ""))
        today = timezone.localdate()
        if overdue is True:
            qs = qs.overdue(today)
        elif overdue is False:
            qs = qs.not_overdue(today)
        return qs

    def get_serializer_class(self):
        return ObstacleDetailSerializer if self.action != "list" else ObstacleSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status", str, description=f"One status, or several separated by commas: {STATUSES}"
            ),
            OpenApiParameter("agency", int, description="Responsible agency id"),
            OpenApiParameter(
                "overdue", bool, description="true: only overdue ones; false: none of them"
            ),
            OpenApiParameter("category", str, enum=list(Category.values)),
            OpenApiParameter("severity", int, enum=[1, 2, 3, 4]),
            OpenApiParameter("county", int, description="County id"),
            OpenApiParameter("park", int, description="Industrial park id"),
            OpenApiParameter("unit", int, description="Production unit id"),
            OpenApiParameter("action", int, description="Plan action id"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=ObstacleInputSerializer,
        responses={
            201: ObstacleDetailSerializer,
            400: OpenApiResponse(description="A message per bad field."),
            403: OpenApiResponse(description="The governor and the auditor register nothing."),
        },
    )
    def create(self, request):
        """Register an obstacle; it is routed at once (SPEC 5)."""
        data = ObstacleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        obstacle = services.register_obstacle(actor=request.user, **fields)
        obstacle = Obstacle.objects.select_related("province", "responsible_agency").get(
            pk=obstacle.pk
        )
        return Response(ObstacleDetailSerializer(obstacle).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=TransitionInputSerializer,
        responses={
            200: ObstacleDetailSerializer,
            400: OpenApiResponse(
                description="A step SPEC 5 does not allow, or a missing comment or agency."
            ),
            403: OpenApiResponse(description="The user may not make this step."),
            404: OpenApiResponse(description="No such obstacle among those the user may see."),
        },
    )
    @route(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the obstacle one step of SPEC 5's workflow; the step is recorded for good."""
        obstacle = self.get_object()
        data = TransitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.transition(actor=request.user, obstacle=obstacle, **data.validated_data)
        obstacle = self.get_queryset().get(pk=obstacle.pk)
        return Response(ObstacleDetailSerializer(obstacle).data)
