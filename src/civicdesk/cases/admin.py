"""Case administration. Every change goes through the case services, so the timeline stays whole.

Cases are opened by the intake service, never here; staff can reassign, add notes and move a
case through its statuses with the actions. Events and attachments are read-only. The case page
lists possible duplicates, and its "Merge into another request" page merges this case into the
original the agent chooses (`case_merge`).
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _

from civicdesk.cases.choices import CaseStatus, CloseReason, NoteVisibility
from civicdesk.cases.duplicates import case_duplicate_candidates
from civicdesk.cases.models import Attachment, Case, CaseEvent, CaseNote
from civicdesk.cases.selectors import case_get_by_reference
from civicdesk.cases.services.merging import case_merge, merge_problem
from civicdesk.cases.services.workflow import (
    MAX_NOTE_LENGTH,
    case_assign,
    case_note_add,
    case_transition,
)
from civicdesk.cases.status import TransitionError


class ReadOnlyInlineMixin:
    """An inline that shows what is recorded; changes go through the services, not the form."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CaseEventInline(ReadOnlyInlineMixin, admin.TabularInline[CaseEvent, Case]):
    model = CaseEvent
    fields = ("created_at", "kind", "from_status", "to_status", "is_public", "public_text", "actor")
    readonly_fields = fields
    show_change_link = False
    verbose_name = _("timeline event")
    verbose_name_plural = _("timeline")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CaseNoteInline(ReadOnlyInlineMixin, admin.TabularInline[CaseNote, Case]):
    """Notes already written are part of the record: shown, never edited or removed."""

    model = CaseNote
    fields = ("created_at", "visibility", "body", "author")
    readonly_fields = fields


class NewNoteFormSet(BaseInlineFormSet[CaseNote, Case, Any]):
    @classmethod
    def get_default_prefix(cls) -> str:
        # Both note inlines share the `notes` relation; a distinct prefix keeps their forms apart.
        return "new_notes"


class NewNoteForm(forms.ModelForm[CaseNote]):
    class Meta:
        model = CaseNote
        fields = ("visibility", "body")

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        if len(body.strip()) > MAX_NOTE_LENGTH:
            raise ValidationError(
                _("Keep it to %(limit)s characters or fewer.") % {"limit": f"{MAX_NOTE_LENGTH:,}"}
            )
        return body


class NewCaseNoteInline(admin.StackedInline[CaseNote, Case]):
    """A blank form for one more note; `CaseAdmin.save_formset` hands it to `case_note_add`."""

    model = CaseNote
    form = NewNoteForm
    formset = NewNoteFormSet
    fields = ("visibility", "body")
    extra = 1
    max_num = 1
    can_delete = False
    verbose_name = _("new note")
    verbose_name_plural = _("add a note")

    def get_queryset(self, request: HttpRequest) -> QuerySet[CaseNote]:
        return super().get_queryset(request).none()


class AttachmentInline(ReadOnlyInlineMixin, admin.TabularInline[Attachment, Case]):
    model = Attachment
    fields = ("created_at", "file", "original_name", "content_type", "size", "is_public")
    readonly_fields = fields


class CaseAdminForm(forms.ModelForm[Case]):
    class Meta:
        model = Case
        fields = ("department", "assignee")

    def clean_department(self) -> Any:
        department = self.cleaned_data["department"]
        if (
            "department" in self.changed_data
            and department is not None
            and not department.is_active
        ):
            raise ValidationError(_("This department is not active; choose another one."))
        return department


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    form = CaseAdminForm
    list_display = (
        "reference",
        "service_type",
        "status",
        "department",
        "district",
        "channel",
        "requested_at",
        "sla_due_at",
        "sla_state",
        "provider",
    )
    list_filter = (
        "status",
        "sla_state",
        "service_type__group",
        "department",
        "provider",
        "district",
        "channel",
    )
    search_fields = ("reference", "description", "address")
    list_select_related = ("service_type", "department", "district", "provider")
    date_hierarchy = "requested_at"
    raw_id_fields = ("assignee",)
    readonly_fields = (
        "reference",
        "service_type",
        "status",
        "close_reason",
        "description",
        "attributes",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
        "district",
        "channel",
        "media_url",
        "requested_at",
        "updated_at",
        "closed_at",
        "sla_due_at",
        "sla_state",
        "sla_at_risk_at",
        "sla_paused_at",
        "provider",
        "merged_into",
        "source",
        "external_id",
        "routing_explanation",
    )
    fieldsets = (
        (None, {"fields": ("reference", "service_type", "status", "close_reason", "merged_into")}),
        (
            _("Assignment"),
            {"fields": ("department", "routing_explanation", "assignee", "provider")},
        ),
        (_("Request"), {"fields": ("description", "attributes", "media_url", "channel")}),
        (_("Where"), {"fields": ("address", "address_id", "zipcode", "lat", "long", "district")}),
        (
            _("When"),
            {
                "fields": (
                    "requested_at",
                    "updated_at",
                    "sla_state",
                    "sla_at_risk_at",
                    "sla_due_at",
                    "sla_paused_at",
                    "closed_at",
                )
            },
        ),
        (_("Import"), {"fields": ("source", "external_id"), "classes": ("collapse",)}),
    )
    inlines = (NewCaseNoteInline, CaseNoteInline, AttachmentInline, CaseEventInline)
    actions = ("mark_open", "mark_in_progress", "close_as_resolved")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Case, form: Any, change: bool) -> None:
        # Only the assignment is editable here, and it changes through the service so the
        # timeline gets its `assigned` event.
        if change and {"department", "assignee"} & set(form.changed_data):
            case_assign(
                case=obj,
                department=obj.department,
                assignee=obj.assignee,
                actor=request.user,  # type: ignore[arg-type]
            )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # The admin's change message reads these lists; only the new-note form adds anything.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if not isinstance(formset, NewNoteFormSet):
            # The other inlines are read-only; nothing in them can have changed.
            return
        for note_form in formset.forms:
            if not note_form.has_changed():
                continue
            note = case_note_add(
                case=form.instance,
                body=note_form.cleaned_data["body"],
                visibility=NoteVisibility(note_form.cleaned_data["visibility"]),
                author=request.user,  # type: ignore[arg-type]
            )
            formset.new_objects.append(note)

    def _transition_selected(
        self,
        request: HttpRequest,
        queryset: QuerySet[Case],
        to_status: CaseStatus,
        close_reason: CloseReason | None = None,
    ) -> None:
        moved = 0
        for case in queryset:
            try:
                case_transition(
                    case=case,
                    to_status=to_status,
                    close_reason=close_reason,
                    actor=request.user,  # type: ignore[arg-type]
                )
            except (TransitionError, ValidationError) as error:
                message = error.messages[0] if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"{case.reference}: {message}", messages.WARNING)
            else:
                moved += 1
        if moved:
            self.message_user(
                request,
                _("%(count)d request(s) now %(status)s.")
                % {"count": moved, "status": to_status.label.lower()},
                messages.SUCCESS,
            )

    @admin.action(description=_("Mark open"), permissions=["change"])
    def mark_open(self, request: HttpRequest, queryset: QuerySet[Case]) -> None:
        self._transition_selected(request, queryset, CaseStatus.OPEN)

    @admin.action(description=_("Mark in progress"), permissions=["change"])
    def mark_in_progress(self, request: HttpRequest, queryset: QuerySet[Case]) -> None:
        self._transition_selected(request, queryset, CaseStatus.IN_PROGRESS)

    @admin.action(description=_("Close as resolved"), permissions=["change"])
    def close_as_resolved(self, request: HttpRequest, queryset: QuerySet[Case]) -> None:
        self._transition_selected(request, queryset, CaseStatus.CLOSED, CloseReason.RESOLVED)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        case = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if case is not None:
            context["duplicates"] = case_duplicate_candidates(case)
            context["can_merge"] = self.has_change_permission(request, case) and not (
                case.merged_into_id or case.status == CaseStatus.CLOSED
            )
        return super().change_view(request, object_id, form_url, extra_context=context)

    def get_urls(self) -> list[URLPattern]:
        merge = path(
            "<path:object_id>/merge/",
            self.admin_site.admin_view(self.merge_view),
            name="cases_case_merge",
        )
        return [merge, *super().get_urls()]

    def merge_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Merge this case into an original: choose it, see both side by side, confirm."""
        duplicate = self.get_object(request, object_id)
        if duplicate is None:
            raise Http404("No such request.")
        if not self.has_change_permission(request, duplicate):
            raise PermissionDenied
        change_url = reverse("admin:cases_case_change", args=[duplicate.pk])
        into = (request.POST.get("into") or request.GET.get("into") or "").strip()
        original = case_get_by_reference(into) if into else None
        if into and original is None:
            self.message_user(
                request,
                _("No request has the reference %(reference)s.") % {"reference": into},
                messages.ERROR,
            )
        problem = (
            merge_problem(duplicate=duplicate, original=original) if original is not None else None
        )
        if request.method == "POST" and original is not None and problem is None:
            try:
                case_merge(
                    duplicate=duplicate,
                    original=original,
                    actor=request.user,  # type: ignore[arg-type]
                    note=request.POST.get("note", ""),
                )
            except ValidationError as error:
                self.message_user(request, error.messages[0], messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(duplicate)s was merged into %(original)s.")
                    % {"duplicate": duplicate.reference, "original": original.reference},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
        if problem is not None:
            self.message_user(request, problem.messages[0], messages.ERROR)
            original = None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge %(reference)s into another request")
            % {"reference": duplicate.reference},
            "opts": self.opts,
            "duplicate": duplicate,
            "original": original,
            "into": into,
            "candidates": case_duplicate_candidates(duplicate, limit=10),
            "change_url": change_url,
            "changelist_url": reverse("admin:cases_case_changelist"),
        }
        return TemplateResponse(request, "admin/cases/case/merge.html", context)
