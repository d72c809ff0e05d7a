"""The store contract against the embedded store (SQLite + tantivy)."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import pytest

from iphub.query import parse
from iphub.store import embedded
from iphub.store.embedded import EmbeddedStore
from iphub.store.fields import index_document
from iphub.store.plan import All, Terms, compile_query
from iphub.store.prepared import document_json
from tests.conformance.contract import StoreContract, ids, load
from tests.utils.factories import make_patent


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


def test_opening_a_complete_store_takes_no_write_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every process opening the store (the API, a load, the alerts worker) ran the DDL, which
    waits for the write lock even when there is nothing to create: an API opening while a load
    held it waited. Now a complete store opens — and searches — while another connection
    holds the write lock."""
    path = tmp_path / "x.db"
    first = EmbeddedStore(path)
    load(first)
    first.close()
    monkeypatch.setattr(embedded, "_BUSY_WAIT", 0.2)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # a writer in the middle of its transaction
    try:
        reopened = EmbeddedStore(path)
        try:
            assert ids(reopened, "锂电池") == {"CN114000001A", "CN114000010A", "CN114000017A"}
        finally:
            reopened.close()
    finally:
        holder.rollback()
        holder.close()


def test_a_store_made_before_an_index_gains_it_and_others_wait_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store made by a version without ``records_batch`` gains it at its first open; a
    process that opens it while another holds the write lock (the first opener, building the
    index on millions of rows) waits past the ordinary write wait, then opens, instead of
    failing with "database is locked"."""
    path = tmp_path / "x.db"
    first = EmbeddedStore(path)
    load(first)
    first.close()
    with sqlite3.connect(path) as db:
        db.execute("DROP INDEX records_batch")
    monkeypatch.setattr(embedded, "_BUSY_WAIT", 0.1)
    monkeypatch.setattr(embedded, "_SCHEMA_WAIT", 20)  # a failure fails, not hangs
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(1.0, holder.rollback)
    release.start()
    started = time.monotonic()
    try:
        reopened = EmbeddedStore(path)
    finally:
        release.join()
        holder.close()
    try:
        assert time.monotonic() - started >= 0.9  # it waited for the holder, past _BUSY_WAIT
        with sqlite3.connect(path) as db:
            plan = db.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM records WHERE batch_id = ? AND kind = ?",
                ("b", "patent"),
            ).fetchall()
        assert any("records_batch" in str(row) for row in plan)
        assert ids(reopened, "锂电池") == {"CN114000001A", "CN114000010A", "CN114000017A"}
    finally:
        reopened.close()


def test_a_batch_is_read_in_pages_of_its_rows_in_the_order_written(tmp_path: Path) -> None:
    """``scan_batch`` reads the batch's rows a page at a time by rowid (the index on
    ``(batch_id, kind)``): pages of 4 give the 10 rows as written, a record written again
    moving to the end, none twice; one written again while the batch is read is read once."""
    st = EmbeddedStore(tmp_path / "x.db")
    try:
        batch = st.begin_batch("pages")
        written = [
            make_patent(id=f"CN1999999{n:02d}A", publication_number=f"CN1999999{n:02d}A")
            for n in (5, 1, 9, 3, 7, 0, 2, 8, 6, 4)
        ]
        for r in written:
            r.batch_id = batch
        st.upsert(written)
        st.upsert([written[2]])  # written again: its row is replaced, at the end
        st.refresh()  # the batch is read as committed
        pages = list(st._batch_rows("patent", batch, "id", 4))
        assert [len(page) for page in pages] == [4, 4, 2]
        expected = [r.id for r in written if r is not written[2]] + [written[2].id]
        assert [rid for page in pages for _, rid in page] == expected
        assert list(st.scan_batch_ids("patent", batch)) == expected
        reading = st._batch_rows("patent", batch, "id", 4)
        first = next(reading)
        st.upsert([written[0]])  # a new rowid, past every other: the next pages would hold it
        st.refresh()
        assert [rid for page in (first, *reading) for _, rid in page] == expected  # once
        assert list(st.scan_batch_ids("patent", batch))[-1] == written[0].id
    finally:
        st.close()


def test_get_many_of_more_ids_than_one_query_takes(
    store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite refuses an ``IN`` of more variables than its build allows: ``get_many`` asks
    ``_IDS_A_QUERY`` ids at a time (3 here), and finds the same."""
    wanted = sorted(store.scan_ids("patent", All()))[:10] + ["CN000000000A"]
    every = store.get_many(wanted)
    monkeypatch.setattr(embedded, "_IDS_A_QUERY", 3)
    assert store.get_many(wanted) == every
    assert sorted(every) == wanted[:10]


def test_a_plan_is_scanned_in_blocks_whole_and_in_id_order(
    store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``scan_ids`` reads a plan's hits ``_SCAN_BLOCK`` at a time (2 or 7 here; hits of
    equal scores, and of scores by relevance), in passes keeping ``_SCAN_KEEP`` ids each:
    every id once, sorted."""
    words = compile_query(parse("电池"), "patent")
    every = list(store.scan_ids("patent", Terms("record_type", ("patent",))))
    battery = list(store.scan_ids("patent", words))
    monkeypatch.setattr(embedded, "_SCAN_BLOCK", 7)
    assert list(store.scan_ids("patent", Terms("record_type", ("patent",)))) == every
    monkeypatch.setattr(embedded, "_SCAN_BLOCK", 2)
    assert list(store.scan_ids("patent", words)) == battery
    assert battery == sorted(battery)
    assert len(battery) > 2
    # passes that keep 3 ids each: the same, and an export that stops early reads one pass
    monkeypatch.setattr(embedded, "_SCAN_KEEP", 3)
    assert list(store.scan_ids("patent", Terms("record_type", ("patent",)))) == every
    assert list(store.scan_ids("patent", words)) == battery
    assert list(islice(store.scan("patent", words), 2)) == [store.get(i) for i in battery[:2]]
    assert every == sorted(store.scan_ids("patent", All()))
    assert len(every) > 7


def test_a_store_of_an_earlier_version_gains_the_batch_columns(tmp_path: Path) -> None:
    """A store made before batches kept their process, heartbeat and alerts opens with those
    columns added; its batches finished then count as matched by the alerts (their runs
    matched them), one left open as not."""
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(
            "CREATE TABLE batches (id TEXT PRIMARY KEY, source TEXT NOT NULL, started TEXT "
            "NOT NULL, finished TEXT, records INTEGER NOT NULL DEFAULT 0);"
        )
        conn.executemany(
            "INSERT INTO batches VALUES (?, 'ingest:auto', ?, ?, ?)",
            [("done", "2025-01-01T00:00:00+00:00", "2025-01-01T00:01:00+00:00", 5),
             ("open", "2025-01-02T00:00:00+00:00", None, 0)],
        )  # fmt: skip
    conn.close()
    st = EmbeddedStore(path)
    try:
        done, open_ = st.batches()
        assert done.alerted == done.finished
        assert (open_.finished, open_.alerted, open_.host, open_.pid) == (None, None, None, None)
    finally:
        st.close()


class _Stop(Exception):
    """Stands for a kill in the middle of a rebuild."""


ALL_LITHIUM = {"CN114000001A", "CN114000010A", "CN114000017A"}


def test_a_stopped_rebuild_goes_on_after_its_last_commit_and_searches_find_all_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild emptied the index and committed once at its end: killed, it lost the whole
    pass and began again from nothing, and had it committed sooner, searches would have found
    part of the store. Now each record's document is replaced by id and the rebuild commits
    every ``_COMMIT_EVERY`` records with the last id done: searches find every record while it
    runs, and a stopped one goes on where it committed, on open or when run again."""
    path = tmp_path / "x.db"
    st = EmbeddedStore(path)
    load(st)
    total = st.count()
    monkeypatch.setattr(embedded, "_COMMIT_EVERY", 10)
    monkeypatch.setattr(embedded, "_REINDEX_PAGE", 5)
    seen: list[set[str]] = []

    def stop_after_two_commits(done: int, everything: int) -> None:
        assert everything == total
        st.index.reload()
        seen.append(ids(st, "锂电池"))
        if st._meta("reindex_after"):
            raise _Stop

    with pytest.raises(_Stop):
        st.reindex(stop_after_two_commits)
    assert seen
    assert all(found == ALL_LITHIUM for found in seen)  # every record found meanwhile
    done_up_to = st._meta("reindex_after")
    assert done_up_to
    assert st._meta("index_state") == "rebuilding"
    st.close()
    with sqlite3.connect(path) as db:
        (rest,) = db.execute("SELECT count(*) FROM records WHERE id > ?", (done_up_to,)).fetchone()
    assert 0 < rest < total
    counted: list[int] = []
    reopened = EmbeddedStore(path)  # goes on on open, after the last id committed
    try:
        assert reopened._meta("index_state") == "ok"
        assert ids(reopened, "锂电池") == ALL_LITHIUM
        assert reopened.count() == total
        assert reopened.reindex(lambda done, _: counted.append(done)) == total  # a whole pass
        assert sum(counted) == total
    finally:
        reopened.close()


def test_a_store_opened_while_another_process_rebuilds_reads_and_leaves_it_be(
    tmp_path: Path,
) -> None:
    """A store marked rebuilding was rebuilt by whichever process opened it: an API opening it
    while ``iphub reindex`` held the writer failed with "another process is writing". It opens
    and reads; and a store that took up a stopped rebuild lets the writer go after it, so the
    next load can write."""
    path = tmp_path / "x.db"
    rebuilding = EmbeddedStore(path)
    load(rebuilding)
    rebuilding._index_writer()  # the writer held, as a running rebuild holds it
    rebuilding._set_meta("index_state", "rebuilding")
    try:
        reader = EmbeddedStore(path)
        try:
            assert ids(reader, "锂电池") == ALL_LITHIUM
            assert reader._writer is None
        finally:
            reader.close()
    finally:
        rebuilding.close()  # stopped before it finished: the next opener takes it up
    taker = EmbeddedStore(path)
    try:
        assert taker._meta("index_state") == "ok"
        assert taker._writer is None  # let go: a load may write now
        loader = EmbeddedStore(path)
        try:
            loader.upsert([make_patent(id="CN199999991A", publication_number="CN199999991A")])
            loader.refresh()
        finally:
            loader.close()
    finally:
        taker.close()


@pytest.mark.parametrize("older", ["1", None])  # a version before this one's; a store from
# before the version was kept
def test_an_index_of_an_older_segmentation_is_rebuilt_on_open(
    tmp_path: Path, older: str | None
) -> None:
    """A store indexed before Latin letters were unaccented and Hangul kept (its documents
    have ``r seau`` and no Korean) is rebuilt when opened by a version that indexes them: its
    records are found by the words the new segmentation gives, without a load again."""
    from iphub.records import LocalizedText, Party

    path = tmp_path / "x.db"
    records = [
        make_patent(id="EP1000001A1", publication_number="EP1000001A1",
                    title=LocalizedText(text="MISE EN RÉSEAU BLUETOOTH", lang="fr")),
        make_patent(id="KR1000002A", publication_number="KR1000002A",
                    title=LocalizedText(text="리튬 배터리의 제조 방법", lang="ko"),
                    applicants=[Party(name="삼성전자주식회사")]),
    ]  # fmt: skip
    old = EmbeddedStore(path)
    old.upsert(records)
    writer = old._index_writer()
    for record in records:  # their documents as the older segmentation wrote them: runs of
        # [0-9a-z] alone (``r seau``), every other letter dropped
        doc = json.loads(document_json(index_document(record)))
        texts = {"ti": record.title.text, "pa": " ".join(p.name for p in record.applicants)}
        for stem, text in texts.items():
            doc[f"{stem}_w"] = doc[f"{stem}_c"] = " ".join(re.findall("[0-9a-z]+", text.lower()))
        writer.delete_documents_by_term("id", record.id)
        writer.add_json(json.dumps(doc))
    old.refresh()
    assert ids(old, "reseau") == set()
    assert ids(old, "배터리") == set()
    if older is None:
        old._db().execute("DELETE FROM meta WHERE key = 'tokens'")
        old._db().commit()
    else:
        old._set_meta("tokens", older)
    old.close()
    reopened = EmbeddedStore(path)
    try:
        assert reopened._meta("tokens") == embedded.TOKENS_VERSION
        assert reopened._meta("index_state") == "ok"
        assert reopened.rebuilt_on_open == 2
        assert ids(reopened, "réseau") == ids(reopened, "reseau") == {"EP1000001A1"}
        assert ids(reopened, "배터리") == ids(reopened, "pa=삼성전자") == {"KR1000002A"}
    finally:
        reopened.close()
    again = EmbeddedStore(path)  # rebuilt once: the next opening indexes nothing
    try:
        assert again.rebuilt_on_open is None
    finally:
        again.close()


def test_a_new_store_is_not_rebuilt_for_its_segmentation(tmp_path: Path) -> None:
    st = EmbeddedStore(tmp_path / "x.db")
    try:
        assert st._meta("tokens") == embedded.TOKENS_VERSION
        assert st.rebuilt_on_open is None
        assert st._meta("index_state") != "rebuilding"
    finally:
        st.close()
