"""The bulk pipeline: files → parse (→ enrich) → merge → batched upserts, one ingest batch a run.

For each input (``ingest.sources``: files, directory trees, archive members) the format is
sniffed when ``auto``, the stream parsed, bad records written to the batch's quarantine file
while the rest loads, and records upserted ``batch_size`` at a time after merging with what the
store already holds (``ingest.merge``). Every ``commit_every`` records of the run, whichever
files they come from, and at its end, the store is refreshed (committed) and then the checkpoints
of the files read since — fingerprint and position — are written, in that order (``_Writes``: a
delivery of one document per file does not pay a commit per file); a killed run started again
skips the committed positions and, because ids are deterministic and merging idempotent, ends
with the store of one uninterrupted run. A file whose checkpoint says done is skipped unless
``restart``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import lzma
import os
import tarfile
import threading
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import IO, cast

from ingest import formats, sources, workers
from ingest.merge import is_merge, merge, sources_of
from ingest.parsers.base import Quarantined, Withdrawn
from ingest.parsers.json_stream import holds_no_records
from ingest.quarantine import QuarantineFile
from ingest.workers import Enrich
from iphub.records import RECORD_KINDS, AnyRecord
from iphub.store.base import Batch, Store, this_process
from iphub.store.prepared import PreparedRecord

Progress = Callable[[int, int], None]  # (items read, quarantined) since the last call


@dataclass
class Options:
    fmt: str = "auto"
    batch_size: int = 500  # records held for one upsert: ≈25 KB each in memory (USPTO full text)
    commit_every: int = 20_000
    workers: int = 1
    quarantine_dir: Path = Path("var/quarantine")
    mapping: dict[str, str] | None = None
    restart: bool = False
    enrich: Enrich | None = None
    # set to stop the run at its next record (Ctrl-C, see ``iphub.cli.loading``): what was read
    # is committed with its checkpoints, and :class:`Interrupted` is raised
    stop: threading.Event = field(default_factory=threading.Event)

    @cached_property
    def mapping_key(self) -> str | None:
        """What the run's column mapping adds to the default one, as a short digest (None
        when nothing): a file's checkpoint holds for the mapping it was read with. The default
        mapping itself is left out, so a release that maps one more column by default does
        not read every file loaded before again. Worked out once a run, not once a file."""
        if not self.mapping:
            return None
        from ingest.parsers.mapped import DEFAULT_MAPPING

        own = {k: v for k, v in self.mapping.items() if DEFAULT_MAPPING.get(k) != v}
        if not own:
            return None
        text = json.dumps(own, ensure_ascii=False, sort_keys=True).encode()
        return hashlib.sha256(text).hexdigest()[:16]


class Interrupted(Exception):  # noqa: N818 - a request, not a fault
    """The run stopped when asked (``Options.stop``), its reading committed: the same command
    resumes where it stopped."""


@dataclass
class FileSummary:
    file: str
    format: str = "?"
    read: int = 0
    loaded: int = 0
    merged: int = 0
    quarantined: int = 0
    #: documents the delivery withdrew (DOCDB's status D): removed from the store, or not in it
    withdrawn: int = 0
    seconds: float = 0.0
    resumed_at: int = 0
    #: the runs stopped while loading this file (their batches), oldest first: what they
    #: loaded is in the store under their batch ids, finished by the run itself (Ctrl-C) or,
    #: killed, by the next run (``take_up``)
    earlier_batches: list[str] = field(default_factory=list)
    skipped: bool = False
    refused: str | None = None  # why the whole file was quarantined (unsupported, no header …)


@dataclass
class RunSummary:
    batch_id: str
    quarantine_file: Path
    files: list[FileSummary] = field(default_factory=list)
    attachments: int = 0  # images, PDFs, DTDs, checksums met and left aside (sources.ATTACHMENTS)
    #: quarantined records by kind of reason (``quarantine.reason_kind``), commonest first
    reasons: list[tuple[str, int]] = field(default_factory=list)
    #: batches of killed runs (``orphaned``) this one finished with the records they hold
    #: (oldest first): the alerts match them too, as they would one uninterrupted run
    continued: list[str] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(int(getattr(f, name)) for f in self.files)


def ingest(
    store: Store,
    paths: list[Path],
    options: Options,
    progress: Progress | None = None,
    begun: Callable[[str], None] | None = None,
) -> RunSummary:
    """Load ``paths`` into ``store`` as one batch. ``begun`` is told the batch's id as soon as
    the batch is begun: a failure before that (the store could not be opened) left nothing to
    resume, and a run stopped after it (:class:`Interrupted`) finished that batch."""
    with workers.fewer_collections():
        return _ingest(store, paths, options, progress, begun)


def _ingest(
    store: Store,
    paths: list[Path],
    options: Options,
    progress: Progress | None,
    begun: Callable[[str], None] | None,
) -> RunSummary:
    batch_id = store.begin_batch(f"ingest:{options.fmt}")
    if begun is not None:
        begun(batch_id)
    _LOADING.add(batch_id)
    try:
        summary = _load_batch(store, batch_id, paths, options, progress)
        summary.continued = take_up(store)
    except Interrupted:  # what it read is committed: its batch holds it, finished now
        store.finish_batch(batch_id, held(store, batch_id))
        raise
    finally:
        _LOADING.discard(batch_id)
    store.finish_batch(batch_id, summary.total("loaded"))
    if not summary.files:  # an empty delivery: nothing for the alerts, and the run says so
        store.mark_alerted(batch_id)  # and stops; else every later run matched it as "earlier"
    store.set_checkpoint(f"batch:{batch_id}", json.dumps([asdict(f) for f in summary.files]))
    return summary


def _load_batch(
    store: Store, batch_id: str, paths: list[Path], options: Options, progress: Progress | None
) -> RunSummary:
    quarantine = QuarantineFile(options.quarantine_dir, batch_id)
    summary = RunSummary(batch_id, quarantine.path)
    pool = workers.start(options.workers) if options.workers > 1 else None
    writes = _Writes(store, options.batch_size, options.commit_every, batch_id)
    failed = False
    try:
        own = [options.quarantine_dir, *store.local_files()]  # never read as input
        for src in sources.walk(paths, skip=own):
            if options.stop.is_set():
                writes.commit()
                raise Interrupted
            if src.attachment:
                summary.attachments += 1
                continue
            loader = _FileLoad(store, src, batch_id, quarantine, options, progress, pool, writes)
            done = loader.run()
            if done.format == formats.MANIFEST:
                summary.attachments += 1
            else:
                summary.files.append(done)
        writes.commit()
    except workers.WorkerFailed:
        failed = True
        raise
    finally:
        quarantine.close()
        summary.reasons = quarantine.reasons.most_common()
        if pool is not None:
            workers.stop(pool, failed)
    return summary


#: quarantine entries held for the next commit at most (``_Writes.hold``): raw fragments are
#: cut to ``quarantine.RAW_LIMIT``, so a few MB
HELD = 2_000

#: a batch whose heartbeat is older than this is left over, whatever its process: a run
#: touches its batch at each commit (``commit_every`` records) and every minute it reports
STALE = dt.timedelta(hours=1)
#: the batches this process is loading now (runs in one process share its id: tests, the API)
_LOADING: set[str] = set()


def held(store: Store, batch_id: str) -> int:
    """The records the store holds under ``batch_id`` (committed ones)."""
    return sum(1 for kind in RECORD_KINDS for _ in store.scan_batch_ids(kind, batch_id))


def orphaned(batch: Batch, now: dt.datetime | None = None) -> bool:
    """Whether ``batch`` is a load's batch left open by a run that no longer runs: killed
    (SIGKILL, the OOM killer, a power cut), stopped by a second Ctrl-C, a worker's death or an
    unavailable store. Its process is gone from this host; or it ran on another host (a shared
    Elasticsearch) and its heartbeat is older than :data:`STALE`; or it is from before batches
    named their process. A live run's batch, this process's or another's, is never orphaned,
    so a second ``iphub ingest`` at the same time leaves the first's alone."""
    if batch.finished is not None or not batch.source.startswith("ingest:"):
        return False  # a crawl's or a retag's open batch is resumed by its own command
    if batch.id in _LOADING:
        return False
    if batch.host is None or batch.pid is None:
        return True
    now = now or dt.datetime.now(dt.UTC)
    if now - (batch.heartbeat or batch.started) > STALE:
        return True
    host, pid = this_process()
    if batch.host != host:
        return False
    return batch.pid == pid or not _alive(batch.pid)  # this process loads it no more


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process (PermissionError): there
        return True
    return True


def take_up(store: Store) -> list[str]:
    """The batches of stopped runs (:func:`orphaned`), finished now with the records they hold,
    oldest first: a run killed midway never finished its batch, so the records it committed
    were in no finished batch, and the alerts never saw them. The alerts match them as any
    finished batch (``Batch.alerted``)."""
    taken = [b.id for b in store.batches() if orphaned(b)]
    for batch in taken:
        store.finish_batch(batch, held(store, batch))
    return taken


class _Writes:
    """A run's writes: records batched across files, the store's commits, and the file
    checkpoints that wait for them.

    Records are upserted ``batch_size`` at a time whichever files they come from, after merging
    with what the store holds (one ``get_many`` a batch). A checkpoint may be written only once
    the records before its position are committed: a commit comes every ``every`` records of the
    run and at its end, and a file that ends in between leaves its checkpoint waiting for the
    next one. Per file, a delivery of one document per file (CNIPA's) cost a tantivy commit
    and a store query each: 54 records/s. A run killed with checkpoints waiting loads those
    files again (the same records: nothing changes).
    """

    def __init__(self, store: Store, batch_size: int, every: int, batch_id: str) -> None:
        self.store, self.batch_size, self.every = store, batch_size, every
        self.batch_id = batch_id
        self.beaten = time.monotonic()  # when the batch's heartbeat was last written
        self.since = 0  # records read since the last commit
        self.waiting: dict[str, str] = {}
        #: records for the next upsert: each version of an id as read, in order, with the file
        #: it came from (each is counted loaded, or quarantined)
        self.pending: dict[str, list[tuple[PreparedRecord, _FileLoad]]] = {}
        #: documents withdrawn by the delivery, applied after the batch's upsert
        self.withdrawals: dict[str, tuple[Withdrawn, list[_FileLoad]]] = {}
        #: quarantine entries since the last commit, written with its checkpoints (``hold``)
        self.held: list[tuple[QuarantineFile, str, Quarantined]] = []

    def add(self, item: PreparedRecord, source: _FileLoad) -> None:
        if item.id in self.withdrawals:  # withdrawn, then delivered again: in that order
            self.flush()
        versions = self.pending.get(item.id)
        if versions is None:
            self.pending[item.id] = [(item, source)]
        else:  # read again before its batch was written: merged in order at the upsert
            versions.append((item, source))
        if len(self.pending) >= self.batch_size:
            self.flush()

    def withdraw(self, item: Withdrawn, source: _FileLoad) -> None:
        if item.id in self.pending:  # delivered, then withdrawn: in that order
            self.flush()
        self.withdrawals.setdefault(item.id, (item, []))[1].append(source)
        if len(self.pending) + len(self.withdrawals) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        self._upsert()
        self._withdraw()

    def _withdraw(self) -> None:
        """Remove the withdrawn documents the withdrawing sources alone gave (one ``get_many``
        and one ``delete`` a batch); a document another source gave too stays, and its notice
        is quarantined saying why."""
        if not self.withdrawals:
            return
        withdrawals, self.withdrawals = self.withdrawals, {}
        held = self.store.get_many(list(withdrawals))
        gone: list[str] = []
        kept: set[_FileLoad] = set()
        for rid, (item, owners) in withdrawals.items():
            record = held.get(rid)
            others = [s for s in (sources_of(record) if record else []) if s not in item.sources]
            for source in owners:
                if others:
                    reason = f"{item.reason}; 另有来源，保留 / kept: also from {', '.join(others)}"
                    source.quarantine(Quarantined(item.position, reason))
                    kept.add(source)
                else:
                    source.summary.withdrawn += 1
            if record is not None and not others:
                gone.append(rid)
        if gone:
            self.store.delete(gone)
        for source in kept:
            source.report()

    def _upsert(self) -> None:
        if not self.pending:
            return
        pending, self.pending = self.pending, {}
        existing = self.store.get_many(list(pending))
        batch: list[PreparedRecord | AnyRecord] = []
        for rid, versions in pending.items():
            batch.append(_folded(existing.get(rid), versions))
        report = self.store.upsert(batch)
        failed = dict(report.failed)
        refused: set[_FileLoad] = set()
        for rid, versions in pending.items():
            for _, source in versions:
                if rid in failed:
                    reason = f"存储拒收 / store rejected: {failed[rid]}"
                    source.quarantine(Quarantined(f"record {rid}", reason))
                    refused.add(source)
                else:
                    source.summary.loaded += 1
        for source in refused:  # its file may have ended: the bar counts them still
            source.report()

    def checkpoint(self, key: str, value: str) -> None:
        """``key``'s checkpoint, written at the next commit: now, if it is due."""
        self.waiting[key] = value
        self.commit_if_due()

    def commit_if_due(self) -> None:
        """Commit if ``every`` records were read since the last commit (at a file's end, or
        a refused file's: where a checkpoint would come)."""
        if self.since >= self.every:
            self.commit()

    def hold(self, q: QuarantineFile, file: str, item: Quarantined) -> None:
        """A quarantine entry, written at the next commit with the checkpoints past it: a run
        killed before that commit reads its record again, and quarantines it once then. Bounded
        (a file of nothing but bad records commits every :data:`HELD` entries)."""
        self.held.append((q, file, item))
        if len(self.held) >= HELD:
            self.commit()

    def commit(self) -> None:
        self.flush()
        self.store.refresh()
        workers.give_back_memory()  # what the records since the last commit left free
        held, self.held = self.held, []
        for q, file, item in held:  # before the checkpoints that pass them
            q.write(file, item)
        for key, value in self.waiting.items():
            self.store.set_checkpoint(key, value)
        self.waiting.clear()
        self.since = 0
        self.beat(0)

    def beat(self, every: float = 60) -> None:
        """Touch the batch's heartbeat, if ``every`` seconds passed since the last time: the
        run is alive (``orphaned``)."""
        if time.monotonic() - self.beaten >= every:
            self.store.touch_batch(self.batch_id)
            self.beaten = time.monotonic()


class _FileLoad:
    def __init__(
        self,
        store: Store,
        src: sources.Source,
        batch_id: str,
        quarantine: QuarantineFile,
        options: Options,
        progress: Progress | None,
        pool: ProcessPoolExecutor | None,
        writes: _Writes,
    ) -> None:
        self.store, self.src, self.batch_id, self.q = store, src, batch_id, quarantine
        self.options, self.progress, self.pool = options, progress, pool
        self.writes = writes
        self.summary = FileSummary(src.name)
        self.key = f"ingest:{sources.key(src)}"
        self._reported = (0, 0)

    def run(self) -> FileSummary:
        started = time.perf_counter()
        try:
            self._run()
        finally:
            self.summary.seconds = round(time.perf_counter() - started, 3)
        return self.summary

    def _checkpoint(self, position: int, done: bool) -> None:
        """This file's checkpoint, written at the next commit (``_Writes.checkpoint``); none
        for a file refused whole (a table without its columns, as any file of
        :meth:`_whole_file`; an API's response in it that reports a failure, even after pages
        that loaded: the download failed), read again by the next run. Such a file refused
        after records was marked done, and the next run passed it as "done before"."""
        if self.summary.refused is not None:
            self.writes.commit_if_due()  # the commit the checkpoint was to come with
            return
        value = {
            "fingerprint": self.src.fingerprint,
            "format": self.options.fmt,  # as asked for: a position means something in it alone
            "read_as": self.summary.format,  # as sniffed, when auto: the summary of a skip shows it
            "mapping": self.options.mapping_key,
            "position": position,
            "done": done,
            # the runs that loaded this file so far, this one last (a killed run's batch is
            # finished by the next run: ``take_up``)
            "batches": [*self.summary.earlier_batches, self.batch_id],
        }
        self.writes.checkpoint(self.key, json.dumps(value))

    def _run(self) -> None:
        saved = json.loads(self.store.get_checkpoint(self.key) or "null")
        start = 0
        if saved and (
            saved.get("format", "auto") != self.options.fmt
            or saved.get("mapping") != self.options.mapping_key
            or saved.get("read_as") == "?"
        ):
            # read before as another format (a mistaken --format?), or its columns mapped
            # otherwise (a table refused for its columns, the --mapping its reason asked for
            # given now), or refused whole by a release that marked such a file done (its
            # format never known): afresh
            saved = None
        if saved and saved["fingerprint"] == self.src.fingerprint and not self.options.restart:
            if saved["done"]:
                self.summary.skipped = True
                asked = self.options.fmt if self.options.fmt != "auto" else "?"
                self.summary.format = saved.get("read_as") or asked
                return
            start = self.summary.resumed_at = int(saved["position"])
            self.summary.earlier_batches = [
                b for b in saved.get("batches", ()) if b != self.batch_id
            ]
        if self.src.refused:
            self._whole_file(self.src.refused, b"")
            return
        try:
            stream = self.src.open()
        except (OSError, ValueError) as exc:
            self._whole_file(f"无法打开 / cannot open: {exc}", b"")
            return
        with stream:
            if not isinstance(stream, io.BufferedReader):
                stream = io.BufferedReader(cast(io.RawIOBase, stream), 1024**2)
            try:
                head = stream.peek(formats.SNIFF_BYTES)[: formats.SNIFF_BYTES]
            # a corrupt gzip, a zip member failing its CRC, a bomb
            except (
                OSError,
                EOFError,
                ValueError,
                zlib.error,
                lzma.LZMAError,
                zipfile.BadZipFile,
                tarfile.TarError,
            ) as exc:
                self._whole_file(f"无法读取 / unreadable: {type(exc).__name__}: {exc}", b"")
                return
            if not head.strip():
                self._whole_file("空文件 / empty file (nothing in it but white space)", head)
                return
            fmt = self.options.fmt
            if fmt == "auto":
                fmt = formats.sniff(head, self.src.name) or ""
            elif (wrong := formats.mismatch(fmt, head, self.src.name)) is not None:
                self._whole_file(wrong, head)
                return
            if not fmt:
                self._whole_file(formats.unsupported(head, self.src.name), head)
                return
            self.summary.format = fmt
            if fmt == formats.MANIFEST:  # a package index: the loop counts it as an attachment
                return
            end = self._load(_to_the_break(self._items(fmt, stream, start), stream), start)
            empty = start == 0 and self.summary.read == self.summary.quarantined == 0
            if empty and not (formats.kind_of(fmt) == "json" and holds_no_records(head)):
                # not one record, not one bad record: the file is in another format (a forced
                # --format), or holds none (a table with a header only). Said, not passed over.
                # JSON is empty only where it is seen to hold none (``[]``, an API's last page
                # with no records: ``json_stream.holds_no_records``), not whenever nothing came
                # of it: a page whose records the reader missed was "no records", exit code 0.
                reason = f"没有 {fmt} 格式的记录 / no {fmt} records found (is it in that format?)"
                self._whole_file(reason, head)
            else:
                self._checkpoint(end, done=True)
                self.report()

    def _items(self, fmt: str, stream: IO[bytes], start: int) -> Iterator[workers.Prepared]:
        enrich, n = self.options.enrich, self.options.workers
        if self.pool is not None:
            module = formats.module(fmt)
            options = formats.options(fmt, self.options.mapping)
            fragments = module.split(stream, start, **options)
            return workers.parse_parallel(
                self.pool, module.__name__, options, fragments, enrich, n, self.batch_id
            )
        parse = formats.parser(fmt, self.options.mapping)
        return workers.prepare(parse(stream, start), enrich, self.batch_id)

    def _whole_file(self, reason: str, head: bytes) -> None:
        """Quarantine the file whole, with its first bytes (none when they are binary).

        No checkpoint says it done (:meth:`_checkpoint`), nor where it stopped: the next run
        reads it again — cheaply, refused from its first bytes or its header —
        and refuses it again with the reason, until the --format or --mapping it needs is
        given or it is taken away. Marked done, a re-run of a bad delivery listed it as "done
        before" and exited 0, its refusal unsaid."""
        raw = "" if formats.is_binary(head) else head[:500].decode("utf-8", "replace")
        self.quarantine(Quarantined("file", reason, raw))
        self.report()

    def quarantine(self, item: Quarantined) -> None:
        self.writes.hold(self.q, self.src.name, item)
        self.summary.quarantined += 1
        if item.position == "file":
            self.summary.refused = item.reason

    def _load(self, items: Iterator[workers.Prepared], start: int) -> int:
        """Read ``items`` from position ``start`` to their end, or until the run is asked to
        stop (:class:`Interrupted`); the position of the end, for the caller's checkpoint."""
        position = start
        writes = self.writes
        while True:
            try:
                item = next(items)
            except StopIteration:
                break
            except workers.WorkerFailed:
                raise  # not the file's fault: stop at the last checkpoint, resumable
            except Exception as exc:  # noqa: BLE001 - a broken stream ends the file, not the run
                reason = (
                    "此处之后无法读取 / stream unreadable after this position:"
                    f" {type(exc).__name__}: {exc}"
                )
                self.quarantine(Quarantined(f"after position {position}", reason))
                break
            position += 1
            if not (isinstance(item, Quarantined) and item.position == "file"):
                self.summary.read += 1  # a file refused whole (no header) read no record
            writes.since += 1
            if isinstance(item, Quarantined):
                self.quarantine(item)
            elif isinstance(item, Withdrawn):
                writes.withdraw(item, self)
            else:
                writes.add(item, self)
            if writes.since >= writes.every:
                self._checkpoint(position, done=False)  # flushes, then commits
            if position % self.options.batch_size == 0:
                self.report()
            if self.options.stop.is_set():  # stop here, nothing read left uncommitted
                self._checkpoint(position, done=False)
                if writes.waiting:  # the checkpoint waits for a commit: now (else it made one)
                    writes.commit()
                self.report()
                raise Interrupted
        return position

    def report(self) -> None:
        """Tell the progress bar what this file read and quarantined since the last call."""
        self.writes.beat()
        if self.progress is not None:
            read, quarantined = self.summary.read, self.summary.quarantined
            self.progress(read - self._reported[0], quarantined - self._reported[1])
            self._reported = (read, quarantined)


def _to_the_break(
    items: Iterator[workers.Prepared], stream: IO[bytes]
) -> Iterator[workers.Prepared]:
    """``items``, then the error that broke ``stream`` when the parser took the break for the
    end of the file (``sources.unmet_break``): the rest of the file is quarantined for it."""
    yield from items
    broken = sources.unmet_break(stream)
    if broken is not None:
        raise broken


def _folded(
    stored: AnyRecord | None, versions: list[tuple[PreparedRecord, _FileLoad]]
) -> PreparedRecord | AnyRecord:
    """What the store holds for an id after the versions a batch read of it, merged one by one
    onto the stored record in the order they were read (each counted merged to its file when
    it joins another source's record): as if each had been written on its own, so the result
    does not depend on where batches end or where a stopped run resumed."""
    current: PreparedRecord | AnyRecord
    if stored is None:  # new to the store: its first version written as prepared
        current, later = versions[0][0], versions[1:]
    else:
        current, later = stored, versions
    for item, source in later:
        earlier, new = _record(current), item.record()
        source.summary.merged += is_merge(earlier, new)
        current = merge(earlier, new)  # the store indexes the result afresh
    return current


def _record(item: PreparedRecord | AnyRecord) -> AnyRecord:
    return item.record() if isinstance(item, PreparedRecord) else item
