"""Open311 write-side data: the API keys integrators post with, and batch submissions waiting
for a worker to turn them into cases."""

from django.db import models
from django.utils import timezone


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
