"""The interface every store implements, and the request/result types it speaks.

A store keeps records (the source of truth), searches them with a compiled plan
(``iphub.store.plan``), counts facets over the whole match set, and records ingest batches and
checkpoints. ``tests/conformance/`` holds the behaviour every store must show.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Literal, Protocol, cast

from pydantic import TypeAdapter

from iphub.records import AnyRecord, Record
from iphub.store.aggregate import AggregateRequest, Aggregation
from iphub.store.fields import FACETS, RecordKind
from iphub.store.plan import Plan
from iphub.store.prepared import PreparedRecord

Sort = Literal["relevance", "date_desc", "date_asc"]
MAX_FACET_SIZE = 100
#: A stored record of any kind, validated by its ``record_type``.
RECORD_ADAPTER = cast("TypeAdapter[AnyRecord]", TypeAdapter(Record))


class StoreUnavailable(RuntimeError):
    """The store cannot answer now (down, overloaded); the API answers 503 with Retry-After."""


class UnknownFacet(ValueError):
    def __init__(self, kind: RecordKind, name: str) -> None:
        known = ", ".join(FACETS[kind])
        self.message_zh = f"未知分面“{name}”（可用：{'、'.join(FACETS[kind])}）"
        self.message_en = f"unknown facet {name!r} (known: {known})"
        super().__init__(f"未知分面“{name}” / {self.message_en}")
        self.name = name


@dataclass(frozen=True)
class SearchRequest:
    kind: RecordKind
    plan: Plan
    offset: int = 0
    size: int = 20
    sort: Sort = "relevance"
    facets: tuple[str, ...] = ()
    facet_size: int = 10

    def __post_init__(self) -> None:
        for name in self.facets:
            if name not in FACETS[self.kind]:
                raise UnknownFacet(self.kind, name)


@dataclass(frozen=True)
class FacetBucket:
    key: str
    count: int


@dataclass
class Hit:
    id: str
    score: float | None
    record: AnyRecord


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetBucket]] = field(default_factory=dict)


@dataclass(frozen=True)
class Batch:
    id: str
    source: str
    started: dt.datetime
    finished: dt.datetime | None
    records: int
    #: the machine and process that began the batch (None: a batch from before they were
    #: kept): a loader finishes a batch left open whose process is gone (``ingest.load``)
    host: str | None = None
    pid: int | None = None
    #: when its process last said it was at work (:meth:`Store.touch_batch`)
    heartbeat: dt.datetime | None = None
    #: when the alerts matched the finished batch (None: not yet; a batch finished before
    #: this was kept counts as matched when it finished)
    alerted: dt.datetime | None = None


def this_process() -> tuple[str, int]:
    """The host and process id :meth:`Store.begin_batch` records."""
    return socket.gethostname(), os.getpid()


@dataclass(frozen=True)
class UpsertReport:
    written: int
    failed: list[tuple[str, str]]  # (record id, reason)


@dataclass(frozen=True)
class SourceSummary:
    source: str
    kind: RecordKind
    records: int
    latest_date: dt.date | None


class Store(Protocol):
    """What iphub needs of a search store. Implementations: embedded (default), Elasticsearch."""

    def upsert(
        self,
        records: Iterable[AnyRecord | PreparedRecord],
    ) -> UpsertReport:
        """Insert or replace records by id; visible to search after :meth:`refresh`.

        A record may come as a :class:`~iphub.store.prepared.PreparedRecord`, its stored JSON
        and index document already built elsewhere (ingest worker processes, in parallel).

        Copyright registrations are a kind as patents and trademarks are: stored, searched,
        counted and grouped; ``get``/``get_many``, ``scan`` and ``Hit.record`` return any kind.
        """
        ...

    def refresh(self) -> None: ...

    def local_files(self) -> list[Path]:
        """The files and directories on this machine the store writes (none for a remote
        one): a loader never takes them for input, were it pointed at a folder holding them."""
        ...

    def get(self, record_id: str) -> AnyRecord | None: ...

    def get_many(self, record_ids: list[str]) -> dict[str, AnyRecord]: ...

    def delete(self, record_ids: Iterable[str]) -> int: ...

    def count(self, kind: RecordKind | None = None) -> int: ...

    def search(self, request: SearchRequest) -> SearchResult: ...

    def similar(self, record_id: str, size: int = 10) -> list[Hit]:
        """Records of the same kind most like this one (more like this over its title, abstract
        and claims, or mark and goods), best first, never itself; empty for an unknown id.
        ``size`` is capped at ``iphub.store.similar.MAX_SIZE``."""
        ...

    def aggregate(self, request: AggregateRequest) -> Aggregation:
        """Exact grouped counts over the whole match set (method: ``iphub.store.aggregate``)."""
        ...

    def aggregate_many(self, requests: Sequence[AggregateRequest]) -> list[Aggregation]:
        """:meth:`aggregate` of each of ``requests``, which share one kind and plan (else
        ``ValueError``), in as few passes over the match set as the engine allows."""
        ...

    def scan(self, kind: RecordKind, plan: Plan) -> Iterator[AnyRecord]:
        """Every match in id order, streamed (export, statistics); never held in memory."""
        ...

    def scan_ids(self, kind: RecordKind, plan: Plan) -> Iterator[str]:
        """The ids of every match in id order, without loading records (alerts matching)."""
        ...

    def scan_batch(self, kind: RecordKind, batch_id: str) -> Iterator[AnyRecord]:
        """Every record of ``kind`` that ``batch_id`` wrote last, each once, streamed in the
        order the store keeps them (the embedded store: as written; Elasticsearch: by id):
        what the alerts read after each load, in time linear in the batch."""
        ...

    def scan_batch_ids(self, kind: RecordKind, batch_id: str) -> Iterator[str]:
        """The ids :meth:`scan_batch` gives, in its order, without loading records."""
        ...

    def sources(self) -> list[SourceSummary]: ...

    def begin_batch(self, source: str) -> str:
        """A new ingest batch's id, recorded with this host and process (:func:`this_process`)
        and a first heartbeat. The embedded store takes its one writer here: a second process
        loading into it is refused (``StoreBusy``) before it starts."""
        ...

    def touch_batch(self, batch_id: str) -> None:
        """The batch's process is at work: its heartbeat is now (a loader, at each commit)."""
        ...

    def mark_alerted(self, batch_id: str) -> None:
        """The alerts matched the finished batch ``batch_id``: set :attr:`Batch.alerted`, so
        that no later run matches it again."""
        ...

    def resume_batch(self, batch_id: str) -> None:
        """Write into the open batch ``batch_id`` again (a stopped crawl's), claiming the store
        for writing as :meth:`begin_batch` does."""
        ...

    def finish_batch(self, batch_id: str, records: int) -> None: ...

    def batches(self) -> list[Batch]: ...

    def get_checkpoint(self, key: str) -> str | None: ...

    def set_checkpoint(self, key: str, value: str) -> None: ...

    def close(self) -> None: ...


#: records an upsert of :func:`write_batch`
BATCH_PAGE = 5000


def write_batch(
    store: Store,
    records: Iterable[AnyRecord],
    source: str,
    advance: Callable[[int], object] | None = None,
) -> str:
    """``records`` written to ``store`` as one new batch of ``source``, as a load writes them
    (each tagged with the batch, :data:`BATCH_PAGE` an upsert, committed, the batch finished
    with its count): the demo's data, the alerts' test batches, the benches'. ``advance`` is
    told each page's size (a progress bar). The batch's id."""
    batch = store.begin_batch(source)
    stream, written = iter(records), 0
    while page := list(islice(stream, BATCH_PAGE)):
        for record in page:
            record.batch_id = batch
        store.upsert(page)
        written += len(page)
        if advance is not None:
            advance(len(page))
    store.refresh()
    store.finish_batch(batch, written)
    return batch
