from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from ronagh.core import views as core_views
from ronagh.notifications import views as notification_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("ronagh.api.urls")),
    path("", include("ronagh.plans.urls")),
    path("scorecards/", include("ronagh.scorecards.urls")),
    path("obstacles/", include("ronagh.obstacles.urls")),
    path("units/", include("ronagh.units.urls")),
    path("hq/", include("ronagh.hq.urls")),
    path("notifications/", include("ronagh.notifications.urls")),
    path("reports/", include("ronagh.reports.urls")),
    path("bale/", include("ronagh.bale.urls")),
    path("me/", notification_views.profile, name="profile"),
]
