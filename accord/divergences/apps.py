from django.apps import AppConfig


class DivergencesConfig(AppConfig):
    name = "accord.divergences"
    label = "divergences"

    def ready(self) -> None:
        from accord.divergences import attention

        attention.register()
