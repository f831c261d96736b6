"""Article text as residents get it: Markdown to safe HTML, and plain text for short answers.

Articles are Markdown with HTML allowed (imported answers often carry some), so everything is
rendered first and sanitised afterwards by an allow-list (nh3, the Ammonia sanitiser): only
text-level and list, table and heading tags survive, links keep only http, https, mailto and tel
addresses, no attribute can carry script, and every link gets `rel="noopener noreferrer"`.
Sanitising on output rather than on input means a stored article can never bypass it.
"""

import functools
import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "dd",
        "del",
        "dl",
        "dt",
        "em",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# The design system's styles, set on every such tag whatever the author wrote.
_TAG_CLASSES = {
    "a": {"class": "usa-link"},
    "ul": {"class": "usa-list"},
    "ol": {"class": "usa-list"},
    "table": {"class": "usa-table"},
}
_MAX_RENDER_CACHE = 512


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])

    def demote_headings(state: object) -> None:
        # The page's own title is the only <h1>; an article's headings start at <h2>.
        for token in state.tokens:  # type: ignore[attr-defined]
            if token.type in {"heading_open", "heading_close"}:
                level = min(int(token.tag[1]) + 1, 6)
                token.tag = f"h{level}"

    parser.core.ruler.push("demote_headings", demote_headings)
    return parser


_MARKDOWN = _parser()


def sanitize_html(html: str) -> str:
    """Keep only the allowed tags, attributes and link schemes of an HTML fragment."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        set_tag_attribute_values={tag: dict(values) for tag, values in _TAG_CLASSES.items()},
        strip_comments=True,
    )


@functools.lru_cache(maxsize=_MAX_RENDER_CACHE)
def _render(text: str) -> str:
    return sanitize_html(_MARKDOWN.render(text))


def markdown_render(text: str) -> SafeString:
    """An article body as HTML that is safe to put in a page."""
    return mark_safe(_render(text or ""))  # noqa: S308 - the output of an allow-list sanitiser


class _TextCollector(HTMLParser):
    _BLOCKS = frozenset({"p", "li", "br", "tr", "h2", "h3", "h4", "h5", "h6", "pre", "dd", "dt"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(unescape(href))
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _collect(text: str) -> _TextCollector:
    collector = _TextCollector()
    collector.feed(_render(text or ""))
    collector.close()
    return collector


def markdown_plain_text(text: str) -> str:
    """The words of an article body without markup, whitespace collapsed."""
    return re.sub(r"\s+", " ", "".join(_collect(text).parts)).strip()


def markdown_links(text: str) -> list[str]:
    """The external (http and https) addresses an article body links to, in order, once each."""
    found: dict[str, None] = {}
    for href in _collect(text).hrefs:
        if urlsplit(href).scheme in {"http", "https"}:
            found.setdefault(href, None)
    return list(found)


def summary_from_text(text: str, *, limit: int = 500) -> str:
    """A short answer from a longer one: whole sentences up to `limit` characters."""
    plain = markdown_plain_text(text)
    if len(plain) <= limit:
        return plain
    cut = plain[: limit - 1]
    sentence_end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    if sentence_end >= limit // 3:
        return cut[: sentence_end + 1]
    return cut.rsplit(" ", 1)[0].rstrip(",;:") + "…"
