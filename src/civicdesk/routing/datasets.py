"""Training and evaluation examples: resident text, its service type, and when it was written.

Read from a CSV file here; from the jurisdiction's own cases in `routing.selectors`. A CSV of
another jurisdiction's categories (Boston's "Illegal Parking") is mapped to catalog codes with a
label map in the importers' mapping format (docs/importers.md), or kept raw for evaluation.
"""

import csv
import gzip
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings

from civicdesk.intake.importers import CategoryMapping, MappingError, load_mapping
from civicdesk.intake.importers.mapping import category_key

_GZIP_MAGIC = b"\x1f\x8b"


class DatasetError(ValueError):
    """A file or an option that cannot give examples at all (missing, wrong columns, bad map)."""


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    at: datetime | None = None


@dataclass
class Dataset:
    """Examples in source order, what they are, and the rows left out with why."""

    examples: list[Example]
    description: str
    skipped: Counter[str] = field(default_factory=Counter)


def jurisdiction_zone() -> ZoneInfo:
    return ZoneInfo(settings.CIVICDESK_JURISDICTION_TIMEZONE)


def when_parse(value: str) -> datetime:
    """An ISO 8601 date or time; a date is its midnight, a time without an offset is local to
    the jurisdiction. `ValueError` when it is neither."""
    text = value.strip()
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), time(), tzinfo=jurisdiction_zone())
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=jurisdiction_zone())


def label_map_load(path: Path) -> CategoryMapping:
    """A label map: the importers' mapping file, whose `service_types` section maps source
    categories to catalog codes (descriptor refinements are not used here)."""
    try:
        return load_mapping(path)
    except MappingError as error:
        raise DatasetError(str(error)) from error


def label_map_apply(mapping: CategoryMapping, label: str) -> str:
    """The catalog code for a source label, or "" when the map does not name it."""
    rule = mapping.service_types.get(category_key(label))
    return (rule.service_type if rule else "") or mapping.default


def _open_text(path: Path) -> io.TextIOBase:
    try:
        with path.open("rb") as peek:
            gzipped = peek.read(2) == _GZIP_MAGIC
        if gzipped:
            return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
        return path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise DatasetError(f"{path}: {error.strerror or error}") from error


def _rows(path: Path, columns: list[str]) -> Iterator[dict[str, str]]:
    with _open_text(path) as handle:
        reader = csv.DictReader(handle)
        try:
            header = reader.fieldnames or []
        except (UnicodeDecodeError, csv.Error, OSError, EOFError) as error:
            raise DatasetError(f"{path}: not a readable CSV file: {error}") from error
        missing = [column for column in columns if column not in header]
        if missing:
            raise DatasetError(
                f"{path}: no column {', '.join(map(repr, missing))}; "
                f"the columns are {', '.join(map(repr, header)) or 'none'}"
            )
        try:
            yield from reader
        except (UnicodeDecodeError, csv.Error, OSError, EOFError) as error:
            raise DatasetError(f"{path}: unreadable at line {reader.line_num}: {error}") from error


def dataset_from_csv(
    *,
    path: Path,
    text_column: str,
    label_column: str,
    time_column: str = "",
    label_map: CategoryMapping | None = None,
    limit: int | None = None,
) -> Dataset:
    """Examples from a CSV file (plain or gzipped); rows without a label or a readable time, or
    with a label the map does not name, are skipped and counted."""
    columns = [text_column, label_column, *([time_column] if time_column else [])]
    examples: list[Example] = []
    skipped: Counter[str] = Counter()
    for row in _rows(path, columns):
        if limit is not None and len(examples) >= limit:
            break
        label = (row.get(label_column) or "").strip()
        if not label:
            skipped["no label"] += 1
            continue
        if label_map is not None:
            mapped = label_map_apply(label_map, label)
            if not mapped:
                skipped[f"label {label!r} not in the label map"] += 1
                continue
            label = mapped
        at = None
        if time_column:
            try:
                at = when_parse(row.get(time_column) or "")
            except ValueError:
                skipped["no readable time"] += 1
                continue
        examples.append(Example(text=row.get(text_column) or "", label=label, at=at))
    mapped_note = f", labels mapped by {label_map.path}" if label_map is not None else ""
    return Dataset(
        examples=examples,
        description=f"{path.name}: column {text_column!r} → {label_column!r}{mapped_note}",
        skipped=skipped,
    )
