"""What a chat message asks for, before any search: small talk, a person, a request's status,
a pick from the options just offered, or a question for the knowledge base.

Only short, unambiguous messages are read as small talk: "hi, when is trash day?" is a question,
not a greeting, so the words that would make it a greeting must be all there is.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

from civicdesk.knowledge.search.analysis import fold as accents_off
from civicdesk.portal.selectors import reference_is_valid, reference_normalize


class IntentKind(StrEnum):
    GREETING = "greeting"
    THANKS = "thanks"
    GOODBYE = "goodbye"
    HUMAN = "human"
    STATUS = "status"
    YES = "yes"
    NO = "no"
    PICK = "pick"
    REPORT = "report"
    QUESTION = "question"


@dataclass(frozen=True)
class Intent:
    kind: IntentKind
    # For STATUS: the reference found in the text, if any; for PICK: the 1-based option number.
    reference: str = ""
    pick: int = 0
    # For REPORT and QUESTION: the text with the conversational wrapping taken off.
    topic: str = ""


def fold(text: str) -> str:
    """Lowercase, accents off, punctuation to spaces, runs of space collapsed."""
    return " ".join(re.sub(r"[^\w#-]+", " ", accents_off(text.casefold())).split())


def _phrases(*options: str) -> re.Pattern[str]:
    return re.compile(r"^(?:" + "|".join(options) + r")$")


_POLITE = r"(?:please|por favor|pls|plz)"
_GREETING = _phrases(
    r"(?:hi|hello|hey|hiya|howdy|greetings|good (?:morning|afternoon|evening|day))(?: there)?"
    r"(?: (?:assistant|bot|311))?",
    r"(?:hola|buen(?:os|as)? (?:dias|tardes|noches)|saludos|que tal)(?: (?:asistente|311))?",
)
_THANKS = _phrases(
    r"(?:(?:ok |okay |great |perfect |awesome |cool )?(?:thanks?|thank you|thx|ty|cheers)"
    r"(?: (?:so much|a lot|very much))?(?: (?:that|this) (?:helps|helped|was helpful))?)",
    r"(?:(?:ok |vale |perfecto |genial )?(?:muchas |mil )?gracias"
    r"(?: por (?:todo|la ayuda|tu ayuda))?)",
    r"(?:that (?:helps|helped|was helpful)|eso (?:me )?ayuda|me sirvio)",
)
_GOODBYE = _phrases(
    r"(?:bye|goodbye|good bye|see you|that s all|thats all|that is all|nothing else|no thanks?)",
    r"(?:adios|chao|hasta luego|eso es todo|nada mas|no gracias)",
)
_YES = _phrases(
    r"(?:yes|yeah|yep|yup|sure|ok|okay|correct|right|y|yes please|it did|it does|that s it)",
    r"(?:si|claro|vale|de acuerdo|correcto|eso es|si por favor|asi es)",
)
_NO = _phrases(
    r"(?:no|nope|nah|n|not really|no it didn t|it didn t|none|none of these|none of them|neither)",
    r"(?:no|para nada|ninguno|ninguna|ninguna de estas|ninguno de estos|no me sirvio)",
)
_HUMAN = re.compile(
    r"\b(?:(?:talk|speak|chat|connect)(?: me)? (?:to|with) (?:a |an |someone|somebody|the )?"
    r"(?:person|human|agent|representative|rep|operator|somebody|someone|real person|staff)|"
    r"(?:human|live|real) (?:agent|person|help)|operator|representative|"
    r"hablar con (?:una |un |alguien|el |la )?(?:persona|agente|humano|representante|operador"
    r"|alguien)|(?:agente|persona) real|operadora?|representante)\b"
)
_STATUS = re.compile(
    r"\b(?:status|update|progress|where is|what happened to|check)\b.*\b(?:request|report|"
    r"complaint|case|ticket|service request)\b|\b(?:my|the) (?:request|report|case|ticket)\b"
    r".*\b(?:status|update|progress|done|fixed|closed)\b|"
    r"\b(?:estado|estatus|seguimiento|que paso con|como va)\b.*\b(?:solicitud|reporte|queja|"
    r"caso|peticion)\b"
)
_REFERENCE = re.compile(r"#?\b(\d{2}[-\s]?\d{6,12})\b")
_PICK = re.compile(
    r"^(?:(?:option|number|choice|opcion|numero|the|la|el|#)\s*)?(\d{1,2})"
    r"(?:st|nd|rd|th|o|a)?(?: (?:one|option|opcion))?$"
)
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "primero": 1, "primera": 1,
    "segundo": 2, "segunda": 2, "tercero": 3, "tercera": 3, "cuarto": 4, "cuarta": 4,
}  # fmt: skip
_ORDINAL = re.compile(
    r"^(?:the |la |el )?(" + "|".join(_ORDINALS) + r")(?: (?:one|option|opcion|uno|una))?$"
)
_REPORT = re.compile(
    r"^(?:(?:i|we) (?:want|would like|need|d like) to (?:report|file|submit|make)"
    r"(?: a (?:report|complaint|request))?(?: (?:about|of|for|that))?|"
    r"(?:i|we) (?:want|would like|need|d like) (?:a |an )?(?:report|complaint|request)"
    r"(?: (?:about|of|for))?|"
    r"(?:how (?:do|can) i |can i |where do i |where can i )?(?:report|file a complaint about)|"
    r"(?:quiero|quisiera|necesito|me gustaria) (?:reportar|denunciar|hacer (?:un|una) "
    r"(?:reporte|queja|solicitud)(?: (?:de|sobre|por))?)|"
    r"(?:como |donde |puedo )?(?:reporto|reportar|denuncio|denunciar))"
    r"(?:\s+(?:a|an|the|un|una|el|la|unos|unas))?\s+(.+)$"
)


def intent_read(text: str, *, options: int = 0) -> Intent:
    """The intent of one message; `options` is how many choices the last reply offered."""
    folded = fold(text)
    if not folded:
        return Intent(IntentKind.QUESTION)
    bare = re.sub(rf"\b{_POLITE}\b", " ", folded)
    bare = " ".join(bare.split())
    if options:
        pick = _pick(bare)
        if pick and 1 <= pick <= options:
            return Intent(IntentKind.PICK, pick=pick)
    reference = _reference(text)
    if reference:
        return Intent(IntentKind.STATUS, reference=reference)
    for pattern, kind in (
        (_GREETING, IntentKind.GREETING),
        (_THANKS, IntentKind.THANKS),
        (_GOODBYE, IntentKind.GOODBYE),
        (_YES, IntentKind.YES),
        (_NO, IntentKind.NO),
    ):
        if pattern.match(bare):
            return Intent(kind)
    if _HUMAN.search(bare) and len(bare.split()) <= 14:
        return Intent(IntentKind.HUMAN)
    if _STATUS.search(bare):
        return Intent(IntentKind.STATUS)
    report = _REPORT.match(bare)
    if report:
        return Intent(IntentKind.REPORT, topic=report.group(1))
    return Intent(IntentKind.QUESTION, topic=bare)


def _pick(bare: str) -> int:
    match = _PICK.match(bare)
    if match:
        return int(match.group(1))
    match = _ORDINAL.match(bare)
    return _ORDINALS[match.group(1)] if match else 0


def _reference(text: str) -> str:
    for match in _REFERENCE.finditer(text):
        reference = reference_normalize(match.group(1).replace(" ", "-", 1))
        if reference_is_valid(reference):
            return reference
    return ""
