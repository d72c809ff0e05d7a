"""The store contract against the embedded store (SQLite + tantivy)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from iphub.store import embedded
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


def test_an_index_of_another_schema_is_rebuilt_from_the_records_on_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store written by an earlier version (here: a fast column on ``pn``, as before fast
    columns were kept for counted fields) opens with today's schema, its index rebuilt from
    SQLite, and every record still found and counted."""
    with monkeypatch.context() as patched:
        patched.setattr("iphub.store.embedded.COUNTED", embedded.COUNTED | {"pn", "ipc"})
        old = EmbeddedStore(tmp_path / "x.db")
        load(old)
        old.close()
    reopened = EmbeddedStore(tmp_path / "x.db")
    try:
        assert reopened.index.schema == embedded.schema()
        assert ids(reopened, "锂电池") == {"CN114000001A", "CN114000010A", "CN114000017A"}
        assert ids(reopened, "pn=CN114000010A") == {"CN114000010A"}
    finally:
        reopened.close()
