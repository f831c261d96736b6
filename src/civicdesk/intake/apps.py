from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "civicdesk.intake"
    label = "intake"
