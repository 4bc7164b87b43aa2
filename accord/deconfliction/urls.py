from django.urls import path

from accord.deconfliction import views

app_name = "deconfliction"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("organisations/new", views.organisation_new, name="organisation_new"),
    path("notifications/new", views.notification_new, name="notification_new"),
    path("notifications/<uuid:public_id>", views.notification, name="notification"),
    path(
        "notifications/<uuid:public_id>/amend", views.notification_amend, name="notification_amend"
    ),
    path(
        "notifications/<uuid:public_id>/<str:action>",
        views.notification_act,
        name="notification_act",
    ),
    path("export.<str:fmt>", views.notifications_export, name="export"),
    path("map", views.map_page, name="map"),
    path("map/layers.json", views.map_json, name="map_layers"),
    path("checks", views.checks, name="checks"),
    path("activities/new", views.activity_new, name="activity_new"),
    path("reports", views.reports, name="reports"),
    path("reports/<uuid:public_id>", views.report, name="report"),
    path("reports/<uuid:public_id>/evidence", views.evidence_new, name="evidence_new"),
    path("reports/<uuid:public_id>/<str:action>", views.report_act, name="report_act"),
    path("evidence/<uuid:public_id>", views.evidence_download, name="evidence"),
]
