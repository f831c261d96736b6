"""Residents and the ways to reach them. Everything here is personal data."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.people.choices import ContactPointKind, EmailLinkPurpose, UpdateChannel


class Resident(models.Model):
    """A person who contacted the jurisdiction and chose to say who they are."""

    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    preferred_language = models.CharField(max_length=16, default="en")
    preferred_channel = models.CharField(
        max_length=8,
        choices=UpdateChannel.choices,
        default=UpdateChannel.EMAIL,
        help_text=_("How they want updates on requests they made or follow."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]

    def __str__(self) -> str:
        full_name = f"{self.first_name} {self.last_name}".strip()
        return full_name or f"Resident #{self.pk}"


class ContactPoint(models.Model):
    """An email address or an E.164 phone number, with what the resident agreed to receive."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="contact_points")
    kind = models.CharField(max_length=8, choices=ContactPointKind.choices)
    value = models.CharField(max_length=254, help_text=_("Lower-case email or E.164 phone."))
    verified_at = models.DateTimeField(null=True, blank=True)
    consent_updates = models.BooleanField(
        default=True, help_text=_("May receive status updates on their own requests.")
    )
    consent_surveys = models.BooleanField(default=False)
    consent_alerts = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="people_contact_point_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class ResidentAccount(models.Model):
    """A resident who signs in to the portal with one-time links sent to their email.

    Deliberately not a Django `User`: the portal keeps the resident's id in the session, apart
    from Django's authentication, so a resident session can never pass the staff checks of the
    admin or the API, and no resident link ever signs anyone in as a `User`.
    """

    resident = models.OneToOneField(Resident, on_delete=models.CASCADE, related_name="account")
    is_active = models.BooleanField(
        default=True,
        help_text=_("Untick to sign the resident out everywhere and refuse new sign-ins."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_signed_in_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Account of resident #{self.resident_id}"


class EmailLink(models.Model):
    """A one-time link sent by email: sign in, or confirm following a request.

    Only a keyed hash of the token is stored (HMAC with the secret key), so neither a copy of
    the database nor the task queue can be used to sign in. A link works once, until
    `expires_at`.
    """

    purpose = models.CharField(max_length=16, choices=EmailLinkPurpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    email = models.CharField(max_length=254, help_text=_("Normalized address the link went to."))
    language = models.CharField(max_length=16, default="en")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    next_path = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} link #{self.pk}"


class SavedAddress(models.Model):
    """A place the resident reports about often ("Home", "Work"), picked from address search."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="saved_addresses")
    label = models.CharField(max_length=60)
    address = models.CharField(max_length=300)
    lat = models.FloatField()
    long = models.FloatField()
    district = models.ForeignKey(
        "geo.Area", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["label", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "address"], name="people_saved_address_unique"
            )
        ]
        verbose_name_plural = "saved addresses"

    def __str__(self) -> str:
        return self.label


class CaseFollow(models.Model):
    """A resident who asked to hear about a request, their own or someone else's.

    Made only once the resident proved the address: signed in, or through the confirmation
    link (double opt-in). `ended_at` is set when they stop following; the unsubscribe token
    goes into every message about the request, so it is kept as is, not hashed: it can only
    stop that one follow.
    """

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="follows")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="follows")
    channel = models.CharField(
        max_length=8, choices=UpdateChannel.choices, default=UpdateChannel.EMAIL
    )
    confirmed_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    unsubscribe_token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-confirmed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["resident", "case"], name="people_case_follow_unique")
        ]

    def __str__(self) -> str:
        return f"Resident #{self.resident_id} follows case {self.case_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None
