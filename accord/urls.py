"""URL map: pages per app, the JSON API under /api/, the live feed, the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accord.api import api

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accord.accounts.urls")),
    path("events/", include("accord.events.urls")),
    path("notes/", include("accord.notes.urls")),
    path("drafting/", include("accord.drafting.urls")),
    path("meetings/", include("accord.meetings.urls")),
    path("divergences/", include("accord.divergences.urls")),
    path("maritime/", include("accord.maritime.urls")),
    path("compliance/", include("accord.compliance.urls")),
    path("incidents/", include("accord.incidents.urls")),
    path("channels/", include("accord.channels.urls")),
    path("reports/", include("accord.reports.urls")),
    path("analysis/", include("accord.analysis.urls")),
    path("deconfliction/", include("accord.deconfliction.urls")),
    path("security/", include("accord.security.urls")),
    path("ops/", include("accord.ops.urls")),
    path("geo/", include("accord.geo.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("accord.web.urls")),
    path("", include("accord.dashboard.urls")),
]
