"""Versioned indices behind aliases, and ``reindex`` with no downtime, on a real server."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from elasticsearch import Elasticsearch

from iphub.store import elastic_admin as admin
from iphub.store.elastic import ElasticStore, document, mapping
from tests.conformance.contract import ids, load
from tests.utils.elastic import es_url, fresh_index, needs_elasticsearch
from tests.utils.factories import load_corpus

pytestmark = [needs_elasticsearch, pytest.mark.elastic]
LITHIUM = {"CN114000001A", "CN114000010A", "CN114000017A"}


@pytest.fixture
def store() -> Iterator[ElasticStore]:
    st = ElasticStore(es_url(), index=fresh_index("iphub-reindex"))
    yield st
    st.drop()
    st.close()


def _aliased(es: Elasticsearch, alias: str) -> list[str]:
    return sorted(es.indices.get_alias(name=alias).body)


def test_writes_go_to_a_versioned_index_behind_the_alias(store: ElasticStore) -> None:
    load(store)
    version = mapping("records")["mappings"]["_meta"]["version"]
    assert _aliased(store.es, store.index) == [f"{store.index}-v{version}"]
    assert _aliased(store.es, store.meta_index) == [f"{store.meta_index}-v1"]


def test_reindex_swaps_the_alias_while_search_keeps_answering(store: ElasticStore) -> None:
    load(store)
    store.set_checkpoint("k", "v")
    before = _aliased(store.es, store.index)
    seen: list[set[str]] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def searcher() -> None:
        while not done.is_set():
            try:
                seen.append(ids(store, "锂电池"))
            except Exception as exc:  # reported by the assertion below
                errors.append(exc)

    thread = threading.Thread(target=searcher)
    thread.start()
    try:
        assert store.reindex() == 30
    finally:
        done.set()
        thread.join()
    after = _aliased(store.es, store.index)
    assert after != before
    assert after[0].startswith(f"{before[0]}-")  # same mapping version: -v2 → -v2-2
    assert not store.es.indices.exists(index=before[0])  # the old index is gone
    assert errors == []
    assert seen
    assert all(found == LITHIUM for found in seen)
    assert ids(store, "锂电池") == LITHIUM
    assert store.count() == 30
    assert store.get_checkpoint("k") == "v"
    assert store.reindex() == 30  # and again: back to the plain version name
    assert _aliased(store.es, store.index) == before


def test_plain_index_from_before_is_refused_then_migrated() -> None:
    name = fresh_index("iphub-reindex")
    es = Elasticsearch(es_url())
    body = mapping("records")
    es.indices.create(index=name, settings=body["settings"], mappings=body["mappings"])
    for record in load_corpus():
        es.index(index=name, id=record.id, document=document(record))
    es.indices.refresh(index=name)
    st = ElasticStore(es_url(), index=name)
    try:
        with pytest.raises(admin.NeedsReindex, match="iphub reindex"):
            st.count()
        assert st.reindex() == 30
        assert _aliased(es, name) == [f"{name}-v{admin.version('records')}"]
        assert ids(st, "锂电池") == LITHIUM
    finally:
        st.drop()
        st.close()
        es.close()
