from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "accord.notes"
    label = "notes"
