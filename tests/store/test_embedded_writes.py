"""The embedded store's writes: rows and index documents are committed together (one SQLite
transaction per index commit), so a reader never meets one without the other; one writer at a
time, a second refused with the reason; a path that cannot hold a store is said to be one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from iphub.records import Patent
from iphub.search import search
from iphub.store.base import StoreUnavailable
from iphub.store.embedded import EmbeddedStore, StoreBusy
from iphub.store.prepared import PreparedRecord
from tests.utils.factories import make_patent


def _patents(first: int, n: int) -> list[Patent]:
    return [
        make_patent(id=f"CN1{k:08d}A", publication_number=f"CN1{k:08d}A")
        for k in range(first, first + n)
    ]


def _seen(reader: EmbeddedStore, ids: list[str]) -> tuple[int, int]:
    """(rows, index documents) of ``ids`` that ``reader`` sees."""
    reader.index.reload()  # tantivy reloads on commit by itself, after a short delay
    rows = len(reader.get_many(ids))
    found = search(reader, "patent", " OR ".join(f"pn={i}" for i in ids), size=len(ids) + 1)
    return rows, found.total


def test_a_reader_sees_rows_and_index_documents_at_the_same_commit(tmp_path: Path) -> None:
    writer = EmbeddedStore(tmp_path / "iphub.db")
    reader = EmbeddedStore(tmp_path / "iphub.db")  # another process's view: its own connection
    try:
        first = _patents(1, 30)
        writer.upsert(first[:10])
        writer.upsert(first[10:])  # several upserts, one transaction
        ids = [r.id for r in first]
        assert len(writer.get_many(ids)) == 30  # the writer reads its own rows at once
        assert _seen(reader, ids) == (0, 0)
        writer.refresh()
        assert _seen(reader, ids) == (30, 30)
        second = _patents(100, 5)
        writer.upsert(second)
        assert _seen(reader, [r.id for r in second]) == (0, 0)
        writer.close()  # closing commits what is pending, rows first
        assert _seen(reader, [r.id for r in second]) == (5, 5)
    finally:
        reader.close()


def test_rows_of_a_store_closed_without_refresh_are_kept(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "iphub.db")
    records = _patents(1, 3)
    store.upsert(records)
    store.close()
    again = EmbeddedStore(tmp_path / "iphub.db")
    try:
        assert again.get_many([r.id for r in records]) == {r.id: r for r in records}
        assert search(again, "patent", "").total == 3
    finally:
        again.close()


def test_a_second_writer_is_refused_before_its_batch_starts(tmp_path: Path) -> None:
    first = EmbeddedStore(tmp_path / "iphub.db")
    second = EmbeddedStore(tmp_path / "iphub.db")  # another `iphub ingest` on the same store
    try:
        batch = first.begin_batch("ingest:auto")
        with pytest.raises(StoreBusy, match="another process is writing"):
            second.begin_batch("ingest:auto")
        with pytest.raises(StoreBusy):
            second.upsert(_patents(1, 1))
        assert [b.id for b in second.batches()] == [batch]  # no batch left half-begun
        first.upsert(_patents(1, 3))
        first.close()  # the writer is free again
        second.upsert(_patents(4, 2))
        second.refresh()
        assert second.count("patent") == 5
    finally:
        second.close()


@pytest.mark.parametrize("where", ["a-directory", "not-sqlite.txt", "missing/parent/file.db"])
def test_a_path_that_cannot_be_a_store_is_unavailable_and_left_alone(
    tmp_path: Path, where: str
) -> None:
    (tmp_path / "a-directory").mkdir()
    (tmp_path / "not-sqlite.txt").write_text("专利 notes, not a database\n" * 100)
    (tmp_path / "missing").write_text("a file where a directory should be")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    with pytest.raises(StoreUnavailable, match=f"cannot open {tmp_path / where}"):
        EmbeddedStore(tmp_path / where)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # no index directory beside it
    assert (tmp_path / "not-sqlite.txt").read_text().startswith("专利 notes")


def test_an_index_that_cannot_be_written_is_unavailable_not_a_bad_record(tmp_path: Path) -> None:
    """tantivy says both "this document does not parse" and "I/O failed" by ValueError. Only the
    first is the record's fault (quarantined by a loader); the second stops the writer, with
    every write since the last commit rolled back."""
    store = EmbeddedStore(tmp_path / "iphub.db")
    try:
        store.upsert(_patents(1, 5))
        store.refresh()
        shutil.rmtree(store.index_path)  # the index's directory is gone: no segment can be written
        # a commit finds out for certain (a write may or may not, as tantivy's threads go)
        with pytest.raises(StoreUnavailable, match="rolled back to the last commit"):
            store.refresh()
        with pytest.raises(StoreUnavailable, match="cannot write"):  # not a raw ValueError
            store.upsert(_patents(6, 5))
        assert len(store.get_many([r.id for r in _patents(1, 10)])) == 5  # rows rolled back too
    finally:
        store.close()


def test_a_document_the_index_refuses_is_that_record_alone(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "iphub.db")
    try:
        good = PreparedRecord.of(_patents(1, 1)[0])
        bad = PreparedRecord.of(_patents(2, 1)[0])
        bad.document = bad.document.replace(b'"pd":"', b'"pd":"x', 1)  # a date that is no date
        report = store.upsert([bad, good])
        assert report.written == 1
        assert [rid for rid, _ in report.failed] == [bad.id]
        assert "could not be parsed" in report.failed[0][1]
        store.refresh()
        assert store.count("patent") == 1
    finally:
        store.close()


def test_a_delete_that_fails_midway_leaves_no_index_document_without_its_row(
    tmp_path: Path,
) -> None:
    """A delete removes the index documents, then the rows. The rows went first, and a failure
    of the index's commit after them left the deleted records' documents, counted in totals and
    facets with no record behind them. Now a failure at either step leaves rows without
    documents at worst, and the delete, run again, ends it."""
    store = EmbeddedStore(tmp_path / "iphub.db")
    try:
        patents = _patents(1, 40)
        store.upsert(patents)
        store.refresh()
        ids = [p.id for p in patents[:20]]

        class FailingCommit:  # the index's commit fails as tantivy's I/O errors do
            def __init__(self, writer: object) -> None:
                self.writer, self.deleting = writer, False

            def delete_documents_by_term(self, *args: object) -> None:
                self.deleting = True
                self.writer.delete_documents_by_term(*args)  # type: ignore[attr-defined]

            def commit(self) -> None:
                if self.deleting:
                    raise ValueError("An IO error occurred: No space left on device")
                self.writer.commit()  # type: ignore[attr-defined]

            def __getattr__(self, name: str) -> object:
                return getattr(self.writer, name)

        store._writer = FailingCommit(store._index_writer())
        with pytest.raises(StoreUnavailable):
            store.delete(ids)
        assert _seen(store, ids) == (20, 20)  # nothing deleted: not the rows alone
        store._db().execute("PRAGMA query_only = 1")  # now the rows' delete fails
        with pytest.raises(StoreUnavailable):
            store.delete(ids)
        assert _seen(store, ids) == (20, 0)  # documents gone first: rows without, never the reverse
        store._db().execute("PRAGMA query_only = 0")
        assert store.delete(ids) == 20
        assert _seen(store, ids) == (0, 0)
        assert _seen(store, [p.id for p in patents[20:]]) == (20, 20)
    finally:
        store.close()


def test_similar_records_of_a_small_index_just_updated_are_no_error(tmp_path: Path) -> None:
    """tantivy's BM25 panics when a term's document frequency, which still counts the documents
    an update replaced, passes the live documents (a small index, one record updated): every
    "similar records" request of the record page was a 500. It answers (with nothing when
    tantivy cannot score)."""
    from iphub.records import LocalizedText

    text = LocalizedText(text="本发明公开了一种锂电池散热装置，包括壳体和散热片。")
    records = [
        make_patent(id=f"CN19900000{i}A", publication_number=f"CN19900000{i}A",
                    title=LocalizedText(text="一种锂电池散热装置"), abstract=text)
        for i in range(5)
    ]  # fmt: skip
    store = EmbeddedStore(tmp_path / "iphub.db")
    try:
        store.upsert(records)
        store.refresh()
        assert {h.id for h in store.similar("CN199000001A")} == {r.id for r in records} - {
            "CN199000001A"
        }
        updated = records[0].model_copy(
            update={"title": LocalizedText(text="一种锂电池散热装置及方法")}
        )
        store.upsert([updated])
        store.refresh()
        assert isinstance(store.similar("CN199000001A"), list)  # was tantivy's PanicException
    finally:
        store.close()
