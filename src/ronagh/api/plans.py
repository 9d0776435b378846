"""The plan and its progress over HTTP (SPEC 7): plans and their rollup, communication, actions
with their SPEC 4.3 figures as of a date, and the daily progress reports.

Thin on purpose: every read starts from a scoping selector (`visible_plans`, `visible_actions`,
`visible_reports`), figures come from `plan_data`/`plan_rollup`, and the one write path is
`services.report_progress` / `services.communicate_plan`."""

from __future__ import annotations

import json
from collections import defaultdict

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
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
from ronagh.core.selectors import visible_agencies
from ronagh.plans import rollup, selectors, services
from ronagh.plans.figures import PlanFigures, figures, plan_data
from ronagh.plans.models import (
    Action,
    Channel,
    CorrectionDecision,
    Plan,
    ProgressReport,
    ReportState,
    in_force,
)

from .fields import (
    AS_OF,
    DateInputField,
    JalaliField,
    NumberInputField,
    PercentField,
    as_of_param,
    date_param,
    id_param,
)
from .idempotency import IDEMPOTENCY_KEY, respond_once
from .permissions import IsSecretariat, MayReportProgress, ServiceErrorsMixin

# --- plans ---------------------------------------------------------------------------------------


class PlanSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    communicated_on_jalali = JalaliField(source="communicated_on")

    class Meta:
        model = Plan
        fields = [
            "id",
            "province",
            "year",
            "title",
            "status",
            "communicated_on",
            "communicated_on_jalali",
        ]


class PlanAxisSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    title = serializers.CharField()
    weight = serializers.FloatField()


class PlanDetailSerializer(PlanSerializer):
    axes = PlanAxisSerializer(many=True, read_only=True)

    class Meta(PlanSerializer.Meta):
        fields = PlanSerializer.Meta.fields + ["is_sample", "axes"]


class AxisRollupSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    planned = PercentField()
    actual = PercentField()
    gap = PercentField()


class AgencyRollupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    planned = PercentField()
    actual = PercentField()
    gap = PercentField()


class RollupSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    as_of_jalali = JalaliField(source="as_of")
    planned = PercentField()
    actual = PercentField()
    gap = PercentField()
    coverage = PercentField(
        allow_null=True,
        help_text="Share of the actions whose latest report is inside the window (percent); "
        "null when none is due to report.",
    )
    status_counts = serializers.DictField(child=serializers.IntegerField())
    axes = AxisRollupSerializer(many=True)
    agencies = AgencyRollupSerializer(many=True)


def _figures(r: rollup.Rollup) -> dict:
    return {"planned": r.planned, "actual": r.actual, "gap": r.gap}


@extend_schema(tags=["plans"])
class PlanViewSet(ServiceErrorsMixin, viewsets.ReadOnlyModelViewSet):
    """Plans the user may see (an agency user: its own province's)."""

    serializer_class = PlanSerializer
    pagination_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        qs = selectors.visible_plans(self.request.user)
        if self.action == "list":
            params = self.request.query_params
            year = id_param(self.request, "year")
            if year is not None:
                qs = qs.filter(year=year)
            if params.get("status"):
                qs = qs.filter(status=params["status"])
            if params.get("province"):
                qs = qs.filter(province__code=params["province"])
        elif self.action == "retrieve":
            qs = qs.prefetch_related("axes")
        return qs

    def get_serializer_class(self):
        return PlanDetailSerializer if self.action != "list" else PlanSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="Jalali year, e.g. 1405"),
            OpenApiParameter("status", str, enum=list(Plan.Status.values)),
            OpenApiParameter("province", str, description="Province code, e.g. qom"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[AS_OF], responses=RollupSerializer)
    @route(detail=True, methods=["get"])
    def rollup(self, request, pk=None):
        """SPEC 4.3 rollup of the plan, each axis and each agency's lead actions on `as_of`.
        Plan-wide figures are public within the province; the per-agency rows are limited to the
        agencies the user may see (an agency user: its own)."""
        plan = self.get_object()
        as_of = as_of_param(request, plan)
        result = figures(plan, as_of)
        shown = set(
            visible_agencies(request.user)
            .filter(id__in=[agency.id for agency, _r in result.agencies])
            .values_list("id", flat=True)
        )
        body = {
            "as_of": as_of,
            **_figures(result.total),
            "coverage": result.total.coverage,
            "status_counts": {s: result.total.status_counts.get(s, 0) for s in rollup.STATUSES},
            "axes": [
                {"number": axis.number, "title": axis.title, **_figures(r)}
                for axis, r in result.axes
            ],
            "agencies": [
                {"id": agency.id, "name": agency.name, **_figures(r)}
                for agency, r in result.agencies
                if agency.id in shown
            ],
        }
        return Response(RollupSerializer(body).data)

    @extend_schema(
        request=None,
        responses={
            200: PlanDetailSerializer,
            400: OpenApiResponse(description="The blocking gaps of the quality check."),
            403: OpenApiResponse(description="Only the secretariat communicates a plan."),
            409: OpenApiResponse(description="The plan is not a draft."),
        },
    )
    @route(detail=True, methods=["post"], permission_classes=[IsSecretariat])
    def communicate(self, request, pk=None):
        """ابلاغ: draft → communicated, the baseline frozen (SPEC 4.1)."""
        plan = services.communicate_plan(actor=request.user, plan=self.get_object())
        plan = selectors.visible_plans(request.user).prefetch_related("axes").get(pk=plan.pk)
        return Response(PlanDetailSerializer(plan).data)

    @extend_schema(
        request=None,
        responses={
            200: PlanDetailSerializer,
            403: OpenApiResponse(description="Only the secretariat closes a plan."),
            409: OpenApiResponse(description="The plan is not communicated."),
        },
    )
    @route(detail=True, methods=["post"], permission_classes=[IsSecretariat])
    def close(self, request, pk=None):
        """communicated → closed: the plan takes no more reports (SPEC 4.1)."""
        plan = services.close_plan(actor=request.user, plan=self.get_object())
        plan = selectors.visible_plans(request.user).prefetch_related("axes").get(pk=plan.pk)
        return Response(PlanDetailSerializer(plan).data)


# --- actions -------------------------------------------------------------------------------------


class MilestoneSerializer(serializers.Serializer):
    date = serializers.DateField()
    date_jalali = JalaliField(source="date")
    percent = PercentField()


class ActionSerializer(serializers.Serializer):
    """One action with its SPEC 4.3 figures on `as_of`. Built from {"action", "partners",
    "figures", "milestones", "as_of"}."""

    id = serializers.IntegerField(source="action.id")
    plan = serializers.IntegerField(source="action.plan_id")
    code = serializers.CharField(source="action.code")
    title = serializers.CharField(source="action.title")
    axis = serializers.IntegerField(source="action.axis.number", help_text="Axis number")
    lead_agency = serializers.IntegerField(source="action.lead_agency_id", allow_null=True)
    partners = serializers.ListField(child=serializers.IntegerField(), help_text="Agency ids")
    weight = serializers.FloatField(source="action.weight")
    start = serializers.DateField(source="action.start", allow_null=True)
    start_jalali = JalaliField(source="action.start", allow_null=True)
    end = serializers.DateField(source="action.end", allow_null=True)
    end_jalali = JalaliField(source="action.end", allow_null=True)
    indicator = serializers.CharField(source="action.indicator")
    target = serializers.FloatField(source="action.target", allow_null=True)
    unit = serializers.CharField(source="action.unit")
    milestones = MilestoneSerializer(many=True)
    as_of = serializers.DateField()
    as_of_jalali = JalaliField(source="as_of")
    planned = PercentField(source="figures.planned")
    actual = PercentField(source="figures.actual")
    gap = PercentField(source="figures.gap")
    spi = PercentField(source="figures.spi", allow_null=True, help_text="A / P; null when P = 0")
    # A plain string rather than an enum: a second "status" enum beside the plan's would need an
    # ENUM_NAME_OVERRIDES entry in settings to name it cleanly in the schema.
    status = serializers.CharField(
        source="figures.status", help_text="One of: " + ", ".join(rollup.STATUSES)
    )
    unreported = serializers.BooleanField(source="figures.unreported")
    forecast_finish = serializers.DateField(
        source="forecast", allow_null=True, help_text="null: never at this pace"
    )
    forecast_finish_jalali = JalaliField(source="forecast", allow_null=True)
    last_report = serializers.DateField(source="figures.last_report", allow_null=True)
    last_report_jalali = JalaliField(source="figures.last_report", allow_null=True)


def _action_rows(actions: list[Action], request) -> list[dict]:
    """Each action with its figures as of `?as_of=` (clamped to its plan's year), its plan
    loaded once for all of that plan's actions."""
    by_plan: dict[int, list[Action]] = defaultdict(list)
    for a in actions:
        by_plan[a.plan_id].append(a)
    found, forecasts, milestones, dates = {}, {}, {}, {}
    for group in by_plan.values():
        plan = group[0].plan
        pf = PlanFigures(plan_data(plan), as_of_param(request, plan))
        ids = [a.id for a in group]
        found.update({i: pf.actions[i] for i in ids})
        forecasts.update(pf.forecasts(ids))
        for a in group:
            milestones[a.id] = [
                {"date": d, "percent": p} for d, p in pf.data.inputs[a.id].milestones
            ]
            dates[a.id] = pf.as_of
    return [
        {
            "action": a,
            "partners": sorted(p.id for p in a.partners.all()),
            "figures": found[a.id],
            "forecast": forecasts[a.id],
            "milestones": milestones[a.id],
            "as_of": dates[a.id],
        }
        for a in actions
    ]


@extend_schema(tags=["actions"])
class ActionViewSet(ServiceErrorsMixin, viewsets.GenericViewSet):
    """Actions the user may see (an agency user: those its agency leads or partners in)."""

    serializer_class = ActionSerializer
    pagination_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return (
            selectors.visible_actions(self.request.user)
            .select_related("plan", "axis", "lead_agency")
            .prefetch_related("partners")
            .order_by("-plan__year", "plan_id", "axis__number", "code")
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("plan", int, description="Plan id"),
            OpenApiParameter("axis", int, description="Axis number (with plan)"),
            OpenApiParameter("agency", int, description="Lead or partner agency id"),
            OpenApiParameter("status", str, enum=list(rollup.STATUSES)),
            AS_OF,
        ]
    )
    def list(self, request):
        as_of_param(request)  # 400 for an unreadable date, even with no action to show
        qs = self.get_queryset()
        plan = id_param(request, "plan")
        if plan is not None:
            qs = qs.filter(plan_id=plan)
        axis = id_param(request, "axis")
        if axis is not None:
            qs = qs.filter(axis__number=axis)
        agency = id_param(request, "agency")
        if agency is not None:
            qs = qs.involving(agency)
        wanted = request.query_params.get("status")
        if wanted and wanted not in rollup.STATUSES:
            raise ValidationError(
                {"status": [_("Choose one of: %(s)s.") % {"s": ", ".join(rollup.STATUSES)}]}
            )
        rows = _action_rows(list(qs), request)
        if wanted:
            rows = [r for r in rows if r["figures"].status == wanted]
        return Response(ActionSerializer(rows, many=True).data)

    @extend_schema(parameters=[AS_OF])
    def retrieve(self, request, pk=None):
        action = self.get_object()
        return Response(ActionSerializer(_action_rows([action], request)[0]).data)


# --- progress reports ----------------------------------------------------------------------------


class DecisionSerializer(serializers.Serializer):
    approved = serializers.BooleanField()
    comment = serializers.CharField()
    by = serializers.SlugRelatedField(source="decided_by", slug_field="username", read_only=True)
    at = serializers.DateTimeField(source="decided_at")
    at_jalali = JalaliField(source="decided_at")


class ProgressReportSerializer(serializers.ModelSerializer):
    """A report as stored, with where it stands (`state`) and how it came (`channel`). Built
    from a report annotated by `ProgressReport.objects.with_state()`."""

    date_jalali = JalaliField(source="date")
    percent = PercentField()
    entered_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    entered_at_jalali = JalaliField(source="entered_at")
    corrected_by = serializers.SerializerMethodField(
        help_text="The correction in force that supersedes this report, if any"
    )
    channel = serializers.ChoiceField(choices=Channel.choices, read_only=True)
    state = serializers.ChoiceField(
        choices=ReportState.choices,
        read_only=True,
        help_text="effective: counts; superseded: replaced by a correction in force; pending: a "
        "reporter's correction awaiting the manager; rejected: a correction the manager refused",
    )
    decision = serializers.SerializerMethodField(
        help_text="The manager's or the secretariat's decision on a reporter's correction"
    )

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "action",
            "agency",
            "date",
            "date_jalali",
            "percent",
            "note",
            "unchanged",
            "evidence",
            "corrects",
            "reason",
            "corrected_by",
            "channel",
            "state",
            "decision",
            "late",
            "entered_by_secretariat",
            "entered_by",
            "entered_at",
            "entered_at_jalali",
        ]
        read_only_fields = fields

    def get_corrected_by(self, obj) -> int | None:
        return getattr(obj, "corrected_by_ref", None)

    @extend_schema_field(DecisionSerializer(allow_null=True))
    def get_decision(self, obj):
        if not obj.needs_approval:
            return None
        try:
            decision = obj.decision
        except CorrectionDecision.DoesNotExist:
            return None
        return DecisionSerializer(decision).data


def reports_with_state(qs):
    """Reports as the serializer wants them: their state, the correction that supersedes them,
    who entered them and the decision on them."""
    superseding = ProgressReport.objects.filter(in_force(), corrects=OuterRef("pk")).values("id")
    return (
        qs.with_state()
        .annotate(corrected_by_ref=Subquery(superseding[:1]))
        .select_related("entered_by", "decision__decided_by")
    )


class ProgressInputSerializer(serializers.Serializer):
    """A report as a client sends it. The action and the corrected report are looked up
    unscoped: whether the user may report on them is `report_progress`'s decision (403)."""

    action = serializers.PrimaryKeyRelatedField(queryset=Action.objects.all())
    date = DateInputField(help_text="ISO 8601 (a Jalali 1405/09/01 is accepted too)")
    percent = NumberInputField(help_text="Cumulative physical progress, 0–100, one decimal")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    corrects = serializers.PrimaryKeyRelatedField(
        queryset=ProgressReport.objects.all(), required=False, allow_null=True, default=None
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    unchanged = serializers.BooleanField(required=False, default=False)
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Secretariat only: the partner agency on whose behalf the report is entered",
    )
    evidence = serializers.FileField(required=False, allow_null=True, default=None)


class DecideInputSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true approves the correction, false rejects it")
    comment = serializers.CharField(allow_blank=True, help_text="Required")


@extend_schema(tags=["progress"])
class ProgressViewSet(
    ServiceErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Daily progress reports (append-only; a correction is a new report)."""

    serializer_class = ProgressReportSerializer
    permission_classes = [MayReportProgress]
    pagination_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        qs = reports_with_state(selectors.visible_reports(self.request.user)).order_by("date", "id")
        if self.action == "list":
            for param, lookup in (("action", "action_id"), ("plan", "action__plan_id"),
                                  ("agency", "agency_id")):  # fmt: skip
                value = id_param(self.request, param)
                if value is not None:
                    qs = qs.filter(**{lookup: value})
            since = date_param(self.request, "since")
            if since is not None:
                qs = qs.filter(date__gte=since)
            until = date_param(self.request, "until")
            if until is not None:
                qs = qs.filter(date__lte=until)
            wanted = self.request.query_params.get("state")
            if wanted:
                if wanted not in ReportState.values:
                    raise ValidationError(
                        {
                            "state": [
                                _("Choose one of: %(s)s.") % {"s": ", ".join(ReportState.values)}
                            ]
                        }
                    )
                qs = qs.filter(state=wanted)
        return qs

    def _shown(self, report: ProgressReport) -> dict:
        report = reports_with_state(ProgressReport.objects.filter(pk=report.pk)).get()
        data = ProgressReportSerializer(report, context=self.get_serializer_context()).data
        return json.loads(json.dumps(data, cls=DjangoJSONEncoder))

    @extend_schema(
        parameters=[
            OpenApiParameter("action", int, description="Action id"),
            OpenApiParameter("plan", int, description="Plan id"),
            OpenApiParameter("agency", int, description="Reporting agency id"),
            OpenApiParameter("since", OpenApiTypes.DATE, description="Report date from"),
            OpenApiParameter("until", OpenApiTypes.DATE, description="Report date up to"),
            OpenApiParameter("state", str, enum=list(ReportState.values)),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=ProgressInputSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            201: ProgressReportSerializer,
            400: OpenApiResponse(description="A message per field."),
            403: OpenApiResponse(
                description="The user's agency neither leads nor partners in the action, the "
                "role may not report, or the reporting window for that date has closed."
            ),
            422: OpenApiResponse(description="The Idempotency-Key was used with another body."),
        },
    )
    def create(self, request):
        """Store a report (or a correction, `corrects` + `reason`: a reporter's waits for the
        manager's approval, `state` pending). With an `Idempotency-Key` header, a retry gets
        the first answer and stores nothing again."""

        def run():
            given = ProgressInputSerializer(data=request.data)
            given.is_valid(raise_exception=True)
            report = services.report_progress(
                actor=request.user, channel=Channel.API, **given.validated_data
            )
            return status.HTTP_201_CREATED, self._shown(report)

        return respond_once(request, scope="api:progress", run=run)

    @extend_schema(
        request=DecideInputSerializer,
        responses={
            200: ProgressReportSerializer,
            400: OpenApiResponse(description="Not a pending correction, or no comment."),
            403: OpenApiResponse(description="Only the agency's manager or the secretariat."),
        },
    )
    @route(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Approve or reject a reporter's pending correction, with a comment (SPEC 1, 4.2)."""
        report = self.get_object()
        given = DecideInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.decide_correction(
            actor=request.user,
            correction=report,
            approve=given.validated_data["approve"],
            comment=given.validated_data["comment"],
        )
        return Response(self._shown(report))
