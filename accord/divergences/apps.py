from django.apps import AppConfig


class DivergencesConfig(AppConfig):
    name = "accord.divergences"
    label = "divergences"
