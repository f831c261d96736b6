"""The jurisdictions this deployment serves, held per process, and which one a call names.

Every Open311 call checks its `jurisdiction_id`, so the table is kept in memory and rebuilt when
the catalog revision moves: jurisdiction writes bump it like catalog writes do (the services,
and the model signals below for admin edits and boundary imports). Outside a transaction the
revision is read at most every `CIVICDESK_CATALOG_CACHE_CHECK_SECONDS`; inside one, once per
transaction. A deployment with at most one active jurisdiction is a single-jurisdiction server,
as before: `CIVICDESK_JURISDICTION_ID` is the default and `jurisdiction_id` may be left out.
"""

import json
import math
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import shapely
from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from shapely.geometry.base import BaseGeometry

from civicdesk.catalog.cache import catalog_changed
from civicdesk.core.revisions import CATALOG, revision_get
from civicdesk.geo.choices import AreaKind
from civicdesk.geo.models import Area
from civicdesk.open311.models import Jurisdiction

MAX_NAMED_IN_ERRORS = 20


@dataclass(frozen=True, kw_only=True)
class ServedJurisdiction:
    """One jurisdiction of a server that serves several: its services and its boundary."""

    jurisdiction_id: str
    name: str
    service_codes: frozenset[str]
    # Prepared for repeated point tests; None accepts any location intake accepts.
    boundary: BaseGeometry | None = None

    def offers(self, code: str) -> bool:
        return code in self.service_codes

    def covers(self, *, lat: float, long: float) -> bool:
        """Whether the point is inside the boundary (its edge included); True without one."""
        if self.boundary is None:
            return True
        return bool(shapely.covers(self.boundary, shapely.Point(long, lat)))


@dataclass(frozen=True)
class Served:
    """What the server serves: several jurisdictions, or (`several` empty) just one."""

    several: tuple[ServedJurisdiction, ...] = ()
    # The ids a single-jurisdiction server accepts: the setting's and its one row's.
    single_ids: frozenset[str] = frozenset()
    by_id: Mapping[str, ServedJurisdiction] = field(default_factory=dict)


class JurisdictionRefused(Exception):
    """A call that names no served jurisdiction; answered with this status and description."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(status, description)
        self.status = status
        self.description = description


def _quoted(ids: Iterable[str]) -> str:
    listed = sorted(ids)
    shown = [f"'{value}'" for value in listed[:MAX_NAMED_IN_ERRORS]]
    if len(listed) > MAX_NAMED_IN_ERRORS:
        shown.append(f"{len(listed) - MAX_NAMED_IN_ERRORS} more")
    return ", ".join(shown)


def jurisdiction_resolve(
    values: Iterable[str], *, required: bool = True
) -> ServedJurisdiction | None:
    """The jurisdiction a call names among `values` (the `jurisdiction_id` parameters).

    None on a single-jurisdiction server, where nothing is filtered, and for a call that may
    leave the id out (`required=False`) on a server with several. Raises JurisdictionRefused:
    404 for an id not served, 400 when a server with several gets none, or different ones.
    Empty values count as missing.
    """
    named = list(dict.fromkeys(value.strip() for value in values if value.strip()))
    served = _snapshot.get()
    if not served.several:
        for value in named:
            if value not in served.single_ids:
                raise JurisdictionRefused(
                    404,
                    f"jurisdiction_id '{value[:100]}' is not served here; this server serves "
                    f"{_quoted(served.single_ids)}.",
                )
        return None
    if len(named) > 1:
        raise JurisdictionRefused(400, "jurisdiction_id: give this parameter once.")
    if not named:
        if not required:
            return None
        raise JurisdictionRefused(
            400,
            "jurisdiction_id: this server serves several jurisdictions; name one of "
            f"{_quoted(served.by_id)} (see discovery.json).",
        )
    found = served.by_id.get(named[0])
    if found is None:
        raise JurisdictionRefused(
            404,
            f"jurisdiction_id '{named[0][:100]}' is not served here; this server serves "
            f"{_quoted(served.by_id)}.",
        )
    return found


def jurisdiction_location_problem(
    jurisdiction: ServedJurisdiction, *, lat: float, long: float
) -> str:
    """Why a request at the point cannot go to `jurisdiction`; empty when it can.

    Names the served jurisdictions whose boundary holds the point, most specific first (a town
    before the county around it), so the client can send it to the right one.
    """
    if jurisdiction.covers(lat=lat, long=long):
        return ""
    holding = sorted(
        (
            other
            for other in jurisdictions_served()
            if other.boundary is not None and other.covers(lat=lat, long=long)
        ),
        key=lambda other: other.boundary.area if other.boundary is not None else 0.0,
    )
    problem = f"this location is outside {jurisdiction.name}"
    if holding:
        problem += "; it is in " + ", ".join(
            f"{other.name} (jurisdiction_id '{other.jurisdiction_id}')" for other in holding
        )
    return problem + "."


def jurisdictions_served() -> tuple[ServedJurisdiction, ...]:
    """Every served jurisdiction by id when there are several; empty on a single one."""
    return _snapshot.get().several


def jurisdictions_sync(*, catalog_revision: int) -> None:
    """Bring the snapshot to `catalog_revision`, just read outside a transaction.

    The public read cache stores answers under the revision it read; an answer built from an
    older jurisdiction table must not be stored under a newer revision.
    """
    _snapshot.sync(catalog_revision)


def jurisdictions_changed() -> None:
    """Record a jurisdiction write (a row, its services, a boundary): call inside its transaction.

    Bumps the catalog revision, so every process rebuilds its snapshot and drops the public
    answers it stored; this process forgets its own at once.
    """
    catalog_changed()
    _snapshot.written()
    transaction.on_commit(_snapshot.clear)


def jurisdiction_cache_clear() -> None:
    _snapshot.clear()


def _prepared(geometry: Any) -> BaseGeometry | None:
    if not isinstance(geometry, dict) or not geometry:
        return None
    shape = shapely.from_geojson(json.dumps(geometry))
    shapely.prepare(shape)
    return shape


def _build() -> Served:
    rows = list(
        Jurisdiction.objects.filter(is_active=True)
        .order_by("jurisdiction_id")
        .values_list("pk", "jurisdiction_id", "name", "boundary_id")
    )
    if len(rows) < 2:
        ids = {str(settings.CIVICDESK_JURISDICTION_ID)} | {row[1] for row in rows}
        return Served(single_ids=frozenset(ids))
    codes: dict[int, set[str]] = {pk: set() for pk, *_rest in rows}
    offered = Jurisdiction.services.through.objects.filter(jurisdiction__in=list(codes))
    for pk, code in offered.values_list("jurisdiction", "servicetype__code"):
        codes[int(pk)].add(code)
    boundary_ids = {boundary for *_rest, boundary in rows if boundary is not None}
    shapes = {
        pk: _prepared(geometry)
        for pk, geometry in Area.objects.filter(pk__in=boundary_ids).values_list("pk", "geometry")
    }
    several = tuple(
        ServedJurisdiction(
            jurisdiction_id=jurisdiction_id,
            name=name,
            service_codes=frozenset(codes[pk]),
            boundary=shapes.get(boundary) if boundary is not None else None,
        )
        for pk, jurisdiction_id, name, boundary in rows
    )
    return Served(several=several, by_id={item.jurisdiction_id: item for item in several})


class _Snapshot:
    """The served jurisdictions of this process, rebuilt when the catalog revision moves.

    Outside a transaction the revision is trusted for `CIVICDESK_CATALOG_CACHE_CHECK_SECONDS`.
    Inside one it is read once: the first call of each transaction checks it, the later calls
    of that transaction trust it, so a request path reads nothing more than it did before. A
    transaction that writes jurisdictions checks on every call, since a savepoint rolled back
    may undo what it read.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value: Served | None = None
        self._revision: int | None = None
        self._checked_at = -math.inf
        # The outermost atomic block the revision was last read in, and the one that last
        # wrote jurisdictions; kept as objects, so `is` cannot match a later block's reused id.
        self._checked_in: object | None = None
        self._written_in: object | None = None

    def get(self) -> Served:
        outer = _outermost_atomic()
        value = self._value
        if value is not None and self._trusted(outer):
            return value
        return self._refresh(revision_get(CATALOG), outer)

    def sync(self, revision: int) -> None:
        outer = _outermost_atomic()
        if self._value is not None and revision == self._revision:
            if outer is None:
                self._checked_at = time.monotonic()
            return
        self._refresh(revision, outer)

    def written(self) -> None:
        with self._lock:
            self._forget()
            self._written_in = _outermost_atomic()

    def clear(self) -> None:
        with self._lock:
            self._forget()
            self._written_in = None

    def _trusted(self, outer: object | None) -> bool:
        if outer is None:
            return time.monotonic() - self._checked_at < _check_seconds()
        return outer is self._checked_in and outer is not self._written_in

    def _refresh(self, revision: int, outer: object | None) -> Served:
        with self._lock:
            if self._value is None or revision != self._revision:
                self._value = _build()
                self._revision = revision
                if outer is not None and outer is self._written_in:
                    # Built from writes that may yet be rolled back: no other caller trusts it.
                    self._checked_at = -math.inf
            if outer is None:
                self._checked_at = time.monotonic()
            elif outer is not self._checked_in:
                self._checked_in = outer
                transaction.on_commit(self._transaction_over)
            return self._value

    def _transaction_over(self) -> None:
        # A committed block object may be entered again (a reused decorator); it must check anew.
        self._checked_in = None

    def _forget(self) -> None:
        self._value = None
        self._revision = None
        self._checked_at = -math.inf
        self._checked_in = None


def _outermost_atomic() -> object | None:
    if not connection.in_atomic_block or not connection.atomic_blocks:
        return None
    outer: object = connection.atomic_blocks[0]
    return outer


def _check_seconds() -> float:
    return float(getattr(settings, "CIVICDESK_CATALOG_CACHE_CHECK_SECONDS", 2.0))


_snapshot = _Snapshot()


def _on_jurisdiction_write(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("action", "post_").startswith("post_"):
        jurisdictions_changed()


def _on_area_write(sender: Any, instance: Area, **kwargs: Any) -> None:
    # A re-imported boundary must reach the snapshots that hold its polygon.
    if instance.kind == AreaKind.JURISDICTION:
        jurisdictions_changed()


def jurisdiction_signals_connect() -> None:
    """Admin edits and boundary imports write through the ORM; these keep the snapshot true."""
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_on_jurisdiction_write, sender=Jurisdiction, dispatch_uid=f"o311-j-{name}")
        signal.connect(_on_area_write, sender=Area, dispatch_uid=f"o311-area-{name}")
    m2m_changed.connect(
        _on_jurisdiction_write, sender=Jurisdiction.services.through, dispatch_uid="o311-j-m2m"
    )
