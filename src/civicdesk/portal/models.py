"""What staff set on the resident portal: the site alert, the top tasks and search synonyms.

Text a resident reads comes in English (`*_en`, required where the text is) and Spanish
(`*_es`, optional: a blank Spanish field shows the English text).
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.catalog.translation import active_language
from civicdesk.portal.choices import SiteAlertLevel


def _localized(instance: models.Model, field: str) -> str:
    """`field_<active language>`, or the English text when that is blank or missing."""
    value = getattr(instance, f"{field}_{active_language()}", "")
    return str(value or getattr(instance, f"{field}_en"))


def validate_link(value: str) -> None:
    """A path on this site (`/report/`) or a full http(s) address; nothing else."""
    if value.startswith("/") and not value.startswith("//"):
        return
    URLValidator(schemes=["http", "https"])(value)


class SiteAlertQuerySet(models.QuerySet["SiteAlert"]):
    def current(self, *, now: datetime | None = None) -> "SiteAlertQuerySet":
        """Switched on, and inside their start and end times (either may be open)."""
        moment = now or timezone.now()
        return self.filter(
            models.Q(starts_at__isnull=True) | models.Q(starts_at__lte=moment),
            models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=moment),
            is_active=True,
        )


class SiteAlert(models.Model):
    """A message shown at the top of every portal page while it is on: a storm, a closure."""

    level = models.CharField(
        _("level"), max_length=16, choices=SiteAlertLevel.choices, default=SiteAlertLevel.INFO
    )
    heading_en = models.CharField(_("heading in English"), max_length=200, blank=True)
    heading_es = models.CharField(_("heading in Spanish"), max_length=200, blank=True)
    message_en = models.TextField(_("message in English"))
    message_es = models.TextField(
        _("message in Spanish"), blank=True, help_text=_("Left blank, the English is shown.")
    )
    link_url = models.CharField(
        _("link for more information"),
        max_length=500,
        blank=True,
        validators=[validate_link],
        help_text=_("A path on this site (/requests/) or a full https:// address."),
    )
    is_active = models.BooleanField(
        _("on"), default=True, help_text=_("Untick to take the alert down at once.")
    )
    starts_at = models.DateTimeField(
        _("show from"), null=True, blank=True, help_text=_("Blank: from now.")
    )
    ends_at = models.DateTimeField(
        _("show until"), null=True, blank=True, help_text=_("Blank: until switched off.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SiteAlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("site alert")
        verbose_name_plural = _("site alerts")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["is_active", "starts_at", "ends_at"])]

    def __str__(self) -> str:
        return self.heading_en or self.message_en[:80]

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The alert must end after it starts.")})

    @property
    def heading(self) -> str:
        return _localized(self, "heading")

    @property
    def message(self) -> str:
        return _localized(self, "message")


class TopTask(models.Model):
    """A staff choice about the home page's top tasks.

    Pinned tasks always show first, by position: a service type or any link. Unpinned rows name a
    service type and change how the computed top tasks (the most requested services) treat it:
    with a title, that title replaces the service's name; marked hidden, the service is never
    suggested (for example a sensitive one).
    """

    title_en = models.CharField(
        _("title in English"),
        max_length=120,
        blank=True,
        help_text=_("What the resident wants to do. Blank: the service's name."),
    )
    title_es = models.CharField(_("title in Spanish"), max_length=120, blank=True)
    description_en = models.CharField(_("description in English"), max_length=300, blank=True)
    description_es = models.CharField(_("description in Spanish"), max_length=300, blank=True)
    service_type = models.ForeignKey(
        "catalog.ServiceType",
        verbose_name=_("service type"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    url = models.CharField(
        _("link"),
        max_length=500,
        blank=True,
        validators=[validate_link],
        help_text=_("Instead of a service type: a path on this site or a full https:// address."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Pinned tasks show in this order, lowest first.")
    )
    pinned = models.BooleanField(_("pinned"), default=True)
    hidden = models.BooleanField(
        _("never suggest"),
        default=False,
        help_text=_("Keep this service type out of the top tasks, however often it is requested."),
    )

    class Meta:
        verbose_name = _("top task")
        verbose_name_plural = _("top tasks")
        ordering = ["-pinned", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(service_type__isnull=False) & models.Q(url=""))
                | (models.Q(service_type__isnull=True) & ~models.Q(url="")),
                name="portal_toptask_service_xor_url",
            ),
            models.CheckConstraint(
                condition=~(models.Q(pinned=True) & models.Q(hidden=True)),
                name="portal_toptask_not_pinned_and_hidden",
            ),
        ]

    def __str__(self) -> str:
        if self.title_en:
            return self.title_en
        return self.service_type.name if self.service_type else self.url

    def clean(self) -> None:
        if (self.service_type_id is None) == (not self.url):
            raise ValidationError(_("Choose a service type or give a link, not both."))
        if self.url and not self.pinned:
            raise ValidationError(
                {"pinned": _("A link is shown only when pinned; only service types are suggested.")}
            )
        if self.url and not self.title_en:
            raise ValidationError({"title_en": _("A link needs a title.")})
        if self.hidden and self.pinned:
            raise ValidationError({"hidden": _("A pinned task cannot also be hidden.")})

    @property
    def title(self) -> str:
        if self.title_en:
            return _localized(self, "title")
        return self.service_type.display_name if self.service_type else ""

    @property
    def description(self) -> str:
        return _localized(self, "description") if self.description_en else ""


class SearchSynonym(models.Model):
    """Words that mean the same thing to residents (garbage, trash, rubbish), for search.

    A search for any of the words also finds what the others find. The words may be in any
    language, and every synonym applies to every search.
    """

    terms = models.CharField(
        _("words"),
        max_length=500,
        help_text=_("Two or more words or phrases, separated by commas: garbage, trash, rubbish"),
    )

    class Meta:
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        ordering = ["terms"]

    def __str__(self) -> str:
        return self.terms

    @property
    def term_list(self) -> list[str]:
        return [term.strip() for term in self.terms.split(",") if term.strip()]

    def clean(self) -> None:
        if len(self.term_list) < 2:
            raise ValidationError({"terms": _("List at least two words, separated by commas.")})
