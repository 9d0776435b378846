"""The organisation over HTTP: the signed-in user (and the code that links their Bale chat), the
agencies the user may see, and an agency's scorecard (SPEC 4.4)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action as route
from rest_framework.response import Response
from rest_framework.views import APIView

from ronagh.core.models import Agency, Province, User
from ronagh.core.permissions import home_province_id
from ronagh.core.selectors import visible_agencies
from ronagh.notifications import messenger
from ronagh.scorecards.selectors import agency_scorecard

from .fields import AS_OF, JalaliField, PercentField, as_of_param
from .permissions import ServiceErrorsMixin


class AgencySerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Agency
        fields = ["id", "name", "kind", "province"]


class EvidenceActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    planned = PercentField(source="figures.planned")
    actual = PercentField(source="figures.actual")
    gap = PercentField(source="figures.gap")


class ScorecardSerializer(serializers.Serializer):
    progress = PercentField(allow_null=True)
    compliance = PercentField(allow_null=True)
    obstacles = PercentField(allow_null=True)
    score = PercentField(allow_null=True)
    grade = serializers.ChoiceField(choices=["A", "B", "C", "D"], allow_null=True)
    rank = serializers.IntegerField(
        allow_null=True, help_text="Rank by score among the province's agencies on the plan"
    )
    agency = serializers.IntegerField(source="agency.id")
    plan = serializers.IntegerField(
        source="plan.id", allow_null=True, default=None, help_text="The plan the figures come from"
    )
    as_of = serializers.DateField()
    as_of_jalali = JalaliField(source="as_of")
    required_reports = serializers.IntegerField()
    reported_reports = serializers.IntegerField()
    missed_reports = serializers.IntegerField()
    obstacles_due = serializers.IntegerField()
    obstacles_on_time = serializers.IntegerField()
    critical_actions = EvidenceActionSerializer(many=True)
    stalled_actions = EvidenceActionSerializer(many=True)


@extend_schema(tags=["agencies"])
class AgencyViewSet(
    ServiceErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Agencies the user may see: an agency user only its own."""

    serializer_class = AgencySerializer
    pagination_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return visible_agencies(self.request.user).order_by("province__name", "name")

    @extend_schema(parameters=[AS_OF], responses=ScorecardSerializer)
    @route(detail=True, methods=["get"])
    def scorecard(self, request, pk=None):
        """SPEC 4.4 scorecard as of a date: the progress, compliance and obstacles components, the
        score (the weights of absent components rescaled away) and its grade, the agency's rank
        in its province, and the evidence counts. `obstacles` is null where no obstacle of the
        agency was due by then."""
        agency = self.get_object()
        card = agency_scorecard(agency=agency, as_of=as_of_param(request))
        return Response(ScorecardSerializer(card).data)


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField(source="get_full_name")
    role = serializers.ChoiceField(choices=User.Role.choices)
    agency = serializers.IntegerField(source="agency_id", allow_null=True)
    agency_name = serializers.CharField(source="agency.name", allow_null=True, default=None)
    province = serializers.SerializerMethodField()

    def get_province(self, user) -> str | None:
        province_id = home_province_id(user)
        return Province.objects.get(pk=province_id).code if province_id else None


@extend_schema(tags=["me"], responses=MeSerializer)
class MeView(ServiceErrorsMixin, APIView):
    """Who the token or session belongs to."""

    def get(self, request):
        return Response(MeSerializer(request.user).data)


class MessengerCodeSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Six digits; send `/start CODE` to the Bale bot")
    expires_at = serializers.DateTimeField()
    expires_at_jalali = JalaliField(source="expires_at")


@extend_schema(tags=["me"], request=None, responses={201: MessengerCodeSerializer})
class MessengerCodeView(ServiceErrorsMixin, APIView):
    """A one-time code, valid for 10 minutes, that links a Bale chat to the signed-in user
    (SPEC 4.2.1); a new code voids the earlier ones."""

    def post(self, request):
        issued = messenger.issue_code(actor=request.user)
        return Response(MessengerCodeSerializer(issued).data, status=status.HTTP_201_CREATED)
