import pytest
from django.utils.translation import override

from civicdesk.portal.models import SearchSynonym
from civicdesk.portal.search import normalize, query_words
from civicdesk.portal.selectors import service_type_search

from .pages import attribute_values, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(make_service):
    make_service(
        "pothole",
        "Pothole",
        description="A hole or broken pavement in the street.",
        group="Streets & Sidewalks",
        keywords=["hole", "road", "pavement"],
        name_es="Bache",
        keywords_es=["hoyo", "calle"],
    )
    make_service(
        "missed-trash",
        "Missed trash pickup",
        description="Trash that was out on time but was not picked up.",
        group="Trash & Recycling",
        keywords=["collection"],
        name_es="Basura no recogida",
    )
    make_service(
        "litter-basket",
        "Overflowing litter basket",
        description="A public trash can that is full.",
        group="Trash & Recycling",
        keywords=["public bin", "trash can"],
    )
    make_service(
        "traffic-signal",
        "Traffic signal problem",
        description="A signal that is dark or stuck.",
        keywords=["stoplight"],
        name_es="Problema con un semáforo",
        keywords_es=["señal"],
    )
    make_service(
        "street-light",
        "Street light out",
        description="A street light that is off at night.",
        keywords=["lamp"],
    )
    make_service("hidden", "Pothole crew dispatch", is_public=False)
    make_service("retired", "Pothole (old form)", is_active=False)


def ranked(query):
    return [match.service_type.code for match in service_type_search(query)]


def test_normalizing_folds_case_accents_and_punctuation():
    assert normalize("¿Señal  ROTA?") == "senal rota"
    assert query_words("the pothole on my street") == ["pothole", "street"]
    assert query_words("the") == ["the"]


def test_name_outranks_keywords_and_description(catalog):
    # "trash" is in one name, in a keyword, and in both descriptions.
    assert ranked("trash") == ["missed-trash", "litter-basket"]
    assert ranked("hole") == ["pothole"]


def test_every_query_word_counts(catalog):
    assert ranked("missed trash pickup")[0] == "missed-trash"
    assert ranked("trash can")[0] == "litter-basket"
    assert ranked("street light")[0] == "street-light"


def test_plurals_and_word_starts_match(catalog):
    assert ranked("potholes") == ["pothole"]
    assert ranked("pot")[0] == "pothole"
    assert ranked("lamps") == ["street-light"]


def test_spanish_names_and_keywords_match_without_accents(catalog):
    assert ranked("bache") == ["pothole"]
    assert ranked("semaforo") == ["traffic-signal"]
    assert ranked("senal") == ["traffic-signal"]
    with override("es"):
        [match] = service_type_search("basura")
        assert match.service_type.display_name == "Basura no recogida"


def test_synonyms_find_what_the_other_words_find(catalog):
    assert ranked("binmen") == []
    SearchSynonym.objects.create(terms="binmen, trash")

    matches = service_type_search("binmen")

    assert [match.service_type.code for match in matches] == ["missed-trash", "litter-basket"]
    assert all(match.via_synonym for match in matches)


def test_a_direct_match_outranks_a_synonym_match(catalog, make_service):
    make_service("garbage-day", "Garbage day schedule")
    SearchSynonym.objects.create(terms="garbage, trash")

    matches = service_type_search("garbage")

    assert [match.service_type.code for match in matches][:2] == ["garbage-day", "missed-trash"]
    assert [match.via_synonym for match in matches][:2] == [False, True]


def test_multi_word_synonyms(catalog):
    SearchSynonym.objects.create(terms="street lamp, street light")

    assert ranked("broken street lamp")[0] == "street-light"


def test_the_starter_synonyms_are_installed(catalog):
    # Installed by a migration, for staff to edit: garbage means trash.
    assert ranked("garbage")[:2] == ["missed-trash", "litter-basket"]


def test_nothing_private_inactive_or_unrelated_is_found(catalog):
    assert "hidden" not in ranked("pothole crew")
    assert "retired" not in ranked("pothole old form")
    assert ranked("xylophone") == []
    assert ranked("   ") == []
    assert ranked("") == []


def test_search_costs_two_queries(catalog, django_assert_num_queries):
    with django_assert_num_queries(2):
        service_type_search("trash")


def test_report_page_lists_results_best_first(client, catalog):
    response = client.get("/report/", {"q": "trash"})

    assert response.status_code == 200
    assert attribute_values(response, "data-service") == ["missed-trash", "litter-basket"]
    text = page_text(response)
    assert "2 results for “trash”" in text
    assert 'value="trash"' in text
    assert 'href="/report/missed-trash/"' in text


def test_report_page_says_when_nothing_matches(client, catalog):
    text = page_text(client.get("/report/", {"q": "<b>xylophone</b>"}))

    assert "No service matches your search" in text
    assert "&lt;b&gt;xylophone&lt;/b&gt;" in text
    assert "<b>xylophone" not in text


def test_report_page_without_a_query_lists_every_public_service_by_group(client, catalog):
    response = client.get("/report/")

    shown = attribute_values(response, "data-service")
    assert sorted(shown) == [
        "litter-basket",
        "missed-trash",
        "pothole",
        "street-light",
        "traffic-signal",
    ]
    text = page_text(response)
    assert '<h2 id="streets-sidewalks">Streets &amp; Sidewalks</h2>' in text
    assert '<h2 id="no-topic">Other services</h2>' in text


def test_home_search_box_sends_residents_to_the_results(client, catalog):
    text = page_text(client.get("/"))

    assert '<form class="usa-search usa-search--big' in text
    assert 'role="search" action="/search/" method="get"' in text
    assert '<label class="usa-sr-only" for="home-search">' in text
