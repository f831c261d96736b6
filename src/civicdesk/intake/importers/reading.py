"""Reading source files row by row: CSV or JSON, plain or gzipped, told apart by content.

A row that cannot be read (wrong number of columns, bytes that are not UTF-8, broken quoting)
comes out as a `SourceRow` carrying a `RowError`, so one bad line never stops a run. A file that
cannot be read at all raises `SourceFileError`.
"""

import csv
import gzip
import io
import json
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from civicdesk.intake.importers.rows import RowError

GZIP_MAGIC = b"\x1f\x8b"
# Descriptions and resolution texts can be long; the csv module's default cap is 128 KiB.
CSV_FIELD_LIMIT = 1024 * 1024


class SourceFileError(Exception):
    """The file cannot be read at all (missing, not the expected format, corrupt archive)."""


@dataclass(frozen=True)
class SourceRow:
    """One row of a file: its line (CSV) or position (JSON, from 1), and its values or error."""

    number: int
    values: dict[str, Any] | None = None
    error: RowError | None = None


def _open_binary(path: Path) -> IO[bytes]:
    try:
        raw = path.open("rb")
    except OSError as error:
        raise SourceFileError(f"cannot open {path}: {error.strerror or error}") from error
    if raw.read(2) == GZIP_MAGIC:
        raw.seek(0)
        return cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="rb"))
    raw.seek(0)
    return raw


def looks_like_json(path: Path) -> bool:
    """True when the first non-blank character is '[' or '{'."""
    with _open_binary(path) as handle:
        try:
            head = handle.read(4096)
        except (OSError, EOFError, zlib.error) as error:
            raise SourceFileError(f"cannot read {path}: {error}") from error
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{")


def json_rows(*, path: Path) -> tuple[int, Iterator[SourceRow]]:
    """A JSON array of objects (or an object with a 'service_requests' array): its length and
    its rows."""
    with _open_binary(path) as handle:
        try:
            data = json.loads(handle.read().decode("utf-8-sig"))
        except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError) as error:
            raise SourceFileError(f"cannot read {path} as JSON: {error}") from error
    if isinstance(data, dict) and isinstance(data.get("service_requests"), list):
        data = data["service_requests"]
    if not isinstance(data, list):
        raise SourceFileError(f"{path}: expected a JSON array of requests")
    items: list[Any] = data

    def rows() -> Iterator[SourceRow]:
        for number, item in enumerate(items, start=1):
            if isinstance(item, dict):
                yield SourceRow(number=number, values=item)
            else:
                yield SourceRow(number=number, error=RowError("not a request object"))

    return len(items), rows()


def csv_rows(
    *, path: Path, column: Callable[[str], str] = str.strip
) -> tuple[list[str], Iterator[SourceRow]]:
    """The header (as read) and the rows keyed by `column(header name)`.

    The file is opened here so that a missing or empty file fails before any row is imported.
    """
    csv.field_size_limit(CSV_FIELD_LIMIT)
    binary = _open_binary(path)
    # surrogateescape lets one undecodable line be reported and skipped instead of ending the run.
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="surrogateescape", newline="")
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        text.close()
        raise SourceFileError(f"{path} is empty") from None
    except (OSError, EOFError, zlib.error, csv.Error) as error:
        text.close()
        raise SourceFileError(f"cannot read {path} as CSV: {error}") from error
    keys = [column(name) for name in header]

    def rows() -> Iterator[SourceRow]:
        with text:
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error:
                    yield SourceRow(number=reader.line_num, error=RowError("malformed CSV row"))
                    continue
                except (OSError, EOFError, zlib.error) as error:
                    raise SourceFileError(f"cannot read {path}: {error}") from error
                if not cells:
                    continue
                yield _csv_row(cells, keys=keys, number=reader.line_num)

    return header, rows()


def _csv_row(cells: list[str], *, keys: list[str], number: int) -> SourceRow:
    try:
        "".join(cells).encode("utf-8")
    except UnicodeEncodeError:
        return SourceRow(number=number, error=RowError("row is not valid UTF-8"))
    if len(cells) != len(keys):
        return SourceRow(number=number, error=RowError("wrong number of columns"))
    return SourceRow(number=number, values=dict(zip(keys, cells, strict=True)))
