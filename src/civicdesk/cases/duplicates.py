"""Finding earlier open requests that may describe the same problem: the duplicate check.

One indexed query reads the candidates: open, unmerged cases of the same or a related service,
in the geohash cells that cover the service's duplicate radius (`cases_geo_cell_time` on
`geo_cell, requested_at`), requested within its duplicate window. Python then keeps those truly
within the radius (great-circle distance) and ranks them by a blend of

* text similarity (0.5): TF-IDF cosine between the new description and each candidate's, over
  the candidates themselves, with the site search's analysis (words, stop words, Snowball stems,
  accents folded) after intake form templates are stripped (`routing.text.template_strip`);
* proximity (0.3): 1 at the same spot, 0 at the edge of the radius;
* recency (0.2): 1 for a request made just now, 0 at the start of the window.

Without a description the ranking is by proximity and recency alone.
"""

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, Subquery
from django.utils import timezone
from django.utils.translation import get_language

from civicdesk.cases.choices import CaseStatus
from civicdesk.cases.models import Case
from civicdesk.catalog.models import ServiceType
from civicdesk.catalog.translation import active_language
from civicdesk.geo.cells import CELL_PRECISION, cell_ranges, covering_cells
from civicdesk.geo.selectors import haversine_metres
from civicdesk.knowledge.search.analysis import analyzer_for
from civicdesk.routing.text import template_strip

SIMILARITY_WEIGHT = 0.5
PROXIMITY_WEIGHT = 0.3
RECENCY_WEIGHT = 0.2
# The cases read from the covering cells before measuring, newest first. A busy corner of a
# city has a few dozen open reports of one kind in a month; this bounds the worst case.
MAX_ROWS = 500

_COLUMNS = (
    "pk",
    "reference",
    "status",
    "description",
    "address",
    "lat",
    "long",
    "requested_at",
    "service_type__code",
    "service_type__name",
    "service_type__name_es",
)


@dataclass(frozen=True, kw_only=True)
class DuplicateCandidate:
    """An open request that may be the same problem, with why it was offered.

    Only fields the public Open311 record shows anyway, so the portal may show them as they are;
    `service_name` is in the language active when it was read.
    """

    case_id: int
    reference: str
    status: CaseStatus
    service_code: str
    service_name: str
    description: str
    address: str
    lat: float
    long: float
    requested_at: datetime
    distance_metres: float
    similarity: float
    score: float


def _same_or_related(service_type: ServiceType) -> Q:
    """The service itself or one it names as related (the relation is symmetric, so one
    direction of the through table holds every pair); a subquery, not a second round trip."""
    related = ServiceType.related_types.through.objects.filter(
        from_servicetype_id=service_type.pk
    ).values("to_servicetype_id")
    return Q(service_type_id=service_type.pk) | Q(service_type_id__in=Subquery(related))


def duplicate_candidates(
    *,
    service_type: ServiceType,
    lat: float,
    long: float,
    description: str,
    at: datetime | None = None,
    limit: int = 5,
    jurisdiction: str | None = None,
    exclude: Case | None = None,
    public_only: bool = False,
    language: str | None = None,
) -> list[DuplicateCandidate]:
    """Open requests near (lat, long) that may be the same problem, best first.

    Same or related service, not closed, not merged, within the service's
    `duplicate_radius_m` and requested in its `duplicate_window_days` before `at` (default now).
    A radius of 0 turns the check off. `jurisdiction` keeps one jurisdiction's requests,
    `exclude` leaves out the case being checked, `public_only` leaves out services the public
    does not see. One query.
    """
    radius = float(service_type.duplicate_radius_m)
    if radius <= 0 or limit <= 0:
        return []
    at = at or timezone.now()
    since = at - timedelta(days=service_type.duplicate_window_days)
    cases = Case.objects.filter(
        _cells_condition(covering_cells(lat, long, radius)),
        ~Q(geo_cell=""),
        _same_or_related(service_type),
        requested_at__gte=since,
        requested_at__lte=at,
        merged_into__isnull=True,
    ).exclude(status=CaseStatus.CLOSED)
    if jurisdiction is not None:
        cases = cases.filter(jurisdiction=jurisdiction)
    if exclude is not None:
        cases = cases.exclude(pk=exclude.pk)
    if public_only:
        cases = cases.filter(service_type__is_public=True)
    rows = list(cases.order_by("-requested_at", "-id").values_list(*_COLUMNS)[:MAX_ROWS])

    nearby = []
    for row in rows:
        distance = haversine_metres(lat, long, row[5], row[6])
        if distance <= radius:
            nearby.append((row, distance))
    if not nearby:
        return []
    similarities = text_similarities(
        description, [row[3] for row, _distance in nearby], language=language
    )
    window = (at - since).total_seconds()
    spanish = active_language() == "es"
    found = []
    for (row, distance), similarity in zip(nearby, similarities, strict=True):
        age = max(0.0, (at - row[7]).total_seconds())
        score = (
            SIMILARITY_WEIGHT * similarity
            + PROXIMITY_WEIGHT * (1.0 - distance / radius)
            + RECENCY_WEIGHT * max(0.0, 1.0 - age / window)
        )
        found.append(
            DuplicateCandidate(
                case_id=row[0],
                reference=row[1],
                status=CaseStatus(row[2]),
                description=row[3],
                address=row[4],
                lat=row[5],
                long=row[6],
                requested_at=row[7],
                service_code=row[8],
                service_name=row[10] if spanish and row[10] else row[9],
                distance_metres=round(distance, 1),
                similarity=round(similarity, 4),
                score=round(score, 4),
            )
        )
    found.sort(key=lambda item: (-item.score, item.distance_metres, item.reference))
    return found[:limit]


def _cells_condition(cells: Sequence[str]) -> Q:
    """Stored cells (precision 7) in `cells`: equality for full cells, ranges for prefixes."""
    if all(len(cell) == CELL_PRECISION for cell in cells):
        return Q(geo_cell__in=list(cells))
    condition = Q()
    for low, high in cell_ranges(list(cells)):
        bounded = Q(geo_cell__gte=low)
        if high is not None:
            bounded &= Q(geo_cell__lt=high)
        condition |= bounded
    return condition


def _terms(text: str, language: str | None) -> Counter[str]:
    return Counter(analyzer_for(language).stems(template_strip(text)))


def text_similarities(
    query: str, documents: Iterable[str], *, language: str | None = None
) -> list[float]:
    """Cosine similarity (0..1) of `query` to each document, TF-IDF weighted over the query
    and the documents together; 0 for all when the query has no words."""
    language = language or get_language()
    query_terms = _terms(query, language)
    document_terms = [_terms(document, language) for document in documents]
    if not query_terms:
        return [0.0] * len(document_terms)
    collection = [query_terms, *document_terms]
    frequency: Counter[str] = Counter()
    for terms in collection:
        frequency.update(terms.keys())
    size = len(collection)
    idf = {term: math.log((1 + size) / (1 + count)) + 1.0 for term, count in frequency.items()}

    def vector(terms: Counter[str]) -> dict[str, float]:
        return {term: (1.0 + math.log(count)) * idf[term] for term, count in terms.items()}

    query_vector = vector(query_terms)
    query_norm = math.sqrt(sum(weight * weight for weight in query_vector.values()))
    results = []
    for terms in document_terms:
        document_vector = vector(terms)
        norm = math.sqrt(sum(weight * weight for weight in document_vector.values()))
        if not norm:
            results.append(0.0)
            continue
        dot = sum(weight * document_vector.get(term, 0.0) for term, weight in query_vector.items())
        results.append(min(1.0, dot / (query_norm * norm)))
    return results


def case_duplicate_candidates(case: Case, *, limit: int = 5) -> list[DuplicateCandidate]:
    """Other open requests that may be the same problem as `case`, for staff deciding a merge.

    Looks back from now (not from when the case came in), so an older case also finds the
    newer reports of its problem; same jurisdiction only, since merges stay within one. A case
    without a location, or closed, or merged, has none.
    """
    if (
        case.lat is None
        or case.long is None
        or case.status == CaseStatus.CLOSED
        or case.merged_into_id is not None
    ):
        return []
    return duplicate_candidates(
        service_type=case.service_type,
        lat=case.lat,
        long=case.long,
        description=case.description,
        limit=limit,
        jurisdiction=case.jurisdiction,
        exclude=case,
    )
