from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "accord.security"
    label = "security"

    def ready(self) -> None:
        # Sign-in, second-factor and lockout signals become security events.
        from accord.security import signals  # noqa: F401
