"""Writes to the catalog: importing the one catalog document, and exporting it back.

The document format, and the rules for what an import creates, changes, removes and deactivates,
are in docs/catalog-format.md.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction

from civicdesk.catalog.cache import catalog_changed
from civicdesk.catalog.document import (
    FORMAT_VERSION,
    WEEKDAYS,
    AttributeSpec,
    CalendarSpec,
    CatalogImportError,
    CatalogSpec,
    ContactReasonSpec,
    ServiceTypeSpec,
    catalog_document_parse,
)
from civicdesk.catalog.models import (
    AttributeValue,
    BusinessCalendar,
    ContactReason,
    Department,
    Holiday,
    Provider,
    ServiceAttribute,
    ServiceType,
)
from civicdesk.catalog.sla import sla_cache_clear
from civicdesk.catalog.translation import (
    ATTRIBUTE_TRANSLATED,
    DEPARTMENT_TRANSLATED,
    LIST_TRANSLATED,
    SERVICE_TYPE_TRANSLATED,
    TRANSLATION_LANGUAGES,
    VALUE_TRANSLATED,
)

__all__ = ["CatalogImportError", "ImportSummary", "catalog_export", "catalog_import"]

SUMMARY_KINDS = (
    "calendars",
    "holidays",
    "departments",
    "service_types",
    "attributes",
    "values",
    "contact_reasons",
    "providers",
)
SUMMARY_OUTCOMES = ("created", "updated", "unchanged", "deleted", "deactivated")


@dataclass
class ImportSummary:
    """How many rows of each kind an import created, updated, left alone, deleted or deactivated."""

    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: {kind: dict.fromkeys(SUMMARY_OUTCOMES, 0) for kind in SUMMARY_KINDS}
    )

    def add(self, kind: str, outcome: str, count: int = 1) -> None:
        self.counts[kind][outcome] += count

    def __str__(self) -> str:
        return "; ".join(self.lines())

    def lines(self) -> list[str]:
        """One line per kind for people, listing only the outcomes that happened."""
        result = []
        for kind, outcomes in self.counts.items():
            parts = [f"{n} {outcome}" for outcome, n in outcomes.items() if n]
            result.append(f"{kind.replace('_', ' ')}: {', '.join(parts) or 'none'}")
        return result


def _assign(instance: models.Model, values: Mapping[str, Any]) -> bool:
    """Set fields on an instance and say whether anything actually changed."""
    changed = instance.pk is None
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _save(instance: models.Model, place: str) -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        # The document check runs the same field rules first, so this only catches what needs
        # the database (a race with another writer, say); stop here and roll everything back.
        raise CatalogImportError(
            [f"{place}: {'; '.join(msgs)}" for msgs in exc.message_dict.values()]
        ) from exc
    instance.save()


def _outcome(created: bool, changed: bool) -> str:
    if created:
        return "created"
    return "updated" if changed else "unchanged"


def _import_calendars(
    specs: list[CalendarSpec], summary: ImportSummary
) -> dict[str, BusinessCalendar]:
    existing = {c.code: c for c in BusinessCalendar.objects.prefetch_related("holidays")}
    file_codes = {spec.code for spec in specs}
    new_default = next((spec.code for spec in specs if spec.is_default), None)
    # Clear old defaults before setting the new one: only one calendar may be the default.
    losing_default = [
        code
        for code, calendar in existing.items()
        if calendar.is_default
        and (code in file_codes or new_default is not None)
        and code != new_default
    ]
    BusinessCalendar.objects.filter(code__in=losing_default).update(is_default=False)
    summary.add("calendars", "updated", len([c for c in losing_default if c not in file_codes]))

    for index, spec in enumerate(specs):
        place = f"calendars[{index}]"
        calendar = existing.get(spec.code) or BusinessCalendar(code=spec.code)
        created = calendar.pk is None
        hours = {day: spec.working_hours[day] for day in WEEKDAYS if day in spec.working_hours}
        changed = _assign(
            calendar,
            {
                "name": spec.name,
                "timezone": spec.timezone,
                "working_hours": hours,
                "is_default": spec.is_default,
            },
        )
        if changed:
            _save(calendar, place)
        old_holidays = {} if created else {h.date: h for h in calendar.holidays.all()}
        for hindex, hspec in enumerate(spec.holidays):
            holiday = old_holidays.pop(hspec.date, None) or Holiday(
                calendar=calendar, date=hspec.date
            )
            hcreated = holiday.pk is None
            hchanged = _assign(holiday, {"name": hspec.name})
            if hchanged:
                _save(holiday, f"{place}.holidays[{hindex}]")
                changed = True
            summary.add("holidays", _outcome(hcreated, hchanged))
        if old_holidays:
            Holiday.objects.filter(pk__in=[h.pk for h in old_holidays.values()]).delete()
            summary.add("holidays", "deleted", len(old_holidays))
            changed = True
        summary.add("calendars", _outcome(created, changed))
        existing[spec.code] = calendar
    return existing


def _import_departments(
    spec: CatalogSpec, calendars: Mapping[str, BusinessCalendar], summary: ImportSummary
) -> dict[str, Department]:
    existing = {d.code: d for d in Department.objects.all()}
    users = dict(
        get_user_model()
        .objects.filter(username__in=[d.supervisor for d in spec.departments if d.supervisor])
        .values_list("username", "pk")
    )
    for index, dspec in enumerate(spec.departments):
        department = existing.get(dspec.code) or Department(code=dspec.code)
        created = department.pk is None
        changed = _assign(
            department,
            {
                "name": dspec.name,
                "description": dspec.description,
                "email": dspec.email,
                "phone": dspec.phone,
                "url": dspec.url,
                "hours": dspec.hours,
                "address": dspec.address,
                "is_active": dspec.is_active,
                "supervisor_id": users.get(dspec.supervisor) if dspec.supervisor else None,
                "calendar_id": calendars[dspec.calendar].pk if dspec.calendar else None,
                **dspec.translations,
            },
        )
        if changed:
            _save(department, f"departments[{index}]")
        summary.add("departments", _outcome(created, changed))
        existing[dspec.code] = department
    return existing


def _import_attributes(
    service_type: ServiceType,
    specs: list[AttributeSpec],
    place: str,
    summary: ImportSummary,
    *,
    created: bool,
) -> bool:
    """Make the service's attributes and their values exactly those of the file."""
    old_attributes = (
        {} if created else {a.code: a for a in service_type.attributes.prefetch_related("values")}
    )
    changed = False
    for index, aspec in enumerate(specs):
        apath = f"{place}.attributes[{index}]"
        attribute = old_attributes.pop(aspec.code, None) or ServiceAttribute(
            service_type=service_type, code=aspec.code
        )
        acreated = attribute.pk is None
        achanged = _assign(
            attribute,
            {
                "description": aspec.description,
                "datatype": aspec.datatype,
                "required": aspec.required,
                "variable": aspec.variable,
                "datatype_description": aspec.datatype_description,
                "order": index,
                **aspec.translations,
            },
        )
        if achanged:
            _save(attribute, apath)
        old_values = {} if acreated else {v.key: v for v in attribute.values.all()}
        for vindex, vspec in enumerate(aspec.values):
            value = old_values.pop(vspec.key, None) or AttributeValue(
                attribute=attribute, key=vspec.key
            )
            vcreated = value.pk is None
            vchanged = _assign(value, {"name": vspec.name, "order": vindex, **vspec.translations})
            if vchanged:
                _save(value, f"{apath}.values[{vindex}]")
                achanged = True
            summary.add("values", _outcome(vcreated, vchanged))
        if old_values:
            AttributeValue.objects.filter(pk__in=[v.pk for v in old_values.values()]).delete()
            summary.add("values", "deleted", len(old_values))
            achanged = True
        summary.add("attributes", _outcome(acreated, achanged))
        changed = changed or achanged
    if old_attributes:
        ServiceAttribute.objects.filter(pk__in=[a.pk for a in old_attributes.values()]).delete()
        summary.add("attributes", "deleted", len(old_attributes))
        changed = True
    return changed


def _import_service_types(
    specs: list[ServiceTypeSpec],
    departments: Mapping[str, Department],
    calendars: Mapping[str, BusinessCalendar],
    summary: ImportSummary,
) -> dict[str, ServiceType]:
    existing = {s.code: s for s in ServiceType.objects.all()}
    for index, sspec in enumerate(specs):
        place = f"service_types[{index}]"
        service_type = existing.get(sspec.code) or ServiceType(code=sspec.code)
        created = service_type.pk is None
        department = departments[sspec.department]
        calendar = calendars[sspec.calendar] if sspec.calendar else None
        changed = _assign(
            service_type,
            {
                "name": sspec.name,
                "description": sspec.description,
                "group": sspec.group,
                "keywords": sspec.keywords,
                "kind": sspec.kind,
                "default_department_id": department.pk,
                "required_documents": sspec.required_documents,
                "sla_value": sspec.sla_value,
                "sla_unit": sspec.sla_unit,
                "calendar_id": calendar.pk if calendar else None,
                "is_active": sspec.is_active,
                "is_public": sspec.is_public,
                **sspec.translations,
            },
        )
        if changed:
            _save(service_type, place)
        attributes_changed = _import_attributes(
            service_type, sspec.attributes, place, summary, created=created
        )
        summary.add("service_types", _outcome(created, changed or attributes_changed))
        existing[sspec.code] = service_type
    return existing


def _parents_first(specs: list[ContactReasonSpec]) -> list[tuple[int, ContactReasonSpec]]:
    by_code = {spec.code: index for index, spec in enumerate(specs)}
    ordered: list[tuple[int, ContactReasonSpec]] = []
    placed: set[str] = set()

    def place(index: int) -> None:
        spec = specs[index]
        if spec.code in placed:
            return
        placed.add(spec.code)
        if spec.parent in by_code:
            place(by_code[spec.parent])
        ordered.append((index, spec))

    for index in range(len(specs)):
        place(index)
    return ordered


def _import_contact_reasons(
    specs: list[ContactReasonSpec],
    departments: Mapping[str, Department],
    service_types: Mapping[str, ServiceType],
    summary: ImportSummary,
) -> None:
    existing = {r.code: r for r in ContactReason.objects.all()}
    for index, rspec in _parents_first(specs):
        reason = existing.get(rspec.code) or ContactReason(code=rspec.code)
        created = reason.pk is None
        changed = _assign(
            reason,
            {
                "name": rspec.name,
                "description": rspec.description,
                "parent_id": existing[rspec.parent].pk if rspec.parent else None,
                "department_id": departments[rspec.department].pk if rspec.department else None,
                "service_type_id": (
                    service_types[rspec.service_type].pk if rspec.service_type else None
                ),
                "is_active": rspec.is_active,
            },
        )
        if changed:
            _save(reason, f"contact_reasons[{index}]")
        summary.add("contact_reasons", _outcome(created, changed))
        existing[rspec.code] = reason


def _import_providers(
    spec: CatalogSpec, departments: Mapping[str, Department], summary: ImportSummary
) -> None:
    existing = {p.code: p for p in Provider.objects.all()}
    for index, pspec in enumerate(spec.providers):
        provider = existing.get(pspec.code) or Provider(code=pspec.code)
        created = provider.pk is None
        department = departments[pspec.department] if pspec.department else None
        changed = _assign(
            provider,
            {
                "name": pspec.name,
                "department_id": department.pk if department else None,
                "is_active": pspec.is_active,
            },
        )
        if changed:
            _save(provider, f"providers[{index}]")
        summary.add("providers", _outcome(created, changed))


def _deactivate_missing(spec: CatalogSpec, summary: ImportSummary) -> None:
    """Switch off what the file no longer lists; rows stay because cases and contacts use them."""
    for kind, model, codes in (
        ("departments", Department, {d.code for d in spec.departments}),
        ("service_types", ServiceType, {s.code for s in spec.service_types}),
        ("contact_reasons", ContactReason, {r.code for r in spec.contact_reasons}),
        ("providers", Provider, {p.code for p in spec.providers}),
    ):
        count = model.objects.filter(is_active=True).exclude(code__in=codes).update(is_active=False)
        summary.add(kind, "deactivated", count)


def catalog_import(*, data: Mapping[str, Any]) -> ImportSummary:
    """Bring the catalog in line with one catalog document, all or nothing.

    Rows are matched by code, so importing the same file twice changes nothing the second time.
    Raises CatalogImportError naming every problem in the document; then nothing is written.
    """
    spec = catalog_document_parse(data=data)
    summary = ImportSummary()
    with transaction.atomic():
        calendars = _import_calendars(spec.calendars, summary)
        departments = _import_departments(spec, calendars, summary)
        service_types = _import_service_types(spec.service_types, departments, calendars, summary)
        _import_contact_reasons(spec.contact_reasons, departments, service_types, summary)
        _import_providers(spec, departments, summary)
        if spec.deactivate_missing:
            _deactivate_missing(spec, summary)
        # Clear now for this thread's later reads, and again after commit in case another
        # thread reloaded the old calendars in between.
        sla_cache_clear()
        transaction.on_commit(sla_cache_clear)
        catalog_changed()
    return summary


def _reason_tree_order(reasons: list[ContactReason]) -> list[ContactReason]:
    children: dict[int | None, list[ContactReason]] = defaultdict(list)
    for reason in reasons:
        children[reason.parent_id].append(reason)
    ordered: list[ContactReason] = []

    def walk(parent_id: int | None) -> None:
        for reason in sorted(children.get(parent_id, []), key=lambda r: r.code):
            ordered.append(reason)
            walk(reason.pk)

    walk(None)
    return ordered


def catalog_export() -> dict[str, Any]:
    """The whole catalog as one document that catalog_import reads back to the same catalog."""
    calendars = BusinessCalendar.objects.prefetch_related("holidays").order_by("code")
    departments = Department.objects.select_related("supervisor", "calendar").order_by("code")
    providers = Provider.objects.select_related("department").order_by("code")
    service_types = (
        ServiceType.objects.select_related("default_department", "calendar")
        .prefetch_related("attributes__values")
        .order_by("code")
    )
    reasons = list(ContactReason.objects.select_related("parent", "department", "service_type"))
    return {
        "format": FORMAT_VERSION,
        "deactivate_missing": False,
        "calendars": [
            {
                "code": c.code,
                "name": c.name,
                "timezone": c.timezone,
                "default": c.is_default,
                "working_hours": {
                    day: list(c.working_hours[day]) for day in WEEKDAYS if day in c.working_hours
                },
                "holidays": [
                    {"date": h.date.isoformat(), "name": h.name}
                    for h in sorted(c.holidays.all(), key=lambda h: h.date)
                ],
            }
            for c in calendars
        ],
        "departments": [
            {
                "code": d.code,
                "name": d.name,
                "description": d.description,
                "email": d.email,
                "phone": d.phone,
                "url": d.url,
                "hours": d.hours,
                "address": d.address,
                "active": d.is_active,
                "supervisor": d.supervisor.get_username() if d.supervisor else None,
                "calendar": d.calendar.code if d.calendar else None,
                "translations": _export_translations(d, DEPARTMENT_TRANSLATED),
            }
            for d in departments
        ],
        "providers": [
            {
                "code": p.code,
                "name": p.name,
                "department": p.department.code if p.department else None,
                "active": p.is_active,
            }
            for p in providers
        ],
        "service_types": [_export_service_type(s) for s in service_types],
        "contact_reasons": [
            {
                "code": r.code,
                "name": r.name,
                "description": r.description,
                "parent": r.parent.code if r.parent else None,
                "department": r.department.code if r.department else None,
                "service_type": r.service_type.code if r.service_type else None,
                "active": r.is_active,
            }
            for r in _reason_tree_order(reasons)
        ],
    }


def _export_translations(instance: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    return {
        language: {
            name: (
                list(getattr(instance, f"{name}_{language}"))
                if name in LIST_TRANSLATED
                else getattr(instance, f"{name}_{language}")
            )
            for name in fields
        }
        for language in TRANSLATION_LANGUAGES
    }


def _export_value(value: AttributeValue) -> dict[str, Any]:
    # Values are one-line rows in the document, so their translations are written only when
    # there are some; service types and attributes always show every translated field.
    exported: dict[str, Any] = {"key": value.key, "name": value.name}
    translations = _export_translations(value, VALUE_TRANSLATED)
    if any(text for texts in translations.values() for text in texts.values()):
        exported["translations"] = translations
    return exported


def _export_service_type(service_type: ServiceType) -> dict[str, Any]:
    attributes = sorted(service_type.attributes.all(), key=lambda a: (a.order, a.code))
    return {
        "code": service_type.code,
        "name": service_type.name,
        "description": service_type.description,
        "group": service_type.group,
        "keywords": list(service_type.keywords),
        "kind": service_type.kind,
        "department": service_type.default_department.code,
        "required_documents": list(service_type.required_documents),
        "sla": (
            {"value": service_type.sla_value, "unit": service_type.sla_unit}
            if service_type.sla_value is not None
            else None
        ),
        "calendar": service_type.calendar.code if service_type.calendar else None,
        "active": service_type.is_active,
        "public": service_type.is_public,
        "translations": _export_translations(service_type, SERVICE_TYPE_TRANSLATED),
        "attributes": [
            {
                "code": a.code,
                "description": a.description,
                "datatype": a.datatype,
                "required": a.required,
                "variable": a.variable,
                "datatype_description": a.datatype_description,
                "values": [
                    _export_value(v) for v in sorted(a.values.all(), key=lambda v: (v.order, v.key))
                ],
                "translations": _export_translations(a, ATTRIBUTE_TRANSLATED),
            }
            for a in attributes
        ],
    }
