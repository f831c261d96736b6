"""Reading an article import file: CSV, TSV, JSON or YAML (any of them gzipped), rows with line
numbers.

Column names are matched case-insensitively, and the common names other systems export are
accepted as aliases (`question` for `title`, `answer` for `body`, `url` or `link` for
`source_url`, `lang` for `language`, `category` for `topic`, `source` for `source_name`). What a
row means is decided by `knowledge.services.imports`; this module only reads.
"""

import csv
import gzip
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

COLUMNS = (
    "external_id",
    "title",
    "question",
    "questions",
    "summary",
    "body",
    "language",
    "topic",
    "department",
    "service_types",
    "source_url",
    "source_name",
    "status",
    "slug",
    "quick_link",
    "review_by",
    "translation_of",
)
ALIASES = {
    "id": "external_id",
    "externalid": "external_id",
    "answer": "body",
    "text": "body",
    "url": "source_url",
    "link": "source_url",
    "sourceurl": "source_url",
    "lang": "language",
    "category": "topic",
    "source": "source_name",
    "sourcename": "source_name",
    "owner": "department",
    "services": "service_types",
    "service_codes": "service_types",
    "variants": "questions",
}
# Markers the row checks report: a CSV record longer than the header, a JSON item that is not
# an object.
EXTRA_CELLS = "_extra_cells"
NOT_AN_OBJECT = "_not_an_object"
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_ROWS = 100_000


class ImportFileError(ValueError):
    """The file as a whole cannot be read; nothing in it was looked at row by row."""


@dataclass(frozen=True)
class ImportRow:
    """One record of the file: where it starts (1-based line) and its values by column."""

    line: int
    values: dict[str, Any]


@dataclass(frozen=True)
class ImportFile:
    rows: list[ImportRow]
    ignored_columns: list[str]


def column_name(raw: str) -> str | None:
    """The column `raw` stands for, or None when it means nothing to the import."""
    key = raw.strip().lower().replace("-", "_").replace(" ", "_")
    if key in COLUMNS:
        return key
    return ALIASES.get(key.replace("_", "")) or ALIASES.get(key)


def _text(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImportFileError(f"larger than {MAX_FILE_BYTES // 1024 // 1024} MB")
        data = path.read_bytes()
    except OSError as error:
        raise ImportFileError(f"{error.strerror or error}") from error
    if path.suffix.lower() == ".gz":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
                data = unzipped.read(MAX_FILE_BYTES + 1)
        except (OSError, EOFError) as error:
            raise ImportFileError(f"not a readable gzip file ({error})") from error
        if len(data) > MAX_FILE_BYTES:
            raise ImportFileError(f"larger than {MAX_FILE_BYTES // 1024 // 1024} MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(f"not UTF-8 text (byte {error.start} cannot be read)") from error


def _format(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    kind = suffixes[-1] if suffixes else ""
    if kind in {".csv", ".tsv", ".json", ".yaml"}:
        return kind[1:]
    if kind == ".yml":
        return "yaml"
    raise ImportFileError("use a .csv, .tsv, .json or .yaml file (optionally .gz)")


def _mapped(raw: dict[str, Any], ignored: dict[str, None]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key is None:
            continue
        name = column_name(str(key))
        if name is None:
            ignored.setdefault(str(key), None)
            continue
        values.setdefault(name, value)
    return values


def _read_csv(text: str, delimiter: str) -> ImportFile:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    ignored: dict[str, None] = {}
    try:
        header = next(reader)
    except StopIteration:
        return ImportFile(rows=[], ignored_columns=[])
    except csv.Error as error:
        raise ImportFileError(f"line 1: {error}") from error
    rows: list[ImportRow] = []
    start = reader.line_num + 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise ImportFileError(f"line {start}: {error}") from error
        if any(cell.strip() for cell in record):
            values = _mapped(dict(zip(header, record, strict=False)), ignored)
            if len(record) > len(header):
                values[EXTRA_CELLS] = len(record) - len(header)
            rows.append(ImportRow(line=start, values=values))
            if len(rows) > MAX_ROWS:
                raise ImportFileError(f"more than {MAX_ROWS:,} rows; split the file")
        start = reader.line_num + 1
    return ImportFile(rows=rows, ignored_columns=list(ignored))


def _read_json(text: str) -> ImportFile:
    """A JSON array of objects; each row's line is where its object starts."""
    decoder = json.JSONDecoder()
    position = _skip_space(text, 0)
    if position >= len(text) or text[position] != "[":
        raise ImportFileError("line 1: the file must be a JSON array of objects")
    position = _skip_space(text, position + 1)
    rows: list[ImportRow] = []
    ignored: dict[str, None] = {}
    if position < len(text) and text[position] == "]":
        return ImportFile(rows=[], ignored_columns=[])
    while True:
        line = text.count("\n", 0, position) + 1
        try:
            item, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise ImportFileError(f"line {error.lineno}: not valid JSON ({error.msg})") from error
        values = _mapped(item, ignored) if isinstance(item, dict) else {NOT_AN_OBJECT: item}
        rows.append(ImportRow(line=line, values=values))
        if len(rows) > MAX_ROWS:
            raise ImportFileError(f"more than {MAX_ROWS:,} rows; split the file")
        position = _skip_space(text, position)
        if position < len(text) and text[position] == ",":
            position = _skip_space(text, position + 1)
            continue
        if position < len(text) and text[position] == "]":
            break
        line = text.count("\n", 0, position) + 1
        raise ImportFileError(f"line {line}: expected ',' or ']' between the objects")
    if _skip_space(text, position + 1) != len(text):
        line = text.count("\n", 0, position + 1) + 1
        raise ImportFileError(f"line {line}: text after the end of the array")
    return ImportFile(rows=rows, ignored_columns=list(ignored))


def _read_yaml(text: str) -> ImportFile:
    """A YAML list of mappings (easier to write by hand); each row's line is its item's."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return ImportFile(rows=[], ignored_columns=[])
        if not isinstance(root, yaml.SequenceNode):
            raise ImportFileError("line 1: the file must be a YAML list of mappings")
        rows: list[ImportRow] = []
        ignored: dict[str, None] = {}
        for node in root.value:
            item = loader.construct_object(node, deep=True)
            values = _mapped(item, ignored) if isinstance(item, dict) else {NOT_AN_OBJECT: item}
            rows.append(ImportRow(line=node.start_mark.line + 1, values=values))
            if len(rows) > MAX_ROWS:
                raise ImportFileError(f"more than {MAX_ROWS:,} rows; split the file")
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise ImportFileError(f"line {line}: not valid YAML ({error.problem})") from error
    except yaml.YAMLError as error:
        raise ImportFileError(f"line 1: not valid YAML ({error})") from error
    finally:
        loader.dispose()
    return ImportFile(rows=rows, ignored_columns=list(ignored))


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def import_file_read(path: Path) -> ImportFile:
    """Every record of a CSV, TSV, JSON or YAML file (plain or .gz), or `ImportFileError`."""
    return import_text_read(_text(path), kind=_format(path))


def import_text_read(text: str, *, kind: str) -> ImportFile:
    """The same for text already in memory (`kind` is csv, tsv, json or yaml)."""
    if kind == "json":
        return _read_json(text)
    if kind == "yaml":
        return _read_yaml(text)
    return _read_csv(text, "\t" if kind == "tsv" else ",")
