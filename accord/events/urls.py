from django.urls import path

from accord.events import views

app_name = "events"
urlpatterns = [
    path("", views.feed, name="feed"),
    path("stream", views.stream, name="stream"),
]
