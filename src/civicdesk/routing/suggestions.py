"""The classifier's suggestion as residents see it: public service types, named, ranked.

`classify` answers with service codes, and the catalog may hold service types residents cannot
report themselves (`is_public` false: internal work orders). The portal, the assistant and the
public API show only what a resident can pick, so a suggestion whose best guess is not public is
a triage, not a jump to the second guess: a person, or the resident browsing the catalog,
decides.
"""

from dataclasses import dataclass, field

from civicdesk.catalog.cache import service_type_active_get
from civicdesk.routing.classifier import Suggestion, classify


@dataclass(frozen=True)
class ServiceOption:
    """One suggested service type: its code, its name in the active language, the probability."""

    code: str
    name: str
    confidence: float


@dataclass(frozen=True)
class ServiceSuggestions:
    """Public service types for a text, likeliest first.

    `triage` is true when the text must not be routed on the classifier's word (too little
    text, nonsense, no model, not sure enough, or a best guess residents cannot report);
    `options` may still list the likeliest public service types then, to show as choices but
    never to pick on their own. `reason` is a `routing.choices.TriageReason` value, or empty.
    """

    triage: bool
    reason: str
    model_version: int | None
    options: list[ServiceOption] = field(default_factory=list)

    @property
    def best(self) -> ServiceOption | None:
        """The service type to suggest, when there is one to suggest."""
        return None if self.triage or not self.options else self.options[0]


NOT_PUBLIC = "not_public"


def service_suggestions(text: str, *, language: str | None = None) -> ServiceSuggestions:
    """The classifier's public service types for a resident's text (see `classify`)."""
    return suggestions_public(classify(text, language))


def suggestions_public(suggestion: Suggestion) -> ServiceSuggestions:
    """A classifier `Suggestion` narrowed to public service types, named for the reader."""
    options: list[ServiceOption] = []
    best_is_public = False
    for rank, (code, confidence) in enumerate(suggestion.top):
        service = service_type_active_get(code)
        if service is None or not service.is_public:
            continue
        best_is_public = best_is_public or rank == 0
        options.append(ServiceOption(code, service.display_name, confidence))
    best_not_public = not suggestion.needs_triage and not best_is_public
    return ServiceSuggestions(
        triage=suggestion.needs_triage or best_not_public,
        reason=NOT_PUBLIC if best_not_public else suggestion.reason,
        model_version=suggestion.model_version,
        options=options,
    )
