"""Training reads CSVs and cases, splits by time, leaves rare types out, and scores honestly."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from civicdesk.cases.services.opening import Location, case_open
from civicdesk.catalog.models import ServiceType
from civicdesk.contacts.choices import Channel
from civicdesk.routing.datasets import DatasetError, dataset_from_csv, label_map_load
from civicdesk.routing.selectors import dataset_from_cases
from civicdesk.routing.services import labels_check_routable
from civicdesk.routing.training import classifier_train, examples_prepare, split_by_time
from tests.routing.conftest import SERVICES, synthetic_rows, write_csv


def read(path: Path, **options):
    return dataset_from_csv(
        path=path, text_column="description", label_column="category", **options
    )


def test_a_csv_model_beats_both_baselines_on_later_reports(training_csv):
    dataset = read(training_csv, time_column="requested")
    outcome = classifier_train(
        dataset, min_examples=10, keywords={code: s["keywords"] for code, s in SERVICES.items()}
    )

    metrics = outcome.metrics
    assert metrics["split"]["test_rows"] == 32  # the latest 20% of 160
    assert metrics["model"]["macro_f1"] > 0.9
    assert metrics["model"]["macro_f1"] > metrics["keyword"]["macro_f1"]
    assert metrics["keyword"]["macro_f1"] > metrics["majority"]["macro_f1"]
    assert metrics["majority"]["accuracy"] < 0.5
    assert metrics["model"]["top3_accuracy"] >= metrics["model"]["accuracy"]
    assert set(metrics["model"]["per_label"]) == set(SERVICES)
    assert metrics["predictions_per_second"]["one_at_a_time"] > 0
    assert outcome.labels == sorted(SERVICES)
    assert metrics["refit_rows"] == 160


def test_the_test_part_is_strictly_later_than_the_training_part(training_csv):
    prepared, _ = examples_prepare(read(training_csv, time_column="requested"))
    split = split_by_time(prepared)
    assert max(example.at for example in split.train) <= min(example.at for example in split.test)

    cut = datetime(2024, 10, 1, tzinfo=UTC)
    explicit = split_by_time(prepared, test_from=cut)
    assert all(example.at < cut for example in explicit.train)
    assert all(example.at >= cut for example in explicit.test)
    assert len(explicit.train) + len(explicit.test) == len(prepared)


def test_without_times_the_last_rows_of_the_file_are_the_test(training_csv):
    prepared, _ = examples_prepare(read(training_csv))
    split = split_by_time(prepared)
    assert split.test == prepared[-len(split.test) :]
    assert "file order" in split.description
    with pytest.raises(DatasetError, match="--time"):
        split_by_time(prepared, test_from=datetime(2024, 6, 1, tzinfo=UTC))


def test_a_rare_service_type_is_left_out_and_reported(tmp_path):
    rows = synthetic_rows()
    start = datetime(2024, 1, 1, tzinfo=UTC)
    rows += [
        {
            "description": f"Dead raccoon on the sidewalk number {n}",
            "category": "dead-animal",
            "requested": (start + timedelta(days=n)).isoformat(),
        }
        for n in range(6)
    ]
    dataset = read(write_csv(tmp_path / "rare.csv", rows), time_column="requested")
    outcome = classifier_train(dataset, min_examples=10)

    assert "dead-animal" not in outcome.labels
    assert outcome.metrics["dropped_labels"] == {"dead-animal": 6}
    assert outcome.metrics["split"]["labels_below_minimum_in_training"] == {"dead-animal": 6}


def test_texts_with_nothing_left_after_stripping_are_set_aside_and_counted(tmp_path):
    rows = synthetic_rows()
    rows[0]["description"] = "Unshovelled location: Sidewalk | City Owned: No"
    rows[1]["description"] = ""
    outcome = classifier_train(read(write_csv(tmp_path / "r.csv", rows)), min_examples=10)
    assert outcome.metrics["excluded"]["no resident text after template stripping"] == 2


def test_a_label_map_turns_source_categories_into_codes(tmp_path):
    rows = synthetic_rows()
    source_names = {"pothole": "Pot Hole", "graffiti": "GRAFFITI REMOVAL"}
    for row in rows:
        row["category"] = source_names.get(row["category"], row["category"])
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "service_types:\n  pot hole: pothole\n  Graffiti Removal: graffiti\n", encoding="utf-8"
    )
    dataset = read(write_csv(tmp_path / "src.csv", rows), label_map=label_map_load(mapping))

    assert {example.label for example in dataset.examples} == {"pothole", "graffiti"}
    assert dataset.skipped["label 'streetlight' not in the label map"] == 40
    assert "map.yaml" in dataset.description


def test_a_missing_column_is_named_with_the_columns_there_are(training_csv):
    with pytest.raises(DatasetError, match=r"no column 'text'.*'description', 'category'"):
        list(dataset_from_csv(path=training_csv, text_column="text", label_column="category"))


def test_too_few_service_types_is_refused_with_a_reason(tmp_path):
    rows = [row for row in synthetic_rows() if row["category"] == "pothole"]
    with pytest.raises(DatasetError, match="at least two service types"):
        classifier_train(read(write_csv(tmp_path / "one.csv", rows)), min_examples=10)


@pytest.mark.django_db
def test_cases_give_examples_only_from_text_residents_wrote(catalog):
    pothole = ServiceType.objects.get(code="pothole")
    place = Location(lat=42.36, long=-71.06)
    old = datetime(2024, 3, 1, tzinfo=UTC)
    case_open(
        service_type=pothole,
        location=place,
        description="Deep pothole by the school",
        channel=Channel.WEB,
        requested_at=old,
    )
    case_open(
        service_type=pothole,
        location=place,
        description="Caller reports pothole, sent to PWD",
        channel=Channel.VOICE,
        requested_at=old,
    )
    case_open(
        service_type=pothole,
        location=place,
        description="Another pothole this spring",
        channel=Channel.SMS,
        requested_at=old + timedelta(days=60),
    )

    everything = dataset_from_cases()
    assert [example.text for example in everything.examples] == [
        "Deep pothole by the school",
        "Another pothole this spring",
    ]
    assert {example.label for example in everything.examples} == {"pothole"}
    before = dataset_from_cases(until=old + timedelta(days=1))
    assert [example.text for example in before.examples] == ["Deep pothole by the school"]


@pytest.mark.django_db
def test_labels_that_are_not_catalog_codes_cannot_be_saved(catalog, training_csv):
    rows = read(training_csv)
    labels_check_routable(rows)
    rows.examples[0] = rows.examples[0].__class__(text="x", label="Illegal Parking")
    with pytest.raises(DatasetError, match=r"'Illegal Parking'.*--label-map"):
        labels_check_routable(rows)
