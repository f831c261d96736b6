"""Bookkeeping for the intake service itself."""

from django.db import models


class IdempotencyRecord(models.Model):
    """What an intake call with a given key produced, so a retry returns it instead of a copy."""

    key = models.CharField(max_length=200, unique=True)
    request_fingerprint = models.CharField(max_length=64)
    contact = models.ForeignKey("contacts.Contact", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
