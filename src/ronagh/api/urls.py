from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import core, national, obstacles, plans, units
from .hq import clauses, meetings

router = SimpleRouter()
router.register("plans", plans.PlanViewSet, basename="plan")
router.register("actions", plans.ActionViewSet, basename="action")
router.register("progress", plans.ProgressViewSet, basename="progress")
router.register("agencies", core.AgencyViewSet, basename="agency")
router.register("obstacles", obstacles.ObstacleViewSet, basename="obstacle")
router.register("meetings", meetings.MeetingViewSet, basename="meeting")
router.register("resolutions", meetings.ResolutionViewSet, basename="resolution")
router.register("clauses", clauses.ClauseViewSet, basename="clause")
router.register("units", units.UnitViewSet, basename="unit")
router.register("indicators", units.IndicatorViewSet, basename="indicator")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("me/", core.MeView.as_view(), name="api-me"),
    path("national/", national.NationalView.as_view(), name="api-national"),
    path("jobs-at-risk/", units.JobsAtRiskView.as_view(), name="api-jobs-at-risk"),
    path("me/messenger-code/", core.MessengerCodeView.as_view(), name="api-messenger-code"),
    *router.urls,
]
