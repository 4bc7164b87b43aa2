from django.apps import AppConfig


class ProcessConfig(AppConfig):
    name = "accord.process"
    label = "process"

    def ready(self) -> None:
        from accord.process import attention

        attention.register()
