from django.urls import path

from accord.compliance import views

app_name = "compliance"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("commitments/new", views.commitment_new, name="commitment_new"),
    path("commitments/<str:commitment_id>/", views.commitment, name="commitment"),
    path(
        "commitments/<str:commitment_id>/<slug:action>", views.commitment_act, name="commitment_act"
    ),
    path("sequences/<str:sequence_id>/", views.sequence, name="sequence"),
    path("disputes/new", views.dispute_new, name="dispute_new"),
    path("disputes/<str:dispute_id>/", views.dispute, name="dispute"),
    path("disputes/<str:dispute_id>/<slug:action>", views.dispute_act, name="dispute_act"),
    path("convening/new", views.convening_new, name="convening_new"),
    path("convening/<str:request_id>/convened", views.convening_done, name="convening_done"),
    path("tranches/<str:tranche_id>/release", views.tranche_release, name="tranche_release"),
]
