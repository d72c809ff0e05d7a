"""The store contract against the Elasticsearch store, on a real local server: once through the
sync client, once with the reads the API makes sent through ``AsyncElasticsearch``."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal

from iphub.records import Patent, Trademark
from iphub.store.base import Hit, SearchRequest, SearchResult
from iphub.store.elastic import ElasticStore
from iphub.store.elastic_async import AsyncElasticReader
from iphub.store.embedded import EmbeddedStore
from iphub.store.fields import RecordKind
from tests.conformance.contract import StoreContract, load
from tests.utils.elastic import ES_URL_VAR, SKIP_REASON, es_url, fresh_index
from tests.utils.factories import load_corpus

if not os.environ.get(ES_URL_VAR):
    pytest.skip(SKIP_REASON, allow_module_level=True)
pytestmark = pytest.mark.elastic


class AsyncReads:
    """The Elasticsearch store whose reads — search, get, get_many, count, similar — go through
    :class:`AsyncElasticReader` on an event loop, while writes, statistics and scans stay on the
    sync store. An adapter for the contract, not a mock: every request reaches the server.

    The loop runs in its own thread (anyio's blocking portal, as ``TestClient`` runs the app):
    the browser tests' sync Playwright keeps a loop marked running in the main thread."""

    def __init__(self, store: ElasticStore, portal: BlockingPortal) -> None:
        self._store = store
        self._portal = portal
        self.reader = AsyncElasticReader(store)

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)

    def search(self, request: SearchRequest) -> SearchResult:
        return self._portal.call(self.reader.search, request)

    def get(self, record_id: str) -> Patent | Trademark | None:
        return self._portal.call(self.reader.get, record_id)

    def get_many(self, record_ids: list[str]) -> dict[str, Patent | Trademark]:
        return self._portal.call(self.reader.get_many, record_ids)

    def count(self, kind: RecordKind | None = None) -> int:
        return self._portal.call(self.reader.count, kind)

    def similar(self, record_id: str, size: int = 10) -> list[Hit]:
        return self._portal.call(self.reader.similar, record_id, size)

    def close(self) -> None:
        self._portal.call(self.reader.aclose)


@pytest.fixture(scope="class", params=["elastic", "elastic-async"])
def store(request: pytest.FixtureRequest) -> Iterator[ElasticStore | AsyncReads]:
    st = ElasticStore(es_url(), index=fresh_index("iphub-test-records"))
    try:
        load(st)
        if request.param == "elastic":
            yield st
        else:
            with start_blocking_portal() as portal:
                reads = AsyncReads(st, portal)
                try:
                    yield reads
                finally:
                    reads.close()
    finally:
        st.drop()
        st.close()


class TestElasticStore(StoreContract):
    pass


def test_similar_agrees_with_the_embedded_store(
    store: ElasticStore | AsyncReads, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Both engines run Lucene-style more-like-this, with slightly different idf and tf: on the
    corpus their top three share at least two records for every record."""
    embedded = EmbeddedStore(tmp_path_factory.mktemp("embedded") / "iphub.db")
    try:
        load(embedded)
        for record in load_corpus():
            ours = {h.id for h in store.similar(record.id, 3)}
            theirs = {h.id for h in embedded.similar(record.id, 3)}
            assert len(ours & theirs) >= min(2, len(ours), len(theirs)), record.id
            assert len(ours) == len(theirs), record.id
    finally:
        embedded.close()
