from django.urls import path

from accord.maritime import views

app_name = "maritime"
urlpatterns = [
    path("", views.vessels, name="vessels"),
    path("vessels/<str:vessel_id>/", views.vessel, name="vessel"),
    path("map/<str:code>/", views.channel_map, name="map"),
    path("map/<str:code>/layers.json", views.channel_map_layers, name="map_layers"),
    path("map/<str:code>/positions.json", views.channel_map_positions, name="map_positions"),
]
