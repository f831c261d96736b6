"""Reads of the assistant: a conversation by its public id, and its transcript."""

from django.db.models import QuerySet

from civicdesk.assistant.models import Conversation
from civicdesk.contacts.models import ContactMessage


def conversation_get(conversation_id: str) -> Conversation | None:
    """The conversation with this public id, with its contact, or None."""
    if not conversation_id:
        return None
    return (
        Conversation.objects.select_related("contact")
        .filter(public_id=conversation_id[:32])
        .first()
    )


def conversation_messages(conversation: Conversation | None) -> QuerySet[ContactMessage]:
    """The transcript, oldest first; empty for no conversation."""
    if conversation is None:
        return ContactMessage.objects.none()
    return ContactMessage.objects.filter(contact_id=conversation.contact_id).order_by(
        "created_at", "id"
    )
