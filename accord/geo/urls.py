from django.urls import path

from accord.geo import views

app_name = "geo"
urlpatterns = [
    path("mechanisms/<str:code>/", views.mechanism_map, name="mechanism_map"),
    path("mechanisms/<str:code>/layers.json", views.mechanism_layers, name="mechanism_layers"),
]
