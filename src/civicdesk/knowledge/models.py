"""The knowledge base: answers residents read on the web, in chat, by SMS and from an agent.

An article is one answer in one language. The English original is the article of record; a
translation points at it through `translation_of`, and the portal falls back to the original
when a reader's language has none. Articles change only through `knowledge.services`, which
walks the editorial workflow, records a revision for every change and bumps the `knowledge`
revision so every process's search index rebuilds.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core.validators import MaxLengthValidator, URLValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.catalog.translation import translated
from civicdesk.knowledge.choices import ArticleLanguage, ArticleStatus, LinkState

SUMMARY_MAX_LENGTH = 500
KNOWLEDGE_REVISION = "knowledge"


class Topic(models.Model):
    """A subject residents browse by (trash and recycling, parking, permits…)."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_es = models.CharField(_("name in Spanish"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    featured = models.BooleanField(
        _("on the home page"), default=False, help_text=_("Listed among the home page's topics.")
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the active language (English when there is no translation)."""
        return str(translated(self, "name"))


class Article(models.Model):
    """One answer in one language, with the questions it answers and who owns it."""

    external_id = models.CharField(
        _("external id"),
        max_length=200,
        blank=True,
        help_text=_("The id in the system the article was imported from; re-imports match it."),
    )
    slug = models.SlugField(_("slug"), max_length=200)
    language = models.CharField(
        _("language"), max_length=8, choices=ArticleLanguage.choices, default=ArticleLanguage.EN
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="translations",
        help_text=_("The English original this article translates."),
    )
    title = models.CharField(_("title"), max_length=300)
    questions = models.JSONField(
        _("questions"),
        default=list,
        blank=True,
        help_text=_("The questions this answers, as residents ask them."),
    )
    summary = models.TextField(
        _("short answer"),
        validators=[MaxLengthValidator(SUMMARY_MAX_LENGTH)],
        help_text=_("Plain text, up to 500 characters: what chat and text messages reply with."),
    )
    body = models.TextField(_("answer"), blank=True, help_text=_("Markdown."))
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    department = models.ForeignKey(
        "catalog.Department",
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        help_text=_("The department that keeps this answer current."),
    )
    service_types = models.ManyToManyField(
        "catalog.ServiceType",
        verbose_name=_("related services"),
        blank=True,
        related_name="articles",
    )
    quick_link = models.BooleanField(
        _("quick link"), default=False, help_text=_("Listed among the portal's quick links.")
    )
    source_url = models.URLField(
        _("source address"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("When the information comes from another agency: its page."),
    )
    source_name = models.CharField(_("source"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    review_by = models.DateField(
        _("review by"), null=True, blank=True, help_text=_("When the owner must check it again.")
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["title", "language"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [
            ("submit_article", _("Can submit an article for review")),
            ("publish_article", _("Can publish, archive and restore articles")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "language"], name="knowledge_article_unique_slug"
            ),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~models.Q(external_id=""),
                name="knowledge_article_unique_external_id",
            ),
            models.UniqueConstraint(
                fields=["translation_of", "language"],
                condition=models.Q(translation_of__isnull=False),
                name="knowledge_article_one_translation_per_language",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "language"]),
            models.Index(fields=["review_by"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"

    def get_absolute_url(self) -> str:
        """The portal page; a translation's link asks for its language, whatever the browser's."""
        url = reverse("portal:answer", args=[self.slug])
        if self.language != settings.LANGUAGE_CODE:
            url = f"{url}?{urlencode({'lang': self.language})}"
        return url

    @property
    def original(self) -> "Article":
        """The article of record: itself, or the original it translates."""
        return self.translation_of or self

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED


class ArticleRevision(models.Model):
    """One saved change of an article: what it looked like after, who made it, and why."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(_("status"), max_length=16, choices=ArticleStatus.choices)
    snapshot = models.JSONField(_("fields"), default=dict)
    changed_fields = models.JSONField(_("changed"), default=list)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("editor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["article", "-number"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="knowledge_revision_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.number}"


class ArticleLink(models.Model):
    """An external address an article points to, with what its last check found."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="links")
    url = models.CharField(_("address"), max_length=2000)
    is_source = models.BooleanField(
        _("the article's source"), default=False, help_text=_("The source address, not a link.")
    )
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    ok = models.BooleanField(_("works"), null=True)
    status_code = models.PositiveIntegerField(_("HTTP status"), null=True, blank=True)
    redirected = models.BooleanField(_("moved"), default=False)
    final_url = models.CharField(_("ends at"), max_length=2000, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)

    class Meta:
        ordering = ["article", "url"]
        verbose_name = _("external link")
        verbose_name_plural = _("external links")
        constraints = [
            models.UniqueConstraint(fields=["article", "url"], name="knowledge_link_unique_url")
        ]
        indexes = [models.Index(fields=["ok", "redirected"])]

    def __str__(self) -> str:
        return self.url

    @property
    def state(self) -> LinkState:
        if self.ok is None:
            return LinkState.UNCHECKED
        if not self.ok:
            return LinkState.BROKEN
        return LinkState.REDIRECTED if self.redirected else LinkState.OK


class SearchQueryLog(models.Model):
    """One search a resident ran (page or API), to find what people look for and do not find."""

    query = models.CharField(_("query"), max_length=500)
    language = models.CharField(_("language"), max_length=8)
    results_count = models.PositiveIntegerField(_("results"))
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("search")
        verbose_name_plural = _("searches")
        indexes = [models.Index(fields=["results_count", "created_at"])]

    def __str__(self) -> str:
        return self.query
