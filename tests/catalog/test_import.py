import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from civicdesk.catalog.models import (
    AttributeValue,
    BusinessCalendar,
    ContactReason,
    Department,
    Holiday,
    ServiceAttribute,
    ServiceType,
)
from civicdesk.catalog.services import CatalogImportError, catalog_export, catalog_import

pytestmark = pytest.mark.django_db


def _errors(document) -> list[str]:
    with pytest.raises(CatalogImportError) as info:
        catalog_import(data=document)
    return info.value.messages


def test_import_creates_the_whole_catalog(document):
    summary = catalog_import(data=document)

    pothole = ServiceType.objects.get(code="pothole")
    assert pothole.default_department.code == "pw"
    assert (pothole.sla_value, pothole.sla_unit) == (48, "business_hours")
    assert pothole.calendar is None
    assert [a.code for a in pothole.attributes.order_by("order")] == ["size", "depth"]
    size = pothole.attributes.get(code="size")
    assert size.required
    assert list(size.values.order_by("order").values_list("key", flat=True)) == ["small", "large"]
    assert ContactReason.objects.filter(code="hours", parent__code="info").exists()
    assert BusinessCalendar.objects.get(code="office").holidays.get().name == "Independence Day"
    assert summary.counts["service_types"]["created"] == 2
    assert summary.counts["values"]["created"] == 2


def test_importing_the_same_document_twice_changes_nothing(document):
    catalog_import(data=document)
    before = catalog_export()

    summary = catalog_import(data=document)

    for kind, outcomes in summary.counts.items():
        assert outcomes["created"] == outcomes["updated"] == outcomes["deleted"] == 0, kind
    assert summary.counts["service_types"]["unchanged"] == 2
    assert catalog_export() == before


def test_reimport_updates_in_place_and_keeps_ids(document):
    catalog_import(data=document)
    pothole_id = ServiceType.objects.get(code="pothole").pk
    size_id = ServiceAttribute.objects.get(code="size").pk
    document["service_types"][0]["name"] = "Pothole in the street"
    document["service_types"][0]["attributes"][0]["values"][1]["name"] = "Large (car tire)"

    summary = catalog_import(data=document)

    pothole = ServiceType.objects.get(code="pothole")
    assert pothole.pk == pothole_id
    assert pothole.name == "Pothole in the street"
    assert ServiceAttribute.objects.get(code="size").pk == size_id
    assert AttributeValue.objects.get(key="large").name == "Large (car tire)"
    assert summary.counts["service_types"] == {
        "created": 0,
        "updated": 1,
        "unchanged": 1,
        "deleted": 0,
        "deactivated": 0,
    }


def test_attributes_values_and_holidays_missing_from_the_file_are_removed(document):
    catalog_import(data=document)
    pothole = document["service_types"][0]
    pothole["attributes"] = [pothole["attributes"][0]]
    pothole["attributes"][0]["values"] = [{"key": "small", "name": "Small"}]
    document["calendars"][0]["holidays"] = []

    summary = catalog_import(data=document)

    assert list(ServiceAttribute.objects.values_list("code", flat=True)) == ["size"]
    assert list(AttributeValue.objects.values_list("key", flat=True)) == ["small"]
    assert not Holiday.objects.exists()
    assert summary.counts["attributes"]["deleted"] == 1
    assert summary.counts["values"]["deleted"] == 1
    assert summary.counts["holidays"]["deleted"] == 1


def test_attribute_order_follows_the_file(document):
    catalog_import(data=document)
    attributes = document["service_types"][0]["attributes"]
    attributes.reverse()

    catalog_import(data=document)

    pothole = ServiceType.objects.get(code="pothole")
    assert [a.code for a in pothole.attributes.order_by("order")] == ["depth", "size"]


def test_rows_missing_from_the_file_stay_active_by_default(document):
    catalog_import(data=document)
    del document["service_types"][1]
    del document["departments"][1]

    catalog_import(data=document)

    assert ServiceType.objects.get(code="tree").is_active
    assert Department.objects.get(code="parks").is_active


def test_deactivate_missing_switches_off_but_keeps_rows_missing_from_the_file(document):
    catalog_import(data=document)
    del document["service_types"][1]
    del document["departments"][1]
    document["contact_reasons"] = [document["contact_reasons"][0]]
    document["deactivate_missing"] = True

    summary = catalog_import(data=document)

    tree = ServiceType.objects.get(code="tree")
    assert not tree.is_active
    assert tree.default_department.code == "parks"
    assert Department.objects.get(code="parks").is_active is False
    assert Department.objects.get(code="pw").is_active
    assert not ContactReason.objects.get(code="hours").is_active
    assert ServiceType.objects.get(code="pothole").is_active
    assert summary.counts["service_types"]["deactivated"] == 1
    assert summary.counts["departments"]["deactivated"] == 1


def test_active_false_in_the_file_deactivates_and_true_reactivates(document):
    document["service_types"][1]["active"] = False
    catalog_import(data=document)
    assert not ServiceType.objects.get(code="tree").is_active

    document["service_types"][1]["active"] = True
    catalog_import(data=document)
    assert ServiceType.objects.get(code="tree").is_active


def test_bad_datatype_names_its_place_and_the_allowed_values(document):
    document["service_types"][0]["attributes"][1]["datatype"] = "colour"

    assert _errors(document) == [
        "service_types[0].attributes[1].datatype: 'colour' is not one of string, number, "
        "datetime, text, singlevaluelist, multivaluelist"
    ]


def test_every_error_is_reported_and_nothing_is_written(document):
    document["departments"][0]["email"] = "not-an-email"
    document["service_types"][0]["sla"] = {"value": 0, "unit": "weeks"}
    document["service_types"][1]["department"] = "nowhere"
    document["service_types"][0]["attributes"][0]["values"] = []
    document["contact_reasons"][1]["parent"] = "missing"
    document["calendars"][0]["working_hours"]["mon"] = ["17:00", "08:00"]

    messages = _errors(document)

    assert len(messages) == 7
    joined = "\n".join(messages)
    assert "departments[0].email: Enter a valid email address." in joined
    assert "service_types[0].sla.value: expected a whole number of at least 1" in joined
    assert (
        "service_types[0].sla.unit: 'weeks' is not one of business_hours, calendar_days" in joined
    )
    assert "service_types[1].department: no department with code 'nowhere'" in joined
    assert "service_types[0].attributes[0].values: a singlevaluelist attribute needs" in joined
    assert "contact_reasons[1].parent: no contact reason with code 'missing'" in joined
    assert "calendars[0].working_hours.mon: opens at 17:00 but closes at 08:00" in joined
    assert not Department.objects.exists()
    assert not ServiceType.objects.exists()
    assert not BusinessCalendar.objects.exists()


def test_failed_reimport_leaves_the_previous_catalog_untouched(document):
    catalog_import(data=document)
    before = catalog_export()
    document["service_types"][0]["name"] = "Renamed"
    document["service_types"][1]["kind"] = "sometimes"

    messages = _errors(document)

    assert messages == [
        "service_types[1].kind: 'sometimes' is not one of realtime, batch, blackbox"
    ]
    assert catalog_export() == before


def test_duplicate_codes_and_unknown_fields_are_reported(document):
    document["service_types"][1]["code"] = "pothole"
    document["departments"][0]["colour"] = "blue"
    document["service_types"][0]["attributes"][1]["code"] = "size"

    messages = _errors(document)

    assert "service_types[1].code: 'pothole' is already used by service_types[0]" in messages
    assert (
        "service_types[0].attributes[1].code: 'size' is already used by "
        "service_types[0].attributes[0]" in messages
    )
    assert any(m.startswith("departments[0].colour: unknown field") for m in messages)


def test_yaml_booleans_get_a_hint_to_quote(document):
    text = yaml.safe_dump(document).replace("key: small", "key: yes")

    messages = _errors(yaml.safe_load(text))

    assert messages == [
        "service_types[0].attributes[0].values[0].key: expected text, got true "
        "(a yes/no value; quote it in YAML if you meant text)"
    ]


def test_unquoted_yaml_times_are_explained(document):
    text = yaml.safe_dump(document).replace("'17:00'", "17:00", 1)

    messages = _errors(yaml.safe_load(text))

    assert len(messages) == 1
    assert "quote the times in YAML" in messages[0]


def test_contact_reason_cycles_are_rejected(document):
    document["contact_reasons"][0]["parent"] = "hours"

    messages = _errors(document)

    assert "contact_reasons[0].parent: 'info' would be its own ancestor" in messages


def test_references_may_point_at_rows_already_in_the_catalog(document):
    catalog_import(data=document)
    follow_up = {
        "service_types": [{"code": "bench", "name": "Broken bench", "department": "parks"}],
        "contact_reasons": [{"code": "bench-q", "name": "Bench question", "parent": "info"}],
    }

    catalog_import(data=follow_up)

    assert ServiceType.objects.get(code="bench").default_department.code == "parks"
    assert ContactReason.objects.filter(code="bench-q", parent__code="info").exists()


def test_new_default_calendar_replaces_the_old_one(document):
    catalog_import(data=document)
    document["calendars"][0]["default"] = False
    document["calendars"].append(
        {
            "code": "always",
            "name": "24/7",
            "timezone": "UTC",
            "default": True,
            "working_hours": {"mon": ["00:00", "24:00"]},
        }
    )

    catalog_import(data=document)

    assert list(
        BusinessCalendar.objects.filter(is_default=True).values_list("code", flat=True)
    ) == ["always"]


def test_two_default_calendars_are_rejected(document):
    second = dict(document["calendars"][0], code="other")
    document["calendars"].append(second)

    assert _errors(document) == [
        "calendars: only one calendar can be the default, not office, other"
    ]


def test_unknown_time_zone_is_rejected(document):
    document["calendars"][0]["timezone"] = "Mars/Olympus_Mons"

    assert _errors(document) == [
        "calendars[0].timezone: 'Mars/Olympus_Mons' is not a known time zone (IANA name)"
    ]


def test_document_that_is_not_a_mapping_is_rejected():
    assert _errors([1, 2]) == ["document: expected a mapping, got a list"]


def test_export_then_import_into_an_empty_catalog_round_trips(demo_document):
    catalog_import(data=demo_document)
    exported = catalog_export()
    # Through JSON text, as the command writes it, to prove the document is plain data.
    exported_text = json.dumps(exported)
    ContactReason.objects.exclude(parent=None).delete()
    for model in (ContactReason, ServiceType, Department, BusinessCalendar):
        model.objects.all().delete()
    assert not ServiceAttribute.objects.exists()

    catalog_import(data=json.loads(exported_text))

    assert catalog_export() == exported


def test_export_lists_what_was_imported(document):
    catalog_import(data=document)

    exported = catalog_export()

    pothole = next(s for s in exported["service_types"] if s["code"] == "pothole")
    assert pothole["sla"] == {"value": 48, "unit": "business_hours"}
    assert pothole["department"] == "pw"
    assert pothole["attributes"][0]["values"] == [
        {"key": "small", "name": "Small"},
        {"key": "large", "name": "Large"},
    ]
    assert next(s for s in exported["service_types"] if s["code"] == "tree")["sla"] is None
    assert exported["calendars"][0]["holidays"] == [
        {"date": "2025-07-04", "name": "Independence Day"}
    ]
    assert [r["code"] for r in exported["contact_reasons"]] == ["info", "hours"]


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*path, key)
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*path, index)
            yield from _leaves(value, (*path, index))


def test_any_damaged_document_fails_only_with_a_catalog_import_error(document):
    paths = list(_leaves(document))
    junk = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-3, 3),
        st.floats(allow_nan=True),
        st.text(max_size=70),
        st.sampled_from(["", "pw", "pothole", "24:00", "2025-13-01", "x\x00y", "colour"]),
        st.lists(st.text(max_size=5), max_size=3),
        st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
    )

    @settings(max_examples=300, deadline=None)
    @given(index=st.integers(0, len(paths) - 1), value=junk)
    def check(index, value):
        damaged = copy.deepcopy(document)
        *parents, last = paths[index]
        target = damaged
        for step in parents:
            target = target[step]
        target[last] = value
        try:
            catalog_import(data=damaged)
        except CatalogImportError as exc:
            assert exc.messages
            assert all(": " in message for message in exc.messages)

    check()
