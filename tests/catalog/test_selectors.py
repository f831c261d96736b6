import pytest

from civicdesk.catalog import selectors
from civicdesk.catalog.services import catalog_import

pytestmark = pytest.mark.django_db


def test_public_list_has_a_fixed_query_count(demo_document, django_assert_num_queries):
    demo_document["service_types"][0]["public"] = False
    demo_document["service_types"][1]["active"] = False
    catalog_import(data=demo_document)

    with django_assert_num_queries(3):
        services = list(selectors.service_type_list_public())
        for service_type in services:
            _ = service_type.default_department.name
            for attribute in service_type.attributes.all():
                _ = [value.key for value in attribute.values.all()]

    codes = [s.code for s in services]
    assert len(codes) == 45
    assert demo_document["service_types"][0]["code"] not in codes
    assert demo_document["service_types"][1]["code"] not in codes


def test_get_by_code_hides_inactive_unless_asked(document):
    document["service_types"][1]["active"] = False
    catalog_import(data=document)

    pothole = selectors.service_type_get_by_code("pothole")
    inactive_tree = selectors.service_type_get_by_code("tree", include_inactive=True)
    assert pothole is not None and pothole.code == "pothole"
    assert selectors.service_type_get_by_code("tree") is None
    assert inactive_tree is not None and inactive_tree.code == "tree"
    assert selectors.service_type_get_by_code("nope") is None


def test_contact_reason_tree_and_lookups(document):
    catalog_import(data=document)

    tree = selectors.contact_reason_tree()

    assert [(root.code, [c.code for c in children]) for root, children in tree] == [
        ("info", ["hours"])
    ]
    department = selectors.department_get_by_code("pw")
    calendar = selectors.calendar_get_default()
    assert department is not None and department.name == "Public Works"
    assert calendar is not None and calendar.code == "office"
    assert selectors.service_type_groups() == ["Streets"]
