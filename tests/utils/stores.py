"""A fresh store of either kind, for the tests that must hold for every store."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from iphub.store.base import Store
from iphub.store.embedded import EmbeddedStore
from tests.utils.elastic import ES_URL_VAR, SKIP_REASON, es_url, fresh_index

#: the params of a fixture over both stores (Elasticsearch when IPHUB_ES_URL names a server)
STORES = ["embedded", pytest.param("elastic", marks=pytest.mark.elastic)]


@contextmanager
def fresh_store(kind: str, folder: Path, prefix: str) -> Iterator[Store]:
    """An embedded store in ``folder``, or an Elasticsearch store on a new index named from
    ``prefix`` (dropped after; the test is skipped, with the reason, where no server is set)."""
    if kind == "embedded":
        embedded = EmbeddedStore(folder / "iphub.db")
        try:
            yield embedded
        finally:
            embedded.close()
        return
    if not os.environ.get(ES_URL_VAR):
        pytest.skip(SKIP_REASON)
    from iphub.store.elastic import ElasticStore

    elastic = ElasticStore(es_url(), index=fresh_index(prefix))
    try:
        yield elastic
    finally:
        elastic.drop()
        elastic.close()
