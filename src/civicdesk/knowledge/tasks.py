"""Background work of the knowledge base."""

from django_tasks import task

from civicdesk.core.retries import retrying
from civicdesk.knowledge.services.links import links_check


@task()
@retrying(max_attempts=4, base_delay=300, max_delay=3600)
def knowledge_links_check() -> str:
    """Check every live article's external links; safe to run at any time, and again."""
    return str(links_check())
