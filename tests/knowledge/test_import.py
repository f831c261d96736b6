"""`civicdesk kb import`: CSV and JSON, idempotent by external_id, broken rows by line."""

import gzip
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicdesk.knowledge.choices import ArticleStatus
from civicdesk.knowledge.importfile import ImportFileError, import_text_read
from civicdesk.knowledge.models import Article, ArticleRevision, Topic
from civicdesk.knowledge.services import ArticleImportError, article_import

pytestmark = pytest.mark.django_db

SOURCE = "https://health.example.gov/faq,en,Health,State Health Department"
CSV = f"""external_id,question,answer,url,language,topic,source_name
faq-1,What are the symptoms?,"Fever, cough and
tiredness are the most common.

See a doctor if it gets worse.",{SOURCE}
faq-2,How does it spread?,Through droplets.,{SOURCE}
"""


def _run(tmp_path: Path, name: str, text: str, *args: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("kb", "import", str(path), *args, stdout=out, stderr=out)
    return out.getvalue()


def _fail(tmp_path: Path, name: str, text: str, *args: str) -> tuple[str, str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("kb", "import", str(path), *args, stdout=io.StringIO(), stderr=err)
    return str(error.value), err.getvalue()


def test_a_faq_file_becomes_published_articles_with_their_source(tmp_path):
    output = _run(tmp_path, "faq.csv", CSV)
    assert "articles: 2 created, 0 updated, 0 unchanged, 0 skipped" in output
    assert "topics: 1 created" in output

    symptoms = Article.objects.get(external_id="faq-1")
    assert symptoms.title == "What are the symptoms?"
    assert symptoms.status == ArticleStatus.PUBLISHED
    assert symptoms.published_at is not None
    assert symptoms.body.startswith("Fever, cough and\ntiredness")
    assert symptoms.summary == (
        "Fever, cough and tiredness are the most common. See a doctor if it gets worse."
    )
    assert (symptoms.source_name, symptoms.source_url) == (
        "State Health Department",
        "https://health.example.gov/faq",
    )
    assert symptoms.topic == Topic.objects.get(slug="health")
    assert list(symptoms.links.values_list("url", "is_source")) == [
        ("https://health.example.gov/faq", True)
    ]


def test_importing_again_changes_nothing_and_records_nothing(tmp_path):
    _run(tmp_path, "faq.csv", CSV)
    revisions = ArticleRevision.objects.count()
    output = _run(tmp_path, "faq.csv", CSV)
    assert "articles: 0 created, 0 updated, 2 unchanged, 0 skipped" in output
    assert ArticleRevision.objects.count() == revisions == 2


def test_a_changed_row_updates_its_article_with_one_revision(tmp_path):
    _run(tmp_path, "faq.csv", CSV)
    output = _run(tmp_path, "faq.csv", CSV.replace("Through droplets.", "Through the air."))
    assert "articles: 0 created, 1 updated, 1 unchanged" in output
    spread = Article.objects.get(external_id="faq-2")
    assert spread.body == "Through the air."
    latest = spread.revisions.order_by("-number").first()
    assert latest is not None
    assert latest.changed_fields == ["body", "summary"]
    assert latest.note == "Imported from faq.csv"
    assert latest.editor is None


def test_columns_the_file_lacks_are_left_alone(tmp_path, department):
    _run(
        tmp_path,
        "owned.csv",
        "external_id,title,body,department\nx-1,Trash day,Monday.,sanitation\n",
    )
    _run(tmp_path, "plain.csv", "external_id,title,body\nx-1,Trash day,Tuesday.\n")
    article = Article.objects.get(external_id="x-1")
    assert (article.body, article.department) == ("Tuesday.", department)


def test_broken_rows_are_reported_by_line_and_nothing_is_imported(tmp_path):
    text = (
        CSV
        + ",No id here,Answer.,,en,,\n"
        + "faq-3,Bad language,Answer.,,fr,,\n"
        + "faq-4,Bad address,Answer.,javascript:alert(1),en,,\n"
        + "faq-1,Same id again,Answer.,,en,,\n"
        + "faq-5,,,,en,,\n"
    )
    message, errors = _fail(tmp_path, "broken.csv", text)
    assert "5 row(s) cannot be imported; nothing was imported" in message
    assert "line 7: external_id is missing" in errors
    assert "line 8: language must be one of en, es" in errors
    assert "line 9: source_url is not an http(s) address" in errors
    assert "line 10: external_id 'faq-1' was already used on line 2" in errors
    assert "line 11: title (or question) is missing; body (or answer) is missing" in errors
    assert not Article.objects.exists()


def test_partial_imports_the_good_rows_and_lists_the_rest(tmp_path):
    text = CSV + "faq-3,Bad language,Answer.,,fr,,\n"
    output = _run(tmp_path, "broken.csv", text, "--partial")
    assert "articles: 2 created, 0 updated, 0 unchanged, 1 skipped" in output
    assert "skipped line 7: language must be one of en, es" in output
    assert set(Article.objects.values_list("external_id", flat=True)) == {"faq-1", "faq-2"}


def test_json_rows_are_reported_by_the_line_their_object_starts_on(tmp_path):
    rows = [
        {"external_id": "a", "title": "First", "body": "One."},
        {"external_id": "b", "title": "Second", "body": "Two.", "department": "nowhere"},
        ["not", "an", "object"],
    ]
    text = json.dumps(rows, indent=2)
    _message, errors = _fail(tmp_path, "rows.json", text)
    assert "line 7: department 'nowhere' is not in the catalog" in errors
    assert "line 13: not an object with named fields" in errors


def test_translations_and_catalog_links_by_code(tmp_path, department, missed_trash):
    rows = [
        {
            "external_id": "trash:es",
            "translation_of": "trash",
            "language": "es",
            "title": "Día de la basura",
            "body": "Una vez por semana.",
        },
        {
            "external_id": "trash",
            "title": "Trash day",
            "questions": ["when is trash day", "garbage pickup"],
            "summary": "Once a week.",
            "body": "Once a week, on your street's day.",
            "department": "sanitation",
            "service_types": "missed-trash",
            "quick_link": "yes",
            "review_by": "2027-01-31",
        },
    ]
    _run(tmp_path, "city.json", json.dumps(rows))
    english = Article.objects.get(external_id="trash")
    spanish = Article.objects.get(external_id="trash:es")
    assert spanish.translation_of == english
    assert spanish.slug == english.slug == "trash-day"
    assert english.questions == ["when is trash day", "garbage pickup"]
    assert [s.code for s in english.service_types.all()] == ["missed-trash"]
    assert english.quick_link
    assert str(english.review_by) == "2027-01-31"


def test_a_translation_must_name_an_original_that_exists(tmp_path):
    text = "external_id,title,body,language,translation_of\nes-1,Hola,Texto.,es,missing\n"
    _message, errors = _fail(tmp_path, "t.csv", text)
    assert "line 2: translation_of 'missing' is neither in the file nor imported" in errors


def test_gzipped_files_and_status_for_new_articles(tmp_path):
    path = tmp_path / "faq.csv.gz"
    path.write_bytes(gzip.compress(CSV.encode()))
    call_command("kb", "import", str(path), "--status", "draft", stdout=io.StringIO())
    assert set(Article.objects.values_list("status", flat=True)) == {"draft"}


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("faq.txt", b"x", "use a .csv, .tsv, .json or .yaml file"),
        ("faq.yaml", b"external_id: a", "must be a YAML list of mappings"),
        ("faq.csv", b"\xff\xfe\x00bad", "not UTF-8 text"),
        ("faq.json", b'{"external_id": "a"}', "must be a JSON array of objects"),
        ("faq.json", b'[{"external_id": "a",}]', "line 1: not valid JSON"),
        ("faq.csv.gz", b"not gzip", "not a readable gzip file"),
    ],
)
def test_unreadable_files_are_refused_whole(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match=expected):
        call_command("kb", "import", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("kb", "import", str(tmp_path / "nope.csv"), stdout=io.StringIO())


def test_the_service_raises_with_every_problem_and_writes_nothing():
    file = import_text_read("external_id,title,body\na,One,Body\nb,,Body\n", kind="csv")
    with pytest.raises(ArticleImportError) as error:
        article_import(file=file)
    assert [(p.line, p.messages) for p in error.value.problems] == [
        (3, ("title (or question) is missing",))
    ]
    assert not Article.objects.exists()


_CELLS = st.text(alphabet=st.sampled_from(list('ab,"\n\r\t x\x00é')), max_size=40)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_CELLS, max_size=6))
def test_the_csv_reader_reports_or_reads_any_text(lines):
    text = "external_id,title,body\n" + "\n".join(lines)
    try:
        file = import_text_read(text, kind="csv")
    except ImportFileError as error:
        assert str(error).startswith("line ")
        return
    previous = 1
    for row in file.rows:
        assert row.line > previous
        previous = row.line


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('[]{}",: \nab1')), max_size=60))
def test_the_json_reader_reports_or_reads_any_text(text):
    try:
        file = import_text_read(text, kind="json")
    except ImportFileError as error:
        assert str(error).startswith("line ")
        return
    assert all(row.line >= 1 for row in file.rows)
