"""The link checker against a real local web server: working, moved, broken and slow pages."""

import io
import socket
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from civicdesk.knowledge.choices import ArticleStatus, LinkState
from civicdesk.knowledge.linkcheck import link_check
from civicdesk.knowledge.models import ArticleLink
from civicdesk.knowledge.selectors import links_failing
from civicdesk.knowledge.services import article_transition, article_update
from civicdesk.knowledge.services.links import links_check
from civicdesk.knowledge.tasks import knowledge_links_check
from tests.workers import run_worker_until_idle

from .linkserver import link_server

TIMEOUT = 1.0


@pytest.fixture
def server() -> Iterator[str]:
    with link_server() as base:
        yield base


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_working_page(server):
    result = link_check(f"{server}/ok", timeout=TIMEOUT)
    assert (result.ok, result.status_code, result.redirected, result.error) == (
        True,
        200,
        False,
        "",
    )


def test_a_moved_page_reports_where_it_went(server):
    result = link_check(f"{server}/moved", timeout=TIMEOUT)
    assert (result.ok, result.status_code, result.redirected) == (True, 200, True)
    assert result.final_url == f"{server}/ok"
    relative = link_check(f"{server}/moved-relative", timeout=TIMEOUT)
    assert relative.final_url == f"{server}/ok"


@pytest.mark.parametrize(
    ("path", "status", "error"),
    [
        ("/missing", 404, "HTTP 404"),
        ("/error", 500, "HTTP 500"),
        ("/moved-to-nowhere", 404, "HTTP 404"),
    ],
)
def test_broken_pages(server, path, status, error):
    result = link_check(f"{server}{path}", timeout=TIMEOUT)
    assert (result.ok, result.status_code, result.error) == (False, status, error)


def test_a_slow_page_times_out(server):
    result = link_check(f"{server}/slow", timeout=0.3)
    assert (result.ok, result.error) == (False, "timed out")


def test_a_redirect_loop_and_a_closed_port_are_broken(server):
    loop = link_check(f"{server}/loop", timeout=TIMEOUT)
    assert (loop.ok, loop.error) == (False, "more than 5 redirects")
    refused = link_check(f"http://127.0.0.1:{_closed_port()}/", timeout=TIMEOUT)
    assert (refused.ok, refused.error) == (False, "connection refused")


@pytest.mark.django_db
def test_results_are_recorded_per_article_link(server, make_article):
    article = make_article(
        body=f"[fine]({server}/ok) [moved]({server}/moved) [gone]({server}/missing) "
        f"[slow]({server}/slow)",
        source_url=f"{server}/ok",
        source_name="Another agency",
    )
    other = make_article(body=f"Same page: [gone]({server}/missing)")
    summary = links_check(timeout=0.5)
    assert (summary.addresses, summary.ok, summary.redirected, summary.broken) == (4, 1, 1, 2)

    states = {link.url.removeprefix(server): link.state for link in article.links.all()}
    assert states == {
        "/ok": LinkState.OK,
        "/moved": LinkState.REDIRECTED,
        "/missing": LinkState.BROKEN,
        "/slow": LinkState.BROKEN,
    }
    assert ArticleLink.objects.get(article=article, url=f"{server}/ok").is_source
    gone = ArticleLink.objects.get(article=other)
    assert (gone.status_code, gone.error, gone.failing_since is not None) == (404, "HTTP 404", True)
    failing = {(link.article_id, link.url.removeprefix(server)) for link in links_failing()}
    assert failing == {
        (article.pk, "/moved"),
        (article.pk, "/missing"),
        (article.pk, "/slow"),
        (other.pk, "/missing"),
    }


@pytest.mark.django_db
def test_failing_since_is_kept_until_the_link_works_again(server, make_article):
    article = make_article(body=f"[x]({server}/missing)")
    first = timezone.now() - timedelta(days=3)
    links_check(timeout=TIMEOUT, now=first)
    links_check(timeout=TIMEOUT)
    link = article.links.get()
    assert link.failing_since == first

    article_update(article=article, actor=None, changes={"body": f"[x]({server}/ok)"})
    links_check(timeout=TIMEOUT)
    link = article.links.get()
    assert (link.ok, link.failing_since) == (True, None)


@pytest.mark.django_db
def test_editing_the_text_keeps_results_of_links_that_stay(server, make_article):
    article = make_article(body=f"[a]({server}/ok) [b]({server}/missing)")
    links_check(timeout=TIMEOUT)
    article_update(article=article, actor=None, changes={"body": f"[a]({server}/ok) new text"})
    assert [(link.url.removeprefix(server), link.ok) for link in article.links.all()] == [
        ("/ok", True)
    ]


@pytest.mark.django_db
def test_archived_articles_are_not_checked(server, make_article):
    article = make_article(body=f"[x]({server}/missing)")
    article_transition(article=article, to_status=ArticleStatus.ARCHIVED, actor=None)
    assert links_check(timeout=TIMEOUT).addresses == 0
    assert not links_failing().exists()


@pytest.mark.django_db
def test_the_command_lists_what_is_broken(server, make_article):
    make_article(title="Recycling rules", body=f"[rules]({server}/missing)")
    out = io.StringIO()
    call_command("kb", "check-links", "--timeout", "1", stdout=out)
    assert "1 address(es) checked: 0 working, 0 moved, 1 broken" in out.getvalue()
    assert "Recycling rules (id " in out.getvalue() and "broken: HTTP 404" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_background_task_checks_the_links(server, make_article):
    article = make_article(body=f"[x]({server}/moved)")
    knowledge_links_check.enqueue()
    run_worker_until_idle()
    assert article.links.get().state == LinkState.REDIRECTED
