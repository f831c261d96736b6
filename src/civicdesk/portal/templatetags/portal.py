"""Template tags of the portal: the jurisdiction's name, site alerts, residents' labels."""

from typing import Any

from django import template
from django.conf import settings

from civicdesk.portal.labels import EVENT_LABELS, EVENTS_WITH_FIXED_TEXT, STATUS_LABELS
from civicdesk.portal.selectors import site_alert_list_current

register = template.Library()


@register.simple_tag
def jurisdiction_name() -> str:
    return str(settings.CIVICDESK_JURISDICTION_NAME)


@register.inclusion_tag("portal/includes/site_alerts.html")
def site_alerts() -> dict[str, Any]:
    """The alerts on now; one query, on every portal page, never cached, so that switching an
    alert on or off shows on the next page anyone opens."""
    return {"alerts": site_alert_list_current()}


@register.filter
def status_label(status: str) -> str:
    """A case status as residents read it: new → "Received"."""
    return str(STATUS_LABELS.get(status, status))


@register.filter
def event_label(kind: str) -> str:
    """A public timeline event as residents read it: opened → "Request received"."""
    return str(EVENT_LABELS.get(kind, EVENT_LABELS["note_added"]))


@register.filter
def event_text(entry: Any) -> str:
    """The public text of a timeline entry, unless it only repeats the event's label."""
    return "" if entry.kind in EVENTS_WITH_FIXED_TEXT else str(entry.text)
