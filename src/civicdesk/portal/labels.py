"""The words residents read for case statuses and timeline events.

The staff's labels (`CaseStatus`, `EventKind`) speak the back office's language ("New",
"Contact linked"); the portal says what they mean to the person who asked.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from civicdesk.cases.choices import CaseStatus, EventKind

STATUS_LABELS: dict[str, Promise] = {
    CaseStatus.NEW: _("Received"),
    CaseStatus.OPEN: _("Open"),
    CaseStatus.IN_PROGRESS: _("In progress"),
    CaseStatus.WAITING: _("Waiting for your reply"),
    CaseStatus.CLOSED: _("Closed"),
}

EVENT_LABELS: dict[str, Promise] = {
    EventKind.OPENED: _("Request received"),
    EventKind.IMPORTED: _("Request received"),
    EventKind.STATUS_CHANGED: _("Status updated"),
    EventKind.CLOSED: _("Request closed"),
    EventKind.REOPENED: _("Request reopened"),
    EventKind.ASSIGNED: _("Sent to a team"),
    EventKind.NOTE_ADDED: _("Update"),
    EventKind.ATTACHMENT_ADDED: _("Photo added"),
    EventKind.CONTACT_LINKED: _("Someone else reported it too"),
    EventKind.MERGED: _("Joined to an earlier report of the same problem"),
}

# Events whose public text is the system's own fixed wording, already said by the label.
EVENTS_WITH_FIXED_TEXT = frozenset({EventKind.OPENED, EventKind.IMPORTED})
