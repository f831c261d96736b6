"""Article Markdown comes out as safe HTML, whatever an author or an import put in it."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicdesk.knowledge.rendering import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    URL_SCHEMES,
    markdown_links,
    markdown_plain_text,
    markdown_render,
    summary_from_text,
)

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="java\nscript:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="vbscript:msgbox(1)">x</a>',
    '<p onclick="alert(1)" style="color:red">x</p>',
    '<svg onload="alert(1)"><circle/></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<form action="https://evil.example"><input name="pw"></form>',
    "<style>body{display:none}</style>",
    '<object data="x.swf"></object><embed src="x.swf">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<a href="https://ok.example" target="_blank" onmouseover="x()">ok</a>',
    "<!-- <script>alert(1)</script> -->",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '"><script>alert(1)</script>',
    "<<script>script>alert(1)<</script>/script>",
]


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _assert_safe(html: str) -> None:
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    for tag, attrs in inspector.tags:
        assert tag in ALLOWED_TAGS, tag
        allowed = (
            ALLOWED_ATTRIBUTES.get(tag, set()) | {"class"} | ({"rel"} if tag == "a" else set())
        )
        assert set(attrs) <= allowed, (tag, attrs)
        if "href" in attrs:
            scheme = urlsplit(attrs["href"] or "").scheme.lower()
            assert scheme in URL_SCHEMES or scheme == "", attrs["href"]
        if tag == "a":
            assert attrs.get("rel") == "noopener noreferrer"
        for value in attrs.values():
            assert "script:" not in "".join((value or "").lower().split()), (tag, attrs)
    assert "<script" not in html.lower()


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markup_is_neutralised(text):
    _assert_safe(str(markdown_render(text)))


def test_script_contents_are_dropped_not_shown():
    html = str(markdown_render("Before <script>alert('x')</script> after"))
    assert "alert" not in html
    assert "Before" in html and "after" in html


def test_ordinary_markdown_survives_with_the_design_system_classes():
    html = str(
        markdown_render(
            "# Trash day\n\nPut it out **by 7 a.m.**\n\n- Trash\n- Recycling\n\n"
            "| Day | Area |\n|---|---|\n| Monday | North |\n\n"
            "[Calendar](https://calendar.example.org/) or call [311](tel:311)."
        )
    )
    assert "<h2>Trash day</h2>" in html  # the page keeps the only <h1>
    assert "<strong>by 7 a.m.</strong>" in html
    assert '<ul class="usa-list">' in html
    assert "<td>Monday</td>" in html
    assert (
        '<a href="https://calendar.example.org/" class="usa-link" rel="noopener noreferrer">'
        in html
    )
    assert 'href="tel:311"' in html


def test_author_classes_and_styles_do_not_survive():
    html = str(
        markdown_render('<p class="hidden" style="display:none">x</p><ul class="evil"></ul>')
    )
    assert "hidden" not in html and "style" not in html and "evil" not in html


def test_links_are_the_external_addresses_once_each():
    text = (
        "[a](https://a.example/one) <https://b.example/> [again](https://a.example/one) "
        "[mail](mailto:x@y.example) [local](/report/) "
        '<a href="http://c.example/?a=1&amp;b=2">c</a> [bad](javascript:alert(1))'
    )
    assert markdown_links(text) == [
        "https://a.example/one",
        "https://b.example/",
        "http://c.example/?a=1&b=2",
    ]


def test_plain_text_and_summaries():
    assert markdown_plain_text("**Open** <em>daily</em>\n\n- 9 a.m.") == "Open daily 9 a.m."
    long = "First sentence is here. " + "More words follow here " * 40
    summary = summary_from_text(long, limit=120)
    assert summary == "First sentence is here." or len(summary) <= 120
    assert len(summary_from_text("word " * 300, limit=100)) <= 100


_PIECES = [
    *list("<>/=\"' \n()[]:&#;!-*_`|"),
    *["script", "a ", "href", "javascript", "onerror", "img", "src", "iframe", "style"],
    *["http://x.example", "JaVaScRiPt", "&#x6A;", "\x00", "svg", "onload", "data:", "a"],
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_no_input_produces_unsafe_html(text):
    _assert_safe(str(markdown_render(text)))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_renders(text):
    _assert_safe(str(markdown_render(text)))
    summary_from_text(text)
