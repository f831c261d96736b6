"""Reads for routing: classifier versions, training examples from cases, catalog keywords."""

from collections.abc import Iterable
from datetime import UTC, datetime

from django.db.models import QuerySet

from civicdesk.cases.models import Case
from civicdesk.catalog.models import ServiceType
from civicdesk.contacts.choices import Channel
from civicdesk.contacts.selectors import triage_decisions
from civicdesk.routing.datasets import Dataset, Example
from civicdesk.routing.models import ClassifierVersion

# Channels whose case description the resident wrote. On the phone, at the counter and in agent
# entry an agent types it, in the agent's words and often already naming the service.
RESIDENT_CHANNELS = (
    Channel.WEB,
    Channel.OPEN311,
    Channel.EMAIL,
    Channel.SMS,
    Channel.CHAT,
    Channel.SOCIAL,
    Channel.IMPORT,
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SUMMARY_FIELDS = (
    "id",
    "number",
    "created_at",
    "source",
    "description",
    "labels",
    "languages",
    "metrics",
    "params",
    "model_format",
    "size_bytes",
    "is_active",
    "activated_at",
)


def classifier_version_list() -> QuerySet[ClassifierVersion]:
    """Every version, newest first, without the model bytes."""
    return ClassifierVersion.objects.only(*_SUMMARY_FIELDS).order_by("-number")


def classifier_version_get(number: int) -> ClassifierVersion | None:
    return classifier_version_list().filter(number=number).first()


def service_codes_active() -> set[str]:
    return set(ServiceType.objects.filter(is_active=True).values_list("code", flat=True))


def classifier_version_active() -> ClassifierVersion | None:
    """The active version with its model bytes, or None when classification is off."""
    return ClassifierVersion.objects.filter(is_active=True).first()


def dataset_from_cases(*, since: datetime | None = None, until: datetime | None = None) -> Dataset:
    """Descriptions residents wrote → the case's service type, for active service types,
    requested in [since, until), oldest first; with the texts people triaged to a service type
    in that window (`contacts.selectors.triage_decisions`)."""
    cases = Case.objects.filter(
        channel__in=RESIDENT_CHANNELS, service_type__is_active=True
    ).exclude(description="")
    if since is not None:
        cases = cases.filter(requested_at__gte=since)
    if until is not None:
        cases = cases.filter(requested_at__lt=until)
    rows = cases.order_by("requested_at", "id").values_list(
        "description", "service_type__code", "requested_at"
    )
    examples = [
        Example(text=text, label=code, at=at) for text, code, at in rows.iterator(chunk_size=5000)
    ]
    # A person's triage decision is the label the classifier missed on a text it saw.
    decided = triage_decisions(since=since, until=until).values_list(
        "classified_text", "service_type__code", "triaged_at"
    )
    corrections = [Example(text=text, label=code, at=at) for text, code, at in decided]
    if corrections:
        examples = sorted([*examples, *corrections], key=lambda example: example.at or _EPOCH)
    window = "".join(
        [
            f" from {since:%Y-%m-%d}" if since else "",
            f" before {until:%Y-%m-%d}" if until else "",
        ]
    )
    return Dataset(
        examples=examples,
        description=(
            f"{len(examples):,} cases in the database{window}: descriptions written by residents "
            f"({', '.join(channel.value for channel in RESIDENT_CHANNELS)}) → service type"
            + (f", and {len(corrections):,} triage decisions" if corrections else "")
        ),
    )


def service_type_keywords(labels: Iterable[str]) -> dict[str, list[str]]:
    """The keyword baseline's words per label: a service type's keywords and name, in English
    and Spanish; a label that is not a service code stands for itself."""
    wanted = set(labels)
    keywords = {label: [label] for label in wanted}
    for service in ServiceType.objects.filter(code__in=wanted):
        words = [*service.keywords, *service.keywords_es, service.name, service.name_es]
        keywords[service.code] = [str(word) for word in words if word]
    return keywords
