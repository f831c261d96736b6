"""Revision counters for data that processes cache: the catalog, the public request records.

A writer calls `revision_bump` inside its transaction; a reader compares `revision_get` with the
revision its cached copy was built at. Reading a revision is one primary-key lookup, much cheaper
than rebuilding what it guards. A bump draws a new random value rather than adding one, so a
rolled-back bump can never be mistaken for a later committed one.
"""

import math
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db import connection

from civicdesk.core.models import DataRevision

CATALOG = "catalog"
REQUESTS = "requests"

T = TypeVar("T")
_BUMP = "UPDATE core_datarevision SET value = %s WHERE name = %s"


def revision_bump(name: str) -> None:
    """Give the data a new revision; call it inside the transaction that changes the data."""
    value = secrets.randbits(62)
    # Raw SQL: every case event runs this, and the ORM's update costs several times the query.
    with connection.cursor() as cursor:
        cursor.execute(_BUMP, [value, name])
        if cursor.rowcount:
            return
    DataRevision.objects.update_or_create(name=name, defaults={"value": value})


def revision_get(name: str) -> int:
    """The counter's current value; 0 before the first write."""
    # Raw SQL: this runs on every cached read, and the ORM would cost more than the query.
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM core_datarevision WHERE name = %s", [name])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def revisions_get(names: tuple[str, ...]) -> tuple[int, ...]:
    """Several counters in one query, in the order named."""
    placeholders = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name, value FROM core_datarevision WHERE name IN ({placeholders})",  # noqa: S608 - placeholders only
            list(names),
        )
        found = dict(cursor.fetchall())
    return tuple(int(found.get(name, 0)) for name in names)


class RevisionMemo(Generic[T]):
    """One value per process, rebuilt when its revision moves.

    The revision is read at most every `check_seconds`, except inside a transaction, where a
    rolled-back write (as in tests) must not leave a stale copy trusted by the clock.
    """

    def __init__(self, name: str, build: Callable[[], T], *, check_seconds: Callable[[], float]):
        self._name = name
        self._build = build
        self._check_seconds = check_seconds
        self._lock = threading.Lock()
        self._value: T | None = None
        self._revision: int | None = None
        self._checked_at = -math.inf

    def get(self) -> T:
        now = time.monotonic()
        value = self._value
        if (
            value is not None
            and now - self._checked_at < self._check_seconds()
            and not connection.in_atomic_block
        ):
            return value
        revision = revision_get(self._name)
        with self._lock:
            if self._value is None or revision != self._revision:
                self._value = self._build()
                self._revision = revision
            self._checked_at = now
            return self._value

    def clear(self) -> None:
        with self._lock:
            self._value = None
            self._revision = None
            self._checked_at = -math.inf


@dataclass(frozen=True)
class _Entry(Generic[T]):
    revision: object
    stored_at: float
    value: T


class RevisionLRU(Generic[T]):
    """A bounded per-process map whose entries are valid only at the revision they were built at
    and for at most `max_age` seconds (for answers that also depend on the clock)."""

    def __init__(self, *, size: int) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, _Entry[T]] = OrderedDict()

    def get(self, key: str, *, revision: object, max_age: float) -> T | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.revision != revision or time.monotonic() - entry.stored_at > max_age:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry.value

    def put(self, key: str, value: T, *, revision: object) -> None:
        with self._lock:
            self._entries[key] = _Entry(revision, time.monotonic(), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
