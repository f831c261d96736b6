"""Turning text into search terms, per language: the same steps for articles and for queries.

1. Clean: control characters, lone surrogates, HTML tags and URLs are dropped, so a pasted
   `<script>` or a binary blob cannot become terms.
2. Unicode NFKC, then case folding ("ﬁre", "FIRE" → "fire").
3. Words: runs of letters and digits; a possessive "'s" goes, other apostrophes inside words
   join ("child's" → "child", "don't" → "dont"), every other mark splits ("COVID-19" →
   "covid", "19").
4. Stop words of the language are dropped, unless the text is nothing but stop words.
5. Snowball stemming ("children" → "children", "infections" → "infect", "baches" → "bach"),
   then accents are folded, so "recolección", "recoleccion" and "recolecciones" meet.

Stemming runs on the accented word because the Spanish stemmer's suffixes carry accents.
"""

import functools
import re
import threading
import unicodedata
from dataclasses import dataclass
from importlib import resources

import snowballstemmer

LANGUAGES = {"en": "english", "es": "spanish"}
DEFAULT_LANGUAGE = "en"
MAX_WORD_LENGTH = 40

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_TAG = re.compile(r"<[^>]{0,500}>")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_MARKDOWN_LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_APOSTROPHES = "'\u2019"  # typewriter and typographic
_POSSESSIVE = re.compile(rf"(?<=\w)[{_APOSTROPHES}]s\b")
_APOSTROPHE = re.compile(rf"(?<=\w)[{_APOSTROPHES}](?=\w)")
_WORD = re.compile(r"[^\W_]+")


def language_of(language: str | None) -> str:
    """The analysed language for a language code: "es-mx" → "es"; anything else → "en"."""
    base = (language or "").split("-")[0].lower()
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


def clean(text: str) -> str:
    """Text with control characters, surrogates, tags, URLs and Markdown link targets removed."""
    text = _CONTROL.sub(" ", text)
    text = _MARKDOWN_LINK_TARGET.sub("]", text)
    text = _URL.sub(" ", text)
    return _TAG.sub(" ", text)


def fold(text: str) -> str:
    """Accents removed: "señal" → "senal"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The case-folded words of a text, accents kept, in order."""
    normalized = unicodedata.normalize("NFKC", clean(text)).casefold()
    normalized = _APOSTROPHE.sub("", _POSSESSIVE.sub("", normalized))
    return [
        word
        for word in _WORD.findall(normalized)
        if len(word) <= MAX_WORD_LENGTH and (len(word) > 1 or word.isdigit())
    ]


def data_lines(name: str) -> list[str]:
    """The non-blank, non-comment lines of a file in this package's data folder, or none."""
    source = resources.files("civicdesk.knowledge.search") / "data" / name
    if not source.is_file():
        return []
    lines = (line.strip() for line in source.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _irregular(language: str) -> dict[str, str]:
    pairs = (line.split() for line in data_lines(f"irregular-{language}.txt"))
    return {pair[0]: pair[1] for pair in pairs if len(pair) == 2}


@dataclass(frozen=True)
class Term:
    """One analysed word: its stem, and its place among the text's kept words."""

    stem: str
    position: int
    word: str


class Analyzer:
    """The analysis of one language. Thread-safe; stems are memoised."""

    def __init__(self, language: str) -> None:
        self.language = language_of(language)
        self.stopwords = frozenset(
            fold(word) for word in data_lines(f"stopwords-{self.language}.txt")
        )
        self.irregular = _irregular(self.language)
        self._local = threading.local()
        self.stem = functools.lru_cache(maxsize=200_000)(self._stem)

    def _stem(self, word: str) -> str:
        stemmer = getattr(self._local, "stemmer", None)
        if stemmer is None:
            # Snowball stemmers keep state while they work: one per thread.
            stemmer = snowballstemmer.stemmer(LANGUAGES[self.language])
            self._local.stemmer = stemmer
        return fold(stemmer.stemWord(self.irregular.get(word, word)))

    def is_stopword(self, word: str) -> bool:
        return fold(word) in self.stopwords

    def terms(self, text: str, *, keep_stopwords: bool = False) -> list[Term]:
        """The text's terms in order; stop words go unless that would leave nothing."""
        found = words(text)
        kept = found if keep_stopwords else [w for w in found if not self.is_stopword(w)]
        if not kept:
            kept = found
        return [Term(self.stem(word), position, word) for position, word in enumerate(kept)]

    def stems(self, text: str) -> list[str]:
        return [term.stem for term in self.terms(text)]


_analyzers: dict[str, Analyzer] = {}
_analyzers_lock = threading.Lock()


def analyzer_for(language: str | None) -> Analyzer:
    """The shared analyzer of a language (English for languages without one)."""
    code = language_of(language)
    analyzer = _analyzers.get(code)
    if analyzer is None:
        with _analyzers_lock:
            analyzer = _analyzers.setdefault(code, Analyzer(code))
    return analyzer
