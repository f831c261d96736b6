"""The assistant's conversations: each is a chat contact, plus what the assistant remembers."""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def conversation_id_new() -> str:
    return secrets.token_urlsafe(18)


class Conversation(models.Model):
    """One chat with the assistant, recorded as a `chat` contact whose transcript is the
    contact's messages. `public_id` is what the resident's browser or app holds; it is random,
    so one resident cannot read or continue another's conversation by guessing."""

    public_id = models.CharField(max_length=32, unique=True, default=conversation_id_new)
    contact = models.OneToOneField(
        "contacts.Contact", on_delete=models.CASCADE, related_name="conversation"
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    state = models.JSONField(default=dict, blank=True)
    handed_off_at = models.DateTimeField(_("handed off"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"conversation {self.public_id[:8]}… ({self.contact})"
