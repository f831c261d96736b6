"""The staff groups of the editorial workflow, with their permissions."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

EDITORS = "Knowledge editors"
PUBLISHERS = "Knowledge publishers"

_EDITOR_PERMISSIONS = (
    "view_article",
    "add_article",
    "change_article",
    "submit_article",
    "view_topic",
    "view_articlerevision",
    "view_articlelink",
    "view_searchquerylog",
)
GROUP_PERMISSIONS: dict[str, tuple[str, ...]] = {
    EDITORS: _EDITOR_PERMISSIONS,
    PUBLISHERS: (*_EDITOR_PERMISSIONS, "publish_article", "add_topic", "change_topic"),
}


def knowledge_groups_ensure() -> dict[str, Group]:
    """Create or update the editors' and publishers' groups; returns them by name.

    Editors write drafts and send them to review; publishers also publish, archive and
    restore, change published articles and manage topics.
    """
    groups = {}
    with transaction.atomic():
        for name, codenames in GROUP_PERMISSIONS.items():
            group, _created = Group.objects.get_or_create(name=name)
            permissions = list(
                Permission.objects.filter(
                    content_type__app_label="knowledge", codename__in=codenames
                )
            )
            missing = set(codenames) - {p.codename for p in permissions}
            if missing:
                raise LookupError(f"Run migrate first; missing permissions: {sorted(missing)}")
            group.permissions.add(*permissions)
            groups[name] = group
    return groups
