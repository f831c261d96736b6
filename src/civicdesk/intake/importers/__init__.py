"""Importers of published 311 data (Open311 GeoReport v2, NYC 311) into historical cases.

Parsers turn one source row into a `HistoricalRecord` or a `RowError` and touch nothing else;
the runner places each record on the map and writes it with `cases.services.case_import`.
"""

from civicdesk.intake.importers.mapping import (
    CategoryMapping,
    MappingError,
    ResolvedMapping,
    load_mapping,
    mapping_parse,
    mapping_resolve,
)
from civicdesk.intake.importers.nyc311 import nyc311_row_parse, nyc_datetime_parse
from civicdesk.intake.importers.open311 import open311_row_parse
from civicdesk.intake.importers.reading import SourceFileError
from civicdesk.intake.importers.rows import RowError
from civicdesk.intake.importers.runner import ImportReport, import_nyc311, import_open311

__all__ = [
    "CategoryMapping",
    "ImportReport",
    "MappingError",
    "ResolvedMapping",
    "RowError",
    "SourceFileError",
    "import_nyc311",
    "import_open311",
    "load_mapping",
    "mapping_parse",
    "mapping_resolve",
    "nyc311_row_parse",
    "nyc_datetime_parse",
    "open311_row_parse",
]
