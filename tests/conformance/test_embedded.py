"""The store contract against the embedded store (SQLite + tantivy)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from iphub.store.embedded import EmbeddedStore
from tests.conformance.contract import StoreContract, ids, load


@pytest.fixture(scope="class")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    path: Path = tmp_path_factory.mktemp("embedded") / "iphub.db"
    st = EmbeddedStore(path)
    load(st)
    yield st
    st.close()


class TestEmbeddedStore(StoreContract):
    def test_reindex_rebuilds_from_records(self, store: EmbeddedStore) -> None:
        assert store.reindex() == 30
        assert ids(store, "锂电池") == {"CN114000001A", "CN114000010A", "CN114000017A"}


def test_interrupted_rebuild_is_redone_on_open(tmp_path: Path) -> None:
    st = EmbeddedStore(tmp_path / "x.db")
    load(st)
    st._index_writer().delete_all_documents()  # a rebuild killed midway: index emptied ...
    st._commit()
    st._set_meta("index_state", "rebuilding")  # ... and not marked done
    st.close()
    reopened = EmbeddedStore(tmp_path / "x.db")
    try:
        assert ids(reopened, "锂电池") == {"CN114000001A", "CN114000010A", "CN114000017A"}
    finally:
        reopened.close()
