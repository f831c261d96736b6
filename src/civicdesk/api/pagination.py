"""Page-number pagination with a capped page size and links to the neighbouring pages."""

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Page:
    count: int
    page: int
    page_size: int
    next: str | None
    previous: str | None
    items: list[Any]


def _link(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(request: HttpRequest, queryset: QuerySet[M], *, page: int, page_size: int) -> Page:
    """One page of a queryset: two queries (count and rows) whatever the page."""
    count = queryset.count()
    start = (page - 1) * page_size
    items = list(queryset[start : start + page_size]) if start < count else []
    return Page(
        count=count,
        page=page,
        page_size=page_size,
        next=_link(request, page + 1) if start + page_size < count else None,
        previous=_link(request, page - 1) if page > 1 else None,
        items=items,
    )


def page_body(page: Page, results: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "count": page.count,
        "page": page.page,
        "page_size": page.page_size,
        "next": page.next,
        "previous": page.previous,
        "results": results,
    }
