"""Routing data: the saved versions of the text → service type classifier."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.geo.choices import AreaKind
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


class RoutingRule(models.Model):
    """Which department works a new request, by service type, district and time of day.

    A blank service type or district matches any; `out_of_hours` limits the rule to requests
    that arrive outside the service type's business calendar hours (nights, weekends and
    holidays), for the teams on call then. When several active rules match, the most specific
    wins (see `civicdesk.routing.rules`); `priority` orders rules that are equally specific.
    """

    service_type = models.ForeignKey(
        "catalog.ServiceType",
        verbose_name=_("service type"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Blank: every service type."),
    )
    district = models.ForeignKey(
        "geo.Area",
        verbose_name=_("district"),
        on_delete=models.CASCADE,
        limit_choices_to={"kind": AreaKind.DISTRICT},
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Blank: every district, and requests with no district."),
    )
    out_of_hours = models.BooleanField(
        _("only out of hours"),
        default=False,
        help_text=_(
            "Only for requests that arrive outside the service type's business hours "
            "(nights, weekends, holidays)."
        ),
    )
    department = models.ForeignKey(
        "catalog.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    priority = models.PositiveIntegerField(
        _("priority"),
        default=100,
        help_text=_("Among equally specific rules, the lowest number wins."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True, help_text=_("Why the rule exists."))

    class Meta:
        ordering = ["priority", "id"]
        verbose_name = _("department rule")
        verbose_name_plural = _("department rules")

    def __str__(self) -> str:
        service = self.service_type.name if self.service_type else "*"
        district = self.district.name if self.district else "*"
        hours = " (out of hours)" if self.out_of_hours else ""
        return f"{service} / {district}{hours} → {self.department.name}"

    def clean(self) -> None:
        if self.service_type_id is None and self.district_id is None and not self.out_of_hours:
            raise ValidationError(
                _(
                    "Name a service type, a district or out of hours: a rule for every request "
                    "would replace every service type's own department."
                )
            )
