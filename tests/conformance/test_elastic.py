"""The store contract against the Elasticsearch store, on a real local server."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from iphub.store.elastic import ElasticStore
from tests.conformance.contract import StoreContract, load
from tests.utils.elastic import ES_URL_VAR, SKIP_REASON, es_url, fresh_index

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
