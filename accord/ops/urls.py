from django.urls import path

from accord.ops import views

app_name = "ops"
U = "people/<str:username>"
urlpatterns = [
    path("", views.home, name="home"),
    path("people/new", views.person_create, name="person-create"),
    path("people/appoint", views.appoint, name="appoint"),
    path(f"{U}/deactivate", views.deactivate, name="deactivate"),
    path(f"{U}/password", views.password_reset, name="password-reset"),
    path(f"{U}/tokens/revoke", views.tokens_revoke, name="tokens-revoke"),
]
