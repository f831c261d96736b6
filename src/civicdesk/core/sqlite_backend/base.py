"""Django's SQLite backend, with writers queued on a file lock instead of SQLite's busy wait.

When SQLite's write lock is taken, a second writer sleeps and retries with growing pauses (up to
100 ms each), so under concurrent writes a request can wait far longer than the transactions
ahead of it took. Every transaction here starts as `BEGIN IMMEDIATE` anyway, so it first takes
an exclusive lock on `<database>.write-lock`: a waiter polls it with pauses of at most a couple
of milliseconds and gets in soon after the holder commits. The kernel drops the lock of a process
that dies, and writes outside a transaction still rely on the busy timeout.
"""

import fcntl
import os
import time
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base

MAX_PAUSE_SECONDS = 0.002


class DatabaseWrapper(base.DatabaseWrapper):
    # The hooks overridden below are private to Django, so django-stubs do not declare them.

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._write_lock_fd: int | None = None

    def _start_transaction_under_autocommit(self) -> None:
        self._write_lock_acquire()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._write_lock_release()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._write_lock_release()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._write_lock_release()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._write_lock_release()

    def _write_lock_path(self) -> str | None:
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db() or not name:
            return None
        return f"{name}.write-lock"

    def _write_lock_acquire(self) -> None:
        path = self._write_lock_path()
        if path is None or self._write_lock_fd is not None:
            return
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + float(self.settings_dict["OPTIONS"].get("timeout", 5))
        pause = 0.0001
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(descriptor)
                    raise OperationalError("database is locked") from None
                time.sleep(pause)
                pause = min(pause * 2, MAX_PAUSE_SECONDS)
                continue
            self._write_lock_fd = descriptor
            return

    def _write_lock_release(self) -> None:
        descriptor, self._write_lock_fd = self._write_lock_fd, None
        if descriptor is not None:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
            os.close(descriptor)
