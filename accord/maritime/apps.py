from django.apps import AppConfig


class MaritimeConfig(AppConfig):
    name = "accord.maritime"
    label = "maritime"
    verbose_name = "Maritime"
