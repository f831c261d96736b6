import pytest
from django.conf import settings
from django.core.cache import cache

from civicdesk.core.models import WorkerHeartbeat
from tests.workers import run_worker_until_idle


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.mark.django_db(transaction=True)
def test_health_reports_the_database_and_a_live_worker(client):
    first = client.get("/health")
    assert first.status_code == 200
    body = first.json()
    assert body["database"]["ok"] is True
    assert body["tasks"]["backend"] == settings.TASK_BACKEND
    assert body["tasks"]["worker_ok"] is False
    assert body["status"] == "degraded"

    run_worker_until_idle()
    cache.clear()

    second = client.get("/health").json()
    assert second["tasks"]["worker_ok"] is True
    assert second["status"] == "ok"
    assert WorkerHeartbeat.objects.get(backend=settings.TASK_BACKEND).worker_info


@pytest.mark.django_db
def test_home_page_names_the_jurisdiction_and_the_emergency_number(client):
    response = client.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert settings.CIVICDESK_JURISDICTION_NAME in text
    assert "911" in text


def test_liveness_answers_without_the_database(client):
    # No django_db mark: pytest-django makes any database access in this test an error.
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db(transaction=True)
def test_health_shows_when_each_periodic_task_last_ran(client, empty_task_queue):
    from django.test import override_settings

    from civicdesk.core.services import periodic_runs_enqueue_due

    heartbeat = "civicdesk.core.tasks.worker_heartbeat"
    links = "civicdesk.knowledge.tasks.knowledge_links_check"
    with override_settings(CIVICDESK_PERIODIC_TASKS={heartbeat: 60, links: 86400}):
        before = {
            entry["task"]: entry for entry in client.get("/health").json()["tasks"]["periodic"]
        }
        assert before[heartbeat]["every_seconds"] == 60
        assert before[heartbeat]["last_enqueued_at"] is None
        assert before[heartbeat]["last_finished_at"] is None

        with override_settings(CIVICDESK_PERIODIC_TASKS={heartbeat: 60}):
            periodic_runs_enqueue_due()
        run_worker_until_idle()
        cache.clear()
        after = {
            entry["task"]: entry for entry in client.get("/health").json()["tasks"]["periodic"]
        }
    assert after[heartbeat]["last_enqueued_at"] is not None
    assert after[heartbeat]["last_finished_at"] >= after[heartbeat]["last_enqueued_at"]
    assert after[heartbeat]["last_status"] == "SUCCESSFUL"
    assert after[links]["every_seconds"] == 86400
    assert after[links]["last_finished_at"] is None
