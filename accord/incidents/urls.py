from django.urls import path

from accord.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new", views.report, name="report"),
    path("vessels/<str:vessel_id>/", views.vessel_panel, name="vessel"),
    path("vessels/<str:vessel_id>/affiliation", views.vessel_affiliate, name="affiliate"),
    path("vessels/<str:vessel_id>/annotate", views.vessel_annotate, name="annotate"),
    path("annotations/<str:annotation_id>/share", views.annotation_share, name="share"),
    path("<str:incident_id>/", views.detail, name="detail"),
    path("<str:incident_id>/report-<slug:kind>.<slug:fmt>", views.report_export, name="export"),
    path("<str:incident_id>/<slug:action>", views.act, name="act"),
]
