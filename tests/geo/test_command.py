import json

import pytest
from django.core.management import CommandError, call_command

from civicdesk.geo.choices import AreaKind
from civicdesk.geo.models import Area
from tests.geo.conftest import collection, feature, square, two_districts

pytestmark = pytest.mark.django_db


def write(tmp_path, data, name="areas.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_import_prints_a_summary_and_dissolves(tmp_path, capsys):
    path = write(tmp_path, two_districts())
    call_command(
        "geo",
        "import",
        str(path),
        "--kind",
        "district",
        "--dissolve-jurisdiction",
        "city",
        "--jurisdiction-name",
        "The City",
    )
    out = capsys.readouterr().out
    assert "2 district area(s): 2 created, 0 updated, 0 unchanged" in out
    assert "Jurisdiction boundary 'city' (The City) built from 2 district area(s)." in out
    assert Area.objects.filter(kind=AreaKind.JURISDICTION, code="city").exists()

    call_command("geo", "import", str(path), "--kind", "district")
    assert "0 created, 0 updated, 2 unchanged" in capsys.readouterr().out


def test_import_with_explicit_properties(tmp_path, capsys):
    data = collection(feature({"n": "7", "label": "Seven"}, square(0, 0, 1, 1)))
    path = write(tmp_path, data)
    call_command(
        "geo",
        "import",
        str(path),
        "--kind",
        "ward",
        "--code-property",
        "n",
        "--name-property",
        "label",
    )
    assert Area.objects.get(kind="ward", code="7").name == "Seven"


def test_errors_become_a_command_error_listing_every_message(tmp_path):
    data = collection(
        feature({"code": "A", "name": "A"}, [[[0, 0], [1, 0], [1, 95], [0, 0]]]),
        feature({"code": "B", "name": "B"}, [[[0, 0], [1, 0], [1, 1], [0, 1]]]),
    )
    path = write(tmp_path, data)
    with pytest.raises(CommandError) as caught:
        call_command("geo", "import", str(path), "--kind", "district")
    message = str(caught.value)
    assert "nothing was imported" in message
    assert "feature 0 (A)" in message
    assert "feature 1 (B)" in message
    assert Area.objects.count() == 0


def test_unreadable_and_invalid_files(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("geo", "import", str(tmp_path / "missing.geojson"), "--kind", "district")
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("geo", "import", str(broken), "--kind", "district")


def test_jurisdiction_name_needs_the_dissolve_flag(tmp_path):
    path = write(tmp_path, two_districts())
    with pytest.raises(CommandError, match="needs --dissolve-jurisdiction"):
        call_command("geo", "import", str(path), "--kind", "district", "--jurisdiction-name", "X")
