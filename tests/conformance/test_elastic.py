"""The store contract against the Elasticsearch store, on a real local server."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from iphub.store.elastic import ElasticStore
from iphub.store.embedded import EmbeddedStore
from tests.conformance.contract import StoreContract, load
from tests.utils.elastic import ES_URL_VAR, SKIP_REASON, es_url, fresh_index
from tests.utils.factories import load_corpus

if not os.environ.get(ES_URL_VAR):
    pytest.skip(SKIP_REASON, allow_module_level=True)
pytestmark = pytest.mark.elastic


@pytest.fixture(scope="class")
def store() -> Iterator[ElasticStore]:
    st = ElasticStore(es_url(), index=fresh_index("iphub-test-records"))
    try:
        load(st)
        yield st
    finally:
        st.drop()
        st.close()


class TestElasticStore(StoreContract):
    pass


def test_similar_agrees_with_the_embedded_store(
    store: ElasticStore, tmp_path_factory: pytest.TempPathFactory
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
