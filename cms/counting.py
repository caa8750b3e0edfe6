"""Counts kept in a web process's memory and handed over in batches, for a task to write: counting
costs a reader's request no database write (page views in ``outreach.page_views``, searches in
``search.querylog``).

A process that stops or crashes loses what it had not handed over yet: up to the limit's seconds
of counts, or more for a process that counted nothing since, as the time is looked at only when
something is counted.
"""

import threading
import time
from collections import Counter
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from django.conf import settings

Key = TypeVar("Key", bound=Hashable)

Counted = list[tuple[Any, int, Any]]
"""``(key, count, latest note)`` of each key counted."""


def flush_limits() -> tuple[int, float]:
    """When a process hands its counts over: ``(FLUSH_KEYS, FLUSH_SECONDS)`` of
    ``BANLANG_REACH``."""
    limits = settings.BANLANG_REACH
    return limits["FLUSH_KEYS"], limits["FLUSH_SECONDS"]


class BatchedCounter(Generic[Key]):
    """Counts by key, each with the latest note given with it, under a lock; handed over once
    the batch holds ``limits()[0]`` keys or ``limits()[1]`` seconds have passed since the last
    hand-over."""

    def __init__(
        self,
        hand_over: Callable[[Counted], None],
        limits: Callable[[], tuple[int, float]] = flush_limits,
    ) -> None:
        self.hand_over = hand_over
        self.limits = limits
        self._lock = threading.Lock()
        self._counts: Counter[Key] = Counter()
        self._notes: dict[Key, Any] = {}
        self._handed_over_at = time.monotonic()

    def count(self, key: Key, note: Any = None) -> None:
        """Add one to ``key``, noting ``note`` unless it is ``None``; hand the batch over if it
        is due."""
        with self._lock:
            self._counts[key] += 1
            if note is not None:
                self._notes[key] = note
            batch = self._take_if_due()
        if batch:
            self.hand_over(batch)

    def flush(self, force: bool = False) -> None:
        """Hand the batch over if it is due, or now with ``force``."""
        with self._lock:
            batch = self._take() if force else self._take_if_due()
        if batch:
            self.hand_over(batch)

    def take(self) -> Counted:
        """Everything counted and not handed over yet, now no longer counted here."""
        with self._lock:
            return self._take()

    def pending(self) -> int:
        """How much was counted and not handed over yet."""
        with self._lock:
            return sum(self._counts.values())

    def _take(self) -> Counted:
        counts, notes = self._counts, self._notes
        self._counts, self._notes = Counter(), {}
        self._handed_over_at = time.monotonic()
        return [(key, count, notes.get(key)) for key, count in counts.items()]

    def _take_if_due(self) -> Counted:
        most_keys, most_seconds = self.limits()
        waited = time.monotonic() - self._handed_over_at
        if len(self._counts) >= most_keys or waited >= most_seconds:
            return self._take()
        return []
