"""On SQLite, write transactions queue on a file lock and leave it free when they end."""

import fcntl
import os
import threading

import pytest
from django.db import connection, connections, transaction

from civicdesk.core.models import DataRevision

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the file lock is SQLite's"),
]


def lock_is_free() -> bool:
    descriptor = os.open(f"{connection.settings_dict['NAME']}.write-lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(descriptor)
    return True


def test_a_second_writer_waits_for_the_first_and_then_commits():
    order: list[str] = []
    first_inside = threading.Event()
    let_first_finish = threading.Event()

    def first() -> None:
        with transaction.atomic():
            DataRevision.objects.create(name="first", value=1)
            first_inside.set()
            let_first_finish.wait(5)
            order.append("first committed")
        connections.close_all()

    def second() -> None:
        first_inside.wait(5)
        with transaction.atomic():
            order.append("second began")
            DataRevision.objects.create(name="second", value=2)
        connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_inside.wait(5)
    assert not lock_is_free()
    let_first_finish.set()
    for thread in threads:
        thread.join(10)

    assert order == ["first committed", "second began"]
    assert set(
        DataRevision.objects.filter(name__in=["first", "second"]).values_list("name", flat=True)
    ) == {"first", "second"}
    assert lock_is_free()


def test_a_rolled_back_transaction_frees_the_lock():
    with pytest.raises(RuntimeError), transaction.atomic():
        DataRevision.objects.create(name="rolled-back", value=1)
        assert not lock_is_free()
        raise RuntimeError("undo")
    assert lock_is_free()
    assert not DataRevision.objects.filter(name="rolled-back").exists()
