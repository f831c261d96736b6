"""Running an import: read rows, parse, place on the map, and hand each to `case_import`.

Each row is written by `case_import` in its own transaction and nothing wraps the run, so a crash
half-way keeps the rows before it and none of the broken one; running the same file again skips
what is there (counted as already present) and finishes the rest.
"""

import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from tqdm import tqdm

from civicdesk.cases.services.opening import HistoricalRecord, case_import
from civicdesk.geo.choices import AreaKind
from civicdesk.geo.selectors import area_containing, coordinates_validate, point_in_jurisdiction
from civicdesk.intake.importers.mapping import (
    CategoryMapping,
    ResolvedMapping,
    load_mapping,
    mapping_resolve,
)
from civicdesk.intake.importers.nyc311 import nyc311_row_parse, nyc_column, nyc_column_style
from civicdesk.intake.importers.open311 import open311_row_parse
from civicdesk.intake.importers.reading import (
    SourceFileError,
    SourceRow,
    csv_rows,
    json_rows,
    looks_like_json,
)
from civicdesk.intake.importers.rows import RowError

MAX_SOURCE_LENGTH = 32
ROW_NUMBERS_KEPT = 5
OUTSIDE_JURISDICTION = "outside the jurisdiction"


@dataclass
class ImportReport:
    """What a run did: rows read, imported, already there, and skipped by reason."""

    source: str
    path: str
    column_style: str = ""
    rows: int = 0
    imported: int = 0
    already_present: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    skipped_rows: dict[str, list[int]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def skip(self, *, reason: str, row: int) -> None:
        self.skipped[reason] += 1
        numbers = self.skipped_rows.setdefault(reason, [])
        if len(numbers) < ROW_NUMBERS_KEPT:
            numbers.append(row)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def __str__(self) -> str:
        return (
            f"{self.rows:,} rows: {self.imported:,} imported, {self.already_present:,} already "
            f"present, {self.skipped_total:,} skipped ({self.seconds:.1f} s)"
        )

    def lines(self) -> list[str]:
        """The summary, then one line per skip reason with the first few row numbers."""
        lines = [f"{self.path} -> source '{self.source}'"]
        if self.column_style:
            lines.append(f"columns: {self.column_style}")
        lines.extend(f"warning: {warning}" for warning in self.warnings)
        lines.append(f"{self} at {self.rows_per_second:,.0f} rows/s")
        for reason, count in self.skipped.most_common():
            numbers = ", ".join(str(number) for number in self.skipped_rows[reason])
            more = ", ..." if count > len(self.skipped_rows[reason]) else ""
            lines.append(f"  skipped {count:,}: {reason} (rows {numbers}{more})")
        return lines


def import_open311(
    *,
    path: Path | str,
    mapping: CategoryMapping | Path | str,
    source: str = "open311",
    progress: bool = True,
    limit: int | None = None,
) -> ImportReport:
    """Import Open311 GeoReport v2 requests: a JSON array, or a CSV with the same columns,
    plain or gzipped. Row numbers in the report are positions in the array (from 1) or CSV lines.
    """
    path = Path(path)
    report = _report_start(path=path, source=source)
    resolved = _resolve(mapping=mapping, report=report)
    naive_zone = ZoneInfo(settings.CIVICDESK_JURISDICTION_TIMEZONE)
    total: int | None
    if looks_like_json(path):
        total, rows = json_rows(path=path)
    else:
        _header, rows = csv_rows(path=path)
        total = None

    def parse(values: Mapping[str, Any]) -> HistoricalRecord:
        return open311_row_parse(row=values, mapping=resolved, source=source, naive_zone=naive_zone)

    _run(rows=rows, parse=parse, report=report, progress=progress, limit=limit, total=total)
    return report


def import_nyc311(
    *,
    path: Path | str,
    mapping: CategoryMapping | Path | str,
    source: str = "nyc311",
    progress: bool = True,
    limit: int | None = None,
) -> ImportReport:
    """Import NYC 311 Service Requests from CSV (plain or gzipped) in either column style.
    Row numbers in the report are CSV line numbers (the header is line 1)."""
    path = Path(path)
    report = _report_start(path=path, source=source)
    resolved = _resolve(mapping=mapping, report=report)
    header, rows = csv_rows(path=path, column=nyc_column)
    try:
        report.column_style = nyc_column_style(header)
    except ValueError as error:
        raise SourceFileError(f"{path}: {error}") from None

    def parse(values: Mapping[str, Any]) -> HistoricalRecord:
        return nyc311_row_parse(row=values, mapping=resolved, source=source)

    _run(rows=rows, parse=parse, report=report, progress=progress, limit=limit, total=None)
    return report


def _report_start(*, path: Path, source: str) -> ImportReport:
    if not source or len(source) > MAX_SOURCE_LENGTH:
        raise ValueError(f"source must be 1 to {MAX_SOURCE_LENGTH} characters")
    return ImportReport(source=source, path=str(path))


def _resolve(*, mapping: CategoryMapping | Path | str, report: ImportReport) -> ResolvedMapping:
    if not isinstance(mapping, CategoryMapping):
        mapping = load_mapping(mapping)
    resolved = mapping_resolve(mapping=mapping)
    for code in sorted(resolved.missing_service_types):
        report.warnings.append(f"the mapping names service type '{code}', not in the catalog")
    for code in sorted(resolved.missing_departments):
        report.warnings.append(f"the mapping names department '{code}', not in the catalog")
    return resolved


def _run(
    *,
    rows: Iterator[SourceRow],
    parse: Callable[[Mapping[str, Any]], HistoricalRecord],
    report: ImportReport,
    progress: bool,
    limit: int | None,
    total: int | None,
) -> None:
    started = time.monotonic()
    if limit is not None and total is not None:
        total = min(total, limit)
    bar = tqdm(
        total=total,
        unit=" rows",
        file=sys.stderr,
        disable=not (progress and sys.stderr.isatty()),
        desc=report.source,
    )
    try:
        with bar:
            for row in rows:
                if limit is not None and report.rows >= limit:
                    break
                report.rows += 1
                _import_row(row=row, parse=parse, report=report)
                bar.update(1)
    finally:
        report.seconds = time.monotonic() - started


def _import_row(
    *,
    row: SourceRow,
    parse: Callable[[Mapping[str, Any]], HistoricalRecord],
    report: ImportReport,
) -> None:
    try:
        if row.values is None:
            raise row.error or RowError("unreadable row")
        record = _placed(parse(row.values))
    except RowError as error:
        report.skip(reason=error.reason, row=row.number)
        return
    try:
        _case, created = case_import(record=record)
    except ValidationError as error:
        fields = ", ".join(sorted(error.message_dict)) if hasattr(error, "error_dict") else ""
        report.skip(reason=f"rejected by case validation ({fields or 'record'})", row=row.number)
        return
    except IntegrityError:
        # Another run imported the same record between the lookup and the insert; asking again
        # returns that case.
        _case, created = case_import(record=record)
    if created:
        report.imported += 1
    else:
        report.already_present += 1


def _placed(record: HistoricalRecord) -> HistoricalRecord:
    """Check the point against the jurisdiction and give the record its district."""
    location = record.location
    if location.lat is None or location.long is None:
        return record
    try:
        coordinates_validate(lat=location.lat, long=location.long)
    except ValidationError:
        raise RowError("coordinates out of range", "lat") from None
    if not point_in_jurisdiction(lat=location.lat, long=location.long):
        raise RowError(OUTSIDE_JURISDICTION, "lat")
    district = area_containing(lat=location.lat, long=location.long, kind=AreaKind.DISTRICT)
    return replace(record, location=replace(location, district=district))
