"""Residents and the ways to reach them. Everything here is personal data."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from civicdesk.people.choices import ContactPointKind


class Resident(models.Model):
    """A person who contacted the jurisdiction and chose to say who they are."""

    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    preferred_language = models.CharField(max_length=16, default="en")
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
