from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "accord.geo"
    label = "geo"
    verbose_name = "Geography"
