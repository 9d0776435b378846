from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from ronagh.core import views as core_views
from ronagh.notifications import views as notification_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("favicon.ico", core_views.favicon),
    path("search/", core_views.search, name="search"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("ronagh.api.urls")),
    path("organisation/", include("ronagh.core.urls")),
    path("", include("ronagh.plans.urls")),
    path("scorecards/", include("ronagh.scorecards.urls")),
    path("obstacles/", include("ronagh.obstacles.urls")),
    path("units/", include("ronagh.units.urls")),
    path("hq/", include("ronagh.hq.urls")),
    path("notifications/", include("ronagh.notifications.urls")),
    path("reports/", include("ronagh.reports.urls")),
    path("national/", include("ronagh.national.urls")),
    path("bale/", include("ronagh.bale.urls")),
    path("me/", notification_views.profile, name="profile"),
]

handler403 = "ronagh.core.views.forbidden"
handler404 = "ronagh.core.views.not_found"
handler500 = "ronagh.core.views.server_error"
