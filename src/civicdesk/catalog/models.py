"""The jurisdiction's service catalog: who does what, how fast, and why people get in touch."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicdesk.catalog.choices import AttributeDatatype, ServiceKind, SlaUnit
from civicdesk.catalog.querysets import CatalogQuerySet
from civicdesk.catalog.translation import translated

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$",
    _("Use letters, digits, '.', '_' or '-' (up to 64), starting with a letter or digit."),
)


class Department(models.Model):
    """A department or agency that owns service types and works their requests."""

    code = models.CharField(max_length=64, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    url = models.URLField(blank=True)
    hours = models.CharField(max_length=200, blank=True, help_text=_("Public opening hours."))
    address = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("Where residents can visit: street, city, state and ZIP code."),
    )
    name_es = models.CharField(_("name in Spanish"), max_length=200, blank=True)
    description_es = models.TextField(_("description in Spanish"), blank=True)
    hours_es = models.CharField(_("opening hours in Spanish"), max_length=200, blank=True)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervised_departments",
        help_text=_("Who hears about this department's requests that are late or at risk."),
    )
    calendar = models.ForeignKey(
        "BusinessCalendar",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "The working hours and holidays its SLA clocks count on; a service type's own "
            "calendar overrides it, and without either the default calendar counts."
        ),
    )
    is_active = models.BooleanField(default=True)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the active language (English when there is no translation)."""
        return str(translated(self, "name"))

    @property
    def display_description(self) -> str:
        return str(translated(self, "description"))

    @property
    def display_hours(self) -> str:
        return str(translated(self, "hours"))


class Provider(models.Model):
    """A contractor (or in-house crew) that does a department's field work; SLAs are reported
    per provider."""

    code = models.CharField(max_length=64, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="providers",
        help_text=_("The department that contracts this provider, if only one does."),
    )
    is_active = models.BooleanField(default=True)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BusinessCalendar(models.Model):
    """Working hours and holidays against which business-hour SLAs are counted."""

    code = models.CharField(max_length=64, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    timezone = models.CharField(max_length=64, default="America/New_York")
    working_hours = models.JSONField(
        default=dict,
        help_text=_('Per weekday, opening and closing time: {"mon": ["08:00", "17:00"], ...}'),
    )
    is_default = models.BooleanField(default=False)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="catalog_one_default_calendar",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Holiday(models.Model):
    """A day off on a business calendar: the SLA clock does not run on it."""

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="holidays"
    )
    date = models.DateField()
    name = models.CharField(max_length=200)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="catalog_holiday_unique_date")
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.name}"


class ServiceType(models.Model):
    """An Open311 service: something a resident can request, with its form and its clock."""

    code = models.CharField(max_length=64, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    group = models.CharField(max_length=200, blank=True)
    keywords = models.JSONField(default=list, blank=True)
    # Spanish text; blank falls back to the English above (catalog.translation).
    name_es = models.CharField(_("name in Spanish"), max_length=200, blank=True)
    description_es = models.TextField(_("description in Spanish"), blank=True)
    group_es = models.CharField(_("group in Spanish"), max_length=200, blank=True)
    keywords_es = models.JSONField(
        _("keywords in Spanish"),
        default=list,
        blank=True,
        help_text=_("Words Spanish speakers use for this service; used by search."),
    )
    required_documents_es = models.JSONField(
        _("required documents in Spanish"), default=list, blank=True
    )
    kind = models.CharField(
        max_length=16, choices=ServiceKind.choices, default=ServiceKind.REALTIME
    )
    default_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="service_types"
    )
    required_documents = models.JSONField(default=list, blank=True)
    sla_value = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    sla_unit = models.CharField(max_length=16, choices=SlaUnit.choices, blank=True)
    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    duplicate_radius_m = models.PositiveIntegerField(
        _("duplicate radius (metres)"),
        default=100,
        validators=[MaxValueValidator(2000)],
        help_text=_("Open requests this close are offered as duplicates; 0 turns the check off."),
    )
    duplicate_window_days = models.PositiveIntegerField(
        _("duplicate window (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("How far back to look for an earlier report of the same problem."),
    )
    related_types = models.ManyToManyField(
        "self",
        blank=True,
        help_text=_("Other services whose requests may describe the same problem."),
    )
    is_active = models.BooleanField(default=True)
    is_public = models.BooleanField(
        default=True, help_text=_("Listed in the Open311 service list and the portal.")
    )

    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["group", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def display_name(self) -> str:
        """The name in the active language (English when there is no translation)."""
        return str(translated(self, "name"))

    @property
    def display_description(self) -> str:
        return str(translated(self, "description"))

    @property
    def display_group(self) -> str:
        return str(translated(self, "group"))

    @property
    def display_required_documents(self) -> list[str]:
        return list(translated(self, "required_documents"))

    def clean(self) -> None:
        if (self.sla_value is None) != (not self.sla_unit):
            raise ValidationError(
                {"sla_unit": _("Give both an SLA target and its unit, or neither.")}
            )


class ServiceAttribute(models.Model):
    """A question on a service's form, with the Open311 attribute definition fields."""

    service_type = models.ForeignKey(
        ServiceType, on_delete=models.CASCADE, related_name="attributes"
    )
    code = models.CharField(max_length=64, validators=[code_validator])
    variable = models.BooleanField(
        default=True, help_text=_("False for informational text the resident does not answer.")
    )
    datatype = models.CharField(max_length=16, choices=AttributeDatatype.choices)
    required = models.BooleanField(default=False)
    datatype_description = models.CharField(max_length=400, blank=True)
    order = models.PositiveIntegerField(default=0)
    description = models.TextField()
    description_es = models.TextField(_("description in Spanish"), blank=True)
    datatype_description_es = models.CharField(
        _("datatype description in Spanish"), max_length=400, blank=True
    )

    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["service_type", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_type", "code"], name="catalog_attribute_unique_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_type.code}.{self.code}"

    @property
    def display_description(self) -> str:
        """The question in the active language (English when there is no translation)."""
        return str(translated(self, "description"))

    @property
    def display_datatype_description(self) -> str:
        return str(translated(self, "datatype_description"))


class AttributeValue(models.Model):
    """One choice of a single- or multi-value list attribute."""

    attribute = models.ForeignKey(ServiceAttribute, on_delete=models.CASCADE, related_name="values")
    key = models.CharField(max_length=100)
    name = models.CharField(max_length=200)
    name_es = models.CharField(_("name in Spanish"), max_length=200, blank=True)
    order = models.PositiveIntegerField(default=0)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["attribute", "order", "key"]
        constraints = [
            models.UniqueConstraint(fields=["attribute", "key"], name="catalog_value_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.name}"

    @property
    def display_name(self) -> str:
        """The choice in the active language (English when there is no translation)."""
        return str(translated(self, "name"))


class ContactReason(models.Model):
    """Why a person got in touch, for contacts that are not (only) a service request."""

    code = models.CharField(max_length=64, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    service_type = models.ForeignKey(
        ServiceType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Set when this reason is answered by opening a request of this type."),
    )
    is_active = models.BooleanField(default=True)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
