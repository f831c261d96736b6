"""The report flow's duplicate check: open reports of the same problem where the resident is.

Read once the location step is done, with what the resident wrote in the details step, so the
closest and most alike reports come first (`cases.duplicates`). Only requests of services the
public sees, in this deployment's own jurisdiction; only what the public feeds show anyway.
"""

from django.utils.translation import get_language

from civicdesk.cases.duplicates import DuplicateCandidate, duplicate_candidates
from civicdesk.cases.models import default_jurisdiction
from civicdesk.catalog.models import ServiceType
from civicdesk.portal.report.draft import ReportDraft

# Enough to recognise one's own problem without a long list to read through.
SHOWN = 5


def draft_duplicates(*, service_type: ServiceType, draft: ReportDraft) -> list[DuplicateCandidate]:
    """Open reports that may be the problem the draft describes, best first; none before the
    location is known or when the service has no duplicate radius."""
    if draft.lat is None or draft.long is None or not service_type.is_public:
        return []
    answers = [
        value if isinstance(value, str) else " ".join(value) for value in draft.answers.values()
    ]
    return duplicate_candidates(
        service_type=service_type,
        lat=draft.lat,
        long=draft.long,
        description=" ".join([draft.description, *answers]),
        limit=SHOWN,
        jurisdiction=default_jurisdiction(),
        public_only=True,
        language=get_language(),
    )


def draft_duplicate_get(
    *, service_type: ServiceType, draft: ReportDraft, reference: str
) -> DuplicateCandidate | None:
    """One of the reports offered to this draft, so a resident can follow only those."""
    for candidate in draft_duplicates(service_type=service_type, draft=draft):
        if candidate.reference == reference:
            return candidate
    return None
