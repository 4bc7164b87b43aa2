from django.apps import AppConfig


class DeconflictionConfig(AppConfig):
    name = "accord.deconfliction"
    label = "deconfliction"
    verbose_name = "De-confliction"

    def ready(self) -> None:
        from accord.deconfliction import attention

        attention.register()
