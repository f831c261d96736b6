"""The editorial workflow: who may move an article where, and the revision trail it leaves."""

import pytest
from django.core.exceptions import ValidationError

from civicdesk.core.revisions import revision_get
from civicdesk.knowledge.choices import ArticleStatus
from civicdesk.knowledge.models import KNOWLEDGE_REVISION, Article, ArticleRevision
from civicdesk.knowledge.services import (
    NotAllowed,
    WorkflowError,
    article_create,
    article_transition,
    article_update,
)
from civicdesk.knowledge.workflow import TRANSITIONS, next_statuses

pytestmark = pytest.mark.django_db


def _draft(actor, **fields) -> Article:
    fields.setdefault("title", "How do I get a bulk item picked up?")
    fields.setdefault("summary", "Book a pickup online or call 311.")
    return article_create(actor=actor, **fields)


def _revisions(article: Article) -> list[ArticleRevision]:
    return list(article.revisions.order_by("number"))


def test_an_editor_drafts_and_submits_and_a_publisher_publishes(editor, publisher):
    article = _draft(editor, body="Up to five items a week.")
    assert article.status == ArticleStatus.DRAFT
    assert article.created_by == editor
    assert article.published_at is None

    article_transition(article=article, to_status=ArticleStatus.IN_REVIEW, actor=editor)
    article_transition(
        article=article, to_status=ArticleStatus.PUBLISHED, actor=publisher, note="Checked"
    )

    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert article.published_at is not None
    assert article.updated_by == publisher
    trail = [(r.number, r.status, r.editor, r.changed_fields, r.note) for r in _revisions(article)]
    assert trail == [
        (1, "draft", editor, [], ""),
        (2, "in_review", editor, ["status"], ""),
        (3, "published", publisher, ["status"], "Checked"),
    ]
    assert trail and _revisions(article)[-1].snapshot["body"] == "Up to five items a week."


def test_an_editor_cannot_publish_and_nothing_changes(editor):
    article = _draft(editor)
    article_transition(article=article, to_status=ArticleStatus.IN_REVIEW, actor=editor)
    with pytest.raises(NotAllowed):
        article_transition(article=article, to_status=ArticleStatus.PUBLISHED, actor=editor)
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW
    assert article.revisions.count() == 2


def test_review_can_go_back_to_draft(editor, publisher):
    article = _draft(editor)
    article_transition(article=article, to_status=ArticleStatus.IN_REVIEW, actor=editor)
    article_transition(
        article=article, to_status=ArticleStatus.DRAFT, actor=publisher, note="Add the fees"
    )
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.DRAFT
    assert _revisions(article)[-1].note == "Add the fees"


def test_a_draft_cannot_skip_review(editor, publisher):
    article = _draft(editor)
    with pytest.raises(WorkflowError, match="cannot become"):
        article_transition(article=article, to_status=ArticleStatus.PUBLISHED, actor=publisher)
    with pytest.raises(WorkflowError, match="already"):
        article_transition(article=article, to_status=ArticleStatus.DRAFT, actor=publisher)


def test_only_publishers_archive_and_restore(editor, publisher, make_article):
    article = make_article()
    with pytest.raises(NotAllowed):
        article_transition(article=article, to_status=ArticleStatus.ARCHIVED, actor=editor)
    article_transition(article=article, to_status=ArticleStatus.ARCHIVED, actor=publisher)
    with pytest.raises(NotAllowed):
        article_transition(article=article, to_status=ArticleStatus.DRAFT, actor=editor)
    article_transition(article=article, to_status=ArticleStatus.DRAFT, actor=publisher)
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.DRAFT


def test_staff_outside_the_groups_can_do_nothing(bystander, editor):
    with pytest.raises(NotAllowed):
        _draft(bystander)
    article = _draft(editor)
    with pytest.raises(NotAllowed):
        article_update(article=article, actor=bystander, changes={"title": "Mine now"})
    with pytest.raises(NotAllowed):
        article_transition(article=article, to_status=ArticleStatus.IN_REVIEW, actor=bystander)


def test_a_deactivated_editor_loses_every_right(editor):
    article = _draft(editor)
    editor.is_active = False
    editor.save()
    with pytest.raises(NotAllowed):
        article_update(article=article, actor=editor, changes={"title": "Late edit"})


def test_people_start_drafts_only(editor):
    with pytest.raises(NotAllowed):
        _draft(editor, status=ArticleStatus.PUBLISHED)


def test_a_published_article_is_changed_by_publishers_only(editor, publisher, make_article):
    article = make_article(summary="Open 9 to 5.")
    with pytest.raises(NotAllowed, match="publisher"):
        article_update(article=article, actor=editor, changes={"summary": "Open 8 to 4."})

    changed = article_update(
        article=article, actor=publisher, changes={"summary": "Open 8 to 4."}, note="New hours"
    )

    assert changed
    latest = _revisions(article)[-1]
    assert (latest.editor, latest.changed_fields, latest.note) == (
        publisher,
        ["summary"],
        "New hours",
    )
    assert latest.snapshot["summary"] == "Open 8 to 4."
    assert article.summary == "Open 8 to 4."  # the caller's instance is refreshed


def test_saving_the_same_content_records_no_revision(editor):
    article = _draft(editor, questions=["bulk pickup"])
    assert not article_update(
        article=article,
        actor=editor,
        changes={"title": article.title, "questions": ["bulk pickup", "  bulk   pickup "]},
    )
    assert article.revisions.count() == 1


def test_who_changed_what_is_recorded_field_by_field(editor, department, missed_trash, topic):
    article = _draft(editor)
    article_update(
        article=article,
        actor=editor,
        changes={"department": department, "service_types": [missed_trash], "topic": topic},
    )
    latest = _revisions(article)[-1]
    assert latest.changed_fields == ["department", "service_types", "topic"]
    assert latest.snapshot["department"] == "sanitation"
    assert latest.snapshot["service_types"] == ["missed-trash"]
    assert latest.snapshot["topic"] == "trash"


def test_every_write_moves_the_knowledge_revision(editor):
    before = revision_get(KNOWLEDGE_REVISION)
    article = _draft(editor)
    after_create = revision_get(KNOWLEDGE_REVISION)
    article_transition(article=article, to_status=ArticleStatus.IN_REVIEW, actor=editor)
    assert before != after_create != revision_get(KNOWLEDGE_REVISION)


def test_a_status_cannot_be_set_as_a_plain_field(editor):
    article = _draft(editor)
    with pytest.raises(ValueError, match="Not editable: status"):
        article_update(article=article, actor=editor, changes={"status": "published"})
    with pytest.raises(NotAllowed):
        article_update(article=article, actor=editor, changes={}, status=ArticleStatus.PUBLISHED)


def test_bad_content_is_refused_with_the_field_named(editor):
    with pytest.raises(ValidationError) as error:
        _draft(editor, title="Bulk\x00items")
    assert "title" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _draft(editor, summary="x" * 501)
    assert "summary" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _draft(editor, source_url="javascript:alert(1)")
    assert "source_url" in error.value.message_dict
    assert not Article.objects.exists()


def test_slugs_are_made_from_titles_and_kept_unique(editor):
    first = _draft(editor, title="Bulk item pickup")
    second = _draft(editor, title="Bulk item pickup!")
    assert (first.slug, second.slug) == ("bulk-item-pickup", "bulk-item-pickup-2")


def test_question_variants_are_tidied(editor):
    article = _draft(editor, questions=["  when is   trash day ", "", "when is trash day", "x"])
    assert article.questions == ["when is trash day", "x"]


def test_the_workflow_has_no_dead_end():
    for status in ArticleStatus:
        assert next_statuses(status), status
    assert all(source != target for source, target in TRANSITIONS)
