from django.apps import AppConfig


class DraftingConfig(AppConfig):
    name = "accord.drafting"
    label = "drafting"
