"""Service requests, their notes and attachments, and the append-only timeline of each."""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from civicdesk.cases.choices import CaseStatus, CloseReason, EventKind, NoteVisibility, SlaState
from civicdesk.contacts.choices import Channel

JURISDICTION_MAX_LENGTH = 100


def default_jurisdiction() -> str:
    """The deployment's own jurisdiction (`CIVICDESK_JURISDICTION_ID`), for cases that name none."""
    return str(settings.CIVICDESK_JURISDICTION_ID)


class Case(models.Model):
    """A service request: what is wrong, where, who works it, and where it stands."""

    reference = models.CharField(max_length=32, unique=True)
    service_type = models.ForeignKey(
        "catalog.ServiceType", on_delete=models.PROTECT, related_name="cases"
    )
    status = models.CharField(max_length=16, choices=CaseStatus.choices, default=CaseStatus.NEW)
    close_reason = models.CharField(max_length=32, choices=CloseReason.choices, blank=True)
    description = models.TextField(blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    lat = models.FloatField(null=True, blank=True)
    long = models.FloatField(null=True, blank=True)
    address = models.CharField(max_length=300, blank=True)
    address_id = models.CharField(max_length=100, blank=True)
    zipcode = models.CharField(max_length=16, blank=True)
    district = models.ForeignKey(
        "geo.Area", on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    department = models.ForeignKey(
        "catalog.Department", on_delete=models.PROTECT, related_name="cases"
    )
    routing_explanation = models.TextField(
        blank=True,
        help_text="Why the request went to its department when it was opened (routing rules).",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    resident = models.ForeignKey(
        "people.Resident", on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    channel = models.CharField(max_length=16, choices=Channel.choices)
    media_url = models.URLField(max_length=1000, blank=True)
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    sla_due_at = models.DateTimeField(null=True, blank=True)
    sla_at_risk_at = models.DateTimeField(
        null=True, blank=True, help_text="When the case counts as at risk of missing its SLA."
    )
    sla_paused_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set while the case waits on the resident; the SLA clock does not run then.",
    )
    sla_state = models.CharField(max_length=16, choices=SlaState.choices, default=SlaState.NONE)
    provider = models.ForeignKey(
        "catalog.Provider",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        help_text="The contractor or crew doing the work, for SLA reporting.",
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_duplicates",
        help_text="The original request this duplicate was merged into.",
    )
    geo_cell = models.CharField(
        max_length=12,
        blank=True,
        help_text="Geohash cell of the location: the indexed key for finding nearby requests.",
    )
    source = models.CharField(
        max_length=32,
        blank=True,
        help_text="Where an imported case came from (e.g. boston-open311).",
    )
    external_id = models.CharField(max_length=100, blank=True)
    jurisdiction = models.CharField(
        max_length=JURISDICTION_MAX_LENGTH,
        default=default_jurisdiction,
        help_text="The Open311 jurisdiction_id this request belongs to.",
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~models.Q(external_id=""),
                name="cases_case_unique_external_id",
            ),
            models.CheckConstraint(
                condition=(models.Q(status=CaseStatus.CLOSED) & ~models.Q(close_reason=""))
                | (~models.Q(status=CaseStatus.CLOSED) & models.Q(close_reason="")),
                name="cases_case_close_reason_iff_closed",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "requested_at"]),
            models.Index(fields=["service_type", "requested_at"]),
            # The SLA sweep reads only open cases whose next threshold has passed.
            models.Index(
                fields=["sla_state", "sla_at_risk_at"],
                condition=~models.Q(status=CaseStatus.CLOSED),
                name="cases_sla_risk_open",
            ),
            models.Index(
                fields=["sla_state", "sla_due_at"],
                condition=~models.Q(status=CaseStatus.CLOSED),
                name="cases_sla_due_open",
            ),
            models.Index(
                fields=["geo_cell", "requested_at"],
                condition=~models.Q(geo_cell=""),
                name="cases_geo_cell_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.service_type.name}"


class ReferenceSequence(models.Model):
    """A counter per prefix, so public reference numbers are short, ordered and never reused."""

    prefix = models.CharField(max_length=16, unique=True)
    last_value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}{self.last_value}"


class CaseNote(models.Model):
    """A note on a case: public notes reach the resident and Open311, internal ones stay inside."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    visibility = models.CharField(max_length=16, choices=NoteVisibility.choices)
    body = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_visibility_display()} note on {self.case_id}"


class Attachment(models.Model):
    """A validated photo or PDF. Photos are re-encoded without EXIF, so no GPS or device data."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    is_public = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a timeline event."""


class CaseEventQuerySet(models.QuerySet["CaseEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Case events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Case events are append-only.")


class CaseEvent(models.Model):
    """One change to a case. Written in the same transaction as the change; never edited."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=16, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=CaseStatus.choices, blank=True)
    is_public = models.BooleanField(default=False)
    public_text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects: ClassVar[models.Manager["CaseEvent"]] = CaseEventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on case {self.case_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Case events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Case events are append-only.")
