"""Routing data: the saved versions of the text → service type classifier."""

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.routing.choices import TrainingSource


class ClassifierVersion(models.Model):
    """One trained text → service type classifier, with what it was trained on and how it scored.

    The model itself is a signed, compressed pickle of scikit-learn objects (see
    `civicdesk.routing.serialization`); at most one version is active, and every process serves
    the active one. Versions are kept, so going back is activating an older one.
    """

    number = models.PositiveIntegerField(_("version"), unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    source = models.CharField(_("trained on"), max_length=16, choices=TrainingSource.choices)
    description = models.TextField(_("training data"), blank=True)
    labels = models.JSONField(
        _("service types"), default=list, help_text=_("The service codes it can suggest.")
    )
    languages = models.JSONField(
        _("languages"), default=list, help_text=_("Languages of the text it was trained on.")
    )
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    model = models.BinaryField(_("model"))
    model_format = models.CharField(_("model format"), max_length=32)
    size_bytes = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    is_active = models.BooleanField(_("active"), default=False)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("classifier version")
        verbose_name_plural = _("classifier versions")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=models.Q(is_active=True),
                name="routing_one_active_classifier",
            )
        ]

    def __str__(self) -> str:
        return f"classifier v{self.number}"

    def metric(self, name: str) -> Any:
        """One of the model's own test figures (accuracy, macro_f1, top3_accuracy), or None."""
        model = self.metrics.get("model") if isinstance(self.metrics, dict) else None
        return model.get(name) if isinstance(model, dict) else None
