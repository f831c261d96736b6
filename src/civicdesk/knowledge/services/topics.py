"""Writing topics: their names are part of what search indexes, so a change moves the revision."""

from django.db import transaction

from civicdesk.core.revisions import revision_bump
from civicdesk.knowledge.models import KNOWLEDGE_REVISION, Topic


def topic_save(*, topic: Topic) -> Topic:
    """Create or change a topic after checking it."""
    topic.full_clean()
    with transaction.atomic():
        topic.save()
        revision_bump(KNOWLEDGE_REVISION)
    return topic
