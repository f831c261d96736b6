from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "civicdesk.core"
    label = "core"

    def ready(self) -> None:
        from django_tasks.signals import task_finished

        from civicdesk.core.services import periodic_run_finished

        task_finished.connect(periodic_run_finished, dispatch_uid="civicdesk.periodic_run_finished")
