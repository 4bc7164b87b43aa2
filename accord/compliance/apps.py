from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "accord.compliance"
    label = "compliance"

    def ready(self) -> None:
        from accord.compliance import attention

        attention.register()
