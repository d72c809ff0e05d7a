"""Parsing, enrichment and indexing in worker processes, in file order, with bounded read-ahead.

Every format cuts its stream into fragments with ``split`` (``ingest.formats``): the cheap part —
framing a USPTO document, serialising an XML record element, reading a CSV row — stays in the
main process. Chunks of fragments go to spawned worker processes, which run ``parse_document``,
the enrichment and :func:`prepare` — the record's stored JSON and its segmented index document
(``iphub.store.prepared.PreparedRecord``), the costliest steps of a load — and send back those
strings rather than Python objects, which were dearer to unpickle in the single writer than to
write. Results come back in input order, so positions — and so checkpoints — mean the same as
in a single-process run, and the items are the ones ``parse`` gives. At most ``workers × 4``
chunks are in flight, each of at most ``TASK`` fragments and ``CHUNK_BYTES`` bytes of them
(and one more fragment): memory grows neither with the file nor with its documents' size. A
stream that breaks mid-file still delivers every fragment read before the break, then the
error, as the single-process parser does. A worker that dies ends the run with
:class:`WorkerFailed` (the checkpoint stays at the last commit; running again resumes) — also
one killed while it wrote a result, which the pool itself never reports (:func:`_result`,
:func:`stop`); workers exit when the loading process dies.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import importlib
import logging
import multiprocessing as mp
import multiprocessing.connection
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from typing import Any, TypeVar

from ingest.parsers.base import Item, Quarantined, Withdrawn
from iphub.records import AnyRecord
from iphub.store.prepared import PreparedRecord

Enrich = Callable[[AnyRecord], AnyRecord]
Prepared = PreparedRecord | Quarantined | Withdrawn
Fragment = tuple[str, Any]  # (position, what ``parse_document`` reads)
CHUNK = 64  # items a step takes at a time (:func:`prepare`)
#: fragments per task sent to a worker: a task has a fixed cost in the pool (submitting, a
#: future, a message each way), and four times ``CHUNK`` loaded a 50,000-record file 4–6% faster
#: with two workers (BENCHMARKS.md, "Compiled with mypyc"); 512 was no faster
TASK = 256
#: fragment bytes per task at most, besides ``TASK``: full-text documents run from 100 KB to
#: megabytes, and a load holds ``workers × (IN_FLIGHT + 1)`` chunks, each with its results
CHUNK_BYTES = 1024 * 1024
IN_FLIGHT = 4  # chunks per worker submitted ahead of the one being read
WATCH = 1.0  # seconds a result is awaited between looks for a dead worker
_log = logging.getLogger(__name__)
T = TypeVar("T")


class WorkerFailed(RuntimeError):
    """A worker process died or raised: the run stops where its last checkpoint says."""


def start(workers: int) -> ProcessPoolExecutor:
    context = mp.get_context("spawn")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker)


#: the cycle collector's thresholds during a load (Python's: 700, 10, 10). A load makes millions
#: of short-lived objects, nearly all freed by their reference counts, and the collector ran
#: about once every 16 records, ≈5% of a load's CPU (BENCHMARKS.md, "One step at a time")
GC_THRESHOLDS = (50_000, 20, 100)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """:data:`GC_THRESHOLDS` while the block runs, the previous thresholds after it."""
    previous = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library has none (musl, macOS)."""
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return None
    return trim


def give_back_memory() -> bool:
    """Return the free pages of the C heap to the system; True if any were returned.

    A load frees as much as it allocates — lxml trees, a batch's JSON, tantivy's and SQLite's
    buffers, from several threads — and glibc keeps freed memory in its heaps for reuse: pages
    between live blocks stay resident, so a process's RSS creeps up over a long load even
    though it holds no more. ``malloc_trim`` hands those pages back (``madvise``); the 1 GB
    DOCDB load peaked at 309–336 MB without it and at 283 with one call per commit
    (BENCHMARKS.md, "Free memory given back"). A few milliseconds a call. Workers are not
    called: a DOCDB worker's 172 MB were the same with a call every 20,000 records.
    """
    trim = _malloc_trim()
    return bool(trim(0)) if trim is not None else False


def _start_worker() -> None:
    """Worker start-up: fewer cycle collections (:data:`GC_THRESHOLDS`; a worker does nothing
    but load), and an exit as soon as the loading process is gone (even SIGKILLed).

    A worker holds both ends of its task pipe, so it would otherwise wait on it forever. Ctrl-C
    reaches every process of the terminal's group: the loading process stops the run and the
    pool, and a worker ignores it (else each printed its own KeyboardInterrupt traceback).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.set_threshold(*GC_THRESHOLDS)
    parent = mp.parent_process()
    if parent is None:
        return

    def watch(sentinel: int) -> None:
        mp.connection.wait([sentinel])
        os._exit(1)

    threading.Thread(target=watch, args=(parent.sentinel,), daemon=True).start()


def _enrich(record: AnyRecord, enrich: Enrich | None) -> AnyRecord:
    if enrich is None:
        return record
    try:
        return enrich(record)
    except Exception:  # noqa: BLE001 - an enrichment bug must not lose the record
        _log.warning("enrichment failed for %s; loaded as parsed", record.id, exc_info=True)
        return record


def prepare(
    items: Iterable[Item], enrich: Enrich | None, batch_id: str | None, keep: bool = True
) -> Iterator[Prepared]:
    """Each record of ``items`` tagged with the batch, enriched and prepared for the store.

    ``keep=False`` leaves the record object out (it is rebuilt from its JSON if ever needed).
    A record the store cannot index is quarantined here with the reason. ``CHUNK`` items at a
    time, step by step — all parsed (read from ``items``), then all enriched, then all prepared
    — which took 15–20% less CPU a record than taking each record through the three steps
    (BENCHMARKS.md, "One step at a time"). ``items`` that break off deliver what they gave
    before the break, then raise.
    """
    for chunk in _chunks(iter(items)):
        enriched = [_tagged(item, enrich, batch_id) for item in chunk]
        for item in enriched:
            if isinstance(item, Quarantined | Withdrawn):
                yield item
                continue
            try:
                yield PreparedRecord.of(item, keep)
            except Exception as exc:  # noqa: BLE001 - one record's oddity must not stop the file
                reason = f"无法索引 / cannot index: {type(exc).__name__}: {exc}"
                yield Quarantined(f"record {item.id}", reason)


def _tagged(item: Item, enrich: Enrich | None, batch_id: str | None) -> Item:
    if isinstance(item, Quarantined | Withdrawn):
        return item
    item.batch_id = batch_id  # indexed (field ``batch``): the alerts match on it
    return _enrich(item, enrich)


def _parse_chunk(
    module: str,
    options: dict[str, Any],
    chunk: list[Fragment],
    enrich: Enrich | None,
    batch_id: str | None,
) -> list[Prepared]:
    parse_document = importlib.import_module(module).parse_document
    items = (item for position, data in chunk for item in parse_document(position, data, **options))
    return list(prepare(items, enrich, batch_id, keep=False))


def _chunks(
    items: Iterator[T], weigh: Callable[[T], int] | None = None, most: int | None = None
) -> Iterator[list[T]]:
    """Lists of ``most`` items (default ``CHUNK``: parsed items in :func:`prepare`; ``TASK``:
    fragments for a worker), or fewer once their ``weigh`` reaches ``CHUNK_BYTES``; a broken
    stream gives its last partial chunk, then raises."""
    most = CHUNK if most is None else most
    chunk: list[T] = []
    size = 0
    try:
        for item in items:
            chunk.append(item)
            if weigh is not None:
                size += weigh(item)
            if len(chunk) == most or size >= CHUNK_BYTES:
                yield chunk
                chunk, size = [], 0
    except Exception as exc:
        if chunk:
            yield chunk
        raise exc
    if chunk:
        yield chunk


def _fragment_bytes(fragment: Fragment) -> int:
    """The size of what a fragment carries: its bytes (XML) or text, else nothing counted
    (a table row, a JSON record: small)."""
    data = fragment[1]
    return len(data) if isinstance(data, bytes | str) else 0


def parse_parallel(
    pool: ProcessPoolExecutor,
    module: str,
    options: dict[str, Any],
    fragments: Iterator[Fragment],
    enrich: Enrich | None,
    workers: int,
    batch_id: str | None = None,
) -> Iterator[Prepared]:
    """The items of ``fragments`` parsed in ``pool``, in order (see the module docstring)."""
    chunks = _chunks(fragments, _fragment_bytes, TASK)
    pending: deque[Future[list[Prepared]]] = deque()
    broken: Exception | None = None
    exhausted = False
    while True:
        while not exhausted and len(pending) < workers * IN_FLIGHT:
            try:
                chunk = next(chunks)
            except StopIteration:
                exhausted = True
            except Exception as exc:  # noqa: BLE001 - raised after what came before is delivered
                exhausted, broken = True, exc
            else:
                try:
                    task = pool.submit(_parse_chunk, module, options, chunk, enrich, batch_id)
                # a worker died since the last submit, or the pool was shut down: not the
                # stream's fault, so not to be taken for its end (the file marked done, unread)
                except BrokenProcessPool as exc:
                    raise WorkerFailed(f"a worker process died: {exc}") from exc
                except RuntimeError as exc:
                    raise WorkerFailed(f"the worker pool takes no more work: {exc}") from exc
                pending.append(task)
        if not pending:
            if broken is not None:
                raise broken
            return
        try:
            results = _result(pool, pending.popleft())
        except BrokenProcessPool as exc:
            raise WorkerFailed(f"a worker process died: {exc}") from exc
        except Exception as exc:
            raise WorkerFailed(f"a worker failed: {type(exc).__name__}: {exc}") from exc
        yield from results


def _result(pool: ProcessPoolExecutor, task: Future[list[Prepared]]) -> list[Prepared]:
    """``task``'s result; :class:`WorkerFailed` once a worker of ``pool`` is found dead while
    it is awaited. The pool notices a dead worker itself, except one killed while it wrote a
    result: its manager thread then waits forever for the rest of that message, and so did
    this process (found by the kill-and-resume test)."""
    while not task.done():
        wait([task], timeout=WATCH)
        if not task.done() and (code := _dead_worker(pool)) is not None:
            raise WorkerFailed(f"a worker process died (exit code {code})")
    return task.result()


def _workers(pool: ProcessPoolExecutor) -> list[Any]:
    """``pool``'s worker processes (``_processes``: the pool's own map of them, kept by every
    CPython since 3.2)."""
    return list((getattr(pool, "_processes", None) or {}).values())


def _dead_worker(pool: ProcessPoolExecutor) -> int | None:
    """The exit code of a worker of ``pool`` that is gone, or None while all live."""
    for process in _workers(pool):
        if process.exitcode is not None:
            return int(process.exitcode)
    return None


def stop(pool: ProcessPoolExecutor, failed: bool) -> None:
    """Shut ``pool`` down without waiting for its tasks. After a worker died (``failed``), the
    others are killed and the pool's manager thread is let go: a worker killed while it wrote
    a result leaves that thread reading the half-written message, and the other workers waiting
    for the pipe's lock it held, forever, and Python joins that thread at exit. With every
    worker gone and this process's own write end of the result pipe closed, the read ends."""
    if failed:
        for process in _workers(pool):
            with suppress(OSError, ValueError):
                process.kill()
        writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
        if writer is not None:
            with suppress(OSError):
                writer.close()
    pool.shutdown(wait=False, cancel_futures=True)
