from django.urls import path

from accord.divergences import views

app_name = "divergences"
urlpatterns = [
    path("", views.board, name="board"),
    path("new", views.create, name="create"),
    path("<str:divergence_id>/", views.detail, name="detail"),
    path("<str:divergence_id>/<slug:action>", views.act, name="act"),
]
