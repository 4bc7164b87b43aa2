from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "accord.compliance"
    label = "compliance"

    def ready(self) -> None:
        from accord.compliance import alerts, attention

        attention.register()
        alerts.register()
