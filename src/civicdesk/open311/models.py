"""Open311 data: the jurisdictions one deployment serves, the API keys integrators post with,
and batch submissions waiting for a worker to turn them into cases."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.cases.models import JURISDICTION_MAX_LENGTH
from civicdesk.geo.choices import AreaKind

jurisdiction_id_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*\Z",
    _("Use letters, digits, '.', '-' and '_', starting with a letter or digit: springfield.gov."),
)


class Jurisdiction(models.Model):
    """A jurisdiction this deployment answers Open311 for: a county and the towns it hosts, say.

    With at most one active row the server behaves as a single-jurisdiction one: the id in
    `CIVICDESK_JURISDICTION_ID` is the default and clients may leave `jurisdiction_id` out. With
    several, every call names one, and each sees only its own services, boundary and requests.
    """

    jurisdiction_id = models.CharField(
        max_length=JURISDICTION_MAX_LENGTH,
        unique=True,
        validators=[jurisdiction_id_validator],
        help_text=_("What Open311 clients send as jurisdiction_id, e.g. springfield.gov."),
    )
    name = models.CharField(max_length=200)
    boundary = models.ForeignKey(
        "geo.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": AreaKind.JURISDICTION},
        help_text=_("Requests must be inside it; empty accepts any location the deployment does."),
    )
    services = models.ManyToManyField(
        "catalog.ServiceType",
        blank=True,
        related_name="+",
        help_text=_("The services requested here; a service may be offered by several."),
    )
    is_active = models.BooleanField(
        default=True, help_text=_("Served over Open311; an inactive one answers 404.")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["jurisdiction_id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.jurisdiction_id})"

    def clean(self) -> None:
        if self.boundary is not None and self.boundary.kind != AreaKind.JURISDICTION:
            raise ValidationError(
                {"boundary": _("Pick an area of the kind “Jurisdiction boundary”.")}
            )


class ApiKey(models.Model):
    """A key an integrator sends as `api_key` to create requests.

    Only a SHA-256 hash of the secret is stored: keys are 32 random bytes, so a fast hash cannot
    be brute-forced, and a stolen database does not yield working keys. `prefix` is the first
    characters of the key, shown to staff and used to find the row before the hash comparison.
    """

    name = models.CharField(max_length=200)
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    rate_limit_per_minute = models.PositiveIntegerField(default=120)
    contact_email = models.EmailField(blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "prefix"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class BatchSubmission(models.Model):
    """A request for a `batch` service, accepted and answered with a token, that a worker will
    turn into a case. Holds the submission as the client sent it (media under `pending/`)."""

    token = models.CharField(max_length=64, unique=True)
    api_key = models.ForeignKey(
        ApiKey, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The client's Idempotency-Key, namespaced by its API key, so a retried POST gets this token.
    idempotency_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    fingerprint = models.CharField(max_length=64)
    service_code = models.CharField(max_length=64)
    # The jurisdiction_id named when the server serves several; empty for the default.
    jurisdiction = models.CharField(max_length=JURISDICTION_MAX_LENGTH, blank=True)
    # Kept as sent (intake has checked them); text columns, so no length limit can turn an
    # accepted submission into a database error.
    lat = models.TextField(blank=True)
    long = models.TextField(blank=True)
    address = models.TextField(blank=True)
    address_id = models.TextField(blank=True)
    email = models.TextField(blank=True)
    phone = models.TextField(blank=True)
    first_name = models.TextField(blank=True)
    last_name = models.TextField(blank=True)
    device_id = models.TextField(blank=True)
    account_id = models.TextField(blank=True)
    description = models.TextField(blank=True)
    media_url = models.TextField(blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    media = models.JSONField(default=list, blank=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.token} ({self.service_code})"
