from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "accord.analysis"
    label = "analysis"
