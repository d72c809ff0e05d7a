"""Parsing (and enrichment) in worker processes, in file order, with bounded read-ahead.

Only formats with ``split``/``parse_document`` (see ``ingest.formats``) are parsed this way: the
main process cuts the stream into fragments, workers turn chunks of fragments into records and
their index documents (``iphub.store.fields.index_document``: the segmentation, the costliest
step of a load, then runs in parallel; the store takes them via ``upsert(documents=…)``), and
results come back in input order, so positions — and so checkpoints — mean the same as in a
single-process run. At most ``workers × 4`` chunks are in flight: memory does not grow with the
file. Workers are started with ``spawn``: they share nothing with the store the parent holds.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterator
from itertools import islice
from multiprocessing.pool import AsyncResult, Pool
from typing import IO, Any

from ingest.parsers.base import Item, Quarantined
from iphub.records import AnyRecord
from iphub.store.fields import IndexDocument, index_document

Enrich = Callable[[AnyRecord], AnyRecord]
Prepared = tuple[Item, IndexDocument | None]  # an item and, for records, its index document
CHUNK = 32  # fragments per task
_log = logging.getLogger(__name__)


def start(workers: int) -> Pool:
    return mp.get_context("spawn").Pool(workers)


def apply_enrich(items: list[Item], enrich: Enrich | None) -> list[Item]:
    if enrich is None:
        return items
    out: list[Item] = []
    for item in items:
        if isinstance(item, Quarantined):
            out.append(item)
            continue
        try:
            out.append(enrich(item))
        except Exception:  # noqa: BLE001 - an enrichment bug must not lose the record
            _log.warning("enrichment failed for %s; loaded as parsed", item.id, exc_info=True)
            out.append(item)
    return out


def _parse_chunk(
    module: str, chunk: list[tuple[str, bytes]], enrich: Enrich | None, batch_id: str | None
) -> list[Prepared]:
    mod = importlib.import_module(module)
    items = [item for position, data in chunk for item in mod.parse_document(position, data)]
    for item in items:
        if not isinstance(item, Quarantined):
            item.batch_id = batch_id  # indexed (field ``batch``): the alerts match on it
    return [(item, _document(item)) for item in apply_enrich(items, enrich)]


def _document(item: Item) -> IndexDocument | None:
    """The store's index document, segmented here in the worker (None if it cannot be built)."""
    if isinstance(item, Quarantined):
        return None
    try:
        return index_document(item)
    except (ValueError, TypeError):
        return None  # the writer builds it again and reports the error


def can_split(module: Any) -> bool:
    return hasattr(module, "split") and hasattr(module, "parse_document")


def parse_parallel(
    pool: Pool,
    module: Any,
    stream: IO[bytes],
    skip: int,
    enrich: Enrich | None,
    workers: int,
    batch_id: str | None = None,
) -> Iterator[Prepared]:
    fragments = module.split(stream, skip)
    pending: deque[AsyncResult[list[Prepared]]] = deque()
    while True:
        while len(pending) < workers * 4 and (chunk := list(islice(fragments, CHUNK))):
            pending.append(
                pool.apply_async(_parse_chunk, (module.__name__, chunk, enrich, batch_id))
            )
        if not pending:
            return
        yield from pending.popleft().get()
