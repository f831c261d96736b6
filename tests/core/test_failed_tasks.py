import pytest
from django.contrib.auth.models import Permission, User
from django_tasks import TaskResultStatus

from civicdesk.core.models import DataRevision
from tests.workers import fail_once, run_worker_until_idle

PAGE = "/admin/core/failedtask/"


pytestmark = pytest.mark.usefixtures("empty_task_queue")


def staff(*codenames: str) -> User:
    user = User.objects.create_user(f"staff-{'-'.join(codenames) or 'none'}", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def failed():
    result = fail_once.enqueue(key="first-run-fails")
    run_worker_until_idle()
    result.refresh()
    assert result.status == TaskResultStatus.FAILED
    return result


@pytest.mark.django_db(transaction=True)
def test_staff_who_may_see_failed_tasks_see_their_name_arguments_error_and_traceback(
    client, failed
):
    client.force_login(staff("view_failedtask"))
    response = client.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "fail_once" in page
    assert "tests.workers.fail_once" in page
    assert "first-run-fails" in page
    assert "builtins.RuntimeError" in page
    assert "RuntimeError: the first run always fails" in page
    assert "Traceback (most recent call last)" in page
    assert failed.id in page
    assert "Retry" not in page  # seeing is not retrying


@pytest.mark.django_db(transaction=True)
def test_the_admin_index_links_to_the_failed_tasks(client, failed):
    client.force_login(User.objects.create_superuser("boss"))
    assert PAGE in client.get("/admin/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_retry_runs_the_task_again_and_it_leaves_the_list(client, failed):
    client.force_login(staff("view_failedtask", "change_failedtask"))
    assert "Retry" in client.get(PAGE).content.decode()

    response = client.post(f"{PAGE}{failed.id}/retry/", follow=True)
    assert response.status_code == 200
    assert "queued to run again" in response.content.decode()

    run_worker_until_idle()
    failed.refresh()
    assert failed.status == TaskResultStatus.SUCCESSFUL
    assert DataRevision.objects.get(name="first-run-fails").value == 2
    page = client.get(PAGE).content.decode()
    assert "No failed tasks." in page

    again = client.post(f"{PAGE}{failed.id}/retry/", follow=True)
    assert "no longer a failed task" in again.content.decode()


@pytest.mark.django_db(transaction=True)
def test_people_without_the_permission_cannot_see_or_retry(client, failed):
    assert client.get(PAGE).status_code == 302  # to the admin login

    client.force_login(staff())
    assert client.get(PAGE).status_code == 403

    client.force_login(staff("view_failedtask"))
    assert client.post(f"{PAGE}{failed.id}/retry/").status_code == 403
    assert client.get(f"{PAGE}{failed.id}/retry/").status_code == 405
    run_worker_until_idle()
    failed.refresh()
    assert failed.status == TaskResultStatus.FAILED
