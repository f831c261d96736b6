from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleStatus(models.TextChoices):
    """Where an article is in the editorial workflow; only published articles reach residents."""

    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class ArticleLanguage(models.TextChoices):
    """The languages articles are written in; English is the original, others translate it."""

    EN = "en", _("English")
    ES = "es", _("Spanish")


class LinkState(models.TextChoices):
    """What the last check of an external link found."""

    UNCHECKED = "unchecked", _("Not checked yet")
    OK = "ok", _("Works")
    REDIRECTED = "redirected", _("Works, but moved")
    BROKEN = "broken", _("Broken")
