from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "accord.ops"
    label = "ops"
