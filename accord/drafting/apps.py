from django.apps import AppConfig


class DraftingConfig(AppConfig):
    name = "accord.drafting"
    label = "drafting"

    def ready(self) -> None:
        from accord.drafting import attention

        attention.register()
