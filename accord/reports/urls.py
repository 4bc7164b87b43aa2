from django.urls import path

from accord.reports import views

app_name = "reports"
urlpatterns = [
    path("briefing/", views.briefing, name="briefing"),
    path("briefing.pdf", views.briefing_pdf, name="briefing-pdf"),
]
