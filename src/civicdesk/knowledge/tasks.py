"""Background work of the knowledge base."""

from django_tasks import task

from civicdesk.knowledge.services.links import links_check


@task()
def knowledge_links_check() -> str:
    """Check every live article's external links; safe to run at any time, and again."""
    return str(links_check())
