from django.apps import AppConfig


class Open311Config(AppConfig):
    name = "civicdesk.open311"
    label = "open311"
    verbose_name = "Open311"

    def ready(self) -> None:
        from django.core import checks

        from civicdesk.open311.checks import jurisdiction_id_check
        from civicdesk.open311.jurisdictions import jurisdiction_signals_connect

        jurisdiction_signals_connect()
        checks.register(jurisdiction_id_check)
