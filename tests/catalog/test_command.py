import io
import json

import pytest
import yaml
from django.core.management import CommandError, call_command

from civicdesk.catalog.models import ServiceType
from civicdesk.catalog.services import catalog_export

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("catalog", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json"])
def test_import_reads_yaml_or_json_by_extension_and_prints_a_summary(tmp_path, document, suffix):
    path = tmp_path / f"catalog{suffix}"
    path.write_text(json.dumps(document) if suffix == ".json" else yaml.safe_dump(document))

    out, _ = run("import", str(path))

    assert ServiceType.objects.filter(code__in=["pothole", "tree"]).count() == 2
    assert "service types: 2 created" in out
    assert "values: 2 created" in out

    again, _ = run("import", str(path))
    assert "service types: 2 unchanged" in again


def test_import_errors_go_to_stderr_and_fail_the_command(tmp_path, document):
    document["service_types"][0]["attributes"][0]["datatype"] = "colour"
    document["service_types"][1]["department"] = "nowhere"
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(document))
    err = io.StringIO()

    with pytest.raises(CommandError, match="2 problem\\(s\\); nothing was imported"):
        call_command("catalog", "import", str(path), stdout=io.StringIO(), stderr=err)

    assert "service_types[0].attributes[0].datatype: 'colour' is not one of" in err.getvalue()
    assert "service_types[1].department: no department with code 'nowhere'" in err.getvalue()
    assert not ServiceType.objects.exists()


def test_import_rejects_unknown_extensions_and_broken_files(tmp_path):
    text_file = tmp_path / "catalog.txt"
    text_file.write_text("{}")
    broken = tmp_path / "catalog.json"
    broken.write_text("{not json")

    with pytest.raises(CommandError, match=r"use a \.yaml, \.yml or \.json file"):
        run("import", str(text_file))
    with pytest.raises(CommandError, match="not valid JSON"):
        run("import", str(broken))
    with pytest.raises(CommandError, match=r"missing\.yaml"):
        run("import", str(tmp_path / "missing.yaml"))


def test_export_writes_yaml_to_stdout_by_default(document, tmp_path):
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(document))
    run("import", str(path))

    out, _ = run("export")

    assert yaml.safe_load(out) == catalog_export()


def test_export_to_a_json_file_and_back(document, tmp_path):
    source = tmp_path / "in.json"
    source.write_text(json.dumps(document))
    run("import", str(source))
    output = tmp_path / "out.json"

    run("export", "--output", str(output))
    run("export", "--format", "yaml", "--output", str(tmp_path / "out.txt"))

    assert json.loads(output.read_text()) == catalog_export()
    assert yaml.safe_load((tmp_path / "out.txt").read_text()) == catalog_export()
    again, _ = run("import", str(output))
    assert "service types: 2 unchanged" in again


def test_an_action_is_required():
    with pytest.raises(CommandError):
        call_command("catalog")
