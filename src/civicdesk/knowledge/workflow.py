"""The editorial workflow: which status changes exist and who may make them.

Kept free of the database so it can be checked exhaustively. Permissions are Django's:
`knowledge.submit_article` for editors (write drafts, send them to review, take them back),
`knowledge.publish_article` for publishers (publish, archive, restore, and change what is
already published). `None` as the actor is the system itself (imports, the demo loader).
"""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.utils.translation import gettext as _

from civicdesk.knowledge.choices import ArticleStatus

SUBMIT = "knowledge.submit_article"
PUBLISH = "knowledge.publish_article"
ADD = "knowledge.add_article"
CHANGE = "knowledge.change_article"

Actor = User | AnonymousUser | None

# (from, to) -> the permissions any one of which allows the move.
TRANSITIONS: dict[tuple[ArticleStatus, ArticleStatus], frozenset[str]] = {
    (ArticleStatus.DRAFT, ArticleStatus.IN_REVIEW): frozenset({SUBMIT, PUBLISH}),
    (ArticleStatus.IN_REVIEW, ArticleStatus.DRAFT): frozenset({SUBMIT, PUBLISH}),
    (ArticleStatus.IN_REVIEW, ArticleStatus.PUBLISHED): frozenset({PUBLISH}),
    (ArticleStatus.PUBLISHED, ArticleStatus.ARCHIVED): frozenset({PUBLISH}),
    (ArticleStatus.DRAFT, ArticleStatus.ARCHIVED): frozenset({PUBLISH}),
    (ArticleStatus.ARCHIVED, ArticleStatus.DRAFT): frozenset({PUBLISH}),
}

# Editing an article's content in each status: drafts and articles in review are the editors'
# work; what residents can read (or could, once archived) is the publishers'.
EDIT_PERMISSIONS: dict[ArticleStatus, frozenset[str]] = {
    ArticleStatus.DRAFT: frozenset({CHANGE}),
    ArticleStatus.IN_REVIEW: frozenset({CHANGE}),
    ArticleStatus.PUBLISHED: frozenset({PUBLISH}),
    ArticleStatus.ARCHIVED: frozenset({PUBLISH}),
}


class WorkflowError(ValueError):
    """A status change the workflow does not have; the message says why."""


class NotAllowed(PermissionError):
    """The actor lacks the permission for this change; the message says which."""


def _has_any(actor: Actor, permissions: Iterable[str]) -> bool:
    if actor is None:
        return True
    if not actor.is_active:
        return False
    return any(actor.has_perm(permission) for permission in permissions)


def next_statuses(current: ArticleStatus) -> list[ArticleStatus]:
    """Where an article in `current` can go, in the workflow's order."""
    return [target for (source, target) in TRANSITIONS if source == current]


def check_transition(*, current: ArticleStatus, target: ArticleStatus, actor: Actor) -> None:
    """Raise `WorkflowError` or `NotAllowed` unless `actor` may move an article so."""
    if current == target:
        raise WorkflowError(_("The article is already %(status)s.") % {"status": target.label})
    permissions = TRANSITIONS.get((current, target))
    if permissions is None:
        raise WorkflowError(
            _("An article that is %(current)s cannot become %(target)s.")
            % {"current": current.label, "target": target.label}
        )
    if not _has_any(actor, permissions):
        raise NotAllowed(
            _("You may not move an article from %(current)s to %(target)s.")
            % {"current": current.label, "target": target.label}
        )


def check_create(*, actor: Actor) -> None:
    if not _has_any(actor, {ADD}):
        raise NotAllowed(_("You may not write articles."))


def check_edit(*, status: ArticleStatus, actor: Actor) -> None:
    if not _has_any(actor, EDIT_PERMISSIONS[status]):
        if status in {ArticleStatus.PUBLISHED, ArticleStatus.ARCHIVED}:
            raise NotAllowed(_("Only a publisher may change a published or archived article."))
        raise NotAllowed(_("You may not change articles."))


def can_edit(*, status: ArticleStatus, actor: Actor) -> bool:
    return _has_any(actor, EDIT_PERMISSIONS[status])


def can_transition(*, current: ArticleStatus, target: ArticleStatus, actor: Actor) -> bool:
    permissions = TRANSITIONS.get((current, target))
    return permissions is not None and _has_any(actor, permissions)
