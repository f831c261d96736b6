"""Text analysis, synonyms, typo tolerance and ranking on plain documents (no database)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicdesk.knowledge.search.analysis import analyzer_for, clean, fold, language_of, words
from civicdesk.knowledge.search.baseline import PlainBM25
from civicdesk.knowledge.search.documents import ARTICLE, SERVICE, SearchDocument
from civicdesk.knowledge.search.fuzzy import TypoIndex, edit_distance
from civicdesk.knowledge.search.index import SearchIndex
from civicdesk.knowledge.search.query import parse
from civicdesk.knowledge.search.ranking import rank
from civicdesk.knowledge.search.synonyms import SynonymTable, shipped_groups

EN = analyzer_for("en")
ES = analyzer_for("es")


def test_english_stemming_meets_word_forms():
    assert EN.stems("infections") == EN.stems("infection")
    assert EN.stems("potholes") == EN.stems("pothole")
    assert EN.stems("recycling") == EN.stems("recycled") == EN.stems("recycle")
    # Irregular plurals Snowball leaves alone are brought to their singular first.
    assert EN.stems("children") == EN.stems("child")
    assert EN.stems("the child's school") == EN.stems("children schools")


def test_spanish_stemming_and_accents():
    assert ES.stems("baches") == ES.stems("bache")
    assert ES.stems("recolección") == ES.stems("recoleccion") == ES.stems("RECOLECCIONES")
    assert ES.stems("señal") == ES.stems("senal")
    assert fold("camión") == "camion"


def test_stop_words_go_unless_nothing_else_is_left():
    assert EN.stems("What is the trash pickup day?") == EN.stems("trash pickup day")
    assert EN.stems("no heat") == ["no", "heat"]  # negations are kept on purpose
    assert EN.stems("what is it") == ["what", "is", "it"]
    assert ES.stems("¿Cuándo es la recolección de basura?") == ES.stems("cuándo recolección basura")


def test_words_split_marks_and_drop_junk():
    assert words("COVID-19 can't wait") == ["covid", "19", "cant", "wait"]
    assert words("x" * 41 + " ok") == ["ok"]
    assert clean(
        "<script>alert(1)</script> see https://example.org/a?b=c [cal](https://x.y/z)"
    ) == (" alert(1)  see   [cal]")
    assert words("\x00\x01\ud800pot\x7fhole") == ["pot", "hole"]


def test_unknown_languages_use_english():
    assert language_of("es-MX") == "es"
    assert language_of("fr") == "en"
    assert language_of(None) == "en"
    assert analyzer_for("pt").language == "en"


def test_edit_distance_counts_a_transposition_as_one():
    assert edit_distance("recycle", "reycle", 2) == 1
    assert edit_distance("garbage", "garbge", 2) == 1
    assert edit_distance("garbage", "gabrage", 2) == 1
    assert edit_distance("garbage", "rubbish", 2) == 3


def test_typo_index_finds_stems_within_the_allowed_distance():
    typos = TypoIndex(["garbag", "librari", "electron", "park", "ticket"])

    assert typos.candidates("garbg") == [("garbag", 1)]
    assert typos.candidates("electrn") == [("electron", 1)]
    assert typos.candidates("elctrno") == []  # 7 letters: one edit only
    assert typos.candidates("tiket") == [("ticket", 1)]
    assert typos.candidates("prk") == []  # too short to guess


def test_synonym_phrases_match_longest_first():
    table = SynonymTable.build(
        EN, [["streetlight", "street light", "lamp post"], ["trash", "garbage", "rubbish"]]
    )
    stems = EN.stems("broken street light")
    length, others = table.match(stems, 1)

    assert length == 2
    assert others == [tuple(EN.stems("streetlight")), tuple(EN.stems("lamp post"))]
    assert table.match(EN.stems("garbage"), 0)[1] == [("trash",), ("rubbish",)]
    assert table.match(stems, 0) == (0, [])


def test_shipped_synonyms_exist_for_both_languages():
    assert ["garbage", "trash", "rubbish", "refuse", "waste"] in shipped_groups("en")
    assert any("bache" in group for group in shipped_groups("es"))
    assert shipped_groups("fr") == []


def _document(key: str, title: str, **fields) -> SearchDocument:
    return SearchDocument(
        kind=fields.pop("kind", ARTICLE),
        key=key,
        language="en",
        title=title,
        external_id=key,
        **fields,
    )


DOCUMENTS = [
    _document(
        "trash-day",
        "When is my trash picked up?",
        questions=("Trash pickup schedule",),
        body="Put bins at the curb by 7 a.m. on your collection day.",
    ),
    _document(
        "bulk",
        "How do I get rid of a couch or a mattress?",
        questions=("Bulk item pickup",),
        body="We collect large items such as furniture.",
    ),
    _document(
        "ticket",
        "How do I pay a parking ticket?",
        body="Pay online, by mail or in person. Tickets not paid in 21 days cost more.",
    ),
    _document(
        "permit",
        "How do I get a resident parking permit?",
        body="Apply online with proof of residency.",
    ),
    _document(
        "library",
        "When are the libraries open?",
        body="Branch libraries are open Monday to Saturday.",
    ),
    _document(
        "streetlight-service",
        "Street light out",
        kind=SERVICE,
        questions=("lamp",),
        summary="A street light that is off at night.",
    ),
]
INDEX = SearchIndex(EN, DOCUMENTS)
SYNONYMS = SynonymTable.build(EN, shipped_groups("en"))


def _ranked(query: str, **options) -> list[str]:
    kinds = options.pop("kinds", (ARTICLE, SERVICE))
    concepts = parse(INDEX, SYNONYMS, query, **options)
    return [result.document.key for result in rank(INDEX, concepts, kinds=kinds, limit=10)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("when do they collect the garbage", "trash-day"),  # synonym, word form
        ("rubbish pick up times", "trash-day"),
        ("parkng tiket", "ticket"),  # two typos
        ("pay my parking fine", "ticket"),  # synonym of the title word
        ("residents parking permits", "permit"),
        ("is the library open on saturday", "library"),
        ("streetlight broken", "streetlight-service"),  # one word for two
        ("lamp post not working", "streetlight-service"),
    ],
)
def test_a_resident_wording_finds_the_right_document(query, expected):
    assert _ranked(query)[0] == expected


def test_question_similarity_lifts_the_document_asked_about():
    # "parking" is in both parking titles; the rest of the question decides.
    assert _ranked("how can I pay for a ticket for parking")[0] == "ticket"
    assert _ranked("getting a permit to park as a resident")[0] == "permit"


def test_the_word_being_typed_completes_to_indexed_words():
    assert _ranked("librar", partial_last=True)[0] == "library"
    assert _ranked("libr", partial_last=True) == ["library"]


def test_kinds_filter_and_scores_stay_between_zero_and_one():
    concepts = parse(INDEX, SYNONYMS, "street light")
    results = rank(INDEX, concepts, kinds=(ARTICLE,), limit=10)
    assert all(result.document.kind == ARTICLE for result in results)
    everything = rank(
        INDEX, parse(INDEX, SYNONYMS, "parking ticket pay online"), kinds=(ARTICLE,), limit=10
    )
    assert all(0 < result.score <= 1 for result in everything)
    assert everything[0].score > 0.5


def test_a_query_of_unknown_words_matches_nothing():
    assert _ranked("xylophone quartet") == []


def test_plain_bm25_baseline_ranks_by_shared_words():
    index = PlainBM25(
        [("a", "parking ticket payment"), ("b", "library hours"), ("c", "parking permit")]
    )

    assert [key for key, _ in index.search("Parking ticket")] == ["a", "c"]
    assert index.search("tickets") == []  # no stemming
    assert index.search("") == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.booleans(), st.sampled_from(["en", "es"]))
def test_no_query_makes_analysis_or_ranking_raise(query, partial, language):
    analyzer = analyzer_for(language)
    index = INDEX if language == "en" else SearchIndex(analyzer, DOCUMENTS)
    concepts = parse(
        index, SynonymTable.build(analyzer, shipped_groups(language)), query, partial_last=partial
    )
    results = rank(index, concepts, kinds=(ARTICLE, SERVICE), limit=5)
    assert len(results) <= 5
    assert all(0 <= result.score <= 1 for result in results)
