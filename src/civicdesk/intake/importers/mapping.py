"""Category mappings: which catalog service type (and department) a source's category becomes.

A mapping is a small YAML file (format in docs/importers.md). `load_mapping` reads and checks
the file without the database; `mapping_resolve` looks its codes up in the catalog once per run,
so the row parsers get model instances and never query.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from civicdesk.catalog.models import Department, ServiceType

FORMATS = ("open311", "nyc311")


class MappingError(ValueError):
    """A mapping file that cannot be read or does not have the documented shape."""


@dataclass(frozen=True)
class CategoryRule:
    """One source category: its service type, optionally refined by a sub-category."""

    service_type: str = ""
    descriptors: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CategoryMapping:
    """A mapping file as read: codes only, keys normalised for case-insensitive matching."""

    service_types: dict[str, CategoryRule]
    departments: dict[str, str] = field(default_factory=dict)
    default: str = ""
    format: str = ""
    path: str = ""

    def codes(self) -> tuple[set[str], set[str]]:
        """Every service type code and department code the mapping names."""
        service_codes = {rule.service_type for rule in self.service_types.values()}
        for rule in self.service_types.values():
            service_codes.update(rule.descriptors.values())
        if self.default:
            service_codes.add(self.default)
        service_codes.discard("")
        return service_codes, set(self.departments.values())


def category_key(text: str) -> str:
    """How categories are compared: case-insensitive, with runs of spaces folded."""
    return " ".join(text.split()).casefold()


def load_mapping(path: Path | str) -> CategoryMapping:
    """Read a mapping file; raises `MappingError` naming the file and the problem."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise MappingError(f"cannot read mapping {path}: {error}") from error
    return mapping_parse(data=data, path=str(path))


def mapping_parse(*, data: Any, path: str = "") -> CategoryMapping:
    """Check a mapping document's shape and normalise its keys."""
    where = path or "mapping"
    if not isinstance(data, Mapping):
        raise MappingError(f"{where}: expected a mapping with a 'service_types' section")
    unknown = set(data) - {"format", "service_types", "departments", "default"}
    if unknown:
        raise MappingError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    format_name = data.get("format") or ""
    if format_name and format_name not in FORMATS:
        raise MappingError(f"{where}: format must be one of {', '.join(FORMATS)}")
    service_types = data.get("service_types")
    if not isinstance(service_types, Mapping) or not service_types:
        raise MappingError(f"{where}: 'service_types' must map categories to service type codes")
    rules: dict[str, CategoryRule] = {}
    for category, target in service_types.items():
        key = category_key(str(category))
        if key in rules:
            raise MappingError(f"{where}: category {category!r} is listed twice")
        rules[key] = _rule_parse(target, where=f"{where}: category {category!r}")
    departments = data.get("departments") or {}
    if not isinstance(departments, Mapping):
        raise MappingError(f"{where}: 'departments' must map agencies to department codes")
    default = data.get("default") or ""
    if not isinstance(default, str):
        raise MappingError(f"{where}: 'default' must be a service type code")
    return CategoryMapping(
        service_types=rules,
        departments={
            category_key(str(agency)): _code(code, where=f"{where}: agency {agency!r}")
            for agency, code in departments.items()
        },
        default=default,
        format=str(format_name),
        path=path,
    )


def _rule_parse(target: Any, *, where: str) -> CategoryRule:
    if isinstance(target, str):
        return CategoryRule(service_type=_code(target, where=where))
    if not isinstance(target, Mapping) or set(target) - {"service_type", "descriptors"}:
        raise MappingError(f"{where}: give a code, or 'service_type' and/or 'descriptors'")
    descriptors = target.get("descriptors") or {}
    if not isinstance(descriptors, Mapping):
        raise MappingError(f"{where}: 'descriptors' must map descriptors to codes")
    service_type = target.get("service_type") or ""
    return CategoryRule(
        service_type=_code(service_type, where=where) if service_type else "",
        descriptors={
            category_key(str(descriptor)): _code(code, where=f"{where}, descriptor {descriptor!r}")
            for descriptor, code in descriptors.items()
        },
    )


def _code(value: Any, *, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise MappingError(f"{where}: expected a code, got {value!r}")
    return value.strip()


@dataclass(frozen=True)
class ResolvedMapping:
    """A mapping with its codes looked up in the catalog; codes it names but the catalog lacks
    are kept in `missing_*`, so rows that need them are skipped with a reason that says so."""

    mapping: CategoryMapping
    service_types: dict[str, ServiceType]
    departments: dict[str, Department]
    missing_service_types: frozenset[str] = frozenset()
    missing_departments: frozenset[str] = frozenset()

    def service_type_for(
        self, *, categories: tuple[str, ...], descriptor: str = ""
    ) -> ServiceType | None:
        """The service type of the first of `categories` the mapping lists (refined by
        `descriptor`), else the mapping's default; None when nothing applies.

        Raises `LookupError` with the code when the mapping names a code the catalog lacks.
        """
        code = self.mapping.default
        for category in categories:
            rule = self.mapping.service_types.get(category_key(category))
            if rule is not None:
                code = rule.descriptors.get(category_key(descriptor), "") or rule.service_type
                code = code or self.mapping.default
                break
        if not code:
            return None
        service_type = self.service_types.get(code)
        if service_type is None:
            raise LookupError(code)
        return service_type

    def department_for(self, *, agency: str) -> Department | None:
        """The department for a source agency; None when the mapping does not name one.

        Raises `LookupError` with the code when the mapping names a code the catalog lacks.
        """
        code = self.mapping.departments.get(category_key(agency))
        if code is None:
            return None
        department = self.departments.get(code)
        if department is None:
            raise LookupError(code)
        return department


def mapping_resolve(*, mapping: CategoryMapping) -> ResolvedMapping:
    """Look the mapping's codes up in the catalog: two queries, once per run."""
    service_codes, department_codes = mapping.codes()
    service_types = {
        service_type.code: service_type
        for service_type in ServiceType.objects.filter(code__in=service_codes).select_related(
            "default_department", "calendar"
        )
    }
    departments = {
        department.code: department
        for department in Department.objects.filter(code__in=department_codes)
    }
    return ResolvedMapping(
        mapping=mapping,
        service_types=service_types,
        departments=departments,
        missing_service_types=frozenset(service_codes - set(service_types)),
        missing_departments=frozenset(department_codes - set(departments)),
    )
