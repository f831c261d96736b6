from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "civicdesk.catalog"
    label = "catalog"
