from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")


class CloseReason(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    DUPLICATE = "duplicate", _("Duplicate of another request")
    NOT_CITY_RESPONSIBILITY = "not_city_responsibility", _("Not the city's responsibility")
    COULD_NOT_LOCATE = "could_not_locate", _("Could not locate")
    NO_ACTION_NEEDED = "no_action_needed", _("No action needed")
    REFERRED = "referred", _("Referred to another agency")
    WITHDRAWN = "withdrawn", _("Withdrawn by the resident")


class NoteVisibility(models.TextChoices):
    PUBLIC = "public", _("Public (the resident and Open311 see it)")
    INTERNAL = "internal", _("Internal (staff only)")


class EventKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    IMPORTED = "imported", _("Imported")
    STATUS_CHANGED = "status_changed", _("Status changed")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")
    ASSIGNED = "assigned", _("Assigned")
    NOTE_ADDED = "note_added", _("Note added")
    ATTACHMENT_ADDED = "attachment_added", _("Attachment added")
    CONTACT_LINKED = "contact_linked", _("Contact linked")
