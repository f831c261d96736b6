"""Recording link checks: each article's external links, broken, moved or working."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from civicdesk.knowledge.choices import ArticleStatus
from civicdesk.knowledge.linkcheck import DEFAULT_TIMEOUT, DEFAULT_WORKERS, links_check_many
from civicdesk.knowledge.models import ArticleLink

__all__ = ["LinkCheckSummary", "links_check"]


@dataclass(frozen=True)
class LinkCheckSummary:
    addresses: int
    ok: int
    redirected: int
    broken: int

    def __str__(self) -> str:
        return (
            f"{self.addresses} address(es) checked: {self.ok} working, "
            f"{self.redirected} moved, {self.broken} broken"
        )


def links_check(
    *,
    article_ids: Sequence[int] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    workers: int = DEFAULT_WORKERS,
    now: datetime | None = None,
) -> LinkCheckSummary:
    """Check the links of every article that is not archived (or of the articles named).

    Each address is fetched once however many articles use it. Nothing is held open while the
    network is slow: the rows are read, the addresses checked, then the results written in
    one short transaction. `failing_since` keeps when a link first failed, until it works.
    """
    links = ArticleLink.objects.exclude(article__status=ArticleStatus.ARCHIVED)
    if article_ids is not None:
        links = links.filter(article_id__in=list(article_ids))
    urls = list(links.values_list("url", flat=True).distinct())
    results = links_check_many(urls, timeout=timeout, workers=workers)
    checked_at = now or timezone.now()
    with transaction.atomic():
        for link in links.select_for_update():
            result = results.get(link.url)
            if result is None:
                continue  # added while the addresses were being checked
            link.checked_at = checked_at
            link.ok = result.ok
            link.status_code = result.status_code
            link.redirected = result.redirected
            link.final_url = result.final_url[:2000] if result.redirected else ""
            link.error = result.error[:500]
            if result.ok:
                link.failing_since = None
            elif link.failing_since is None:
                link.failing_since = checked_at
            link.save(
                update_fields=[
                    "checked_at",
                    "ok",
                    "status_code",
                    "redirected",
                    "final_url",
                    "error",
                    "failing_since",
                ]
            )
    values = list(results.values())
    return LinkCheckSummary(
        addresses=len(values),
        ok=sum(1 for r in values if r.ok and not r.redirected),
        redirected=sum(1 for r in values if r.ok and r.redirected),
        broken=sum(1 for r in values if not r.ok),
    )
