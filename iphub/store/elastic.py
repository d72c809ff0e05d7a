"""The Elasticsearch store: the documents of ``iphub.store.fields``, one index per kind, for scale.

Each kind's index (``index_mappings/patents.json``, ``trademarks.json``, ``copyrights.json``;
names and routing in ``iphub.store.elastic_kinds``) holds the flat document both stores index: the
pre-segmented ``*_w`` / ``*_c`` fields are ``text`` with the builtin ``whitespace`` analyzer, so
Elasticsearch needs no analysis plugin and matches exactly what tantivy matches; the record itself
rides along unindexed. Each plan node of ``iphub.store.plan`` becomes one query DSL object;
user text only ever reaches term-level queries and never a query parser. Ingest batches and
checkpoints live in a second index (``index_mappings/meta.json``). Connection failures,
timeouts, 429 and 503 become :class:`StoreUnavailable`; while the store opens (its indices made
or checked), so does every refusal, and a server that is not Elasticsearch (``guard_open``).
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.helpers import streaming_bulk

from iphub.records import AnyRecord, Copyright, Patent, Trademark
from iphub.store import elastic_admin as admin
from iphub.store import elastic_kinds as kinds
from iphub.store import plan as p
from iphub.store.aggregate import AggregateRequest, Aggregation, one_query, run_many
from iphub.store.base import (
    RECORD_ADAPTER,
    Batch,
    Hit,
    SearchRequest,
    SearchResult,
    SourceSummary,
    StoreUnavailable,
    UpsertReport,
    this_process,
)
from iphub.store.elastic_admin import mapping
from iphub.store.elastic_kinds import IndexNames
from iphub.store.elastic_query import Json
from iphub.store.elastic_read import (
    FACET_SHARD_SIZE,
    Flow,
    count_flow,
    error_text,
    get_many_flow,
    guard,
    guard_open,
    query_flow,
    record_of,
    run,
    search_flow,
    similar_flow,
)
from iphub.store.fields import TEXT_STEMS, IndexDocument, RecordKind, index_document
from iphub.store.prepared import PreparedRecord, latest_date
from nlp.segment import ONE_CHARACTER

T = TypeVar("T")
_PAGE = 1000


def document(record: Patent | Trademark | Copyright, prepared: IndexDocument | None = None) -> Json:
    """The indexed document: ``index_document`` (or ``prepared``) plus what this store needs."""
    doc = dict(prepared) if prepared is not None else index_document(record)
    for stem in TEXT_STEMS:
        doc[f"{stem}_w_terms"] = sorted(set(str(doc.get(f"{stem}_w") or "").split()))
        # the unstemmed words (not the CJK, Hangul or kana characters): what a prefix expands to
        chars = str(doc.get(f"{stem}_c") or "").split()
        doc[f"{stem}_c_terms"] = sorted({t for t in chars if not ONE_CHARACTER.match(t)})
    doc |= {
        "source": record.source,
        "latest_date": latest_date(record),
        "record": record.model_dump(mode="json"),
    }
    return {
        name: value.isoformat() if isinstance(value, dt.date) else value
        for name, value in doc.items()
        if value is not None and value != "" and value != []
    }


def _redocument(source: Json) -> Json:
    """A fresh index document from a stored ``_source`` (its ``record``)."""
    return document(RECORD_ADAPTER.validate_python(source["record"]))


def _reason(info: Json) -> str:
    """Why a bulk item failed."""
    return error_text(info.get("error") or f"status {info.get('status')}")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def _time(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _batch(s: Json) -> Batch:
    """A batch's bookkeeping document as a :class:`Batch`. One written before ``alerted`` was
    kept has no such key (not even null): if finished, its run matched it then."""
    finished = _time(s.get("finished"))
    return Batch(
        s["batch_id"],
        s["source"],
        dt.datetime.fromisoformat(s["started"]),
        finished,
        int(s["records"]),
        s.get("host"),
        s.get("pid"),
        _time(s.get("heartbeat")),
        _time(s["alerted"]) if "alerted" in s else finished,
    )


BULK_DOCS = 2000
BULK_BYTES = 10 * 2**20


class ElasticStore:
    """Records in one index per kind, ``<index>-patents`` ... (``index``: default ``iphub``, or
    the path of ``url``), bookkeeping in ``meta_index`` (default ``IndexNames.meta``). Indices
    are created on first use, so a store can be opened while Elasticsearch is still down."""

    def __init__(
        self,
        url: str,
        index: str = kinds.DEFAULT_BASE,
        meta_index: str | None = None,
        request_timeout: float = 30.0,
    ) -> None:
        parts = urlsplit(url)
        self.url = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        #: the server as messages name it: without a password the URL may hold
        self.server = urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], "", "", ""))
        self.index = parts.path.strip("/") or index
        self.names = IndexNames(self.index)
        #: Every kind's alias: for requests over all records (sizes, caches, refresh).
        self.indices = self.names.kinds
        self.meta_index = meta_index or self.names.meta
        self.request_timeout = request_timeout
        self.es = Elasticsearch(self.url, request_timeout=request_timeout, max_retries=2)
        self._ready = False
        self._lock = threading.Lock()

    # --- setup --------------------------------------------------------------------------------

    def _client(self) -> Elasticsearch:
        if not self._ready:
            with self._lock, guard_open(self.server):
                if not self._ready:
                    kinds.ensure(self.es, self.names)
                    admin.ensure(self.es, self.meta_index, "meta")
                    # fields a batch gained within mapping version 1 (its process, heartbeat,
                    # alerts): added to an index made before them; the same mapping is a no-op
                    self.es.indices.put_mapping(
                        index=self.meta_index, properties=mapping("meta")["mappings"]["properties"]
                    )
                    self._ready = True
        return self.es

    def ensure_indices(self) -> None:
        """Create the indices, or check their mapping version (``NeedsReindex``), once."""
        self._client()

    # --- writing ------------------------------------------------------------------------------

    def _bulk(self, actions: Iterable[Json]) -> Iterator[tuple[bool, Json]]:
        """Bulk in chunks, retrying 429/503 items with back-off; every item's outcome.

        A record's document is 2–4 KB, so 2,000 per request is 4–8 MB: inside Elastic's advice
        of 5–15 MB per bulk request; the byte cap keeps full-text records from going past it."""
        for ok, item in streaming_bulk(
            self._client(),
            actions,
            chunk_size=BULK_DOCS,
            max_chunk_bytes=BULK_BYTES,
            max_retries=5,
            initial_backoff=1,
            max_backoff=30,
            retry_on_status=(429, 503),
            raise_on_error=False,
            raise_on_exception=False,
        ):
            yield ok, next(iter(item.values()))

    def upsert(
        self,
        records: Iterable[AnyRecord | PreparedRecord],
    ) -> UpsertReport:
        """Index by id, streamed in chunks. A record the cluster rejects as a document (400) is
        in ``failed``, with the reason; any other refusal raises ``StoreUnavailable``, after the
        rest of the records were sent, so a loader stops at its last checkpoint and resumes."""
        failed: list[tuple[str, str]] = []

        def actions() -> Iterator[Json]:
            for item in records:
                try:
                    if isinstance(item, PreparedRecord):
                        record = item.record()
                        doc = document(record, item.fields())
                    else:
                        record, doc = item, document(item)
                except (ValueError, TypeError) as exc:
                    failed.append((item.id, str(exc)))
                    continue
                yield {
                    "_index": self.names.of(record.record_type),
                    "_id": record.id,
                    "_source": doc,
                }

        written = 0
        refused: list[str] = []
        with guard("bulk upsert"):
            for ok, info in self._bulk(actions()):
                if ok:
                    written += 1
                elif info.get("status") == 400:  # the document itself (a mapping conflict …)
                    failed.append((str(info.get("_id")), _reason(info)))
                else:  # the cluster's state (a write block at the disk's flood stage, 429s past
                    # their retries, 5xx): not the record's fault, so never its quarantine
                    refused.append(
                        f"{info.get('_id')}: status {info.get('status')}, {_reason(info)}"
                    )
        if refused:
            raise StoreUnavailable(
                f"Elasticsearch did not write {len(refused)} records, e.g. {refused[0]}"
            )
        return UpsertReport(written, failed)

    def local_files(self) -> list[Path]:
        return []  # the cluster keeps its files

    def refresh(self) -> None:
        with guard("refresh"):
            self._client().indices.refresh(index=self.indices)

    def delete(self, record_ids: Iterable[str]) -> int:
        """Delete by id from every kind's index (the id's kind is not known)."""
        actions = (
            {"_op_type": "delete", "_index": index, "_id": rid}
            for rid in record_ids
            for index in self.indices
        )
        deleted, failed = 0, []
        with guard("bulk delete"):
            for ok, info in self._bulk(actions):
                if ok:
                    deleted += info.get("result") == "deleted"
                elif info.get("status") != 404:
                    failed.append(f"{info.get('_id')}: {_reason(info)}")
            if deleted:
                self.refresh()
        if failed:
            raise StoreUnavailable(f"{len(failed)} deletes failed, e.g. {failed[0]}")
        return deleted

    # --- reading ------------------------------------------------------------------------------

    def _run(self, flow: Flow[T]) -> T:
        """Drive a read flow (``iphub.store.elastic_read``) with this store's client."""
        return run(self._client(), flow)

    def get(self, record_id: str) -> AnyRecord | None:
        return self.get_many([record_id]).get(record_id)

    def get_many(self, record_ids: list[str]) -> dict[str, AnyRecord]:
        return self._run(get_many_flow(self.names, record_ids))

    def count(self, kind: RecordKind | None = None) -> int:
        return self._run(count_flow(self.names, kind))

    def _kind_query(self, kind: str, node: p.Plan) -> Json:
        return self._run(query_flow(self.names, kind, node))

    def search(self, request: SearchRequest) -> SearchResult:
        return self._run(search_flow(self.names, request))

    def similar(self, record_id: str, size: int = 10) -> list[Hit]:
        return self._run(similar_flow(self.names, record_id, size))

    def aggregate(self, request: AggregateRequest) -> Aggregation:
        return self.aggregate_many([request])[0]

    def aggregate_many(self, requests: Sequence[AggregateRequest]) -> list[Aggregation]:
        kind, plan = one_query(requests)
        options = {"shard_size": FACET_SHARD_SIZE, "order": [{"_count": "desc"}, {"_key": "asc"}]}

        def search(plan: p.Plan, aggs: Json | None) -> tuple[int, Json]:
            with guard("aggregate"):
                resp = self._client().search(
                    index=self.names.of(kind),
                    query=self._kind_query(kind, plan),
                    size=0,
                    track_total_hits=True,
                    aggs=aggs,
                )
            if resp["_shards"].get("failed"):
                raise StoreUnavailable(f"{resp['_shards']['failed']} shards failed to answer")
            return int(resp["hits"]["total"]["value"]), resp.get("aggregations", {})

        total, _ = search(plan, None)
        if not total:
            return [Aggregation(total=0, groups=[]) for _ in requests]
        return run_many(requests, total, options, lambda plan, aggs: search(plan, aggs)[1])

    def _pages(
        self, index: str, query: Json, sort: list[Json], source: list[str] | None = None
    ) -> Iterator[Json]:
        """Every hit of ``query`` in ``sort`` order, from one point in time of the index."""
        with guard("scan"):
            yield from admin.scan_pit(self._client(), index, query, sort, source, _PAGE)

    def scan_ids(self, kind: RecordKind, plan: p.Plan) -> Iterator[str]:
        query = self._kind_query(kind, plan)
        for hit in self._pages(self.names.of(kind), query, [{"id": "asc"}], ["id"]):
            yield str(hit["_source"]["id"])

    def scan(self, kind: RecordKind, plan: p.Plan) -> Iterator[AnyRecord]:
        query = self._kind_query(kind, plan)
        for hit in self._pages(self.names.of(kind), query, [{"id": "asc"}], ["record"]):
            yield record_of(hit["_source"])

    def scan_batch(self, kind: RecordKind, batch_id: str) -> Iterator[AnyRecord]:
        return self.scan(kind, p.Terms("batch", (batch_id,)))  # pages by id: linear already

    def scan_batch_ids(self, kind: RecordKind, batch_id: str) -> Iterator[str]:
        return self.scan_ids(kind, p.Terms("batch", (batch_id,)))

    def sources(self) -> list[SourceSummary]:
        out: list[SourceSummary] = []
        pairs = [
            {"source": {"terms": {"field": "source"}}},
            {"kind": {"terms": {"field": "record_type"}}},
        ]
        composite: Json = {"size": _PAGE, "sources": pairs}
        while True:
            with guard("sources"):
                resp = self._client().search(
                    index=self.indices,
                    size=0,
                    aggs={
                        "pairs": {
                            "composite": composite,
                            "aggs": {"latest": {"max": {"field": "latest_date"}}},
                        }
                    },
                )
            agg = resp["aggregations"]["pairs"]
            for b in agg["buckets"]:
                latest = b["latest"].get("value_as_string")
                out.append(
                    SourceSummary(
                        b["key"]["source"],
                        b["key"]["kind"],
                        int(b["doc_count"]),
                        dt.date.fromisoformat(latest) if latest else None,
                    )
                )
            if "after_key" not in agg or len(agg["buckets"]) < _PAGE:
                return out
            composite = composite | {"after": agg["after_key"]}

    # --- batches and checkpoints --------------------------------------------------------------

    def begin_batch(self, source: str) -> str:
        batch_id = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        host, pid = this_process()
        now = _now()
        with guard("begin batch"):
            self._client().index(
                index=self.meta_index,
                id=f"batch:{batch_id}",
                refresh=True,
                document={
                    "type": "batch",
                    "batch_id": batch_id,
                    "source": source,
                    "started": now,
                    "records": 0,
                    "host": host,
                    "pid": pid,
                    "heartbeat": now,
                    "alerted": None,  # kept as null: a batch without it is from before it
                },
            )
        return batch_id

    def touch_batch(self, batch_id: str) -> None:
        self._update_batch(batch_id, {"heartbeat": _now()}, "touch batch")

    def mark_alerted(self, batch_id: str) -> None:
        self._update_batch(batch_id, {"alerted": _now()}, "mark batch alerted")

    def _update_batch(self, batch_id: str, doc: Json, what: str) -> None:
        with guard(what):
            try:
                self._client().update(
                    index=self.meta_index, id=f"batch:{batch_id}", doc=doc, refresh=True
                )
            except NotFoundError:  # as the embedded store: an unknown batch is a no-op
                return

    def resume_batch(self, batch_id: str) -> None:
        """Nothing to claim: Elasticsearch takes writes from any number of clients."""

    def finish_batch(self, batch_id: str, records: int) -> None:
        self._update_batch(batch_id, {"finished": _now(), "records": records}, "finish batch")

    def batches(self) -> list[Batch]:
        hits = self._pages(
            self.meta_index, {"term": {"type": "batch"}}, [{"started": "asc"}, {"batch_id": "asc"}]
        )
        return [_batch(h["_source"]) for h in hits]

    def get_checkpoint(self, key: str) -> str | None:
        with guard("get checkpoint"):
            try:
                resp = self._client().get(index=self.meta_index, id=f"checkpoint:{key}")
            except NotFoundError:
                return None
        return str(resp["_source"]["value"])

    def set_checkpoint(self, key: str, value: str) -> None:
        with guard("set checkpoint"):
            self._client().index(
                index=self.meta_index,
                id=f"checkpoint:{key}",
                refresh=True,
                document={"type": "checkpoint", "key": key, "value": value, "updated": _now()},
            )

    def close(self) -> None:
        self.es.close()

    def info(self) -> dict[str, object]:
        es = self._client()
        with guard("info"):
            behind = {alias: admin.concrete(es, alias) for alias in self.indices}
        return {
            "store": "elasticsearch",
            "url": self.url,
            "index": self.index,
            "indices": {alias: found[0] for alias, found in behind.items() if found},
            "records": self.count(),
            "mapping_version": {
                plural: mapping(plural)["mappings"]["_meta"]["version"]
                for plural in kinds.PLURAL.values()
            },
        }

    # --- administration (iphub.store.elastic_admin, elastic_kinds) ---------------------------

    def reindex(self) -> int:
        """Build the next index of every kind from the stored records (segmented afresh), swap
        each alias to it atomically and delete the old one; searches keep answering throughout.
        Also splits a store from before one index per kind (one ``<index>`` for all records)
        and moves indices from before versioned indices behind their aliases. Returns the
        number of records copied."""
        with self._lock, guard("reindex"):
            try:
                with guard_open(self.server):
                    admin.ensure(self.es, self.meta_index, "meta")
            except admin.NeedsReindex:
                admin.rebuild(self.es, self.meta_index, "meta", dict)
            copied = kinds.reindex(self.es, self.names, _redocument)
            self._ready = True
        return copied

    def drop(self) -> None:
        """Delete this store's indices, every kind's and the bookkeeping (tests, benchmarks)."""
        with guard("drop"):
            kinds.drop(self.es, self.names)
            admin.drop(self.es, self.meta_index)
        self._ready = False
