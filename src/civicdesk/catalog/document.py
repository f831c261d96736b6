"""Reading and checking a catalog document before anything is written.

The document format is described in docs/catalog-format.md. Parsing collects every problem it
finds, each named by its place in the document, so an editor can fix a whole file in one pass.
"""

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models

from civicdesk.catalog.choices import LIST_DATATYPES, AttributeDatatype, ServiceKind, SlaUnit
from civicdesk.catalog.holidays import HolidaySourceError, holidays_from_library
from civicdesk.catalog.models import (
    AttributeValue,
    BusinessCalendar,
    ContactReason,
    Department,
    Provider,
    ServiceAttribute,
    ServiceType,
)
from civicdesk.catalog.translation import (
    ATTRIBUTE_TRANSLATED,
    DEPARTMENT_TRANSLATED,
    LIST_TRANSLATED,
    SERVICE_TYPE_TRANSLATED,
    TRANSLATION_LANGUAGES,
    VALUE_TRANSLATED,
)

FORMAT_VERSION = "civicdesk-catalog/1"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME_RE = re.compile(r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$")


class CatalogImportError(ValueError):
    """A catalog document that cannot be imported; `messages` names every problem found."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("\n".join(messages))


@dataclass(frozen=True, kw_only=True)
class HolidaySpec:
    date: dt.date
    name: str


@dataclass(frozen=True, kw_only=True)
class CalendarSpec:
    code: str
    name: str
    timezone: str
    is_default: bool
    working_hours: dict[str, list[str]]
    holidays: list[HolidaySpec]


@dataclass(frozen=True, kw_only=True)
class DepartmentSpec:
    code: str
    name: str
    description: str
    email: str
    phone: str
    url: str
    hours: str
    address: str
    is_active: bool
    translations: dict[str, Any] = field(default_factory=dict)
    # Username of the person who hears about late and at-risk requests; None for nobody.
    supervisor: str | None = None
    # Code of the business calendar its SLA clocks count on; None for the default calendar.
    calendar: str | None = None


@dataclass(frozen=True, kw_only=True)
class ProviderSpec:
    code: str
    name: str
    department: str | None
    is_active: bool


@dataclass(frozen=True, kw_only=True)
class ValueSpec:
    key: str
    name: str
    # Model field -> value for every translated field in every language ("name_es": "Grande").
    translations: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class AttributeSpec:
    code: str
    description: str
    datatype: str
    required: bool
    variable: bool
    datatype_description: str
    values: list[ValueSpec]
    translations: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class ServiceTypeSpec:
    code: str
    name: str
    description: str
    group: str
    keywords: list[str]
    kind: str
    department: str
    required_documents: list[str]
    sla_value: int | None
    sla_unit: str
    calendar: str | None
    is_active: bool
    is_public: bool
    attributes: list[AttributeSpec]
    translations: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class ContactReasonSpec:
    code: str
    name: str
    description: str
    parent: str | None
    department: str | None
    service_type: str | None
    is_active: bool


@dataclass(frozen=True, kw_only=True)
class CatalogSpec:
    deactivate_missing: bool
    calendars: list[CalendarSpec] = field(default_factory=list)
    departments: list[DepartmentSpec] = field(default_factory=list)
    service_types: list[ServiceTypeSpec] = field(default_factory=list)
    contact_reasons: list[ContactReasonSpec] = field(default_factory=list)
    providers: list[ProviderSpec] = field(default_factory=list)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        # YAML turns unquoted yes/no/on/off into booleans, which surprises people.
        return f"{str(value).lower()} (a yes/no value; quote it in YAML if you meant text)"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    return repr(value)


class _Reader:
    """Typed access to one mapping of the document, recording problems under its path."""

    def __init__(self, errors: list[str], path: str, data: Mapping[str, Any]) -> None:
        self.errors = errors
        self.path = path
        self.data = data

    def error(self, key: str | None, message: str) -> None:
        place = f"{self.path}.{key}" if key and self.path else (key or self.path or "document")
        self.errors.append(f"{place}: {message}")

    def check_keys(self, allowed: tuple[str, ...]) -> None:
        for key in self.data:
            if key not in allowed:
                self.error(str(key), f"unknown field; expected one of {', '.join(sorted(allowed))}")

    def text(self, key: str, *, required: bool = False) -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self.error(key, "is required")
            return ""
        if not isinstance(value, str):
            self.error(key, f"expected text, got {_describe(value)}")
            return ""
        if "\x00" in value:
            # PostgreSQL cannot store NUL characters; they are never meant anyway.
            self.error(key, "contains a NUL character")
            return ""
        if required and not value.strip():
            self.error(key, "must not be blank")
        return value

    def optional_code(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            self.error(key, f"expected a code, got {_describe(value)}")
            return None
        return value

    def boolean(self, key: str, *, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            self.error(key, f"expected true or false, got {_describe(value)}")
            return default
        return value

    def text_list(self, key: str) -> list[str]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(key, f"expected a list of text, got {_describe(value)}")
            return []
        result: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip() or "\x00" in item:
                self.error(f"{key}[{index}]", f"expected non-blank text, got {_describe(item)}")
            else:
                result.append(item)
        return result

    def items(self, key: str) -> list[tuple[str, Mapping[str, Any]]]:
        """The mappings of a list field, each with its path; other entries are reported."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(key, f"expected a list, got {_describe(value)}")
            return []
        base = f"{self.path}.{key}" if self.path else key
        result: list[tuple[str, Mapping[str, Any]]] = []
        for index, item in enumerate(value):
            path = f"{base}[{index}]"
            if isinstance(item, Mapping):
                result.append((path, item))
            else:
                self.errors.append(f"{path}: expected a mapping, got {_describe(item)}")
        return result


def _parse_translations(
    reader: _Reader, model: type[models.Model], fields: tuple[str, ...]
) -> dict[str, Any]:
    """`translations: {es: {name: ...}}` as model field values, every language and field set.

    A language or field the file leaves out is blank, so deleting a translation from the file
    deletes it from the catalog, as for every other field.
    """
    values: dict[str, Any] = {}
    for language in TRANSLATION_LANGUAGES:
        for name in fields:
            values[f"{name}_{language}"] = [] if name in LIST_TRANSLATED else ""
    raw = reader.data.get("translations")
    if raw is None:
        return values
    if not isinstance(raw, Mapping):
        reader.error(
            "translations", f"expected a mapping of language to text, got {_describe(raw)}"
        )
        return values
    for language, texts in raw.items():
        place = f"{reader.path}.translations.{language}"
        if language not in TRANSLATION_LANGUAGES:
            reader.error(
                f"translations.{language}",
                f"unknown language; expected one of {', '.join(TRANSLATION_LANGUAGES)}",
            )
            continue
        if texts is None:
            continue
        if not isinstance(texts, Mapping):
            reader.error(f"translations.{language}", f"expected a mapping, got {_describe(texts)}")
            continue
        lreader = _Reader(reader.errors, place, texts)
        lreader.check_keys(fields)
        for name in fields:
            column = f"{name}_{language}"
            if name in LIST_TRANSLATED:
                values[column] = lreader.text_list(name)
                continue
            text = lreader.text(name)
            max_length = getattr(model._meta.get_field(column), "max_length", None)
            if max_length is not None and len(text) > max_length:
                lreader.error(name, f"must be at most {max_length} characters")
            else:
                values[column] = text
    return values


def _choice(reader: _Reader, key: str, choices: type[models.TextChoices], default: str) -> str:
    value = reader.data.get(key, default)
    allowed = [str(choice) for choice in choices.values]
    if value in (None, "") and not default:
        reader.error(key, f"is required; one of {', '.join(allowed)}")
        return default
    if value not in allowed:
        reader.error(key, f"{_describe(value)} is not one of {', '.join(allowed)}")
        return default
    return str(value)


def _model_errors(
    reader: _Reader,
    instance: models.Model,
    *,
    exclude: list[str],
    field_keys: Mapping[str, str] | None = None,
) -> None:
    """Run the model's own field checks so the document gets the same rules as the admin."""
    keys = field_keys or {}
    try:
        instance.clean_fields(exclude=exclude)
        instance.clean()
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            key = keys.get(name, name) if name != "__all__" else None
            for message in messages:
                reader.error(key, message)


def _unique_codes(errors: list[str], entries: list[tuple[str, str]], attr: str = "code") -> None:
    seen: dict[str, str] = {}
    for path, code in entries:
        if not code:
            continue
        if code in seen:
            errors.append(f"{path}.{attr}: {code!r} is already used by {seen[code]}")
        else:
            seen[code] = path


def _parse_calendar(errors: list[str], path: str, data: Mapping[str, Any]) -> CalendarSpec:
    reader = _Reader(errors, path, data)
    reader.check_keys(
        ("code", "name", "timezone", "default", "working_hours", "holidays", "holidays_from")
    )
    code = reader.text("code", required=True)
    name = reader.text("name", required=True)
    timezone = reader.text("timezone", required=True)
    if timezone:
        try:
            zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            reader.error("timezone", f"{timezone!r} is not a known time zone (IANA name)")
    working_hours: dict[str, list[str]] = {}
    raw_hours = data.get("working_hours")
    if not isinstance(raw_hours, Mapping):
        reader.error(
            "working_hours", f"expected a mapping of weekday to hours, got {_describe(raw_hours)}"
        )
    else:
        for day, hours in raw_hours.items():
            place = f"working_hours.{day}"
            if day not in WEEKDAYS:
                reader.error(place, f"unknown weekday; expected one of {', '.join(WEEKDAYS)}")
                continue
            if hours is None:
                continue
            if (
                not isinstance(hours, list)
                or len(hours) != 2
                or not all(isinstance(h, str) and _TIME_RE.match(h) for h in hours)
            ):
                reader.error(
                    place,
                    f'expected ["HH:MM", "HH:MM"] (quote the times in YAML), got '
                    f"{_describe(hours)}",
                )
                continue
            if hours[0] >= hours[1]:
                reader.error(place, f"opens at {hours[0]} but closes at {hours[1]}")
                continue
            working_hours[day] = [hours[0], hours[1]]
        if not working_hours and not any(e.startswith(f"{path}.working_hours") for e in errors):
            reader.error("working_hours", "needs at least one working day")
    holidays: list[HolidaySpec] = []
    seen_dates: dict[dt.date, str] = {}
    for hpath, hdata in reader.items("holidays"):
        hreader = _Reader(errors, hpath, hdata)
        hreader.check_keys(("date", "name"))
        hname = hreader.text("name", required=True)
        raw_date = hdata.get("date")
        date: dt.date | None = None
        if isinstance(raw_date, dt.date) and not isinstance(raw_date, dt.datetime):
            date = raw_date
        elif isinstance(raw_date, str):
            try:
                date = dt.date.fromisoformat(raw_date)
            except ValueError:
                date = None
        if date is None:
            hreader.error("date", f"expected a date like 2025-07-04, got {_describe(raw_date)}")
        elif date in seen_dates:
            hreader.error("date", f"{date.isoformat()} is already listed at {seen_dates[date]}")
        else:
            seen_dates[date] = hpath
            holidays.append(HolidaySpec(date=date, name=hname))
    holidays += _parse_holiday_source(reader, listed=set(seen_dates))
    holidays.sort(key=lambda h: h.date)
    spec = CalendarSpec(
        code=code,
        name=name,
        timezone=timezone,
        is_default=reader.boolean("default", default=False),
        working_hours=working_hours,
        holidays=holidays,
    )
    _model_errors(
        reader,
        BusinessCalendar(code=code, name=name, timezone=timezone or "UTC"),
        exclude=["working_hours", "is_default"],
    )
    return spec


def _parse_holiday_source(reader: _Reader, *, listed: set[dt.date]) -> list[HolidaySpec]:
    """`holidays_from: {country: US, subdiv: MA, years: [2026, 2027]}`: public holidays from the
    `holidays` library (years default to this year and next). Dates listed by hand win."""
    raw = reader.data.get("holidays_from")
    if raw is None:
        return []
    if not isinstance(raw, Mapping):
        reader.error("holidays_from", f"expected a mapping, got {_describe(raw)}")
        return []
    source = _Reader(reader.errors, f"{reader.path}.holidays_from", raw)
    source.check_keys(("country", "subdiv", "years"))
    country = source.text("country", required=True)
    subdiv = source.text("subdiv") or None
    raw_years = raw.get("years")
    years: list[int] | None = None
    if raw_years is not None:
        if not isinstance(raw_years, list) or not all(
            isinstance(y, int) and not isinstance(y, bool) and 1900 < y < 2200 for y in raw_years
        ):
            source.error(
                "years", f"expected a list of years like [2026, 2027], got {_describe(raw_years)}"
            )
            return []
        years = raw_years
    if not country:
        return []
    try:
        found = holidays_from_library(country=country, subdiv=subdiv, years=years)
    except HolidaySourceError as exc:
        source.error(None, str(exc))
        return []
    return [HolidaySpec(date=day, name=name) for day, name in found.items() if day not in listed]


def _parse_department(errors: list[str], path: str, data: Mapping[str, Any]) -> DepartmentSpec:
    reader = _Reader(errors, path, data)
    reader.check_keys(
        (
            "code",
            "name",
            "description",
            "email",
            "phone",
            "url",
            "hours",
            "address",
            "active",
            "supervisor",
            "calendar",
            "translations",
        )
    )
    spec = DepartmentSpec(
        code=reader.text("code", required=True),
        name=reader.text("name", required=True),
        description=reader.text("description"),
        email=reader.text("email"),
        phone=reader.text("phone"),
        url=reader.text("url"),
        hours=reader.text("hours"),
        address=reader.text("address"),
        is_active=reader.boolean("active", default=True),
        translations=_parse_translations(reader, Department, DEPARTMENT_TRANSLATED),
        supervisor=reader.optional_code("supervisor"),
        calendar=reader.optional_code("calendar"),
    )
    _model_errors(
        reader,
        Department(
            code=spec.code,
            name=spec.name or "-",
            description=spec.description,
            email=spec.email,
            phone=spec.phone,
            url=spec.url,
            hours=spec.hours,
            address=spec.address,
        ),
        exclude=["is_active"],
    )
    return spec


def _parse_attribute(errors: list[str], path: str, data: Mapping[str, Any]) -> AttributeSpec:
    reader = _Reader(errors, path, data)
    reader.check_keys(
        (
            "code",
            "description",
            "datatype",
            "required",
            "variable",
            "datatype_description",
            "values",
            "translations",
        )
    )
    code = reader.text("code", required=True)
    description = reader.text("description", required=True)
    datatype = _choice(reader, "datatype", AttributeDatatype, "")
    values: list[ValueSpec] = []
    value_items = reader.items("values")
    for vpath, vdata in value_items:
        vreader = _Reader(errors, vpath, vdata)
        vreader.check_keys(("key", "name", "translations"))
        key = vreader.text("key", required=True)
        name = vreader.text("name", required=True)
        if len(key) > 100:
            vreader.error("key", "must be at most 100 characters")
        if len(name) > 200:
            vreader.error("name", "must be at most 200 characters")
        translations = _parse_translations(vreader, AttributeValue, VALUE_TRANSLATED)
        values.append(ValueSpec(key=key, name=name, translations=translations))
    _unique_codes(
        errors,
        [(p, v.key) for (p, _), v in zip(value_items, values, strict=True)],
        attr="key",
    )
    if datatype in LIST_DATATYPES and not values:
        reader.error("values", f"a {datatype} attribute needs at least one value")
    if datatype and datatype not in LIST_DATATYPES and values:
        reader.error("values", f"only list attributes have values, not {datatype}")
    spec = AttributeSpec(
        code=code,
        description=description,
        datatype=datatype,
        required=reader.boolean("required", default=False),
        variable=reader.boolean("variable", default=True),
        datatype_description=reader.text("datatype_description"),
        values=values,
        translations=_parse_translations(reader, ServiceAttribute, ATTRIBUTE_TRANSLATED),
    )
    if spec.required and not spec.variable:
        reader.error("required", "an attribute that is not variable cannot be required")
    _model_errors(
        reader,
        ServiceAttribute(
            code=code,
            description=description or "-",
            datatype=datatype or AttributeDatatype.STRING,
            datatype_description=spec.datatype_description,
        ),
        exclude=["service_type", "datatype", "required", "variable", "order"],
    )
    return spec


def _parse_service_type(errors: list[str], path: str, data: Mapping[str, Any]) -> ServiceTypeSpec:
    reader = _Reader(errors, path, data)
    reader.check_keys(
        (
            "code",
            "name",
            "description",
            "group",
            "keywords",
            "kind",
            "department",
            "required_documents",
            "sla",
            "calendar",
            "active",
            "public",
            "attributes",
            "translations",
        )
    )
    code = reader.text("code", required=True)
    name = reader.text("name", required=True)
    department = reader.text("department", required=True)
    sla_value: int | None = None
    sla_unit = ""
    raw_sla = data.get("sla")
    if raw_sla is not None:
        if not isinstance(raw_sla, Mapping):
            reader.error("sla", f"expected {{value, unit}} or null, got {_describe(raw_sla)}")
        else:
            sla_reader = _Reader(errors, f"{path}.sla", raw_sla)
            sla_reader.check_keys(("value", "unit"))
            raw_value = raw_sla.get("value")
            if isinstance(raw_value, bool) or not isinstance(raw_value, int) or raw_value < 1:
                sla_reader.error(
                    "value", f"expected a whole number of at least 1, got {_describe(raw_value)}"
                )
            else:
                sla_value = raw_value
            if "unit" not in raw_sla:
                sla_reader.error("unit", "is required")
            else:
                sla_unit = _choice(sla_reader, "unit", SlaUnit, "")
    attributes: list[AttributeSpec] = []
    attribute_items = reader.items("attributes")
    for apath, adata in attribute_items:
        attributes.append(_parse_attribute(errors, apath, adata))
    _unique_codes(
        errors,
        [(p, a.code) for (p, _), a in zip(attribute_items, attributes, strict=True)],
    )
    spec = ServiceTypeSpec(
        code=code,
        name=name,
        description=reader.text("description"),
        group=reader.text("group"),
        keywords=reader.text_list("keywords"),
        kind=_choice(reader, "kind", ServiceKind, ServiceKind.REALTIME),
        department=department,
        required_documents=reader.text_list("required_documents"),
        sla_value=sla_value,
        sla_unit=sla_unit,
        calendar=reader.optional_code("calendar"),
        is_active=reader.boolean("active", default=True),
        is_public=reader.boolean("public", default=True),
        attributes=attributes,
        translations=_parse_translations(reader, ServiceType, SERVICE_TYPE_TRANSLATED),
    )
    _model_errors(
        reader,
        ServiceType(code=code, name=name or "-", description=spec.description, group=spec.group),
        exclude=[
            "default_department",
            "calendar",
            "keywords",
            "required_documents",
            "kind",
            "sla_value",
            "sla_unit",
            "is_active",
            "is_public",
        ],
    )
    return spec


def _parse_provider(errors: list[str], path: str, data: Mapping[str, Any]) -> ProviderSpec:
    reader = _Reader(errors, path, data)
    reader.check_keys(("code", "name", "department", "active"))
    spec = ProviderSpec(
        code=reader.text("code", required=True),
        name=reader.text("name", required=True),
        department=reader.optional_code("department"),
        is_active=reader.boolean("active", default=True),
    )
    _model_errors(
        reader,
        Provider(code=spec.code, name=spec.name or "-"),
        exclude=["department", "is_active"],
    )
    return spec


def _parse_contact_reason(
    errors: list[str], path: str, data: Mapping[str, Any]
) -> ContactReasonSpec:
    reader = _Reader(errors, path, data)
    reader.check_keys(
        ("code", "name", "description", "parent", "department", "service_type", "active")
    )
    spec = ContactReasonSpec(
        code=reader.text("code", required=True),
        name=reader.text("name", required=True),
        description=reader.text("description"),
        parent=reader.optional_code("parent"),
        department=reader.optional_code("department"),
        service_type=reader.optional_code("service_type"),
        is_active=reader.boolean("active", default=True),
    )
    _model_errors(
        reader,
        ContactReason(code=spec.code, name=spec.name or "-", description=spec.description),
        exclude=["parent", "department", "service_type", "is_active"],
    )
    return spec


def _check_references(
    errors: list[str],
    paths: list[str],
    codes: list[str | None],
    *,
    key: str,
    kind: str,
    known: set[str],
) -> None:
    for path, code in zip(paths, codes, strict=True):
        if code is not None and code and code not in known:
            errors.append(f"{path}.{key}: no {kind} with code {code!r} in the file or the catalog")


def _check_reason_cycles(
    errors: list[str],
    paths: list[str],
    specs: list[ContactReasonSpec],
    existing_parents: Mapping[str, str | None],
) -> None:
    parents: dict[str, str | None] = dict(existing_parents)
    parents.update({spec.code: spec.parent for spec in specs})
    for path, spec in zip(paths, specs, strict=True):
        seen = {spec.code}
        current = spec.parent
        while current is not None:
            if current in seen:
                errors.append(f"{path}.parent: {spec.code!r} would be its own ancestor")
                break
            seen.add(current)
            current = parents.get(current)


def catalog_document_parse(*, data: Any) -> CatalogSpec:
    """Check a whole catalog document and return it typed, or raise with every problem found."""
    errors: list[str] = []
    if not isinstance(data, Mapping):
        raise CatalogImportError([f"document: expected a mapping, got {_describe(data)}"])
    root = _Reader(errors, "", data)
    root.check_keys(
        (
            "format",
            "deactivate_missing",
            "calendars",
            "departments",
            "service_types",
            "contact_reasons",
            "providers",
        )
    )
    fmt = data.get("format", FORMAT_VERSION)
    if fmt != FORMAT_VERSION:
        root.error("format", f"{_describe(fmt)} is not supported; expected {FORMAT_VERSION!r}")
    deactivate_missing = root.boolean("deactivate_missing", default=False)

    def parse_all(key: str, parse: Callable[[list[str], str, Mapping[str, Any]], Any]) -> Any:
        items = root.items(key)
        specs = [parse(errors, path, item) for path, item in items]
        _unique_codes(errors, [(p, s.code) for (p, _), s in zip(items, specs, strict=True)])
        return [p for p, _ in items], specs

    _, calendars = parse_all("calendars", _parse_calendar)
    department_paths, departments = parse_all("departments", _parse_department)
    service_paths, service_types = parse_all("service_types", _parse_service_type)
    reason_paths, reasons = parse_all("contact_reasons", _parse_contact_reason)
    provider_paths, providers = parse_all("providers", _parse_provider)

    defaults = [c.code for c in calendars if c.is_default]
    if len(defaults) > 1:
        errors.append(f"calendars: only one calendar can be the default, not {', '.join(defaults)}")

    department_codes = {d.code for d in departments} | set(
        Department.objects.values_list("code", flat=True)
    )
    calendar_codes = {c.code for c in calendars} | set(
        BusinessCalendar.objects.values_list("code", flat=True)
    )
    service_codes = {s.code for s in service_types} | set(
        ServiceType.objects.values_list("code", flat=True)
    )
    existing_parents = dict(ContactReason.objects.values_list("code", "parent__code"))
    reason_codes = {r.code for r in reasons} | set(existing_parents)
    _check_references(
        errors,
        service_paths,
        [s.department for s in service_types],
        key="department",
        kind="department",
        known=department_codes,
    )
    _check_references(
        errors,
        service_paths,
        [s.calendar for s in service_types],
        key="calendar",
        kind="calendar",
        known=calendar_codes,
    )
    _check_references(
        errors,
        department_paths,
        [d.calendar for d in departments],
        key="calendar",
        kind="calendar",
        known=calendar_codes,
    )
    _check_references(
        errors,
        reason_paths,
        [r.department for r in reasons],
        key="department",
        kind="department",
        known=department_codes,
    )
    _check_references(
        errors,
        reason_paths,
        [r.service_type for r in reasons],
        key="service_type",
        kind="service type",
        known=service_codes,
    )
    _check_references(
        errors,
        reason_paths,
        [r.parent for r in reasons],
        key="parent",
        kind="contact reason",
        known=reason_codes,
    )
    _check_reason_cycles(errors, reason_paths, reasons, existing_parents)
    _check_references(
        errors,
        provider_paths,
        [p.department for p in providers],
        key="department",
        kind="department",
        known=department_codes,
    )
    supervisors = [d.supervisor for d in departments]
    known_users = set(
        get_user_model()
        .objects.filter(username__in=[name for name in supervisors if name])
        .values_list("username", flat=True)
    )
    for department_path, supervisor in zip(department_paths, supervisors, strict=True):
        if supervisor and supervisor not in known_users:
            errors.append(
                f"{department_path}.supervisor: no user is called {supervisor!r}; create the "
                "account first"
            )

    if errors:
        raise CatalogImportError(errors)
    return CatalogSpec(
        deactivate_missing=deactivate_missing,
        calendars=calendars,
        departments=departments,
        service_types=service_types,
        contact_reasons=reasons,
        providers=providers,
    )
