"""What the API reads through: :class:`AsyncReader`, awaited by its ``async def`` routes.

Two implementations, chosen by :func:`open_reader`: ``AsyncElasticReader``
(``iphub.store.elastic_async``: ``AsyncElasticsearch`` driving the same read flows the sync
``ElasticStore`` drives) and :class:`ThreadReader`, any sync store called in anyio's worker
threads (the embedded store, whose SQLite and tantivy calls block). Everything else — writes,
statistics, exports, alerts — stays on the sync ``Store``.
"""

from __future__ import annotations

from typing import Protocol

from anyio import to_thread

from iphub.records import AnyRecord
from iphub.store.base import Hit, SearchRequest, SearchResult, Store
from iphub.store.fields import RecordKind


class AsyncReader(Protocol):
    """The read methods of :class:`iphub.store.base.Store`, awaitable, with the same answers."""

    async def search(self, request: SearchRequest) -> SearchResult: ...

    async def get(self, record_id: str) -> AnyRecord | None: ...

    async def get_many(self, record_ids: list[str]) -> dict[str, AnyRecord]: ...

    async def count(self, kind: RecordKind | None = None) -> int: ...

    async def similar(self, record_id: str, size: int = 10) -> list[Hit]: ...

    async def aclose(self) -> None:
        """Release what the reader opened itself (never the store it was given)."""
        ...


class ThreadReader:
    """A sync store's reads in anyio's worker thread pool (40 threads per process by default)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def search(self, request: SearchRequest) -> SearchResult:
        return await to_thread.run_sync(self.store.search, request)

    async def get(self, record_id: str) -> AnyRecord | None:
        return await to_thread.run_sync(self.store.get, record_id)

    async def get_many(self, record_ids: list[str]) -> dict[str, AnyRecord]:
        return await to_thread.run_sync(self.store.get_many, record_ids)

    async def count(self, kind: RecordKind | None = None) -> int:
        return await to_thread.run_sync(self.store.count, kind)

    async def similar(self, record_id: str, size: int = 10) -> list[Hit]:
        return await to_thread.run_sync(self.store.similar, record_id, size)

    async def aclose(self) -> None:
        return None  # the store belongs to whoever opened it


def open_reader(store: Store) -> AsyncReader:
    """``AsyncElasticReader`` for an ``ElasticStore`` (same server and index), else a
    :class:`ThreadReader`. Call it inside the event loop that will use the reader."""
    try:
        from iphub.store.elastic import ElasticStore  # type: ignore[import-not-found,unused-ignore]
        from iphub.store.elastic_async import (  # type: ignore[import-not-found,unused-ignore]
            AsyncElasticReader,
        )
    except ImportError:  # no elasticsearch client installed: the store cannot be an ElasticStore
        return ThreadReader(store)
    if isinstance(store, ElasticStore):
        reader: AsyncReader = AsyncElasticReader(store)
        return reader
    return ThreadReader(store)
