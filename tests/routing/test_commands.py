"""`civicdesk routing …` as an operator runs it."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from civicdesk.routing.models import ClassifierVersion
from tests.routing.conftest import synthetic_rows, write_csv


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("routing", *args, stdout=out)
    return out.getvalue()


def table(output: str) -> dict[str, tuple[float, float, float]]:
    """The three methods' accuracy, macro-F1 and top-3 as printed."""
    rows = re.findall(
        r"^  (model \(\S+\)|majority class|keyword baseline) +([\d.]+) +([\d.]+) +([\d.]+)$",
        output,
        re.M,
    )
    return {name: (float(a), float(f1), float(top3)) for name, a, f1, top3 in rows}


def csv_options(path) -> list[str]:
    return [
        "--csv",
        str(path),
        "--text",
        "description",
        "--label",
        "category",
        "--time",
        "requested",
    ]


@pytest.mark.django_db
def test_evaluate_prints_the_model_beside_both_baselines_and_saves_nothing(catalog, training_csv):
    output = run("evaluate", *csv_options(training_csv), "--min-examples", "10")

    scores = table(output)
    assert set(scores) == {"model (complement-nb)", "majority class", "keyword baseline"}
    model, majority, keyword = (
        scores["model (complement-nb)"],
        scores["majority class"],
        scores["keyword baseline"],
    )
    assert model[1] > keyword[1] > majority[1]
    assert "train 128 rows, test 32 rows" in output
    assert re.search(r"predictions/s one at a time", output)
    assert re.search(r"model [\d,]+ bytes", output)
    assert ClassifierVersion.objects.count() == 0


@pytest.mark.django_db
def test_evaluate_can_hold_out_from_a_date_and_read_raw_labels(training_csv):
    output = run(
        "evaluate", *csv_options(training_csv), "--min-examples", "10", "--test-from", "2024-12-01"
    )
    assert "test from 2024-12-01 00:00 EST" in output
    assert table(output)["model (complement-nb)"][0] > 0.8


@pytest.mark.django_db
def test_train_saves_an_active_version_that_classify_uses(catalog, training_csv):
    output = run("train", *csv_options(training_csv), "--min-examples", "10")
    assert "Saved classifier version 1 (active)." in output
    assert "Refitted on all 160 rows" in output

    assert run("classify", "Graffiti sprayed on the school fence").startswith("graffiti (")
    assert run("classify", "").startswith("triage (empty)")

    listing = run("versions")
    assert re.search(r"^\s+1  \S+ \S+  csv\s+4\s+1\.000\s+1\.000\s+[\d,]+  yes$", listing, re.M)


@pytest.mark.django_db
def test_activate_and_deactivate_switch_versions(catalog, training_csv):
    run("train", *csv_options(training_csv), "--min-examples", "10")
    run("train", *csv_options(training_csv), "--min-examples", "10", "--no-activate")
    assert ClassifierVersion.objects.get(is_active=True).number == 1

    assert "version 2 is active" in run("activate", "2")
    assert ClassifierVersion.objects.get(is_active=True).number == 2
    assert "switched off" in run("deactivate")
    assert run("classify", "Graffiti sprayed on the wall").startswith("triage (no_model)")
    with pytest.raises(CommandError, match="no classifier version 9"):
        run("activate", "9")


@pytest.mark.django_db
def test_train_refuses_labels_the_catalog_does_not_have(catalog, tmp_path):
    rows = synthetic_rows()
    for row in rows:
        row["category"] = row["category"].replace("pothole", "Pot Hole")
    path = write_csv(tmp_path / "boston-like.csv", rows)
    with pytest.raises(CommandError, match=r"'Pot Hole'.*--label-map"):
        run("train", *csv_options(path))

    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "service_types:\n  Pot Hole: pothole\n  graffiti: graffiti\n"
        "  streetlight: streetlight\n  missed-trash: missed-trash\n",
        encoding="utf-8",
    )
    output = run("train", *csv_options(path), "--label-map", str(mapping), "--min-examples", "10")
    assert "Saved classifier version 1" in output
    assert ClassifierVersion.objects.get().labels == [
        "graffiti",
        "missed-trash",
        "pothole",
        "streetlight",
    ]


@pytest.mark.django_db
def test_bad_options_and_files_are_clear_errors(catalog, training_csv, tmp_path):
    with pytest.raises(CommandError, match="--csv needs --text COLUMN and --label COLUMN"):
        run("train", "--csv", str(training_csv))
    with pytest.raises(CommandError, match="no column 'body'"):
        run("evaluate", "--csv", str(training_csv), "--text", "body", "--label", "category")
    with pytest.raises(CommandError, match="No such file"):
        run("evaluate", "--csv", str(tmp_path / "nope.csv"), "--text", "a", "--label", "b")
    with pytest.raises(CommandError, match="not an ISO date"):
        run("evaluate", *csv_options(training_csv), "--test-from", "last tuesday")
    with pytest.raises(CommandError, match="at least two service types"):
        run("train")  # no cases in the database yet
