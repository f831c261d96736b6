"""The editors' side of the knowledge base: articles through the workflow, and content health.

Every save and status change goes through `knowledge.services`, so each leaves a revision
with who made it. Editors (`knowledge.submit_article`) write drafts and send them to review;
publishers (`knowledge.publish_article`) publish, archive, restore and change what residents
can already read. Articles are archived, never deleted. The content-health page lists what is
stale, broken or missing (see `health_view`).
"""

import copy
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from civicdesk.knowledge.choices import ArticleStatus
from civicdesk.knowledge.contactcheck import article_contact_problems, department_record
from civicdesk.knowledge.models import Article, ArticleLink, ArticleRevision, SearchQueryLog, Topic
from civicdesk.knowledge.selectors import (
    articles_stale_by_department,
    contact_problems_live,
    links_failing,
    searches_unanswered,
)
from civicdesk.knowledge.services.articles import (
    EDITABLE_FIELDS,
    NotAllowed,
    WorkflowError,
    article_check,
    article_create,
    article_transition,
    article_update,
)
from civicdesk.knowledge.services.topics import topic_save
from civicdesk.knowledge.workflow import PUBLISH, SUBMIT, can_edit, can_transition, next_statuses

# What the button or action that moves an article to each status says.
ACTION_LABELS = {
    (ArticleStatus.DRAFT, ArticleStatus.IN_REVIEW): _("Submit for review"),
    (ArticleStatus.IN_REVIEW, ArticleStatus.DRAFT): _("Send back to draft"),
    (ArticleStatus.IN_REVIEW, ArticleStatus.PUBLISHED): _("Publish"),
    (ArticleStatus.PUBLISHED, ArticleStatus.ARCHIVED): _("Archive"),
    (ArticleStatus.DRAFT, ArticleStatus.ARCHIVED): _("Archive"),
    (ArticleStatus.ARCHIVED, ArticleStatus.DRAFT): _("Restore as a draft"),
}
UPCOMING_REVIEW_DAYS = 30


class QuestionsField(forms.CharField):
    """The question variants as a list in the model, one per line on the page."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        return [line.strip() for line in str(text).splitlines() if line.strip()]


class ArticleAdminForm(forms.ModelForm[Article]):
    questions = QuestionsField(
        label=_("Questions"),
        required=False,
        help_text=_("One per line, the way residents ask it."),
    )
    source_url = forms.URLField(
        label=_("Source address"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("When the information comes from another agency: its page."),
    )
    revision_note = forms.CharField(
        label=_("Note for the history"),
        required=False,
        max_length=500,
        help_text=_("What changed and why; kept with this revision."),
    )

    class Meta:
        model = Article
        # What the workflow service lets an editor change, plus the language of a new article.
        fields = (*EDITABLE_FIELDS[:2], "language", "translation_of", *EDITABLE_FIELDS[2:])
        widgets = {"summary": forms.Textarea(attrs={"rows": 3, "maxlength": 500})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _("Left blank, it is made from the title.")
        if "translation_of" in self.fields:
            self.fields["translation_of"].queryset = Article.objects.filter(  # type: ignore[attr-defined]
                translation_of__isnull=True
            ).order_by("title")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        candidate = copy.copy(self.instance)
        for name in ("title", "summary", "body", "source_name", "external_id", "slug"):
            if name in cleaned:
                setattr(candidate, name, cleaned[name] or "")
        if "questions" in cleaned:
            candidate.questions = cleaned["questions"]
        if "translation_of" in cleaned:
            candidate.translation_of = cleaned["translation_of"]
            candidate.language = cleaned.get("language") or candidate.language
        try:
            article_check(candidate)
        except ValidationError as error:
            for name, messages_ in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages_)
        return cleaned


class ReadOnlyInline:
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RevisionInline(ReadOnlyInline, admin.TabularInline[ArticleRevision, Article]):
    model = ArticleRevision
    fields = ("number", "created_at", "status", "editor", "changed", "note")
    readonly_fields = fields
    ordering = ("-number",)
    verbose_name_plural = _("history")

    @admin.display(description=_("changed"))
    def changed(self, revision: ArticleRevision) -> str:
        return ", ".join(revision.changed_fields) or str(_("created"))


class LinkInline(ReadOnlyInline, admin.TabularInline[ArticleLink, Article]):
    model = ArticleLink
    fields = ("url", "is_source", "state", "status_code", "final_url", "error", "checked_at")
    readonly_fields = fields

    @admin.display(description=_("state"))
    def state(self, link: ArticleLink) -> str:
        return str(link.state.label)


class ReviewFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("overdue", _("Past its review date")),
            ("soon", _("Due within 30 days")),
            ("none", _("No review date")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        today = timezone.localdate()
        live = Q(status__in=[ArticleStatus.PUBLISHED, ArticleStatus.IN_REVIEW])
        if self.value() == "overdue":
            return queryset.filter(live, review_by__lte=today)
        if self.value() == "soon":
            return queryset.filter(
                live,
                review_by__gt=today,
                review_by__lte=today + timedelta(days=UPCOMING_REVIEW_DAYS),
            )
        if self.value() == "none":
            return queryset.filter(live, review_by__isnull=True)
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin[Article]):
    form = ArticleAdminForm
    list_display = (
        "title",
        "language",
        "status",
        "department",
        "topic",
        "review_by",
        "stale",
        "quick_link",
        "updated_at",
    )
    list_filter = ("status", ReviewFilter, "department", "topic", "language", "quick_link")
    list_select_related = ("department", "topic")
    search_fields = ("title", "summary", "external_id", "slug")
    filter_horizontal = ("service_types",)
    readonly_fields = (
        "status",
        "published_at",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "content_checks",
    )
    inlines = (LinkInline, RevisionInline)
    actions = ("submit_for_review", "publish", "send_back_to_draft", "archive")
    change_list_template = "admin/knowledge/article/change_list.html"
    change_form_template = "admin/knowledge/article/change_form.html"

    def get_fieldsets(self, request: HttpRequest, obj: Article | None = None) -> Any:
        answer = ["title", "slug", "questions", "summary", "body"]
        language = ["language", "translation_of"]
        fieldsets: list[Any] = [
            (None, {"fields": answer}),
            (_("Language"), {"fields": language}),
            (
                _("Owner and topic"),
                {"fields": ["department", "topic", "review_by", "service_types", "quick_link"]},
            ),
            (
                _("Information from another agency"),
                {
                    "fields": ["source_url", "source_name"],
                    "description": _(
                        "Link to the agency's own page rather than copying what it may change."
                    ),
                },
            ),
            (_("Import"), {"fields": ["external_id"], "classes": ["collapse"]}),
        ]
        if obj is not None:
            fieldsets.insert(
                1,
                (
                    _("Status"),
                    {
                        "fields": [
                            "status",
                            "published_at",
                            ("created_at", "created_by"),
                            ("updated_at", "updated_by"),
                            "content_checks",
                        ]
                    },
                ),
            )
        if self.has_change_permission(request, obj):
            fieldsets[0][1]["fields"] = [*answer, "revision_note"]
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Article | None = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ["language", "translation_of"]
        return fields

    def has_change_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or can_edit(status=ArticleStatus(obj.status), actor=request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Articles are archived, never deleted: their history and links stay.
        return False

    def has_submit_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(SUBMIT) or request.user.has_perm(PUBLISH)

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(PUBLISH)

    @admin.display(boolean=True, description=_("stale"))
    def stale(self, article: Article) -> bool:
        return (
            article.review_by is not None
            and article.review_by <= timezone.localdate()
            and article.status in {ArticleStatus.PUBLISHED, ArticleStatus.IN_REVIEW}
        )

    @admin.display(description=_("contact details"))
    def content_checks(self, article: Article) -> str:
        problems = article_contact_problems(
            title=article.title,
            summary=article.summary,
            body=article.body,
            source_url=article.source_url,
            owner=article.department,
            record=department_record(),
        )
        if not problems:
            return str(_("No problem found in phone numbers, emails, hours or addresses."))
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((p.message,) for p in problems))
        )

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        article = self.get_object(request, object_id)
        targets = []
        if article is not None:
            current = ArticleStatus(article.status)
            targets = [
                {"value": target.value, "label": ACTION_LABELS[(current, target)]}
                for target in next_statuses(current)
                if can_transition(current=current, target=target, actor=request.user)
            ]
        context = {**(extra_context or {}), "workflow_targets": targets}
        return super().change_view(request, object_id, form_url, extra_context=context)

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        actor = request.user
        values = {
            name: form.cleaned_data[name] for name in EDITABLE_FIELDS if name in form.cleaned_data
        }
        note = form.cleaned_data.get("revision_note", "")
        if not change:
            created = article_create(
                actor=actor,
                language=form.cleaned_data["language"],
                translation_of=form.cleaned_data.get("translation_of"),
                note=note,
                **{**values, "service_types": list(values.get("service_types") or [])},
            )
            obj.pk = created.pk
            obj.slug = created.slug
            obj._state.adding = False
            return
        changes = {name: values[name] for name in form.changed_data if name in values}
        if "service_types" in changes:
            changes["service_types"] = list(changes["service_types"])
        article_update(article=obj, actor=actor, changes=changes, note=note)
        target = request.POST.get("_workflow")
        if target in ArticleStatus.values:
            self._move(request, obj, ArticleStatus(target), note=note)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The related services were saved by the service with the article, and the inlines are
        # read-only; the admin's change message still reads these lists.
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def _move(
        self, request: HttpRequest, article: Article, target: ArticleStatus, *, note: str = ""
    ) -> bool:
        try:
            article_transition(article=article, to_status=target, actor=request.user, note=note)
        except (WorkflowError, NotAllowed, ValidationError) as error:
            message = error.messages[0] if isinstance(error, ValidationError) else str(error)
            self.message_user(request, f"{article.title}: {message}", messages.WARNING)
            return False
        return True

    def _move_selected(
        self, request: HttpRequest, queryset: QuerySet[Article], target: ArticleStatus
    ) -> None:
        moved = sum(self._move(request, article, target) for article in queryset)
        if moved:
            self.message_user(
                request,
                ngettext(
                    "%(count)d article is now %(status)s.",
                    "%(count)d articles are now %(status)s.",
                    moved,
                )
                % {"count": moved, "status": target.label.lower()},
                messages.SUCCESS,
            )

    @admin.action(description=_("Submit for review"), permissions=["submit"])
    def submit_for_review(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._move_selected(request, queryset, ArticleStatus.IN_REVIEW)

    @admin.action(description=_("Send back to draft"), permissions=["submit"])
    def send_back_to_draft(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._move_selected(request, queryset, ArticleStatus.DRAFT)

    @admin.action(description=_("Publish"), permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._move_selected(request, queryset, ArticleStatus.PUBLISHED)

    @admin.action(description=_("Archive"), permissions=["publish"])
    def archive(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._move_selected(request, queryset, ArticleStatus.ARCHIVED)

    def get_urls(self) -> list[URLPattern]:
        health = path(
            "health/",
            self.admin_site.admin_view(self.health_view),
            name="knowledge_article_health",
        )
        return [health, *super().get_urls()]

    def health_view(self, request: HttpRequest) -> HttpResponse:
        """Content health: what editors must fix, in one page."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        stale = articles_stale_by_department()
        failing = list(links_failing())
        context = {
            **self.admin_site.each_context(request),
            "title": _("Knowledge base health"),
            "opts": self.opts,
            "stale": stale,
            "stale_count": sum(len(articles) for articles in stale.values()),
            "broken_links": [link for link in failing if not link.ok],
            "moved_links": [link for link in failing if link.ok],
            "contact_problems": contact_problems_live(),
            "unanswered": searches_unanswered(),
            "changelist_url": reverse("admin:knowledge_article_changelist"),
        }
        return TemplateResponse(request, "admin/knowledge/health.html", context)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin[Topic]):
    list_display = ("name", "name_es", "slug", "order", "featured")
    list_editable = ("order", "featured")
    search_fields = ("name", "name_es", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request: HttpRequest, obj: Topic, form: Any, change: bool) -> None:
        topic_save(topic=obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(ArticleLink)
class ArticleLinkAdmin(admin.ModelAdmin[ArticleLink]):
    """External links and their last check, for finding every article that uses an address."""

    list_display = ("url", "article", "ok", "redirected", "status_code", "error", "checked_at")
    list_filter = ("ok", "redirected", "is_source")
    list_select_related = ("article",)
    search_fields = ("url", "final_url", "article__title")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SearchQueryLog)
class SearchQueryLogAdmin(admin.ModelAdmin[SearchQueryLog]):
    """What residents searched for; the ones that found nothing show what answers are missing."""

    list_display = ("query", "language", "results_count", "created_at")
    list_filter = ("language", "created_at")
    search_fields = ("query",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
