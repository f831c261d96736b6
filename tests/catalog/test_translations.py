import copy

import pytest
from django.utils.translation import override

from civicdesk.catalog.models import AttributeValue, Department, ServiceAttribute, ServiceType
from civicdesk.catalog.services import CatalogImportError, catalog_export, catalog_import
from civicdesk.catalog.translation import translated

pytestmark = pytest.mark.django_db


def with_spanish(document):
    document = copy.deepcopy(document)
    document["departments"][0]["hours"] = "Mon-Fri 8-5"
    document["departments"][0]["translations"] = {
        "es": {"name": "Obras Públicas", "hours": "Lun-Vie 8-5"}
    }
    pothole = document["service_types"][0]
    pothole["translations"] = {
        "es": {"name": "Bache", "group": "Calles", "keywords": ["hoyo", "bache"]}
    }
    size = pothole["attributes"][0]
    size["translations"] = {"es": {"description": "¿Qué tamaño tiene?"}}
    size["values"][0]["translations"] = {"es": {"name": "Pequeño"}}
    return document


def test_import_stores_spanish_text(document):
    catalog_import(data=with_spanish(document))

    pothole = ServiceType.objects.get(code="pothole")
    assert (pothole.name_es, pothole.group_es, pothole.description_es) == ("Bache", "Calles", "")
    assert pothole.keywords_es == ["hoyo", "bache"]
    size = ServiceAttribute.objects.get(code="size")
    assert size.description_es == "¿Qué tamaño tiene?"
    assert AttributeValue.objects.get(key="small").name_es == "Pequeño"
    assert AttributeValue.objects.get(key="large").name_es == ""
    works = Department.objects.get(code="pw")
    assert (works.name_es, works.hours_es, works.description_es) == (
        "Obras Públicas",
        "Lun-Vie 8-5",
        "",
    )


def test_display_text_follows_the_language_and_falls_back_to_english(document):
    catalog_import(data=with_spanish(document))
    pothole = ServiceType.objects.get(code="pothole")
    tree = ServiceType.objects.get(code="tree")

    with override("es"):
        assert pothole.display_name == "Bache"
        assert tree.display_name == "Tree down"
        assert AttributeValue.objects.get(key="large").display_name == "Large"
        assert ServiceAttribute.objects.get(code="size").display_description == (
            "¿Qué tamaño tiene?"
        )
        works = Department.objects.get(code="pw")
        assert (works.display_name, works.display_hours) == ("Obras Públicas", "Lun-Vie 8-5")
        assert Department.objects.get(code="parks").display_name == "Parks"
    with override("es-mx"):
        assert pothole.display_name == "Bache"
    with override("en"):
        assert pothole.display_name == "Pothole"
    assert translated(pothole, "name", "es") == "Bache"
    assert translated(pothole, "name", "fr") == "Pothole"


def test_export_round_trips_translations(document):
    catalog_import(data=with_spanish(document))

    exported = catalog_export()

    pothole = next(s for s in exported["service_types"] if s["code"] == "pothole")
    assert pothole["translations"] == {
        "es": {
            "name": "Bache",
            "description": "",
            "group": "Calles",
            "keywords": ["hoyo", "bache"],
            "required_documents": [],
        }
    }
    tree = next(s for s in exported["service_types"] if s["code"] == "tree")
    assert tree["translations"] == {
        "es": {"name": "", "description": "", "group": "", "keywords": [], "required_documents": []}
    }
    departments = {d["code"]: d["translations"] for d in exported["departments"]}
    assert departments == {
        "pw": {"es": {"name": "Obras Públicas", "description": "", "hours": "Lun-Vie 8-5"}},
        "parks": {"es": {"name": "", "description": "", "hours": ""}},
    }
    values = pothole["attributes"][0]["values"]
    assert values == [
        {"key": "small", "name": "Small", "translations": {"es": {"name": "Pequeño"}}},
        {"key": "large", "name": "Large"},
    ]
    assert pothole["attributes"][0]["translations"] == {
        "es": {"description": "¿Qué tamaño tiene?", "datatype_description": ""}
    }
    # The exported document imports back to the same catalog, changing nothing.
    summary = catalog_import(data=exported)
    assert all(
        outcomes["updated"] == outcomes["created"] == 0 for outcomes in summary.counts.values()
    )


def test_a_translation_left_out_of_the_file_is_removed(document):
    catalog_import(data=with_spanish(document))

    catalog_import(data=document)

    pothole = ServiceType.objects.get(code="pothole")
    assert (pothole.name_es, pothole.keywords_es) == ("", [])
    assert AttributeValue.objects.get(key="small").name_es == ""


def test_bad_translations_are_reported_by_place(document):
    document = with_spanish(document)
    pothole = document["service_types"][0]
    pothole["translations"]["fr"] = {"name": "Nid-de-poule"}
    pothole["translations"]["es"]["nombre"] = "Bache"
    pothole["translations"]["es"]["name"] = "x" * 201
    pothole["attributes"][0]["values"][1]["translations"] = ["Grande"]
    document["service_types"][1]["translations"] = "Árbol caído"

    with pytest.raises(CatalogImportError) as error:
        catalog_import(data=document)

    assert error.value.messages == [
        "service_types[0].attributes[0].values[1].translations: expected a mapping of "
        "language to text, got a list",
        "service_types[0].translations.es.nombre: unknown field; expected one of description, "
        "group, keywords, name, required_documents",
        "service_types[0].translations.es.name: must be at most 200 characters",
        "service_types[0].translations.fr: unknown language; expected one of es",
        "service_types[1].translations: expected a mapping of language to text, got 'Árbol caído'",
    ]
    assert not ServiceType.objects.exists()


def test_the_demo_catalog_is_translated_into_spanish(demo_document):
    catalog_import(data=demo_document)

    untranslated = ServiceType.objects.filter(name_es="").values_list("code", flat=True)
    assert list(untranslated) == []
    assert not ServiceType.objects.filter(group_es="").exists()
    assert not ServiceAttribute.objects.filter(description_es="").exists()
    assert not AttributeValue.objects.filter(name_es="").exists()
    assert not Department.objects.filter(name_es="").exists()
    assert not Department.objects.exclude(hours="").filter(hours_es="").exists()
    with override("es"):
        assert ServiceType.objects.get(code="pothole").display_name == "Bache"
