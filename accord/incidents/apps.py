from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "accord.incidents"
    label = "incidents"

    def ready(self) -> None:
        from accord.incidents import attention

        attention.register()
