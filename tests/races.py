"""Rival requests or workers doing the same thing at the same moment, in threads."""

import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.db import connections

T = TypeVar("T")


def at_once(
    work: Sequence[Callable[[], T]], *, expected: tuple[type[BaseException], ...] = ()
) -> list[T | BaseException]:
    """Run each callable in its own thread, all released together; what each returned, or the
    `expected` exception it raised, in order. Any other exception is raised here once every
    thread has ended. Each thread closes its database connections, as a request's end does."""
    barrier = threading.Barrier(len(work))
    outcomes: dict[int, T | BaseException] = {}
    unexpected: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            outcomes[index] = work[index]()
        except expected as error:
            outcomes[index] = error
        except BaseException as error:  # raised again in the calling thread
            unexpected.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if unexpected:
        raise unexpected[0]
    return [outcomes[index] for index in range(len(work))]
