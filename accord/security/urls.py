from django.urls import path

from accord.security import views

app_name = "security"
urlpatterns = [
    path("", views.index, name="index"),
    path("unlock/", views.unlock, name="unlock"),
    path("second-factor/enrol/", views.enrol, name="enrol"),
    path("second-factor/enrol/qr.svg", views.enrol_qr, name="enrol_qr"),
    path("second-factor/verify/", views.verify, name="verify"),
    path("second-factor/recovery/", views.recovery, name="recovery"),
]
