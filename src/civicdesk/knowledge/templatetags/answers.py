"""Answers for other pages: `{% load answers %}{% answers_quick_links %}{% answers_topics %}`."""

from typing import Any

from django import template

from civicdesk.catalog.translation import active_language
from civicdesk.knowledge.selectors import quick_links, topics_featured

register = template.Library()


@register.inclusion_tag("portal/answers/includes/quick_links.html")
def answers_quick_links(limit: int = 6) -> dict[str, Any]:
    """The answers marked as quick links, in the reader's language where translated."""
    return {"articles": quick_links(language=active_language(), limit=limit)}


@register.inclusion_tag("portal/answers/includes/topics.html")
def answers_topics() -> dict[str, Any]:
    """The topics marked for the home page, linking to their place in the answers index."""
    return {"topics": list(topics_featured())}
