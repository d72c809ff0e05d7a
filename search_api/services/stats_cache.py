"""Statistics cached between ingest batches.

Figures only change when records are written, and records are written in ingest batches: an
answer is kept under its request until the store's batch list changes (a batch begun or
finished). The batch list is read at most once a second, so a burst of requests costs one read;
an answer is also dropped after ``max_age`` seconds, for writes made outside any batch (the
demo loader, a manual upsert). Least recently used answers go first past ``max_entries``.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from iphub.store.base import Store

T = TypeVar("T")


class StatsCache:
    def __init__(self, max_entries: int = 512, max_age: float = 600.0, poll: float = 1.0) -> None:
        self.max_entries = max_entries
        self.max_age = max_age
        self.poll = poll
        self._entries: OrderedDict[Hashable, tuple[float, object]] = OrderedDict()
        self._lock = threading.Lock()
        self._signature: tuple[object, ...] | None = None
        self._checked = 0.0
        self.hits = self.misses = 0

    def _current(self, store: Store) -> None:
        """Forget every answer when the batch list changed since it was last read."""
        now = time.monotonic()
        if now - self._checked < self.poll and self._signature is not None:
            return
        batches = store.batches()
        signature = (id(store), len(batches), *((b.id, b.finished) for b in batches[-3:]))
        with self._lock:
            self._checked = now
            if signature != self._signature:
                self._entries.clear()
                self._signature = signature

    def get_or_compute(self, store: Store, key: Hashable, compute: Callable[[], T]) -> T:
        self._current(store)
        now = time.monotonic()
        with self._lock:
            found = self._entries.get(key)
            if found is not None and now - found[0] < self.max_age:
                self._entries.move_to_end(key)
                self.hits += 1
                return found[1]  # type: ignore[return-value]
        value = compute()
        with self._lock:
            self.misses += 1
            self._entries[key] = (now, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._signature = None
