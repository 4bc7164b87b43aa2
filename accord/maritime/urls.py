from django.urls import path

from accord.maritime import views

app_name = "maritime"
urlpatterns = [
    path("", views.vessels, name="vessels"),
    path("vessels/<str:vessel_id>/", views.vessel, name="vessel"),
]
