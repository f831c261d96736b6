"""Retrying a task that failed, later, with exponential backoff and jitter.

    @task()
    @retrying(max_attempts=5, base_delay=30, max_delay=3600)
    def knowledge_links_check() -> str: ...

When an attempt raises, the next one is enqueued with `run_after` (on either backend) and the
attempt ends as failed with `RetryScheduled`, chained to the real error. The last attempt's error
is left as it is: that failure is the one staff see on the failed-tasks page.
"""

import functools
import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task
from typing_extensions import ParamSpec

P = ParamSpec("P")
T = TypeVar("T")

ATTEMPT_KWARG = "retry_attempt"
"""The keyword argument that carries an attempt's number (1 for the first) into the next one."""

_MAX_DOUBLINGS = 64


class RetryScheduled(Exception):
    """An attempt failed and the next one is queued; the cause is chained to this exception."""


RETRY_SCHEDULED_PATH = f"{RetryScheduled.__module__}.{RetryScheduled.__qualname__}"


def backoff_delay(
    *, attempt: int, base: float, cap: float, rng: random.Random | None = None
) -> float:
    """Seconds to wait after failed attempt `attempt` (1-based): the ceiling doubles from `base`
    per attempt up to `cap`, and the delay is a random point in the ceiling's upper half, so
    workers that failed together do not all come back at once yet each waits at least half."""
    ceiling = min(cap, base * 2 ** min(attempt - 1, _MAX_DOUBLINGS))
    return ceiling / 2 + (rng or random).uniform(0, ceiling / 2)


def retrying(
    *,
    max_attempts: int = 5,
    base_delay: float = 30.0,
    max_delay: float = 3600.0,
    retry_on: tuple[type[BaseException], ...] = (Exception,),
) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Make a task function retry: place it directly under `@task()`."""
    if max_attempts < 1 or base_delay < 0 or max_delay < base_delay:
        raise ImproperlyConfigured(
            "retrying() needs max_attempts >= 1 and 0 <= base_delay <= max_delay."
        )

    def decorate(func: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(func)
        def attempt_once(*args: Any, **kwargs: Any) -> T:
            attempt = int(kwargs.pop(ATTEMPT_KWARG, 1))
            try:
                return func(*args, **kwargs)
            except retry_on as error:
                if attempt >= max_attempts:
                    raise
                delay = backoff_delay(attempt=attempt, base=base_delay, cap=max_delay)
                run_after = timezone.now() + timedelta(seconds=delay)
                task = _task_of(attempt_once)
                task_args = args[1:] if task.takes_context else args
                task.using(run_after=run_after).enqueue(
                    *task_args, **{**kwargs, ATTEMPT_KWARG: attempt + 1}
                )
                raise RetryScheduled(
                    f"Attempt {attempt} of {max_attempts} failed ({type(error).__name__}: "
                    f"{error}); attempt {attempt + 1} runs after {run_after.isoformat()}."
                ) from error

        attempt_once.retry_policy = {  # type: ignore[attr-defined]
            "max_attempts": max_attempts,
            "base_delay": base_delay,
            "max_delay": max_delay,
        }
        return attempt_once

    return decorate


def _task_of(function: Callable[..., Any]) -> Task[Any, Any]:
    task = import_string(f"{function.__module__}.{function.__qualname__}")
    if not isinstance(task, Task) or task.func is not function:
        raise ImproperlyConfigured(
            f"{function.__qualname__}: @retrying must be placed directly under @task()."
        )
    return task
