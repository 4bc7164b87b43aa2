from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "accord.channels"
    label = "channels"

    def ready(self) -> None:
        from accord.channels import attention

        attention.register()
