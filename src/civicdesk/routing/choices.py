from django.db import models
from django.utils.translation import gettext_lazy as _


class TrainingSource(models.TextChoices):
    """Where a classifier version's training examples came from."""

    DATABASE = "database", _("Cases in the database")
    CSV = "csv", _("CSV file")


class TriageReason(models.TextChoices):
    """Why a text was sent to a person instead of being given a service type."""

    NO_MODEL = "no_model", _("No classifier is active")
    EMPTY = "empty", _("Too little text")
    UNREADABLE = "unreadable", _("Not readable text")
    TOO_LONG = "too_long", _("Too long to classify")
    LANGUAGE = "language", _("A language the classifier was not trained on")
    NO_KNOWN_WORDS = "no_known_words", _("No word the classifier knows")
    LOW_CONFIDENCE = "low_confidence", _("The classifier is not sure enough")
