"""``--workers N`` for every format: the same records, quarantine and checkpoints as one process."""

from __future__ import annotations

import csv
import gc
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from openpyxl import Workbook

from bench.synth_ingest import uspto_weekly
from ingest import workers
from ingest.load import Options, RunSummary, ingest
from ingest.parsers import uspto
from ingest.parsers.base import Item, Quarantined
from ingest.quarantine import read
from iphub.records import Patent
from iphub.store.embedded import EmbeddedStore
from iphub.store.plan import All
from iphub.store.prepared import PreparedRecord
from tests.ingest.conftest import FIXTURES, ROOT
from tests.utils.factories import make_patent

HEADER = ["申请号", "申请日", "公开（公告）号", "名称", "摘要", "申请（专利权）人"]


def _row(i: int) -> list[str]:
    date = "2021-13-45" if i % 50 == 7 else f"2021-03-{1 + i % 28:02d}"  # every 50th: bad date
    return [f"20211{i:07d}", date, f"CN{114000000 + i}A", f"一种锂电池{i}", "摘要", "广州甲公司"]


def every_format(root: Path) -> Path:
    """A tree with a file of every format, bad records and a stream cut mid-record."""
    root.mkdir()
    for fixture in [*FIXTURES.glob("*.xml"), FIXTURES / "export.xls"]:
        shutil.copy(fixture, root / fixture.name)
    whole = (FIXTURES / "st96-trademarks.xml").read_bytes()
    cut = whole[: whole.index(b"<tmk:Trademark>", 400)] + b"<tmk:Trademark><com:Appl"
    (root / "st96-cut.xml").write_bytes(cut)
    uspto_weekly(root / "weekly.xml", 150)
    with (root / "export.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(_row(i) for i in range(200))
    lines = [json.dumps(dict(zip(HEADER, _row(i), strict=True))) for i in range(200, 300)]
    lines[10] = '{"申请号": broken'
    (root / "export.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    objects = [dict(zip(HEADER, _row(i), strict=True)) for i in range(300, 340)]
    (root / "export.json").write_text(json.dumps([*objects, "not a row"]), encoding="utf-8")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for i in range(340, 420):
        sheet.append(_row(i))
    book.save(root / "export.xlsx")
    return root


def load(db: Path, tree: Path, quarantine: Path, n: int) -> tuple[dict[str, object], RunSummary]:
    store = EmbeddedStore(db)
    try:
        options = Options(quarantine_dir=quarantine, workers=n, batch_size=40, commit_every=70)
        summary = ingest(store, [tree], options)
        records = {
            r.id: r.model_dump(mode="json", exclude={"batch_id"})
            for kind in ("patent", "trademark")
            for r in store.scan(kind, All())  # type: ignore[arg-type]
        }
        checkpoints = {  # without the runs' batch ids, as the records are
            Path(f.file).name: {
                name: value
                for name, value in json.loads(
                    store.get_checkpoint(f"ingest:{Path(f.file).resolve()}") or "{}"
                ).items()
                if name != "batches"
            }
            for f in summary.files
        }
        return {"records": records, "checkpoints": checkpoints}, summary
    finally:
        store.close()


def test_workers_load_every_format_like_one_process(tmp_path: Path) -> None:
    tree = every_format(tmp_path / "in")
    one, one_summary = load(tmp_path / "one.db", tree, tmp_path / "q1", 1)
    two, two_summary = load(tmp_path / "two.db", tree, tmp_path / "q2", 2)
    formats = {f.format for f in two_summary.files}
    assert {"uspto", "epo", "cnipa", "st96", "uspto-tm", "csv", "jsonl", "json", "xlsx"} <= formats
    assert two == one
    records = one["records"]
    assert isinstance(records, dict)
    assert len(records) > 400
    assert "CN114000001A" in records
    assert "CN114000419A" in records
    assert "CN114000007A" not in records  # its row has a bad date: quarantined, not loaded

    def entries(summary: RunSummary) -> list[tuple[str, str, str]]:
        return [
            (Path(e["file"]).name, e["position"], e["reason"])
            for e in read(summary.quarantine_file)
        ]

    assert sorted(entries(two_summary)) == sorted(entries(one_summary))
    positions = {(file, position) for file, position, _ in entries(one_summary)}
    assert ("export.csv", "row 9") in positions  # the data row of i = 7
    assert ("export.jsonl", "line 11") in positions
    assert ("export.json", "item 41") in positions
    assert ("st96-cut.xml", "Trademark 2 (line 27)") in positions  # cut inside that record
    for a, b in zip(one_summary.files, two_summary.files, strict=True):
        assert (a.file, a.read, a.loaded, a.quarantined) == (
            b.file,
            b.read,
            b.loaded,
            b.quarantined,
        )


def test_workers_resume_from_a_checkpoint_and_stay_idempotent(tmp_path: Path) -> None:
    tree = every_format(tmp_path / "in")
    db = tmp_path / "iphub.db"
    first, _ = load(db, tree, tmp_path / "q", 2)
    store = EmbeddedStore(db)
    try:  # pretend the CSV load was killed after 70 rows
        key = f"ingest:{(tree / 'export.csv').resolve()}"
        saved = json.loads(store.get_checkpoint(key) or "{}")
        store.set_checkpoint(key, json.dumps({**saved, "position": 70, "done": False}))
    finally:
        store.close()
    again, summary = load(db, tree, tmp_path / "q", 2)
    assert again == first
    by_name = {Path(f.file).name: f for f in summary.files}
    assert by_name["export.csv"].resumed_at == 70
    assert by_name["export.csv"].read == 200 - 70
    assert all(f.skipped for name, f in by_name.items() if name != "export.csv")


def test_a_dying_worker_stops_the_run_without_marking_the_file_done(tmp_path: Path) -> None:
    data = uspto_weekly(tmp_path / "weekly.xml", 200)
    store = EmbeddedStore(tmp_path / "iphub.db")
    options = Options(quarantine_dir=tmp_path / "q", workers=2, enrich=_explode, commit_every=64)
    try:
        with pytest.raises(workers.WorkerFailed):
            ingest(store, [data], options)
        saved = json.loads(store.get_checkpoint(f"ingest:{data.resolve()}") or "null")
        assert saved is None or not saved["done"]
    finally:
        store.close()


def test_a_worker_that_died_between_tasks_is_a_worker_failure_not_the_end_of_the_file() -> None:
    """A worker can die while none of its tasks is pending: the next submit meets the broken
    pool. That must stop the run like any worker failure, not pass for a stream that ended
    (which would mark the file done with its rest unread)."""
    pool = workers.start(2)
    try:
        with pytest.raises(BrokenProcessPool):
            pool.submit(os._exit, 3).result(timeout=60)
        fragments = iter([("document 1 at byte 0", b"<never-parsed/>")])
        with pytest.raises(workers.WorkerFailed, match="a worker process died"):
            list(workers.parse_parallel(pool, "ingest.parsers.uspto", {}, fragments, None, 2))
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


_HALF_WRITTEN = """
import os, signal, struct, sys, time
from pathlib import Path
from bench.synth_ingest import uspto_weekly
from ingest import workers
from ingest.parsers import uspto

if __name__ == "__main__":  # spawned workers import this module too
    data = uspto_weekly(Path(sys.argv[1]), 3000)
    pool = workers.start(2)
    results = workers.parse_parallel(
        pool, "ingest.parsers.uspto", {}, uspto.split(data.open("rb")), None, 2
    )
    next(results)  # the workers run
    queue = pool._result_queue
    queue._wlock.acquire()  # as a worker killed mid-write leaves it: held, half a message sent
    os.write(queue._writer.fileno(), struct.pack("!i", 1 << 20) + b"\\x80" * 10)
    os.kill(next(iter(pool._processes)), signal.SIGKILL)
    started = time.monotonic()
    try:
        for _ in results:
            pass
    except workers.WorkerFailed as exc:
        print(f"WorkerFailed after {time.monotonic() - started:.1f} s: {exc}", flush=True)
        workers.stop(pool, failed=True)
        sys.exit(3)
"""


def test_a_worker_killed_while_it_wrote_a_result_stops_the_run_and_the_process_exits(
    tmp_path: Path,
) -> None:
    """A worker killed mid-write (the OOM killer, say) leaves half a message in the result
    pipe and its lock held: the pool's manager thread waits forever for the rest, the pool
    never reports the worker, and the loading process hung — then hung again at exit, where
    Python joins that thread. The state is made here as such a kill leaves it (the lock taken,
    half a message written, a worker killed); the run must stop with ``WorkerFailed`` and the
    process exit. It runs in a process of its own, which must end."""
    script = tmp_path / "half_written.py"
    script.write_text(_HALF_WRITTEN)
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(script), str(tmp_path / "weekly.xml")],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 3, done.stderr
    assert "WorkerFailed after" in done.stdout
    assert "a worker process died (exit code -9)" in done.stdout


def _explode(record: Patent) -> Patent:
    if record.id.endswith("0100B2"):
        os._exit(3)  # the worker process dies mid-chunk, as if killed
    return record


def test_a_record_that_cannot_be_prepared_is_quarantined_whatever_the_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A pure unit: ``PreparedRecord.of`` made to fail as a bug met by one odd record would."""
    odd = make_patent(id="CN114000002A")
    real = PreparedRecord.of

    def of(record: Patent, keep: bool = True) -> PreparedRecord:
        if record.id == odd.id:
            raise RecursionError("maximum recursion depth exceeded")
        return real(record, keep)

    monkeypatch.setattr(PreparedRecord, "of", of)
    items = [make_patent(id="CN114000001A"), odd, make_patent(id="CN114000003A")]
    out = list(workers.prepare(items, None, "b1"))
    assert [type(i).__name__ for i in out] == ["PreparedRecord", "Quarantined", "PreparedRecord"]
    assert isinstance(out[1], Quarantined)
    assert out[1].reason == (
        "无法索引 / cannot index: RecursionError: maximum recursion depth exceeded"
    )


def test_records_before_a_break_in_the_stream_are_prepared_then_the_break_is_raised() -> None:
    """``prepare`` works a chunk at a time; a stream that breaks in the middle of a chunk still
    gives the records read before the break, in order, then its error (for the quarantine's
    "stream unreadable after this position")."""

    def stream() -> Iterator[Item]:
        yield make_patent(id="CN114000001A")
        yield Quarantined("record 2", "bad date")
        yield make_patent(id="CN114000003A")
        raise EOFError("compressed file ended before the end-of-stream marker")

    out: list[workers.Prepared] = []
    with pytest.raises(EOFError):
        out.extend(workers.prepare(stream(), None, "b1"))
    assert [getattr(i, "id", None) or i.position for i in out] == [
        "CN114000001A", "record 2", "CN114000003A",
    ]  # fmt: skip
    assert {i.batch_id for i in out if isinstance(i, PreparedRecord)} == {"b1"}


def test_a_chunk_of_large_documents_is_cut_by_its_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A task held its count of fragments whatever their size: 64 full-text documents of a
    megabyte, eight tasks in flight, were half a gigabyte in the loading process. A chunk now
    ends once its fragments reach ``CHUNK_BYTES`` (the one that crosses it included); the
    documents come back all, in order, as one process parses them."""
    weekly = (FIXTURES / "uspto-weekly.xml").open("rb")
    with weekly:
        fragments = list(uspto.split(weekly)) * 4  # 12 documents of 1–2 KB
    sizes = [len(data) for _, data in fragments]
    monkeypatch.setattr(workers, "CHUNK_BYTES", 3000)
    chunks = list(workers._chunks(iter(fragments), workers._fragment_bytes))
    assert [f for c in chunks for f in c] == fragments
    assert all(sum(len(d) for _, d in c[:-1]) < 3000 for c in chunks)
    assert all(sum(len(d) for _, d in c) >= 3000 for c in chunks[:-1])
    assert max(len(c) for c in chunks) < len(fragments)
    monkeypatch.setattr(workers, "CHUNK_BYTES", sum(sizes))  # by count again
    monkeypatch.setattr(workers, "CHUNK", 5)
    assert [len(c) for c in workers._chunks(iter(fragments), workers._fragment_bytes)] == [5, 5, 2]
    assert [len(c) for c in workers._chunks(iter(fragments), None, 7)] == [7, 5]

    monkeypatch.setattr(workers, "CHUNK", 64)
    monkeypatch.setattr(workers, "CHUNK_BYTES", 3000)
    submitted: list[int] = []
    pool = workers.start(2)

    class Counting:  # the pool, counting the fragments of each task it is given
        def __getattr__(self, name: str) -> object:
            return getattr(pool, name)

        def submit(self, fn: object, *args: object) -> object:
            submitted.append(len(args[2]))  # type: ignore[arg-type]
            return pool.submit(fn, *args)  # type: ignore[arg-type]

    try:
        parsed = list(
            workers.parse_parallel(
                Counting(),  # type: ignore[arg-type]
                "ingest.parsers.uspto", {}, iter(fragments), None, 2,
            )
        )  # fmt: skip
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    assert submitted == [len(c) for c in chunks]
    alone = [i for p, d in fragments for i in uspto.parse_document(p, d)]
    assert [getattr(i, "id", None) or i.position for i in parsed] == [
        getattr(i, "id", None) or i.position for i in alone
    ]


def test_a_load_collects_cycles_less_often_and_gives_the_thresholds_back(tmp_path: Path) -> None:
    seen: list[tuple[int, int, int]] = []

    def progress(_read: int, _quarantined: int) -> None:
        seen.append(gc.get_threshold())

    before = gc.get_threshold()
    store = EmbeddedStore(tmp_path / "iphub.db")
    try:
        ingest(
            store,
            [uspto_weekly(tmp_path / "w.xml", 20)],
            Options(quarantine_dir=tmp_path / "q"),
            progress,
        )
    finally:
        store.close()
    assert seen
    assert set(seen) == {workers.GC_THRESHOLDS}
    assert gc.get_threshold() == before != workers.GC_THRESHOLDS


_FRAGMENTED_HEAP = """
import psutil
from ingest import workers

# 100 KB blocks, under glibc's threshold for a mapping of their own: they come from the heap,
# and keeping every tenth leaves the freed ones between live blocks, where the heap cannot shrink
blocks = [bytearray(100_000) for _ in range(1000)]
kept = blocks[::10]
del blocks
before = psutil.Process().memory_info().rss
given = workers.give_back_memory()
print(given, before - psutil.Process().memory_info().rss)
"""


def test_memory_freed_between_live_blocks_goes_back_to_the_system() -> None:
    if workers._malloc_trim() is None:
        pytest.skip("the C library has no malloc_trim (not glibc): nothing to give back with")
    out = subprocess.run(  # noqa: S603 - a fresh interpreter: its heap holds only these blocks
        [sys.executable, "-c", _FRAGMENTED_HEAP],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.split()
    assert out[0] == "True"
    assert int(out[1]) > 50 * 2**20  # ≈90 MB freed, held until given back


def test_a_load_gives_free_memory_back_at_each_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    store = EmbeddedStore(tmp_path / "iphub.db")
    monkeypatch.setattr(workers, "give_back_memory", lambda: calls.append(store.count()))
    try:
        ingest(
            store,
            [uspto_weekly(tmp_path / "w.xml", 25)],
            Options(quarantine_dir=tmp_path / "q", commit_every=10),
        )
    finally:
        store.close()
    assert calls == [10, 20, 25]  # after each commit: every 10 records and at the end
