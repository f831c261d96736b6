"""Reads for the resident portal: alerts, top tasks, service search, public requests.

Every function here costs a fixed, small number of queries whatever the amount of data; the
tests hold them to it.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet
from django.utils import timezone

from civicdesk.cases.choices import CaseStatus
from civicdesk.cases.models import Case
from civicdesk.cases.public import case_public_record, public_record_from_values
from civicdesk.cases.selectors import case_list, case_public_values
from civicdesk.catalog.models import ServiceType
from civicdesk.catalog.translation import TRANSLATION_LANGUAGES
from civicdesk.contacts.choices import Channel
from civicdesk.contacts.models import Contact
from civicdesk.geo.choices import AreaKind
from civicdesk.portal.choices import SiteAlertLevel
from civicdesk.portal.models import SearchSynonym, SiteAlert, TopTask
from civicdesk.portal.search import SearchDocument, normalize, rank

TOP_TASK_LIMIT = 6
TOP_TASK_DAYS = 90
# The ranking of services by requests over 90 days barely moves in minutes; holding it this
# long keeps the home page off the contact and case tables. Staff choices (TopTask) and the
# catalog are read fresh on every request.
DEMAND_CACHE_SECONDS = 300
DEMAND_CACHE_KEY = "portal:service-demand:v1:{days}"
REQUEST_PAGE_SIZE = 25
REFERENCE_PATTERN = re.compile(r"^\d{2}-\d{6,12}$")

# What the portal shows of a service type; the rest of the row stays in the database.
_TEXT_FIELDS = ("name", "description", "group", "keywords")
_SERVICE_FIELDS = (
    "code",
    *_TEXT_FIELDS,
    *(f"{name}_{language}" for language in TRANSLATION_LANGUAGES for name in _TEXT_FIELDS),
)


def site_alert_list_current(*, now: datetime | None = None) -> list[SiteAlert]:
    """The alerts on now, emergencies first, then the newest."""
    alerts = list(SiteAlert.objects.current(now=now))
    alerts.sort(key=lambda alert: alert.level != SiteAlertLevel.EMERGENCY)
    return alerts


def service_type_list_portal() -> QuerySet[ServiceType]:
    """Active public service types with only the text the portal shows, in one query."""
    return ServiceType.objects.filter(is_active=True, is_public=True).only(*_SERVICE_FIELDS)


@dataclass(frozen=True)
class ServiceGroup:
    name: str
    service_types: list[ServiceType]


def service_type_groups_portal() -> list[ServiceGroup]:
    """Active public service types by group, both in the active language, in one query.

    Groups and services are sorted by their names as the resident reads them, ignoring accents;
    services without a group come last.
    """
    groups: dict[str, list[ServiceType]] = {}
    for service in service_type_list_portal():
        groups.setdefault(service.display_group, []).append(service)
    ordered = sorted(groups.items(), key=lambda item: (not item[0], normalize(item[0])))
    return [
        ServiceGroup(name, sorted(services, key=lambda s: normalize(s.display_name)))
        for name, services in ordered
    ]


@dataclass(frozen=True)
class ServiceMatch:
    service_type: ServiceType
    score: float
    via_synonym: bool


def service_type_search(query: str, *, limit: int = 20) -> list[ServiceMatch]:
    """Active public service types matching `query`, best first, in two queries.

    Matches names, keywords, groups and descriptions in English and Spanish, ignoring case and
    accents, with the staff's synonyms; see `civicdesk.portal.search` for the ranking.
    """
    if not query.strip():
        return []
    services = {service.pk: service for service in service_type_list_portal()}
    documents = [
        SearchDocument.build(
            pk,
            {name: _texts(service, name) for name in ("name", "keywords", "group", "description")},
        )
        for pk, service in services.items()
    ]
    synonyms = [synonym.term_list for synonym in SearchSynonym.objects.all()]
    return [
        ServiceMatch(services[ranked.key], ranked.score, ranked.via_synonym)  # type: ignore[index]
        for ranked in rank(documents, query, synonyms)[:limit]
    ]


def _texts(service: ServiceType, name: str) -> list[str]:
    columns = [name, *(f"{name}_{language}" for language in TRANSLATION_LANGUAGES)]
    texts: list[str] = []
    for column in columns:
        value = getattr(service, column)
        texts.extend(value if isinstance(value, list) else [value])
    return texts


@dataclass(frozen=True)
class TopTaskEntry:
    """One top task on the home page: a service to report, or a staff link."""

    title: str
    description: str
    service_type: ServiceType | None = None
    url: str = ""
    pinned: bool = False
    requests: int = 0


def service_demand(*, days: int = TOP_TASK_DAYS) -> list[tuple[int, int]]:
    """(service type id, count) for the most requested service types, most first.

    Counts every contact about a service type in the last `days` days, plus historical
    requests imported in that time (they came without contacts). When that window holds fewer
    than a home page's worth of services, as right after going live with old history, the rest
    are ranked by all their requests ever. Held in the cache for DEMAND_CACHE_SECONDS.
    """
    key = DEMAND_CACHE_KEY.format(days=days)
    cached: list[tuple[int, int]] | None = cache.get(key)
    if cached is not None:
        return cached
    since = timezone.now() - timedelta(days=days)
    counts: Counter[int] = Counter()
    contacts = (
        Contact.objects.filter(started_at__gte=since, service_type__isnull=False)
        .values("service_type_id")
        .annotate(total=Count("id"))
        .order_by()
    )
    for row in contacts:
        counts[row["service_type_id"]] += row["total"]
    imported = (
        Case.objects.filter(channel=Channel.IMPORT, requested_at__gte=since)
        .values("service_type_id")
        .annotate(total=Count("id"))
        .order_by()
    )
    for row in imported:
        counts[row["service_type_id"]] += row["total"]
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if len(ranked) < TOP_TASK_LIMIT * 2:
        all_time = (
            Case.objects.values("service_type_id")
            .annotate(total=Count("id"))
            .order_by("-total", "service_type_id")[: TOP_TASK_LIMIT * 4]
        )
        seen = {service_id for service_id, _ in ranked}
        ranked += [
            (row["service_type_id"], 0) for row in all_time if row["service_type_id"] not in seen
        ]
    cache.set(key, ranked, DEMAND_CACHE_SECONDS)
    return ranked


def top_task_list(*, limit: int = TOP_TASK_LIMIT, days: int = TOP_TASK_DAYS) -> list[TopTaskEntry]:
    """The home page's top tasks: staff-pinned ones by position, then the most requested.

    Unpinned TopTask rows retitle a service when it comes up, or keep it out ("never
    suggest"). Services that are inactive or not public never show. Two queries, plus two or
    three when the request counts are not in the cache.
    """
    rows = list(TopTask.objects.select_related("service_type").order_by("position", "id"))
    entries: list[TopTaskEntry] = []
    shown: set[int] = set()
    for row in rows:
        if not row.pinned or len(entries) >= limit:
            continue
        service = row.service_type
        if service is not None and not (service.is_active and service.is_public):
            continue
        entries.append(
            TopTaskEntry(
                title=row.title,
                description=row.description or (service.display_description if service else ""),
                service_type=service,
                url=row.url,
                pinned=True,
            )
        )
        if service is not None:
            shown.add(service.pk)
    wanted = limit - len(entries)
    if wanted <= 0:
        return entries
    hidden = {row.service_type_id for row in rows if row.hidden}
    retitled = {row.service_type_id: row for row in rows if not row.pinned and not row.hidden}
    candidates = [
        (service_id, total)
        for service_id, total in service_demand(days=days)
        if service_id not in hidden and service_id not in shown
    ][: wanted * 2]
    services = service_type_list_portal().in_bulk([service_id for service_id, _ in candidates])
    for service_id, total in candidates:
        service = services.get(service_id)
        if service is None:
            continue
        override = retitled.get(service_id)
        entries.append(
            TopTaskEntry(
                title=override.title if override else service.display_name,
                description=(override.description if override else "")
                or service.display_description,
                service_type=service,
                requests=total,
            )
        )
        if len(entries) >= limit:
            break
    return entries


def reference_normalize(text: str) -> str:
    """A reference as people type it ("#25 000123", "25000123") in its stored form."""
    compact = re.sub(r"\s+", "", text).lstrip("#").upper()
    if re.fullmatch(r"\d{8,14}", compact):
        compact = f"{compact[:2]}-{compact[2:]}"
    return compact


def reference_is_valid(reference: str) -> bool:
    return bool(REFERENCE_PATTERN.match(reference))


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    text: str


@dataclass(frozen=True)
class PublicRequest:
    """A request as the public may see it (`case_public_record`), with a finer status."""

    record: dict[str, Any]
    status: CaseStatus
    service_name: str
    department_name: str
    requested_at: datetime
    updated_at: datetime
    expected_at: datetime | None
    timeline: list[TimelineEntry] = field(default_factory=list)
    # Waiting on the resident: the SLA clock is stopped and the expected time will move.
    sla_paused: bool = False
    # The public request this one was merged into, where the work goes on; "" when none is.
    merged_into: str = ""


def public_request_get(reference: str) -> PublicRequest | None:
    """The public view of the request with this reference, or None; four queries.

    Requests of non-public service types are not found, as in the Open311 feed.
    """
    reference = reference_normalize(reference)
    if not reference_is_valid(reference):
        return None
    case = (
        case_list(references=[reference], with_public_timeline=True)
        .filter(service_type__is_public=True)
        .select_related("merged_into__service_type")
        .first()
    )
    if case is None:
        return None
    record = case_public_record(case, extensions=True)
    timeline = [
        TimelineEntry(
            at=datetime.fromisoformat(note["datetime"]), kind=note["type"], text=note["description"]
        )
        for note in record["notes"]
    ]
    return PublicRequest(
        record=record,
        status=CaseStatus(case.status),
        service_name=case.service_type.display_name,
        department_name=case.department.display_name if case.department else "",
        requested_at=case.requested_at,
        updated_at=case.updated_at,
        expected_at=case.sla_due_at,
        timeline=timeline,
        sla_paused=case.sla_paused_at is not None,
        merged_into=_public_original(case),
    )


def _public_original(case: Case) -> str:
    original = case.merged_into
    if original is None or not original.service_type.is_public:
        return ""
    return original.reference


@dataclass(frozen=True)
class PublicRequestRow:
    record: dict[str, Any]
    status: CaseStatus
    service_name: str
    requested_at: datetime


OPEN_STATUSES = (CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.IN_PROGRESS, CaseStatus.WAITING)


@dataclass(frozen=True)
class PublicRequestPage:
    """One page of the public request list: its rows, and the page for numbers and links."""

    rows: list[PublicRequestRow]
    page: Page[dict[str, Any]]


def public_request_page(
    *,
    page: int | str | None,
    status: str = "",
    service_code: str = "",
    district_code: str = "",
    service_names: dict[str, str] | None = None,
    per_page: int = REQUEST_PAGE_SIZE,
) -> PublicRequestPage:
    """One page of public requests, newest first, in two queries (count and page).

    `status` is "open", "closed" or "" for both; `district_code` is the code of a geo area of
    kind district, or "" for all; `service_names` maps codes to the names to
    show (the active language's), defaulting to the catalog's English names. The rows carry
    the public record only (`public_record_from_values`), so nothing personal can reach them.
    """
    statuses: tuple[CaseStatus, ...] | None = None
    if status == "open":
        statuses = OPEN_STATUSES
    elif status == "closed":
        statuses = (CaseStatus.CLOSED,)
    cases = case_list(
        status=statuses, service_codes=[service_code] if service_code else None
    ).filter(service_type__is_public=True)
    if district_code:
        cases = cases.filter(district__kind=AreaKind.DISTRICT, district__code=district_code)
    current = Paginator(case_public_values(cases), per_page).get_page(page)
    names = service_names or {}
    rows = [
        PublicRequestRow(
            record=public_record_from_values(values),
            status=CaseStatus(values["status"]),
            service_name=names.get(values["service_type__code"], values["service_type__name"]),
            requested_at=values["requested_at"],
        )
        for values in current.object_list
    ]
    return PublicRequestPage(rows=rows, page=current)
