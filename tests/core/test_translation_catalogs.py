"""Every app's committed Spanish catalog is complete and compiled: a fresh machine needs no
gettext, and no resident meets an English string in a Spanish page."""

import gettext
import re
from pathlib import Path

import pytest

import civicdesk

CATALOGS = sorted(Path(civicdesk.__file__).parent.glob("*/locale/es/LC_MESSAGES"))


def _unquote(text: str) -> str:
    return "".join(
        part.encode("latin-1", "backslashreplace").decode("unicode_escape")
        for part in re.findall(r'"((?:[^"\\]|\\.)*)"', text)
    )


def po_entries(locale: Path) -> list[tuple[str, str, list[str]]]:
    """(msgid, msgid_plural, msgstrs) of every entry but the header."""
    source = (locale / "django.po").read_text(encoding="utf-8")
    entries = []
    for block in source.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        text = "\n".join(lines)
        fields = re.findall(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) ((?:".*"\n?)+)', text, re.M)
        values = {name: _unquote(value) for name, value in fields}
        if values.get("msgid"):
            strs = [value for name, value in values.items() if name.startswith("msgstr")]
            entries.append((values["msgid"], values.get("msgid_plural", ""), strs))
    return entries


def test_the_apps_that_people_read_have_catalogs():
    apps = {locale.parents[2].name for locale in CATALOGS}
    assert {"portal", "assistant", "contacts", "open311", "routing"} <= apps
    assert len(po_entries(CATALOGS[0])) > 10


@pytest.mark.parametrize("locale", CATALOGS, ids=lambda locale: locale.parents[2].name)
def test_every_string_has_a_spanish_translation(locale):
    untranslated = [msgid for msgid, _, strs in po_entries(locale) if not all(strs)]
    assert untranslated == []
    assert "#, fuzzy" not in (locale / "django.po").read_text(encoding="utf-8")


@pytest.mark.parametrize("locale", CATALOGS, ids=lambda locale: locale.parents[2].name)
def test_the_compiled_catalog_matches_the_source(locale):
    with (locale / "django.mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    for msgid, plural, strs in po_entries(locale):
        if plural:
            assert catalog.ngettext(msgid, plural, 1) == strs[0], msgid
            assert catalog.ngettext(msgid, plural, 5) == strs[1], msgid
        else:
            assert catalog.gettext(msgid) == strs[0], msgid


@pytest.mark.parametrize("locale", CATALOGS, ids=lambda locale: locale.parents[2].name)
def test_placeholders_survive_translation(locale):
    for msgid, plural, strs in po_entries(locale):
        wanted = sorted(re.findall(r"%\(\w+\)s|%d", msgid + plural))
        for translated in strs:
            assert sorted(set(re.findall(r"%\(\w+\)s|%d", translated))) == sorted(set(wanted)), (
                msgid
            )


def test_a_string_reads_the_same_in_every_app():
    """Django merges the apps' catalogs, the first app listed winning, so one English string
    translated two ways would change with INSTALLED_APPS order; each must have one Spanish."""
    seen: dict[tuple[str, str], tuple[list[str], str]] = {}
    clashes = []
    for locale in CATALOGS:
        for msgid, plural, strs in po_entries(locale):
            earlier = seen.setdefault((msgid, plural), (strs, locale.parents[2].name))
            if earlier[0] != strs:
                clashes.append((msgid, earlier[1], locale.parents[2].name))
    assert clashes == []
