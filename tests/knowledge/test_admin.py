"""The editors' admin: writes through the workflow services, with groups deciding who does what."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from civicdesk.knowledge.choices import ArticleStatus
from civicdesk.knowledge.models import Article, SearchQueryLog
from civicdesk.knowledge.services import article_create, article_transition, article_update
from civicdesk.knowledge.services.links import links_check

from .linkserver import link_server

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:knowledge_article_changelist")
ADD = reverse("admin:knowledge_article_add")
HEALTH = reverse("admin:knowledge_article_health")


def _change(article: Article) -> str:
    return reverse("admin:knowledge_article_change", args=[article.pk])


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(**overrides):
    data = {
        "title": "How do I recycle electronics?",
        "slug": "",
        "language": "en",
        "questions": "recycle a tv\nwhere do old computers go",
        "summary": "Bring them to the recycling center on Saturdays.",
        "body": "Free for residents.",
        "quick_link": "",
        "source_url": "",
        "source_name": "",
        "review_by": "",
        "external_id": "",
        "revision_note": "First version",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "revisions-TOTAL_FORMS": "0",
        "revisions-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_an_editor_writes_a_draft_through_the_admin(editor, department, missed_trash):
    client = _client(editor)
    response = client.post(
        ADD, _form(department=department.pk, service_types=[missed_trash.pk]), follow=True
    )
    assert response.status_code == 200
    article = Article.objects.get()
    assert (article.status, article.slug, article.created_by) == (
        ArticleStatus.DRAFT,
        "how-do-i-recycle-electronics",
        editor,
    )
    assert article.questions == ["recycle a tv", "where do old computers go"]
    assert [s.code for s in article.service_types.all()] == ["missed-trash"]
    revision = article.revisions.get()
    assert (revision.editor, revision.note) == (editor, "First version")


def test_errors_are_shown_beside_the_fields(editor):
    response = _client(editor).post(ADD, _form(summary="x" * 501, title="Bad\x00title"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "summary" in errors and "title" in errors
    assert not Article.objects.exists()


def test_an_editor_submits_but_cannot_publish(editor):
    article = article_create(actor=editor, title="Draft", summary="Answer.")
    client = _client(editor)
    page = client.get(CHANGELIST).content.decode()
    assert 'value="submit_for_review"' in page
    assert 'value="publish"' not in page and 'value="archive"' not in page

    client.post(CHANGELIST, {"action": "submit_for_review", "_selected_action": [article.pk]})
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.IN_REVIEW
    # An action the editor lacks is not offered, and posting it anyway does nothing.
    client.post(CHANGELIST, {"action": "publish", "_selected_action": [article.pk]})
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.IN_REVIEW


def test_a_publisher_publishes_from_the_change_page(editor, publisher):
    article = article_create(actor=editor, title="Ready", summary="Answer.")
    article_transition(article=article, to_status=ArticleStatus.IN_REVIEW, actor=editor)
    client = _client(publisher)
    page = client.get(_change(article)).content.decode()
    assert 'name="_workflow" value="published"' in page
    assert 'name="_workflow" value="draft"' in page

    response = client.post(
        _change(article),
        _form(
            title="Ready",
            summary="Answer, checked.",
            body="",
            questions="",
            _workflow="published",
            revision_note="OK",
        ),
        follow=True,
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert (article.status, article.summary, article.updated_by) == (
        ArticleStatus.PUBLISHED,
        "Answer, checked.",
        publisher,
    )
    trail = [(r.status, r.editor, r.changed_fields) for r in article.revisions.order_by("number")]
    assert trail[-2:] == [
        ("in_review", publisher, ["summary"]),
        ("published", publisher, ["status"]),
    ]


def test_published_articles_are_read_only_for_editors(editor, make_article):
    article = make_article(title="Live answer")
    client = _client(editor)
    page = client.get(_change(article)).content.decode()
    assert 'name="_save"' not in page and "data-workflow" not in page
    response = client.post(_change(article), _form(title="Vandalised"))
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).title == "Live answer"


def test_articles_are_never_deleted(publisher, make_article):
    article = make_article()
    client = _client(publisher)
    assert (
        client.get(reverse("admin:knowledge_article_delete", args=[article.pk])).status_code == 403
    )


def test_outsiders_see_nothing(bystander, make_article):
    make_article()
    client = _client(bystander)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(HEALTH).status_code == 403


def test_review_filters(editor, make_article):
    today = timezone.localdate()
    overdue = make_article(title="Overdue", review_by=today - timedelta(days=1))
    soon = make_article(title="Soon", review_by=today + timedelta(days=10))
    make_article(title="Later", review_by=today + timedelta(days=200))
    client = _client(editor)
    overdue_page = client.get(CHANGELIST, {"review": "overdue"}).content.decode()
    soon_page = client.get(CHANGELIST, {"review": "soon"}).content.decode()
    assert _change(overdue) in overdue_page and _change(soon) not in overdue_page
    assert _change(soon) in soon_page and _change(overdue) not in soon_page
    for params in ({"status__exact": "published"}, {"review": "none"}, {"q": "Soon"}):
        assert client.get(CHANGELIST, params).status_code == 200


def test_the_health_page_lists_what_to_fix(editor, make_article, department):
    today = timezone.localdate()
    stale = make_article(
        title="Old schedule", review_by=today - timedelta(days=5), department=department
    )
    wrong_phone = make_article(
        title="Call us", body="Call 617-555-9999 or 617-555-01.", department=department
    )
    SearchQueryLog.objects.bulk_create(
        [SearchQueryLog(query="dog park hours", language="en", results_count=0) for _ in range(3)]
        + [SearchQueryLog(query="Dog park hours ", language="en", results_count=0)]
        + [SearchQueryLog(query="trash", language="en", results_count=4)]
    )
    with link_server() as server:
        broken = make_article(title="Dead link", body=f"[x]({server}/missing) [y]({server}/moved)")
        links_check(timeout=1.0)
    page = _client(editor).get(HEALTH).content.decode()
    assert f'data-stale="{stale.pk}"' in page
    assert f'data-contact-problem="{wrong_phone.pk}"' in page
    assert "617-555-9999 is not the phone number of any department on record." in page
    assert "617-555-01 is not a valid phone number." in page
    assert f'data-broken-link="{server}/missing"' in page
    assert f'data-moved-link="{server}/moved"' in page
    assert f"{server}/ok" in page  # where the moved link went
    assert 'data-unanswered="dog park hours"' in page
    assert page.count("dog park hours") == 2  # one row, grouped regardless of case and spaces
    assert 'data-unanswered="trash"' not in page
    assert _change(broken) in page


def test_topic_changes_move_the_knowledge_revision(publisher, topic):
    from civicdesk.core.revisions import revision_get
    from civicdesk.knowledge.models import KNOWLEDGE_REVISION

    before = revision_get(KNOWLEDGE_REVISION)
    client = _client(publisher)
    response = client.post(
        reverse("admin:knowledge_topic_change", args=[topic.pk]),
        {"name": "Trash, recycling and compost", "name_es": "", "slug": "trash", "order": 1},
    )
    assert response.status_code == 302
    assert revision_get(KNOWLEDGE_REVISION) != before


def test_saving_without_changes_adds_no_revision(publisher, make_article):
    article = make_article(title="Same", summary="Same answer.")
    article_update(article=article, actor=None, changes={"questions": []})
    count = article.revisions.count()
    response = _client(publisher).post(
        _change(article), _form(title="Same", summary="Same answer.", body="", questions="")
    )
    assert response.status_code == 302
    assert article.revisions.count() == count
    assert not [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
