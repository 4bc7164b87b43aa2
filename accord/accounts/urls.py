from django.urls import path

from accord.accounts import views

app_name = "accounts"
urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("settings/", views.preferences, name="preferences"),
]
