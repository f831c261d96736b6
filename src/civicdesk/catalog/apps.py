from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "civicdesk.catalog"
    label = "catalog"

    def ready(self) -> None:
        from django.core import checks

        from civicdesk.catalog.cache import catalog_signals_connect
        from civicdesk.catalog.checks import sla_configuration_check

        catalog_signals_connect()
        checks.register(sla_configuration_check, checks.Tags.models)
