"""The API's Elasticsearch reads on ``AsyncElasticsearch`` (aiohttp).

:class:`AsyncElasticReader` awaits the read flows of ``iphub.store.elastic_read`` — the very
generators the sync :class:`ElasticStore` runs — so the two clients send the same requests and
read the answers alike; failures become ``StoreUnavailable`` in the same guard. The reader only
reads: creating the indices and checking their mapping version (``elastic_admin.ensure``) is left
to the sync store it is made from, once, in a worker thread.
"""

from __future__ import annotations

from typing import TypeVar

from anyio import to_thread
from elasticsearch import AsyncElasticsearch

from iphub.records import AnyRecord
from iphub.store.base import Hit, SearchRequest, SearchResult
from iphub.store.elastic import ElasticStore
from iphub.store.elastic_read import (
    Flow,
    count_flow,
    get_many_flow,
    run_async,
    search_flow,
    similar_flow,
)
from iphub.store.fields import RecordKind

T = TypeVar("T")


class AsyncElasticReader:
    """Reads of ``store``'s server and index through its own async client; ``aclose`` it."""

    def __init__(self, store: ElasticStore) -> None:
        self.store = store
        self.names = store.names
        self.es = AsyncElasticsearch(
            store.url, request_timeout=store.request_timeout, max_retries=2
        )
        self._ready = False

    async def _run(self, flow: Flow[T]) -> T:
        if not self._ready:
            await to_thread.run_sync(self.store.ensure_indices)
            self._ready = True
        return await run_async(self.es, flow)

    async def search(self, request: SearchRequest) -> SearchResult:
        return await self._run(search_flow(self.names, request))

    async def get(self, record_id: str) -> AnyRecord | None:
        return (await self.get_many([record_id])).get(record_id)

    async def get_many(self, record_ids: list[str]) -> dict[str, AnyRecord]:
        return await self._run(get_many_flow(self.names, record_ids))

    async def count(self, kind: RecordKind | None = None) -> int:
        return await self._run(count_flow(self.names, kind))

    async def similar(self, record_id: str, size: int = 10) -> list[Hit]:
        return await self._run(similar_flow(self.names, record_id, size))

    async def aclose(self) -> None:
        await self.es.close()
