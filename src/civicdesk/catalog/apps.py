from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "civicdesk.catalog"
    label = "catalog"

    def ready(self) -> None:
        from civicdesk.catalog.cache import catalog_signals_connect

        catalog_signals_connect()
