"""Every interaction on every channel, with why the person got in touch."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.assistant.choices import EmergencyCategory
from civicdesk.contacts.choices import CaseLinkRole, Channel, ContactDirection, MessageSender


class Contact(models.Model):
    """One interaction: a call, a chat, an email, a web or app report, a visit to the counter."""

    channel = models.CharField(max_length=16, choices=Channel.choices)
    direction = models.CharField(
        max_length=8, choices=ContactDirection.choices, default=ContactDirection.INBOUND
    )
    reason = models.ForeignKey(
        "catalog.ContactReason",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
    )
    service_type = models.ForeignKey(
        "catalog.ServiceType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        help_text="The service the person asked about, when the reason is a service request.",
    )
    resident = models.ForeignKey(
        "people.Resident", on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_contacts",
    )
    summary = models.TextField(blank=True)
    cases = models.ManyToManyField("cases.Case", through="ContactCase", related_name="contacts")
    article_refs = models.JSONField(
        default=list,
        blank=True,
        help_text="Knowledge articles given in answer (slugs or URLs).",
    )
    language = models.CharField(max_length=16, default="en")
    emergency = models.BooleanField(
        _("emergency"),
        default=False,
        help_text=_(
            "The resident's words described danger to life or property now. Staff see these "
            "contacts first."
        ),
    )
    emergency_category = models.CharField(
        _("kind of emergency"),
        max_length=32,
        choices=EmergencyCategory.choices,
        blank=True,
    )
    waiting_since = models.DateTimeField(
        _("waiting for a person since"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Set when the resident asked the assistant for a person; the agent queue."),
    )
    classified_text = models.TextField(
        _("text classified"),
        blank=True,
        help_text=_("The resident's words the service type was suggested from."),
    )
    classification = models.JSONField(
        _("classification"),
        default=dict,
        blank=True,
        help_text=_(
            "What the text classifier made of the resident's words: model version, confidence, "
            "the three likeliest service types and, when a person had to decide, why."
        ),
    )
    classified_at = models.DateTimeField(_("classified at"), null=True, blank=True)
    triage_since = models.DateTimeField(
        _("waiting for triage since"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "Set when the classifier could not tell what the contact is about; a person picks "
            "the service type in the triage queue."
        ),
    )
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("triaged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="triaged_contacts",
    )
    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["channel", "started_at"]),
            # The staff queue: emergencies first, then newest.
            models.Index(fields=["-emergency", "-started_at"], name="contact_emergency_first"),
            models.Index(
                fields=["emergency_category", "-started_at"],
                condition=models.Q(emergency=True),
                name="contact_emergency_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} contact #{self.pk}"

    def clean(self) -> None:
        if self.emergency_category and not self.emergency:
            raise ValidationError(
                {"emergency_category": _("Only an emergency has a kind of emergency.")}
            )


class ContactCase(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="case_links")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="contact_links")
    role = models.CharField(max_length=20, choices=CaseLinkRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact", "case"], name="contacts_contact_case_unique")
        ]

    def __str__(self) -> str:
        return f"contact {self.contact_id} {self.get_role_display().lower()} case {self.case_id}"


class ContactMessage(models.Model):
    """One message of a contact's transcript, in the order it was written."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=16, choices=MessageSender.choices)
    text = models.TextField(blank=True)
    # What an assistant reply did (an assistant ReplyKind) and what it offered, for staff.
    kind = models.CharField(max_length=32, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["contact", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_sender_display()} on contact {self.contact_id}"
