from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "civicdesk.people"
    label = "people"
