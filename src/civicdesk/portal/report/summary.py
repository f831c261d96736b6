"""What the review page and the step indicator show: the draft in the resident's words."""

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.functional import Promise

from civicdesk.catalog.choices import AttributeDatatype
from civicdesk.catalog.models import ServiceType
from civicdesk.portal.report.draft import STEP_LABELS, STEPS, ReportDraft, Step


@dataclass(frozen=True)
class AnswerRow:
    """One answered question: the question, and the answer as the resident chose or typed it.

    `moment` is set for date-and-time answers, so the template formats it in the language."""

    question: str
    answer: str
    moment: dt.datetime | None = None


def answer_rows(*, service_type: ServiceType, draft: ReportDraft) -> list[AnswerRow]:
    """The draft's answers in the catalog's order, choices by their names in the language."""
    rows = []
    for attribute in service_type.attributes.all():
        value = draft.answers.get(attribute.code)
        if not attribute.variable or not value:
            continue
        names = {choice.key: choice.display_name for choice in attribute.values.all()}
        keys = [value] if isinstance(value, str) else list(value)
        moment = None
        if attribute.datatype == AttributeDatatype.DATETIME and isinstance(value, str):
            try:
                moment = dt.datetime.fromisoformat(value)
            except ValueError:
                moment = None
        rows.append(
            AnswerRow(
                question=attribute.display_description,
                answer=", ".join(names.get(key, key) for key in keys),
                moment=moment,
            )
        )
    return rows


@dataclass(frozen=True)
class StepMark:
    """A segment of the USWDS step indicator."""

    step: Step
    label: Promise
    state: str  # "complete", "current" or ""


def step_marks(*, draft: ReportDraft, current: Step) -> list[StepMark]:
    marks = []
    for step in STEPS:
        if step == current:
            state = "current"
        elif step.value in draft.completed:
            state = "complete"
        else:
            state = ""
        marks.append(StepMark(step=step, label=STEP_LABELS[step], state=state))
    return marks


def error_summary(
    form: forms.Form, *, radios: frozenset[str] = frozenset()
) -> list[dict[str, str]]:
    """The error summary's items for a form: each message, prefixed with its field's label,
    linking to the field (the first option of a group of radio buttons or checkboxes).

    `radios` names fields shown as radio buttons that are not choice fields (the address list).
    """
    items = []
    for name, messages in form.errors.items():
        field = form.fields.get(name)
        if name == NON_FIELD_ERRORS or field is None:
            name, field = next(iter(form.fields.items()))
        grouped = isinstance(field, forms.ChoiceField) or name in radios
        target = f"{name}-0" if grouped else name
        label = str(field.label or "").strip()
        for message in messages:
            items.append({"href": f"#{target}", "text": labelled(label, str(message))})
    return items


def labelled(label: str, message: str) -> str:
    """ "How big is it? Choose an answer.", "Email address: Enter an email address like…" """
    if not label:
        return message
    return f"{label} {message}" if label[-1] in "?:.!" else f"{label}: {message}"
