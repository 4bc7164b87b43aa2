from django.apps import AppConfig


class ProcessConfig(AppConfig):
    name = "accord.process"
    label = "process"
