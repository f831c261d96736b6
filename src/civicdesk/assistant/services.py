"""Writes of the assistant: one turn of a conversation, recorded as a chat contact.

Every conversation is a `chat` contact from its first message, so it counts in analytics with
its reason like a call or an email; the transcript is the contact's messages, which is what an
agent reads when the resident asks for a person. Its first message that says what the resident
wants categorizes it through `contacts.services.contact_categorize`, the entry point every text
channel shares: a service type from the classifier, or the triage queue.
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from civicdesk.assistant.choices import ReplyKind
from civicdesk.assistant.dialogue import DialogueState, Reply, reply_to
from civicdesk.assistant.models import Conversation
from civicdesk.catalog.cache import service_type_active_get
from civicdesk.catalog.models import ContactReason
from civicdesk.contacts.choices import Channel, MessageSender
from civicdesk.contacts.models import Contact
from civicdesk.contacts.services import (
    contact_categorize,
    contact_classify,
    contact_message_add,
    contact_queue_for_agent,
    contact_record,
)
from civicdesk.knowledge.search.analysis import language_of

# Contact reasons the assistant records by code when the jurisdiction's catalog has them.
EMERGENCY_REASON = "emergency-911"
STATUS_REASON = "status-check"
MAX_STORED_CHARS = 10_000
SUMMARY_CHARS = 300


@dataclass(frozen=True)
class Turn:
    conversation: Conversation
    reply: Reply


def assistant_message(*, conversation_id: str, text: str, language: str) -> Turn:
    """Answer one resident message; a blank or unknown `conversation_id` starts a new one."""
    # PostgreSQL text and JSON cannot hold NUL; a NUL is no word anyway, so it reads as unreadable.
    text = text.replace("\x00", "\ufffd") if isinstance(text, str) else ""
    language = language_of(language)
    with transaction.atomic():
        conversation = _conversation(conversation_id, text, language)
        state = DialogueState.load(conversation.state)
        reply = reply_to(text, language=language, state=state)
        contact = conversation.contact
        contact_message_add(
            contact=contact, sender=MessageSender.RESIDENT, text=text[:MAX_STORED_CHARS]
        )
        contact_message_add(
            contact=contact,
            sender=MessageSender.ASSISTANT,
            text=reply.text,
            kind=reply.kind.value,
            data=_reply_data(reply),
        )
        _classify(contact, reply)
        if reply.topic and contact.classified_at is None:
            # A conversation is a text-only contact: categorized once, by its first message
            # that says what the resident wants, like an email or a text message.
            contact_categorize(contact=contact, text=reply.topic, language=language)
        now = timezone.now()
        if reply.handoff and conversation.handed_off_at is None:
            conversation.handed_off_at = now
            contact_queue_for_agent(contact=contact)
        conversation.state = state.dump()
        conversation.language = language
        conversation.updated_at = now
        conversation.save(update_fields=["state", "language", "updated_at", "handed_off_at"])
    return Turn(conversation=conversation, reply=reply)


def _conversation(conversation_id: str, text: str, language: str) -> Conversation:
    if conversation_id:
        found = (
            Conversation.objects.select_for_update(of=("self",))
            .select_related("contact")
            .filter(public_id=conversation_id[:32])
            .first()
        )
        if found is not None:
            return found
    contact = contact_record(
        channel=Channel.CHAT,
        summary=" ".join(text.split())[:SUMMARY_CHARS],
        language=language,
    )
    return Conversation.objects.create(contact=contact, language=language)


def _classify(contact: Contact, reply: Reply) -> None:
    kind, _, key = reply.reason.partition(":")
    reason: ContactReason | None = None
    service_type = None
    if kind == "emergency":
        reason = _reason_by_code(EMERGENCY_REASON)
    elif kind == "status":
        reason = _reason_by_code(STATUS_REASON)
    elif kind == "service":
        service_type = service_type_active_get(key)
        reason = _reason_for_service(key)
    elif kind == "article" and reply.article is not None:
        codes = reply.article.service_codes
        reason = _reason_for_service(codes[0]) if codes else None
    contact_classify(
        contact=contact,
        reason=reason,
        service_type=service_type,
        article_ref=reply.article.url if reply.article is not None else "",
        emergency_category=(
            str(reply.emergency.category) if reply.emergency and reply.emergency.category else ""
        ),
    )


def _reason_by_code(code: str) -> ContactReason | None:
    return ContactReason.objects.filter(code=code, is_active=True).first()


def _reason_for_service(code: str) -> ContactReason | None:
    return ContactReason.objects.filter(service_type__code=code, is_active=True).first()


def _reply_data(reply: Reply) -> dict[str, Any]:
    return {
        # The options are buttons on the web; the numbered list in `text` is for text channels.
        "lead": reply.text.split("\n", 1)[0] if reply.kind == ReplyKind.CHOICE else "",
        "links": [{"label": link.label, "url": link.url} for link in reply.links],
        "options": reply.option_replies(),
        "article": reply.article.external_id or reply.article.key if reply.article else "",
        "service": reply.service_code,
        "emergency": str(reply.emergency.category or "") if reply.emergency else "",
    }
