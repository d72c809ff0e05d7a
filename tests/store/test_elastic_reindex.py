"""One versioned index per kind behind its alias, ``reindex`` with no downtime, and the split of
a store from before one index per kind, on a real server."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from elasticsearch import Elasticsearch

from iphub.store import elastic_admin as admin
from iphub.store.elastic import ElasticStore, document, mapping
from iphub.store.elastic_kinds import IndexNames
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


def _behind(store: ElasticStore) -> list[str]:
    """The concrete index behind each kind's alias."""
    return [index for alias in store.indices for index in _aliased(store.es, alias)]


def test_writes_go_to_a_versioned_index_per_kind_behind_its_alias(store: ElasticStore) -> None:
    load(store)
    base = store.index
    assert _behind(store) == [
        f"{base}-patents-v{admin.version('patents')}",
        f"{base}-trademarks-v{admin.version('trademarks')}",
        f"{base}-copyrights-v{admin.version('copyrights')}",
    ]
    assert _aliased(store.es, store.meta_index) == [f"{store.meta_index}-v1"]
    patents, trademarks = store.count("patent"), store.count("trademark")
    assert [store.es.count(index=alias)["count"] for alias in store.indices] == [
        patents,
        trademarks,
        store.count() - patents - trademarks,
    ]
    kinds = {
        alias: {
            h["_source"]["record"]["record_type"]
            for h in store.es.search(index=alias)["hits"]["hits"]
        }
        for alias in store.indices[:2]
    }
    assert kinds == {store.indices[0]: {"patent"}, store.indices[1]: {"trademark"}}
    assert store.info()["indices"] == dict(zip(store.indices, _behind(store), strict=True))


def test_reindex_swaps_the_aliases_while_search_keeps_answering(store: ElasticStore) -> None:
    load(store)
    store.set_checkpoint("k", "v")
    before = _behind(store)
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
    after = _behind(store)
    assert all(new.startswith(f"{old}-") for old, new in zip(before, after, strict=True))
    assert not any(store.es.indices.exists(index=old) for old in before)  # the old ones are gone
    assert errors == []
    assert seen
    assert all(found == LITHIUM for found in seen)
    assert ids(store, "锂电池") == LITHIUM
    assert store.count() == 30
    assert store.get_checkpoint("k") == "v"
    assert store.reindex() == 30  # and again: back to the plain version names
    assert _behind(store) == before


def _old_store(es: Elasticsearch, name: str, *, aliased: bool) -> None:
    """A store from before one index per kind: every record in one index, ``name`` (a plain
    index, from before versioned indices) or ``name`` → ``name-v4`` (the last such mapping)."""
    body = mapping("patents")
    old = {**body["mappings"], "_meta": {"version": 4}}
    index = f"{name}-v4" if aliased else name
    aliases = {name: {}} if aliased else None
    es.indices.create(index=index, settings=body["settings"], mappings=old, aliases=aliases)
    for record in load_corpus():
        es.index(index=index, id=record.id, document=document(record))
    es.indices.refresh(index=index)


@pytest.mark.parametrize("aliased", [True, False], ids=["versioned", "plain"])
def test_one_index_for_every_kind_is_refused_then_split(aliased: bool) -> None:
    name = fresh_index("iphub-reindex")
    es = Elasticsearch(es_url())
    _old_store(es, name, aliased=aliased)
    st = ElasticStore(es_url(), index=name)
    try:
        with pytest.raises(admin.NeedsReindex, match="iphub reindex"):
            st.count()
        assert not es.indices.exists(index=st.indices)  # nothing created beside the old index
        assert st.reindex() == 30
        assert _behind(st) == [
            f"{alias}-v{admin.version(alias.rsplit('-', 1)[1])}" for alias in st.indices
        ]
        assert not es.indices.exists(index=name)  # the old alias or index is gone
        assert not es.indices.exists(index=f"{name}-v4")
        assert ids(st, "锂电池") == LITHIUM
        assert (st.count("patent"), st.count("trademark"), st.count()) == (
            es.count(index=st.indices[0])["count"],
            es.count(index=st.indices[1])["count"],
            30,
        )
        assert st.get("CN114000001A") is not None
        assert st.reindex() == 30  # now an ordinary rebuild of each kind
    finally:
        st.drop()
        st.close()
        es.close()


def test_default_names_keep_the_bookkeeping_and_find_the_old_index() -> None:
    names = IndexNames("iphub")
    assert names.kinds == ["iphub-patents", "iphub-trademarks", "iphub-copyrights"]
    assert (names.legacy, names.meta) == ("iphub-records", "iphub-records-meta")
    custom = IndexNames("my-records")
    assert custom.of("trademark") == "my-records-trademarks"
    assert (custom.legacy, custom.meta) == ("my-records", "my-records-meta")
