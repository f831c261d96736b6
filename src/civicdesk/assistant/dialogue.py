"""The assistant's side of a chat: from one message and what was said before, the next reply.

Everything it says comes from the knowledge base and the catalog through site search, so the
chat, the portal, SMS and agents give the same answers; a problem described without naming its
service is matched to one by the text classifier (`routing.suggestions`), as in the portal. The
order of checks matters: danger to life first (a long or odd message may still describe a
fire), then what the message is unable to be (empty, binary, markup only), then a pick from the
options just offered, small talk and requests for a person, and only then a search.
"""

import re
import unicodedata
from dataclasses import asdict, dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from civicdesk.assistant.choices import ReplyKind
from civicdesk.assistant.emergency import EmergencyFinding, detect, emergency_advice
from civicdesk.assistant.intents import Intent, IntentKind, fold, intent_read
from civicdesk.catalog.cache import service_type_active_get
from civicdesk.catalog.models import ServiceType
from civicdesk.knowledge.search.analysis import language_of
from civicdesk.knowledge.search.documents import SERVICE
from civicdesk.knowledge.search.engine import SearchHit, search
from civicdesk.portal.labels import STATUS_LABELS
from civicdesk.portal.selectors import public_request_get
from civicdesk.routing.suggestions import ServiceSuggestions, service_suggestions

MAX_CHARS = 2000
# Scores are 0-1 (see SearchHit); these were set on the demo knowledge base and the evaluation
# set in docs/assistant.md: above CONFIDENT with a clear lead the best result is the answer,
# below FLOOR nothing is close enough to offer at all, in between the resident picks.
CONFIDENT = 0.5
CLEAR_LEAD = 0.1
FLOOR = 0.2
MAX_OPTIONS = 3
SEARCH_DEPTH = 6
PREFILL_CHARS = 1000


@dataclass
class Option:
    """A choice offered to the resident: an article or service (`hit` is the search result it
    stands for, kept so a pick needs no second search), a yes, a no, or "none of these".

    A service the classifier suggested has no search result; `description` is what the
    resident wrote, carried into the report when it is picked.
    """

    kind: str
    key: str
    label: str
    hit: dict[str, Any] = field(default_factory=dict)
    description: str = ""

    def reply_text(self, number: int) -> str:
        """What the resident sends back to choose this option: yes, no, or its number."""
        return self.kind if self.kind in ("yes", "no") else str(number)

    def search_hit(self) -> SearchHit | None:
        if not self.hit:
            return None
        return SearchHit(**{**self.hit, "service_codes": tuple(self.hit["service_codes"])})


@dataclass
class DialogueState:
    """What the assistant remembers between messages of one conversation (stored as JSON)."""

    options: list[Option] = field(default_factory=list)
    # An offer waiting for yes or no: {"kind": "service", "key": code, "description": ...}
    # (with "suggested" when the classifier named the service) or {"kind": "person"}.
    offer: dict[str, str] = field(default_factory=dict)
    awaiting_reference: bool = False
    turns: int = 0

    @classmethod
    def load(cls, data: dict[str, Any] | None) -> "DialogueState":
        data = data or {}
        return cls(
            options=[Option(**option) for option in data.get("options", [])],
            offer=dict(data.get("offer", {})),
            awaiting_reference=bool(data.get("awaiting_reference", False)),
            turns=int(data.get("turns", 0)),
        )

    def dump(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Reply:
    """One turn of the assistant: what it says, and what the resident can do next.

    `reason` names what the exchange was about, for the contact's reason: `article:<id>`,
    `service:<code>`, `status`, `emergency` or empty. `topic` is set when the message said what
    the resident wants (a question or a problem), in the words to categorize the contact by.
    """

    kind: ReplyKind
    text: str
    language: str
    links: tuple[Link, ...] = ()
    options: tuple[Option, ...] = ()
    article: SearchHit | None = None
    service_code: str = ""
    service_name: str = ""
    prefill: dict[str, str] = field(default_factory=dict)
    emergency: EmergencyFinding | None = None
    reference: str = ""
    reason: str = ""
    handoff: bool = False
    topic: str = ""

    def option_replies(self) -> list[dict[str, str]]:
        """The options as buttons: what each shows, and what to send back to choose it."""
        return [
            {"label": option.label, "reply": option.reply_text(number)}
            for number, option in enumerate(self.options, start=1)
        ]


def reply_to(text: str, *, language: str, state: DialogueState) -> Reply:
    """The assistant's reply to `text`; updates `state` for the next message."""
    language = language_of(language)
    with translation.override(language):
        reply = _reply(text or "", language, state)
    state.turns += 1
    return reply


def _reply(text: str, language: str, state: DialogueState) -> Reply:
    finding = detect(text, language)
    if finding:
        state.options, state.offer, state.awaiting_reference = [], {}, False
        return Reply(
            kind=ReplyKind.EMERGENCY,
            text=_emergency_text(language),
            language=language,
            links=(Link(_("Call 911"), "tel:911"),),
            emergency=finding,
            reason="emergency",
        )
    problem = _unreadable(text)
    if problem:
        return Reply(kind=ReplyKind.INVALID, text=problem, language=language)
    clean = _plain(text)
    intent = intent_read(clean, options=len(state.options))
    if intent.kind == IntentKind.PICK:
        return _picked(state.options[intent.pick - 1], clean, language, state)
    if state.offer and intent.kind in (IntentKind.YES, IntentKind.NO):
        return _offer_answered(intent.kind == IntentKind.YES, language, state)
    if state.options and intent.kind == IntentKind.NO:
        state.options = []
        return _offer_person(language, state, _("Sorry I could not find it."))
    if state.awaiting_reference and intent.kind in (IntentKind.QUESTION, IntentKind.STATUS):
        digits = re.sub(r"\D", "", clean)
        if intent.reference or 8 <= len(digits) <= 14:
            intent = intent_read(digits if not intent.reference else intent.reference)
    state.options, state.offer = [], {}
    state.awaiting_reference = False
    match intent.kind:
        case IntentKind.GREETING:
            return Reply(kind=ReplyKind.GREETING, text=_greeting(), language=language)
        case IntentKind.THANKS:
            return Reply(
                kind=ReplyKind.THANKS,
                text=_("You're welcome. Ask me anything else about city services."),
                language=language,
            )
        case IntentKind.GOODBYE:
            return Reply(
                kind=ReplyKind.GOODBYE,
                text=_("Thank you for contacting us. Goodbye!"),
                language=language,
            )
        case IntentKind.HUMAN:
            return _handoff(language)
        case IntentKind.STATUS:
            return _status(intent, language, state)
        case IntentKind.YES | IntentKind.NO:
            return _not_found(clean, language, state)
        case IntentKind.REPORT:
            topic = intent.topic or clean
            return replace(_report(topic, clean, language, state), topic=topic)
        case _:
            return replace(_question(clean, language, state), topic=clean)


def _question(text: str, language: str, state: DialogueState) -> Reply:
    hits = search(text, language=language, limit=SEARCH_DEPTH)
    if not _asks(text):
        service = _reported_service(hits)
        if service is not None:
            return _offer_service(service, text, language, state)
        found = service_suggestions(text, language=language)
        if found.best is not None:
            return _suggest(found, text, language, state)
    if not hits or hits[0].score < FLOOR:
        return _not_found(text, language, state)
    articles = [hit for hit in hits if hit.kind != SERVICE]
    if articles and _leads(articles[0].score, [hit.score for hit in articles[1:]]):
        return _answer(articles[0], text, language, state)
    service = _reported_service(hits)
    if service is not None and not articles:
        return _offer_service(service, text, language, state)
    return _choose(hits, language, state)


def _report(topic: str, text: str, language: str, state: DialogueState) -> Reply:
    """A problem to report: the service the words name outright (site search agrees on one),
    else the classifier's suggestion from the words, else a choice from the search."""
    hits = search(topic, language=language, limit=SEARCH_DEPTH)
    service = _reported_service(hits)
    if service is not None:
        return _offer_service(service, text, language, state)
    found = service_suggestions(topic, language=language)
    if found.best is not None:
        return _suggest(found, text, language, state)
    return _report_from_search(topic, text, language, state, hits=hits)


def _suggest(found: ServiceSuggestions, text: str, language: str, state: DialogueState) -> Reply:
    """The classifier's service type for the resident's words, to confirm with a yes, with its
    runners-up and "none of these" beside it."""
    best = found.options[0]
    state.offer = {**_service_offer(best.code, best.name, text), "suggested": "1"}
    state.options = [
        Option("yes", "", _("Yes: %(service)s") % {"service": best.name}),
        *(
            Option(
                SERVICE,
                option.code,
                _("Report: %(service)s") % {"service": option.name},
                description=text,
            )
            for option in found.options[1:MAX_OPTIONS]
        ),
        Option("none", "", _("None of these")),
    ]
    lines = [_("This sounds like: %(service)s. Is that right?") % {"service": best.name}]
    lines += [f"{number}. {option.label}" for number, option in enumerate(state.options, start=1)]
    return Reply(
        kind=ReplyKind.CHOICE,
        text="\n".join(lines),
        language=language,
        options=tuple(state.options),
        service_code=best.code,
        service_name=best.name,
    )


def _report_from_search(
    topic: str,
    text: str,
    language: str,
    state: DialogueState,
    *,
    hits: list[SearchHit] | None = None,
) -> Reply:
    if hits is None:
        hits = search(topic, language=language, limit=SEARCH_DEPTH)
    service = _reported_service(hits)
    if service is not None:
        return _offer_service(service, text, language, state)
    services = [hit for hit in hits if hit.kind == SERVICE and hit.score >= FLOOR]
    if services:
        return _choose(services, language, state, intro=_("Which of these do you want to report?"))
    state.offer = {}
    return Reply(
        kind=ReplyKind.NOT_FOUND,
        text=_(
            "I could not tell which kind of problem this is. You can pick it from the list "
            "of problems we handle."
        ),
        language=language,
        links=(Link(_("Report a problem"), reverse("portal:report")),),
    )


def _reported_service(hits: list[SearchHit]) -> SearchHit | None:
    """The service a problem statement is about, when the results agree on one.

    A service and the articles that name it are one piece of evidence, combined as
    independent signals (1 - (1 - a)(1 - b)); it must lead everything not linked to it.
    """
    best: tuple[float, SearchHit] | None = None
    for service in (hit for hit in hits if hit.kind == SERVICE):
        linked = [hit.score for hit in hits if service.key in hit.service_codes]
        score = 1.0 - (1.0 - service.score) * (1.0 - max(linked, default=0.0))
        others = [
            hit.score for hit in hits if hit is not service and service.key not in hit.service_codes
        ]
        if _leads(score, others) and (best is None or score > best[0]):
            best = (score, service)
    return best[1] if best else None


def _leads(score: float, others: list[float]) -> bool:
    return score >= CONFIDENT and score - max(others, default=0.0) >= CLEAR_LEAD


_QUESTION_START = re.compile(
    r"^(?:what|whats|when|where|wheres|how|who|whom|whose|why|which|can|could|do|does|did|is|"
    r"are|am|will|would|should|shall|may|might|have|has|que|cuando|donde|como|quien|quienes|"
    r"cual|cuales|cuanto|cuanta|cuantos|cuantas|puedo|puede|pueden|debo|tengo|se puede|es|son)\b"
)


def _asks(text: str) -> bool:
    """Whether the message is a question rather than a statement of a problem."""
    stripped = text.strip()
    if stripped.endswith("?") or stripped.startswith("¿"):
        return True
    return bool(_QUESTION_START.match(fold(stripped)))


def _answer(hit: SearchHit, text: str, language: str, state: DialogueState) -> Reply:
    parts = [hit.title, hit.summary or _("The full answer is on its page.")]
    if hit.fallback:
        parts.append(_("This answer is not available in Spanish yet, so it is shown in English."))
    links = [Link(_("Read the full answer"), hit.url)] if hit.url else []
    options: tuple[Option, ...] = ()
    service = _related_service(hit)
    if service is not None:
        state.offer = _service_offer(service.code, service.display_name, text)
        options = (Option("yes", "", _("Report it now")), Option("no", "", _("No, thanks")))
        parts.append(_("Do you want to report this problem now?"))
    return Reply(
        kind=ReplyKind.ANSWER,
        text="\n\n".join(parts),
        language=language,
        links=tuple(links),
        options=options,
        article=hit,
        reason=f"article:{hit.key}",
    )


def _offer_service(hit: SearchHit, text: str, language: str, state: DialogueState) -> Reply:
    state.offer = _service_offer(hit.key, hit.title, text)
    return Reply(
        kind=ReplyKind.OFFER_REQUEST,
        text=_("It sounds like you want to report: %(service)s. Shall I start a request?")
        % {"service": hit.title},
        language=language,
        options=(Option("yes", "", _("Yes, start a request")), Option("no", "", _("No"))),
        service_code=hit.key,
        service_name=hit.title,
        reason=f"service:{hit.key}",
    )


def _service_offer(code: str, name: str, text: str) -> dict[str, str]:
    return {"kind": SERVICE, "key": code, "name": name, "description": text}


def _related_service(hit: SearchHit) -> ServiceType | None:
    """The first public, active service the article names, to offer a report beside it."""
    for code in hit.service_codes:
        service = service_type_active_get(code)
        if service is not None and service.is_public:
            return service
    return None


def _start_request(offer: dict[str, str], language: str) -> Reply:
    description = offer.get("description", "")[:PREFILL_CHARS]
    url = reverse("portal:report-service", args=[offer["key"]])
    if description:
        url += "?" + urlencode({"description": description})
    return Reply(
        kind=ReplyKind.START_REQUEST,
        text=_(
            "Good. Follow the link to start the request and tell us where the problem is; what "
            "you wrote is already filled in. You will get a reference number at the end."
        ),
        language=language,
        links=(Link(_("Start the request: %(service)s") % {"service": offer["name"]}, url),),
        service_code=offer["key"],
        service_name=offer["name"],
        prefill={"description": description} if description else {},
        reason=f"service:{offer['key']}",
    )


def _choose(
    hits: list[SearchHit], language: str, state: DialogueState, *, intro: str = ""
) -> Reply:
    options = [
        Option(
            hit.kind,
            hit.key,
            _("Report: %(service)s") % {"service": hit.title} if hit.kind == SERVICE else hit.title,
            asdict(hit),
        )
        for hit in hits[:MAX_OPTIONS]
        if hit.score >= FLOOR
    ]
    options.append(Option("none", "", _("None of these")))
    state.options = options
    lines = [intro or _("I found a few things. Which one is closest?")]
    lines += [f"{number}. {option.label}" for number, option in enumerate(options, start=1)]
    return Reply(
        kind=ReplyKind.CHOICE, text="\n".join(lines), language=language, options=tuple(options)
    )


def _picked(option: Option, text: str, language: str, state: DialogueState) -> Reply:
    state.options = []
    if option.kind == "yes" and state.offer:
        return _offer_answered(True, language, state)
    if state.offer.get("suggested") and option.kind in ("none", "no"):
        return _offer_answered(False, language, state)
    hit = option.search_hit()
    if hit is None and option.kind == SERVICE:
        service = service_type_active_get(option.key)
        if service is not None and service.is_public:
            state.offer = {}
            offer = _service_offer(service.code, service.display_name, option.description)
            return _start_request(offer, language)
    if hit is None:
        return _offer_person(language, state, _("Sorry I could not find it."))
    if hit.kind == SERVICE:
        return _start_request(_service_offer(hit.key, hit.title, ""), language)
    return _answer(hit, "", language, state)


def _offer_answered(yes: bool, language: str, state: DialogueState) -> Reply:
    offer, state.offer = state.offer, {}
    state.options = []
    if not yes and offer.get("suggested"):
        # The classifier's guess was wrong: find the service the way it was found before it.
        description = offer.get("description", "")
        return _report_from_search(description, description, language, state)
    if not yes:
        return Reply(
            kind=ReplyKind.THANKS,
            text=_("All right. Is there anything else I can help with?"),
            language=language,
        )
    if offer.get("kind") == "person":
        return _handoff(language)
    return _start_request(offer, language)


def _offer_person(language: str, state: DialogueState, lead: str) -> Reply:
    state.offer = {"kind": "person"}
    return Reply(
        kind=ReplyKind.NOT_FOUND,
        text=lead + " " + _("Would you like to talk to a person? You can also rephrase."),
        language=language,
        options=(Option("yes", "", _("Talk to a person")), Option("no", "", _("No, thanks"))),
    )


def _not_found(text: str, language: str, state: DialogueState) -> Reply:
    return _offer_person(language, state, _("I'm not sure I understood."))


def _handoff(language: str) -> Reply:
    return Reply(
        kind=ReplyKind.HANDOFF,
        text=_(
            "I am passing this conversation to a person at 311, with what we wrote so far. "
            "They will answer here; you do not need to repeat yourself."
        ),
        language=language,
        handoff=True,
    )


def _status(intent: Intent, language: str, state: DialogueState) -> Reply:
    if not intent.reference:
        state.awaiting_reference = True
        return Reply(
            kind=ReplyKind.ASK_REFERENCE,
            text=_(
                "I can check that. What is the reference number? It looks like 26-000123 "
                "and is in the confirmation you received."
            ),
            language=language,
            reason="status",
        )
    found = public_request_get(intent.reference)
    track = reverse("portal:track") + "?" + urlencode({"reference": intent.reference})
    if found is None:
        state.awaiting_reference = True
        return Reply(
            kind=ReplyKind.ASK_REFERENCE,
            text=_(
                "I could not find request %(reference)s. Please check the number and send it again."
            )
            % {"reference": intent.reference},
            language=language,
            reference=intent.reference,
            reason="status",
        )
    lines = [
        _("Request %(reference)s (%(service)s): %(status)s.")
        % {
            "reference": intent.reference,
            "service": found.service_name,
            "status": str(STATUS_LABELS.get(found.status, found.status)),
        }
    ]
    if found.expected_at and found.status not in ("closed", "canceled"):
        lines.append(
            _("Expected by %(date)s.")
            % {"date": formats.date_format(timezone.localtime(found.expected_at), "DATE_FORMAT")}
        )
    if found.timeline:
        latest = found.timeline[-1]
        if latest.text:
            lines.append(_("Latest update: %(text)s") % {"text": latest.text})
    return Reply(
        kind=ReplyKind.STATUS,
        text=" ".join(lines),
        language=language,
        links=(Link(_("See the request"), track),),
        reference=intent.reference,
        reason="status",
    )


def _greeting() -> str:
    return _(
        "Hello! I am the 311 assistant. Ask me a question about city services, like when "
        "trash is picked up, or tell me about a problem to report. If this is an emergency, "
        "call 911."
    )


def _emergency_text(language: str) -> str:
    return (
        emergency_advice(language)
        + " "
        + _(
            "311 cannot send help. If no one is in danger, tell me more and I will help "
            "you report it."
        )
    )


def _unreadable(text: str) -> str:
    if len(text) > MAX_CHARS:
        return _(
            "That message is too long for me (over 2,000 characters). Please ask in a "
            "sentence or two, or talk to a person."
        )
    printable = [char for char in text if not char.isspace()]
    if not printable:
        return _("Please type your question, for example: when is trash picked up?")
    odd = sum(1 for char in printable if unicodedata.category(char)[0] in "CZ" or char == "\ufffd")
    if odd > len(printable) // 4:
        return _("I could not read that message. Please type your question in words.")
    if not _plain(text).strip():
        return _("Please type your question in words, for example: how do I pay a parking ticket?")
    return ""


_TAG = re.compile(r"<[^>]{0,200}>|&[#\w]{1,10};")
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def _plain(text: str) -> str:
    """The words of a message, without markup or control characters."""
    text = _SCRIPT.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = "".join(char if unicodedata.category(char)[0] != "C" else " " for char in text)
    return " ".join(text.split())
