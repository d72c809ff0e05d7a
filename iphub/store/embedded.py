"""The embedded store: records in SQLite (WAL), search and facets in a tantivy index beside it.

SQLite is the source of truth (records as JSON, ingest batches, checkpoints); the tantivy index at
``<db>.index/`` can always be rebuilt from it (:meth:`EmbeddedStore.reindex`). Plans from
``iphub.store.plan`` are translated node by node into tantivy query objects: tantivy's own query
parser never sees user text.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
import logging
import re
import shutil
import sqlite3
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar, cast

import tantivy

from iphub.records import AnyRecord
from iphub.store import plan as p
from iphub.store import similar
from iphub.store.aggregate import DIMENSIONS, AggregateRequest, Aggregation, one_query, run_many
from iphub.store.base import (
    RECORD_ADAPTER,
    Batch,
    FacetBucket,
    Hit,
    SearchRequest,
    SearchResult,
    SourceSummary,
    StoreUnavailable,
    UpsertReport,
    this_process,
)
from iphub.store.fields import (
    DATE_FIELDS,
    FACET_COLUMNS,
    FACETS,
    KEYWORD_FIELDS,
    TEXT_STEMS,
    RecordKind,
    index_document,
)
from iphub.store.prepared import PreparedRecord, document_json
from iphub.store.tantivy_counts import every_term, exact_facets, may_undercount
from iphub.store.tantivy_query import kind_query
from nlp.segment import TOKENS_VERSION

SCHEMA_VERSION = "1"
_log = logging.getLogger(__name__)
T = TypeVar("T")
_COMMIT_EVERY = 20_000
_RESULT_CACHE_SIZE = 256
_REINDEX_PAGE = 1000  # records a rebuild reads from SQLite at a time
#: tantivy's indexing buffer, flushed to a new segment when full: it is most of a loader's
#: memory. 64 MB in one thread indexed as fast as 256 MB in two (30,000 USPTO documents, 2
#: cores) with ~30 MB less resident; the threads are better spent on the parsing workers.
#: 32 MB: a 1 GB USPTO load peaked at 214 MB instead of 304 (smaller segments, smaller
#: merges: fewer mapped pages at once) for ≈4% more CPU (BENCHMARKS.md, "Ingest"). 24 MB: the
#: 1 GB DOCDB load, at 295–303 MB with 32, peaks at 276 (BENCHMARKS.md, "A smaller buffer").
_WRITER_HEAP = 24_000_000
#: ids in one ``IN`` of ``get_many``: SQLite refuses a statement of more variables than its
#: build allows (250,000 in Debian's, 32,766 by default)
_IDS_A_QUERY = 10_000
#: hits of a plan read at a time by ``scan_ids``, and the ids a pass over them keeps
_SCAN_BLOCK = 100_000
_SCAN_KEEP = 100_000

_DDL = """
CREATE TABLE IF NOT EXISTS records (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, source TEXT NOT NULL, batch_id TEXT,
    latest_date TEXT, body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_source ON records (source, kind);
CREATE INDEX IF NOT EXISTS records_kind_id ON records (kind, id);
CREATE INDEX IF NOT EXISTS records_batch ON records (batch_id, kind);
CREATE TABLE IF NOT EXISTS batches (
    id TEXT PRIMARY KEY, source TEXT NOT NULL, started TEXT NOT NULL, finished TEXT,
    records INTEGER NOT NULL DEFAULT 0, host TEXT, pid INTEGER, heartbeat TEXT, alerted TEXT
);
CREATE TABLE IF NOT EXISTS checkpoints (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated TEXT);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

#: the tables and indexes :data:`_DDL` makes
_SCHEMA_OBJECTS = frozenset(re.findall(r"EXISTS (\w+)", _DDL))
#: columns of ``batches`` a store made by an earlier version lacks, added when it is opened;
#: its batches finished then count as matched by the alerts (they were, by the run)
_BATCH_COLUMNS = {"host": "TEXT", "pid": "INTEGER", "heartbeat": "TEXT", "alerted": "TEXT"}
#: seconds a write waits for another process's lock; the schema step waits longer for a
#: process adding an index to a large store made by an earlier version
_BUSY_WAIT = 30
_SCHEMA_WAIT = 3600


def _time(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def new_index(path: Path | None = None) -> tantivy.Index:
    """A tantivy index with the store's schema and tokenizers (in RAM when ``path`` is None)."""
    index = tantivy.Index(schema(), path=str(path), reuse=True) if path else tantivy.Index(schema())
    whitespace = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
    index.register_tokenizer("ws", whitespace)
    return index


#: The keyword fields with a fast column: those a facet or a statistic counts (and their
#: ``exists`` test), and ``id``, which a scan sorts on. The others (numbers, classes, party
#: keys, batch, family) are only searched, and a fast column of their several values a
#: document cost ≈8 µs a record to index (BENCHMARKS.md, "Fast columns only where counted").
COUNTED = frozenset(
    {"id", *FACET_COLUMNS}
    | {column for facets in FACETS.values() for column in facets.values()}
    | {column for dimensions in DIMENSIONS.values() for column in dimensions.values()}
)


def schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    b.add_text_field("id", stored=True, tokenizer_name="raw", fast=True)
    for name in KEYWORD_FIELDS[1:]:
        b.add_text_field(name, tokenizer_name="raw", fast=name in COUNTED, index_option="basic")
    for name in FACET_COLUMNS:
        b.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    for stem in TEXT_STEMS:
        b.add_text_field(f"{stem}_w", tokenizer_name="ws", index_option="position")
        b.add_text_field(f"{stem}_c", tokenizer_name="ws", index_option="position")
    for name in DATE_FIELDS:
        b.add_date_field(name, indexed=True, fast=True)
    return b.build()


def _document_error(exc: ValueError) -> bool:
    """Whether tantivy refused a document for its content (a value that does not parse), not
    for the index's state (I/O: a full disk, a directory gone), which it also says by ValueError."""
    text = str(exc)
    return "could not be parsed" in text or "not valid JSON" in text


class StoreBusy(StoreUnavailable):
    """Another process holds the index's writer: one writer at a time per embedded store."""


class EmbeddedStore:
    """SQLite + tantivy; safe for one writer and many concurrent readers."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.index_path = self.path.with_name(self.path.name + ".index")
        self._local = threading.local()
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._prepare_tables(self._db())
            self.index_path.mkdir(exist_ok=True)  # after SQLite took the file as a database
        except (OSError, sqlite3.DatabaseError) as exc:  # not writable, a directory, not SQLite
            raise StoreUnavailable(f"无法打开 / cannot open {self.path}: {exc}") from exc
        self.schema = schema()
        try:
            self.index = new_index(self.index_path)
            stale = False
        except ValueError:  # the indexed fields changed: rebuild from SQLite, the source of truth
            shutil.rmtree(self.index_path)
            self.index_path.mkdir()
            self.index = new_index(self.index_path)
            stale = True
        self._writer: Any = None
        #: the connection whose transaction holds rows not committed yet (see ``_write_rows``)
        self._rows_open: sqlite3.Connection | None = None
        self._pending = 0
        self._generation = 0
        self._seen_stamp: tuple[int, int, int] | None = None  # of meta.json (_index_generation)
        self._reload_lock = threading.Lock()
        #: facet counts and match counts are stable until the next commit (:meth:`_remembered`):
        #: the landing page's match-all facets over a million records take ~100 ms to count and
        #: ~0 to look up; a landscape counts its query once, not once per block
        self._results: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        # documents of another segmentation than this one's (``nlp.segment.TOKENS_VERSION``; a
        # store from before the version was kept has records and none) are rebuilt too, each
        # replaced by its record's id: the index is not emptied first
        tokens = self._meta("tokens")
        retokenise = tokens != TOKENS_VERSION and (tokens is not None or self._has_records())
        if stale or retokenise:  # rebuilt from the first record, by this opener or the next
            self._set_meta("index_state", "rebuilding")
            self._set_meta("reindex_after", "")
        if tokens != TOKENS_VERSION:  # after the above: a kill between leaves it rebuilding
            self._set_meta("tokens", TOKENS_VERSION)
        #: the records this opening indexed in taking up a rebuild (None: none taken up), so
        #: that ``iphub reindex`` does not make a second pass of what opening it just did
        self.rebuilt_on_open: int | None = None
        if self._meta("index_state") == "rebuilding":  # new schema, or a stopped rebuild
            with suppress(StoreBusy):  # another process holds the writer: its rebuild, or a
                # load that the next opener's rebuild follows; read meanwhile
                self.rebuilt_on_open = self.reindex()

    # --- SQLite -------------------------------------------------------------------------------

    def _prepare_tables(self, db: sqlite3.Connection) -> None:
        """Create what :data:`_DDL` names and the store lacks — nothing, and no lock taken, once
        it is all there (every process opening the store runs this: the API, a load, the
        alerts worker). A store made by an earlier version gains its new indexes here, built
        by the first process to open it (``records_batch``: ≈4 s a million rows) while the
        others wait for it — :data:`_SCHEMA_WAIT`, not the 30 s a write waits: past ≈7 million
        rows they failed to open — and read meanwhile (WAL readers do not wait for a writer)."""
        present = {
            name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type IN (?, ?)",
                                           ("table", "index"))
        }  # fmt: skip
        missing = _SCHEMA_OBJECTS - present
        if not missing:
            self._add_batch_columns(db)
            return
        if "records" in present:
            _log.info("%s: adding %s (once; other processes wait)", self.path, sorted(missing))
        db.execute(f"PRAGMA busy_timeout = {_SCHEMA_WAIT * 1000}")
        try:
            with db:
                db.executescript(_DDL)
                db.execute(
                    "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
                )
        finally:
            db.execute(f"PRAGMA busy_timeout = {_BUSY_WAIT * 1000}")
        self._add_batch_columns(db)

    def _add_batch_columns(self, db: sqlite3.Connection) -> None:
        """Add to ``batches`` the columns an earlier version did not make (once)."""
        have = {row[1] for row in db.execute("PRAGMA table_info(batches)")}
        if not set(_BATCH_COLUMNS) - have:
            return
        with db:
            db.execute("BEGIN IMMEDIATE")  # another process may be adding them too
            have = {row[1] for row in db.execute("PRAGMA table_info(batches)")}
            for name, kind in _BATCH_COLUMNS.items():
                if name not in have:
                    db.execute(f"ALTER TABLE batches ADD COLUMN {name} {kind}")
            if "alerted" not in have:
                db.execute("UPDATE batches SET alerted = finished WHERE finished IS NOT NULL")

    def _db(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=_BUSY_WAIT, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    # --- writing ------------------------------------------------------------------------------

    def _index_writer(self) -> Any:
        if self._writer is None:
            try:
                self._writer = self.index.writer(heap_size=_WRITER_HEAP, num_threads=1)
            except ValueError as exc:
                if "LockBusy" not in str(exc):  # I/O: the index's folder gone, a full disk
                    reason = f"无法写入索引 / cannot write {self.index_path}: {exc}"
                    raise StoreUnavailable(reason) from exc
                raise StoreBusy(
                    f"另一个进程正在写入 {self.path}，请等它结束 / another process is writing to "
                    f"{self.path} (an `iphub ingest`?): wait for it to finish"
                ) from None
        return self._writer

    def upsert(self, records: Iterable[AnyRecord | PreparedRecord]) -> UpsertReport:
        written = 0
        failed: list[tuple[str, str]] = []
        with self._lock:
            writer = self._index_writer()
            db = self._db()
            rows = []
            for item in records:
                try:
                    ready = item if isinstance(item, PreparedRecord) else PreparedRecord.of(item)
                except (ValueError, TypeError) as exc:
                    failed.append((item.id, str(exc)))
                    continue
                try:
                    writer.delete_documents_by_term("id", ready.id)
                    writer.add_json(ready.document.decode())
                except ValueError as exc:
                    if not _document_error(exc):  # the index's fault (I/O), not the record's
                        raise self._abandon(exc) from exc
                    failed.append((item.id, str(exc)))
                    continue
                rows.append(
                    (
                        ready.id,
                        ready.record_type,
                        ready.source,
                        ready.batch_id,
                        ready.latest_date,
                        ready.body,
                    )
                )
                written += 1
                self._pending += 1
                if len(rows) >= 2000 or self._pending >= _COMMIT_EVERY:
                    self._write_rows(db, rows)
                    rows = []
                if self._pending >= _COMMIT_EVERY:
                    self._commit()
            self._write_rows(db, rows)
        return UpsertReport(written, failed)

    def _abandon(self, exc: Exception) -> StoreUnavailable:
        """Drop every write since the last commit and say why: the store stays as that commit
        left it, which is where a loader's checkpoint is, so running again resumes there.

        A failure between the rows' commit and the index's leaves those rows without their
        index documents until they are written again (the loader does, from its checkpoint).
        """
        if self._rows_open is not None:
            with suppress(sqlite3.Error):
                self._rows_open.rollback()
            self._rows_open = None
        if self._writer is not None:
            with suppress(ValueError):
                self._writer.rollback()
            self._writer = None  # dropped, and its lock with it: the next write starts afresh
        self._pending = 0
        return StoreUnavailable(
            f"写入失败，已退回上次提交 / write failed, rolled back to the last commit: {exc}"
        )

    def _write_rows(self, db: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
        """Write ``rows`` in the open transaction of ``db``; ``_commit`` commits them with the
        index, so that another connection sees a row and its index document at the same
        commit. One transaction per commit (≤ ``_COMMIT_EVERY`` records) rather than per upsert
        also writes less: ids that arrive in random order touch a leaf page at random in the two
        indexes on ``id``, and once those outgrow SQLite's page cache a small transaction writes
        most of their pages to the WAL again (300,000 such rows: 26 µs a row in transactions of
        500, 14 in ones of 20,000; ids in order, as a bench file's, gain little)."""
        if rows:
            self._rows_open = db
            # the body comes as UTF-8 bytes: stored as text, as a str would be
            try:
                db.executemany(
                    "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, CAST(? AS TEXT))", rows
                )
            except sqlite3.OperationalError as exc:  # a full disk, a lock held past the timeout
                raise self._abandon(exc) from exc

    def _commit(self) -> None:
        # rows first: a committed index document always has its record row
        try:
            if self._rows_open is not None:
                self._rows_open.commit()
                self._rows_open = None
            if self._writer is not None:
                self._writer.commit()
        except (sqlite3.OperationalError, ValueError) as exc:  # I/O: tantivy says ValueError
            raise self._abandon(exc) from exc
        self._pending = 0
        self._generation += 1

    def _searcher(self) -> Any:
        """A searcher of the index as last committed by any process (:meth:`_index_generation`
        reloads it when another process committed since)."""
        self._index_generation()
        return self.index.searcher()

    def _index_generation(self) -> tuple[int, tuple[int, int, int] | None]:
        """Changes whenever this store commits, or another process commits to the same index:
        tantivy writes its ``meta.json`` anew at each commit (a new file put in place). SQLite's
        ``PRAGMA data_version`` was used before, but it counts per connection: a request on a
        thread with a new connection read 1 again and was answered from before a load that
        another process committed (a server's statistics stayed stale after ``iphub ingest``).
        A generation not seen before reloads the index first, so that what is counted for it
        is of that commit, not of the reader's last automatic reload."""
        try:
            meta = (self.index_path / "meta.json").stat()
        except OSError:
            stamp = None
        else:
            stamp = (meta.st_mtime_ns, meta.st_size, meta.st_ino)
        if stamp != self._seen_stamp:
            # a lock of its own: a write holds ``_lock`` while it may read (a rebuild's progress
            # callback searches), and ``_lock`` cannot be taken twice
            with self._reload_lock:
                if stamp != self._seen_stamp:
                    self.index.reload()
                    self._seen_stamp = stamp
        return self._generation, stamp

    def refresh(self) -> None:
        with self._lock:
            self._commit()
        self.index.reload()

    def delete(self, record_ids: Iterable[str]) -> int:
        """Delete by id: the index documents first, then the rows, each step committed, so that
        a committed index document always has its row (the invariant ``_commit`` keeps). The
        rows went first: a failure between left documents of deleted records counted in totals
        and facets (a withdrawn document in the statistics). A failure now leaves rows without
        their documents, which the same delete, run again, removes."""
        ids = list(record_ids)
        with self._lock:
            self._commit()  # what was written before, rows then documents
            writer = self._index_writer()
            for rid in ids:
                writer.delete_documents_by_term("id", rid)
            self._commit()
            db = self._db()
            try:
                with db:
                    rows = [(rid,) for rid in ids]
                    n = db.executemany("DELETE FROM records WHERE id = ?", rows).rowcount
            except sqlite3.OperationalError as exc:  # a full disk, a lock held past the timeout
                raise StoreUnavailable(f"删除失败 / delete failed: {exc}") from exc
        self.index.reload()
        return n

    def _meta(self, key: str) -> str | None:
        row = self._db().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _has_records(self) -> bool:
        return self._db().execute("SELECT 1 FROM records LIMIT 1").fetchone() is not None

    def _set_meta(self, key: str, value: str) -> None:
        with self._db() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def reindex(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Rebuild the search index from the records table; the number of records indexed.

        Record by record in id order, each one's document replaced by its id (the index is
        not emptied first), committed every :data:`_COMMIT_EVERY` records with the last id
        done (meta ``reindex_after``): a rebuild killed midway — an ``iphub reindex``, or the
        first opener rebuilding an index of another schema — goes on after that id when run
        or opened again, and a search meanwhile finds every record, in its new document or
        its old. (It emptied the index and committed once at the end: a kill lost the whole
        pass, hours for millions of records, and started it again from nothing.) No document
        is left without its record: the store writes rows before their documents and deletes
        documents before their rows. ``progress`` is told the records done at each step and
        how many there are to do in all. The writer is let go at the end: a store opened to
        read, which took up a stopped rebuild, must not keep the next load from writing."""
        n = 0
        with self._lock:
            writer = self._index_writer()  # first: the one writer decides where to go on
            resuming = self._meta("index_state") == "rebuilding"
            after = (self._meta("reindex_after") or "") if resuming else ""
            self._set_meta("index_state", "rebuilding")
            self._set_meta("reindex_after", after)
            db = self._db()
            (total,) = db.execute("SELECT count(*) FROM records WHERE id > ?", (after,)).fetchone()
            while rows := db.execute(
                "SELECT id, body FROM records WHERE id > ? ORDER BY id LIMIT ?",
                (after, _REINDEX_PAGE),
            ).fetchall():
                for rid, body in rows:
                    writer.delete_documents_by_term("id", rid)
                    writer.add_json(
                        document_json(index_document(RECORD_ADAPTER.validate_json(body)))
                    )
                n += len(rows)
                self._pending += len(rows)
                after = rows[-1][0]
                if self._pending >= _COMMIT_EVERY:
                    self._commit()
                    self._set_meta("reindex_after", after)  # after the commit it names
                if progress is not None:
                    progress(len(rows), total)
            self._commit()
            self._writer = None  # its lock with it
        self.index.reload()
        self._set_meta("index_state", "ok")
        self._set_meta("reindex_after", "")
        return n

    # --- reading ------------------------------------------------------------------------------

    def get(self, record_id: str) -> AnyRecord | None:
        return self.get_many([record_id]).get(record_id)

    def get_many(self, record_ids: list[str]) -> dict[str, AnyRecord]:
        found: dict[str, AnyRecord] = {}
        for at in range(0, len(record_ids), _IDS_A_QUERY):  # SQLite caps a query's variables
            part = record_ids[at : at + _IDS_A_QUERY]
            cur = self._db().execute(
                f"SELECT id, body FROM records WHERE id IN ({','.join('?' * len(part))})",  # noqa: S608
                part,
            )
            found.update((rid, RECORD_ADAPTER.validate_json(body)) for rid, body in cur)
        return found

    def count(self, kind: RecordKind | None = None) -> int:
        if kind is None:
            row = self._db().execute("SELECT count(*) FROM records").fetchone()
        else:
            row = (
                self._db()
                .execute("SELECT count(*) FROM records WHERE kind = ?", (kind,))
                .fetchone()
            )
        return int(row[0])

    def _kind_query(self, searcher: Any, kind: str, node: p.Plan) -> tantivy.Query:
        return kind_query(self.schema, searcher, kind, node)

    def search(self, request: SearchRequest) -> SearchResult:
        searcher = self._searcher()
        query = self._kind_query(searcher, request.kind, request.plan)
        kwargs: dict[str, Any] = {
            "limit": max(request.size, 1),
            "offset": request.offset,
            "count": True,
        }
        if request.sort != "relevance":
            kwargs["order_by_field"] = "sort_date"
            kwargs["order"] = (
                tantivy.Order.Asc if request.sort == "date_asc" else tantivy.Order.Desc
            )
        result = searcher.search(query, **kwargs)
        addresses = [addr for _, addr in result.hits][: request.size]
        ids = [searcher.doc(addr)["id"][0] for addr in addresses]
        records = self.get_many(ids)
        scores = [key for key, _ in result.hits]
        hits = [
            Hit(rid, float(score) if request.sort == "relevance" else None, records[rid])
            for rid, score in zip(ids, scores, strict=False)
            if rid in records
        ]
        facets = self._cached_facets(searcher, query, request) if request.facets else {}
        return SearchResult(total=int(getattr(result, "count", 0) or 0), hits=hits, facets=facets)

    def similar(self, record_id: str, size: int = 10) -> list[Hit]:
        record = self.get(record_id)
        fields = similar.like_fields(record) if record else {}
        if record is None or not fields or size < 1:
            return []
        document: dict[str, Any] = dict(fields)
        mlt = tantivy.Query.more_like_this_document_fields_query(
            self.schema,
            document,
            min_doc_frequency=similar.MIN_DOC_FREQ,
            min_term_frequency=similar.MIN_TERM_FREQ,
            max_query_terms=similar.MAX_QUERY_TERMS,
            boost_factor=None,
        )
        kind_q = tantivy.Query.term_query(self.schema, "record_type", record.record_type)
        query = tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, mlt),
                (tantivy.Occur.Must, tantivy.Query.const_score_query(kind_q, 0.0)),
                (tantivy.Occur.MustNot, tantivy.Query.term_query(self.schema, "id", record_id)),
            ]
        )
        searcher = self._searcher()
        try:
            found = searcher.search(query, limit=min(size, similar.MAX_SIZE), count=False).hits
        except BaseException as exc:  # tantivy panics (pyo3's PanicException is no Exception)
            if type(exc).__name__ != "PanicException":
                raise
            # tantivy's BM25 asserts a term's document frequency, which counts the documents
            # an update replaced until a merge drops them, is at most the live documents: in a
            # small index just updated it is not, and every "similar records" request was a 500
            _log.warning("more-like-this of %s failed in tantivy: %s", record_id, exc)
            return []
        scored = [(searcher.doc(addr)["id"][0], float(score)) for score, addr in found]
        records = self.get_many([rid for rid, _ in scored])
        return [Hit(rid, score, records[rid]) for rid, score in scored if rid in records]

    def _remembered(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """``compute()``'s answer for ``key``, kept until the next commit of any process (the
        key is taken with the index generation) among the last :data:`_RESULT_CACHE_SIZE`."""
        key = (self._index_generation(), *key)
        with self._lock:
            if key in self._results:
                self._results.move_to_end(key)
                return cast(T, self._results[key])
        value = compute()
        with self._lock:
            self._results[key] = value
            while len(self._results) > _RESULT_CACHE_SIZE:
                self._results.popitem(last=False)
        return value

    def _cached_facets(
        self, searcher: Any, query: tantivy.Query, request: SearchRequest
    ) -> dict[str, list[FacetBucket]]:
        return self._remembered(
            ("facets", request.kind, request.plan, request.facets, request.facet_size),
            lambda: exact_facets(
                searcher, self.schema, query, request, segment_size=self.facet_segment_size
            ),
        )

    #: Buckets each segment returns in the first, fast facet pass (see ``exact_facets``).
    facet_segment_size = 1_000

    #: Terms per segment in a statistics aggregation's first try (all of them when it may err).
    aggregate_segment_size = 65_000

    def aggregate(self, request: AggregateRequest) -> Aggregation:
        return self.aggregate_many([request])[0]

    def aggregate_many(self, requests: Sequence[AggregateRequest]) -> list[Aggregation]:
        kind, plan = one_query(requests)
        searcher = self._searcher()
        query = self._kind_query(searcher, kind, plan)
        # a landscape or a holdings table asks a dozen aggregations of one query: counted once
        total = self._remembered(
            ("count", kind, plan),
            lambda: int(getattr(searcher.search(query, limit=1, count=True), "count", 0) or 0),
        )
        if not total:
            return [Aggregation(total=0, groups=[]) for _ in requests]

        def counted(plan: p.Plan, aggs: dict[str, Any]) -> dict[str, Any]:
            query = self._kind_query(searcher, kind, plan)
            found: dict[str, Any] = searcher.aggregate(query, aggs)
            # statistics must add up: an aggregation that may under-count is counted again
            # reading every term (only it: several are asked together, see ``run_many``)
            doubtful = {n: every_term(a) for n, a in aggs.items() if may_undercount(found.get(n))}
            if doubtful:
                found |= searcher.aggregate(query, doubtful)
            return found

        def run(plan: p.Plan, aggs: dict[str, Any]) -> dict[str, Any]:
            # the blocks of a landscape share passes: its leading applicants are found alike
            # for the applicant × year table, the applicant × class one and the co-applicants
            key = ("aggregate", kind, plan, json.dumps(aggs, sort_keys=True))
            return self._remembered(key, lambda: counted(plan, aggs))

        return run_many(requests, total, {"segment_size": self.aggregate_segment_size}, run)

    def scan_ids(self, kind: RecordKind, plan: p.Plan) -> Iterator[str]:
        """Ids of every match in id order. Everything of a kind walks SQLite's primary key.
        Another plan is read in passes over its hits (``_SCAN_BLOCK`` at a time, by relevance,
        from one searcher), each pass keeping the ``_SCAN_KEEP`` smallest ids past the last
        one given: Python holds a pass's ids (≈70 bytes each) however many match (tantivy's
        collector, the offset's hits: ≈24 bytes each), and an export (≤ 10,000) takes one
        pass; a full scan of N matches takes N / ``_SCAN_KEEP`` passes, each reading every
        hit's id. Tantivy's own order by ``id``, a text column, costed ≈15 µs a match for every
        page of 1,000 — 35 s for 40,000 matches, hours for a million."""
        if isinstance(plan, p.All):  # everything of a kind: walk SQLite's primary key, O(n)
            yield from self._all_ids(kind)
            return
        searcher = self._searcher()
        query = self._kind_query(searcher, kind, plan)
        total = int(getattr(searcher.search(query, limit=1, count=True), "count", 0) or 0)

        def past(last: str | None) -> Iterator[str]:
            # in blocks: a hit is ≈130 bytes in Python; one searcher, so every block is cut
            # from the same ranking (ties in the order of the documents)
            for offset in range(0, total, _SCAN_BLOCK):
                block = min(_SCAN_BLOCK, total - offset)
                hits = searcher.search(query, limit=block, offset=offset, count=False).hits
                for _, addr in hits:
                    rid: str = searcher.doc(addr)["id"][0]
                    if last is None or rid > last:
                        yield rid

        last: str | None = None
        while total:
            ids = heapq.nsmallest(_SCAN_KEEP, past(last))
            yield from ids
            if len(ids) < _SCAN_KEEP:
                return
            last = ids[-1]

    def scan_batch(self, kind: RecordKind, batch_id: str) -> Iterator[AnyRecord]:
        for rows in self._batch_rows(kind, batch_id, "body", 1000):
            yield from (RECORD_ADAPTER.validate_json(body) for _, body in rows)

    def scan_batch_ids(self, kind: RecordKind, batch_id: str) -> Iterator[str]:
        for rows in self._batch_rows(kind, batch_id, "id", 5000):
            yield from (rid for _, rid in rows)

    def _batch_rows(
        self, kind: RecordKind, batch_id: str, column: str, page: int
    ) -> Iterator[list[tuple[int, Any]]]:
        """Pages of ``(rowid, column)`` of the batch's committed rows, in the order they were
        written: the index on ``(batch_id, kind)`` keeps its entries in rowid order, so each
        page is a range read of it, and a batch of a million rows is read in linear time. One
        read transaction on a connection of its own: a row written again meanwhile (a new
        rowid) is not read twice."""
        conn = sqlite3.connect(self.path, timeout=30)
        try:
            conn.execute("BEGIN")
            last = 0
            while True:
                rows = conn.execute(
                    f"SELECT rowid, {column} FROM records WHERE batch_id = ? AND kind = ? "  # noqa: S608
                    "AND rowid > ? ORDER BY rowid LIMIT ?",
                    (batch_id, kind, last, page),
                ).fetchall()
                if rows:
                    yield rows
                if len(rows) < page:
                    return
                last = rows[-1][0]
        finally:
            conn.close()

    def _all_ids(self, kind: RecordKind) -> Iterator[str]:
        last = ""
        while True:
            rows = (
                self._db()
                .execute(
                    "SELECT id FROM records WHERE kind = ? AND id > ? ORDER BY id LIMIT 5000",
                    (kind, last),
                )
                .fetchall()
            )
            yield from (row[0] for row in rows)
            if len(rows) < 5000:
                return
            last = rows[-1][0]

    def scan(self, kind: RecordKind, plan: p.Plan) -> Iterator[AnyRecord]:
        found = self.scan_ids(kind, plan)
        while ids := list(islice(found, 1000)):
            records = self.get_many(ids)
            yield from (records[i] for i in ids if i in records)

    def sources(self) -> list[SourceSummary]:
        cur = self._db().execute(
            "SELECT source, kind, count(*), max(latest_date) FROM records GROUP BY source, kind"
        )
        return [
            SourceSummary(src, kind, n, dt.date.fromisoformat(latest) if latest else None)
            for src, kind, n, latest in cur
        ]

    # --- batches and checkpoints --------------------------------------------------------------

    def begin_batch(self, source: str) -> str:
        with self._lock:  # one writer at a time: a second load fails here, before it starts
            self._index_writer()
        batch_id = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        host, pid = this_process()
        at = dt.datetime.now(dt.UTC).isoformat()
        with self._db() as db:
            db.execute(
                "INSERT INTO batches (id, source, started, host, pid, heartbeat)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (batch_id, source, at, host, pid, at),
            )
        return batch_id

    def touch_batch(self, batch_id: str) -> None:
        with self._db() as db:
            db.execute(
                "UPDATE batches SET heartbeat = ? WHERE id = ?",
                (dt.datetime.now(dt.UTC).isoformat(), batch_id),
            )

    def mark_alerted(self, batch_id: str) -> None:
        with self._db() as db:
            db.execute(
                "UPDATE batches SET alerted = ? WHERE id = ?",
                (dt.datetime.now(dt.UTC).isoformat(), batch_id),
            )

    def resume_batch(self, batch_id: str) -> None:
        with self._lock:  # the writer, as begin_batch takes it: busy is said before any work
            self._index_writer()

    def finish_batch(self, batch_id: str, records: int) -> None:
        with self._db() as db:
            db.execute(
                "UPDATE batches SET finished = ?, records = ? WHERE id = ?",
                (dt.datetime.now(dt.UTC).isoformat(), records, batch_id),
            )

    def batches(self) -> list[Batch]:
        cur = self._db().execute(
            "SELECT id, source, started, finished, records, host, pid, heartbeat, alerted"
            " FROM batches ORDER BY started"
        )
        return [
            Batch(
                bid,
                src,
                dt.datetime.fromisoformat(start),
                _time(fin),
                n,
                host,
                pid,
                _time(beat),
                _time(alerted),
            )
            for bid, src, start, fin, n, host, pid, beat, alerted in cur
        ]

    def get_checkpoint(self, key: str) -> str | None:
        row = self._db().execute("SELECT value FROM checkpoints WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_checkpoint(self, key: str, value: str) -> None:
        with self._db() as db:
            db.execute(
                "INSERT OR REPLACE INTO checkpoints VALUES (?, ?, ?)",
                (key, value, dt.datetime.now(dt.UTC).isoformat()),
            )

    def close(self) -> None:
        with self._lock:
            self._commit()
            if self._writer is not None:
                self._writer.wait_merging_threads()
                self._writer = None
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def local_files(self) -> list[Path]:
        name = self.path.name
        journals = [self.path.with_name(name + suffix) for suffix in ("-wal", "-shm", "-journal")]
        return [self.path, *journals, self.index_path]

    def info(self) -> dict[str, object]:
        return {
            "store": "embedded",
            "path": str(self.path),
            "records": self.count(),
            "meta": json.dumps(dict(self._db().execute("SELECT key, value FROM meta"))),
        }
