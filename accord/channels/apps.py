from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "accord.channels"
    label = "channels"
