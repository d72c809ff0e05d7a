"""Stop a real ``iphub ingest`` process mid-file (killed, interrupted, or one of its workers
killed), run it again: the store equals one clean run."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest

from bench.synth_ingest import uspto_document, uspto_weekly
from ingest.load import Interrupted, Options, ingest, orphaned
from ingest.quarantine import read
from iphub.cli.loading import _stop_on_ctrl_c
from iphub.store.base import Batch, SearchRequest, StoreUnavailable, this_process
from iphub.store.elastic import ElasticStore
from iphub.store.embedded import EmbeddedStore
from iphub.store.plan import All
from tests.ingest.conftest import ROOT
from tests.utils.elastic import ES_URL_VAR, SKIP_REASON, es_url, fresh_index

DOCS = 1000


def ingest_cmd(db: Path | str, data: Path, *extra: str) -> list[str]:
    """The command loading ``data`` into ``db`` (an embedded store's file, or the URL of an
    Elasticsearch index)."""
    code = "import sys; sys.argv[0] = 'iphub'; from iphub.cli import app; app()"
    store = db if isinstance(db, str) else f"sqlite:///{db}"
    args = ["ingest", str(data), "--store", store, "--commit-every", "100", "--batch-size", "50"]
    return [sys.executable, "-c", code, *args, *extra]


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}


def checkpoint(db: Path | str, key: str) -> dict[str, object] | None:
    if isinstance(db, str):
        elastic = ElasticStore(db)
        try:
            value = elastic.get_checkpoint(key)
        except StoreUnavailable:  # its meta index not made yet
            return None
        finally:
            elastic.close()
        return None if value is None else dict(json.loads(value))
    if not db.exists():
        return None
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            row = conn.execute("SELECT value FROM checkpoints WHERE key = ?", (key,)).fetchone()
    except sqlite3.OperationalError:
        return None
    return None if row is None else dict(json.loads(row[0]))


def _comparable(body: dict[str, object]) -> str:
    body.pop("batch_id")
    return json.dumps(body, sort_keys=True)


def contents(db: Path | str) -> dict[str, str]:
    if isinstance(db, str):
        elastic = ElasticStore(db)
        try:
            return {
                r.id: _comparable(r.model_dump(mode="json", exclude_none=True))
                for r in elastic.scan("patent", All())
            }
        finally:
            elastic.close()
    store = EmbeddedStore(db)
    try:
        with sqlite3.connect(db) as conn:
            bodies = dict(conn.execute("SELECT id, body FROM records"))
        out = {}
        for rid, body in bodies.items():
            out[rid] = _comparable(json.loads(body))
        request = SearchRequest(kind="patent", plan=All(), size=1)
        assert store.search(request).total == len(out)  # the index agrees with the records
        return out
    finally:
        store.close()


RESUME_HINT = "run the same command again to resume"


def _signal_masks(pid: int) -> str:
    """The signals a process ignores, blocks and catches (``/proc/PID/status``, hexadecimal
    masks: SIGINT is bit 1), for the message of a Ctrl-C that did not stop a run."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError as exc:
        return f"unknown ({exc})"
    return ", ".join(line for line in lines if line.startswith(("SigBlk", "SigIgn", "SigCgt")))


@contextmanager
def two_stores(kind: str, tmp_path: Path) -> Iterator[tuple[Path | str, Path | str]]:
    """Two empty stores of one kind, named as ``--store`` takes them: the one a clean run loads,
    and the one a run is stopped in."""
    if kind == "embedded":
        yield tmp_path / "clean.db", tmp_path / "killed.db"
        return
    if not os.environ.get(ES_URL_VAR):
        pytest.skip(SKIP_REASON)
    clean, killed = (f"{es_url()}/{fresh_index('test-resume')}" for _ in range(2))
    try:
        yield clean, killed
    finally:
        for url in (clean, killed):
            elastic = ElasticStore(url)
            elastic.drop()
            elastic.close()


ELASTIC = pytest.mark.elastic


@pytest.mark.parametrize(
    ("kind", "workers", "how"),
    [
        ("embedded", "1", "kill"),
        ("embedded", "2", "kill"),
        ("embedded", "1", "ctrl-c"),
        ("embedded", "2", "ctrl-c"),
        ("embedded", "2", "worker dies"),
        pytest.param("elastic", "2", "kill", marks=ELASTIC),
        pytest.param("elastic", "1", "ctrl-c", marks=ELASTIC),
    ],
)
def test_stopped_run_resumes_to_the_same_store(
    tmp_path: Path, kind: str, workers: str, how: str
) -> None:
    """SIGKILL of the loading process; Ctrl-C (SIGINT to its whole process group, as a terminal
    sends it); or one worker process killed: run again, the store equals one clean run. In an
    embedded store, and in Elasticsearch."""
    with two_stores(kind, tmp_path) as (clean, killed):
        _stop_and_resume(tmp_path, workers, how, clean, killed)


def _stop_and_resume(
    tmp_path: Path, workers: str, how: str, clean: Path | str, killed: Path | str
) -> None:
    # parsers run ≈500 documents ahead of the writer: a worker killed with none left to parse
    # would go unnoticed, so that case gets a longer file; and so does Elasticsearch, whose
    # runs are short and whose checkpoints are slower to read.
    docs = 4 * DOCS if how == "worker dies" or isinstance(killed, str) else DOCS
    data = uspto_weekly(tmp_path / "weekly.xml", docs)
    key = f"ingest:{data.resolve()}"
    cmd = ingest_cmd(killed, data, "--workers", workers)
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        cmd, cwd=tmp_path, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            cp = checkpoint(killed, key)
            if cp and not cp["done"] and int(str(cp["position"])) >= 200:
                break
            assert proc.poll() is None, "finished before it could be killed: raise DOCS"
            time.sleep(0.05)
        assert proc.poll() is None, "finished while its checkpoint was read: raise DOCS"
        children = psutil.Process(proc.pid).children(recursive=True)
        assert len(children) >= (2 if workers == "2" else 0)  # the spawned parsers
        if how == "kill":
            os.kill(proc.pid, signal.SIGKILL)
        elif how == "ctrl-c":
            masks = _signal_masks(proc.pid)
            os.killpg(proc.pid, signal.SIGINT)
        else:
            parsers = [c for c in children if "spawn_main" in " ".join(c.cmdline())]
            os.kill(parsers[0].pid, signal.SIGKILL)
        _, stderr = proc.communicate(timeout=60)
        if how == "kill":
            assert proc.returncode == -signal.SIGKILL
        else:  # one line that says what happened and what to do, no traceback
            stopped = f"{stderr}\nwhen stopped: {masks}" if how == "ctrl-c" else stderr
            assert proc.returncode == (130 if how == "ctrl-c" else 1), stopped
            said = "interrupted" if how == "ctrl-c" else "a worker process died"
            assert said in stderr
            assert RESUME_HINT in stderr
            assert "Traceback" not in stderr
    finally:  # a failed assertion must not leave the run behind (it hung once: see workers)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    _gone, alive = psutil.wait_procs(children, timeout=30)
    assert alive == []  # workers do not outlive a stopped run
    cp = checkpoint(killed, key)
    assert cp is not None
    assert not cp["done"]
    resumed_from = int(str(cp["position"]))
    assert 0 < resumed_from < docs
    again = subprocess.run(  # noqa: S603
        cmd, cwd=tmp_path, env=env(), capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    assert f"(续自第 {resumed_from} 处 / from {resumed_from})" in again.stdout
    clean_cmd = ingest_cmd(clean, data)
    subprocess.run(clean_cmd, cwd=tmp_path, env=env(), check=True, capture_output=True)  # noqa: S603
    clean_records, resumed_records = contents(clean), contents(killed)
    assert len(clean_records) == docs
    assert resumed_records == clean_records
    resumed_cp, clean_cp = checkpoint(killed, key), checkpoint(clean, key)
    assert resumed_cp is not None
    assert clean_cp is not None
    # the same but for the runs that loaded the file: the stopped one, then the one resuming
    assert len(resumed_cp.pop("batches")) == 2
    assert len(clean_cp.pop("batches")) == 1
    assert resumed_cp == clean_cp


def test_a_full_disk_stops_the_load_with_nothing_quarantined_then_it_resumes(
    tmp_path: Path,
) -> None:
    """SQLite's page limit stands in for a full disk: the write fails as on a full one
    ("database or disk is full"). The run stops at its last commit — the records it could not
    write are not quarantined, the file is not done — and, with room again, resumes there."""
    data = uspto_weekly(tmp_path / "weekly.xml", 300)
    store = EmbeddedStore(tmp_path / "iphub.db")
    options = Options(quarantine_dir=tmp_path / "q", commit_every=100, batch_size=50)
    key = f"ingest:{data.resolve()}"
    try:
        db = store._db()
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages + 150}")  # a record takes about a page
        with pytest.raises(StoreUnavailable, match="disk is full"):
            ingest(store, [data], options)
        saved = json.loads(store.get_checkpoint(key) or "null")
        assert saved is not None
        assert not saved["done"]
        assert saved["position"] == 100  # the last commit before the disk filled
        assert store.count() == 100  # the store as that commit left it
        assert all(read(f) == [] for f in (tmp_path / "q").glob("*.jsonl"))  # none quarantined
        db.execute("PRAGMA max_page_count = 1073741823")  # room again
        summary = ingest(store, [data], options)
        (file,) = summary.files
        assert (file.resumed_at, file.read, file.quarantined) == (100, 200, 0)
        assert store.count() == 300
    finally:
        store.close()


def test_a_run_asked_to_stop_commits_what_it_read_and_resumes_there(tmp_path: Path) -> None:
    """Ctrl-C sets ``Options.stop``: the run stops at its next record, with every record read
    so far committed and checkpointed (not only those of the last commit), and raises
    ``Interrupted``; the same run again reads the rest."""
    data = uspto_weekly(tmp_path / "weekly.xml", 300)
    store = EmbeddedStore(tmp_path / "iphub.db")
    options = Options(quarantine_dir=tmp_path / "q", commit_every=100, batch_size=50)
    read_so_far = [0]

    def progress(read: int, _quarantined: int) -> None:  # told every 50 records
        read_so_far[0] += read
        if read_so_far[0] >= 130:
            options.stop.set()

    try:
        with pytest.raises(Interrupted):
            ingest(store, [data], options, progress)
        saved = json.loads(store.get_checkpoint(f"ingest:{data.resolve()}") or "null")
        assert (saved["position"], saved["done"]) == (150, False)
        assert store.count() == 150  # past the commit at 100: what was read is written
        options.stop.clear()
        (file,) = ingest(store, [data], options).files
        assert (file.resumed_at, file.read) == (150, 150)
        assert store.count() == 300
    finally:
        store.close()


def test_a_stopped_run_finishes_its_own_batch(tmp_path: Path) -> None:
    """A run asked to stop (Ctrl-C) holds what it read, committed: it finishes its batch with
    those records before it stops (before, it left it open for the run that took its file up,
    and for ever when none did), so ``iphub info`` counts them and the alerts match them."""
    data = uspto_weekly(tmp_path / "weekly.xml", 300)
    store = EmbeddedStore(tmp_path / "iphub.db")
    options = Options(quarantine_dir=tmp_path / "q", commit_every=100, batch_size=50)
    read_so_far = [0]

    def progress(read: int, _quarantined: int) -> None:  # told every 50 records
        read_so_far[0] += read
        if read_so_far[0] in (100, 200):
            options.stop.set()

    try:
        for _ in range(2):  # stopped after 100 records, then again 100 records later
            with pytest.raises(Interrupted):
                ingest(store, [data], options, progress)
            options.stop.clear()
        stopped = [(b.records, b.finished is not None) for b in store.batches()]
        assert stopped == [(100, True), (100, True)]
        summary = ingest(store, [data], options, progress)
        assert summary.continued == []  # nothing left open to take up
        held = {b.id: (b.records, b.finished is not None) for b in store.batches()}
        assert held[summary.batch_id] == (100, True)
        again = ingest(store, [data], options)  # done: nothing continued, nothing read
        assert (again.continued, again.files[0].skipped) == ([], True)
    finally:
        store.close()


def _delivery(folder: Path, files: int, each: int) -> Path:
    """``files`` USPTO files of ``each`` documents, no number twice."""
    folder.mkdir()
    rng = random.Random(7)
    for k in range(files):
        docs = (uspto_document(rng, k * each + j) for j in range(each))
        (folder / f"part{k:04d}.xml").write_text("".join(docs), encoding="utf-8")
    return folder


def _batches(db: Path) -> list[Batch]:
    store = EmbeddedStore(db)
    try:
        return store.batches()
    finally:
        store.close()


def _held_by(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT batch_id, count(*) FROM records GROUP BY batch_id"))


def test_ctrl_c_between_files_finishes_the_batch_and_the_next_run_leaves_none_open(
    tmp_path: Path,
) -> None:
    """Ctrl-C to a real ``iphub ingest`` of a delivery of many small files (it lands between
    files as often as within one): the run ends with exit code 130 and its batch finished,
    counting the records it holds; the next run loads the rest and leaves no batch open.
    Before, a Ctrl-C between files marked the file done with no file left to carry the
    batch on, and the batch stayed open for ever, its records in no finished batch."""
    data = _delivery(tmp_path / "in", 150, 2)
    db = tmp_path / "killed.db"
    cmd = ingest_cmd(db, data)
    with _load_running(cmd, tmp_path, db, 40, stderr=subprocess.PIPE) as proc:
        os.killpg(proc.pid, signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    (stopped,) = _batches(db)
    assert stopped.finished is not None
    assert 0 < stopped.records == _held_by(db)[stopped.id] < 300
    subprocess.run(cmd, cwd=tmp_path, env=env(), check=True, capture_output=True)  # noqa: S603
    batches = _batches(db)
    assert all(b.finished is not None for b in batches)
    assert sum(b.records for b in batches) == sum(_held_by(db).values()) == 300


def test_a_killed_runs_batch_is_finished_by_the_next_run_never_a_live_ones(
    tmp_path: Path,
) -> None:
    """A run killed (SIGKILL) cannot finish its batch. While its process lives, no other run
    takes the batch for its own (a second ``iphub ingest`` at the same time must leave it
    alone); once it is gone, the next run finishes it with the records it holds, whichever
    files it was reading (here, killed before the file's first commit, or after it: the
    batch is found by its process, not by a file's checkpoint), and names it."""
    data = uspto_weekly(tmp_path / "weekly.xml", DOCS)
    db = tmp_path / "killed.db"
    cmd = ingest_cmd(db, data)
    with _load_running(cmd, tmp_path, db, 200) as proc:
        (live,) = _batches(db)
        assert (live.host, live.pid) == (this_process()[0], proc.pid)
        assert not orphaned(live)  # its process runs: not another run's to finish
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    (killed,) = _batches(db)
    assert orphaned(killed)
    assert killed.finished is None
    store = EmbeddedStore(db)
    try:
        summary = ingest(store, [data], Options(quarantine_dir=tmp_path / "q"))
        assert summary.continued == [killed.id]
        held = _held_by(db)
        found = {b.id: (b.records, b.finished is not None) for b in store.batches()}
        assert found[killed.id] == (held[killed.id], True)
        assert store.count() == DOCS
    finally:
        store.close()


def test_ctrl_c_asks_once_and_stops_at_once_the_second_time() -> None:
    stop = threading.Event()
    before = signal.getsignal(signal.SIGINT)  # Python's handler; SIG_IGN in a background job
    with _stop_on_ctrl_c(stop):
        signal.raise_signal(signal.SIGINT)
        assert stop.is_set()
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) is before  # given back


def test_a_bad_record_is_quarantined_once_across_a_kill(tmp_path: Path) -> None:
    """Entries are written with the commit whose checkpoints pass them: the records a killed
    run read after its last commit are read again by the next run, and their bad ones are
    quarantined then, not twice."""
    from iphub.numbers import cn_check_digit

    rows = ["公开（公告）号,申请号,申请日,名称"]
    bad = set()
    for n in range(1, 3001):
        application = f"2021101{n:05d}"
        title = "" if n % 3 == 0 else f"一种电池{n}"
        if not title:
            bad.add(f"row {n + 1}")
        rows.append(
            f"CN1141{n:05d}A,{application}.{cn_check_digit(application)},2021-03-01,{title}"
        )
    data = tmp_path / "export.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = tmp_path / "killed.db"
    with _load_running(ingest_cmd(db, data), tmp_path, db, 300) as proc:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    folder = tmp_path / "var" / "quarantine"
    store = EmbeddedStore(db)
    try:
        ingest(store, [data], Options(quarantine_dir=folder))
        assert store.count() == 3000 - len(bad)
    finally:
        store.close()
    positions = [e["position"] for f in sorted(folder.glob("*.jsonl")) for e in read(f)]
    assert sorted(positions) == sorted(bad)  # each once, none lost


def _committed(db: Path) -> int:
    """The records a running load has committed to ``db`` so far (0 before its tables exist)."""
    try:
        return sum(_held_by(db).values()) if db.exists() else 0
    except sqlite3.OperationalError:  # the store is being made
        return 0


@contextmanager
def _load_running(
    cmd: list[str], cwd: Path, db: Path, committed: int, stderr: int = subprocess.DEVNULL
) -> Iterator[subprocess.Popen[str]]:
    """A real ``iphub ingest`` in a session of its own, given to the caller to stop once it
    has committed ``committed`` records to ``db``; killed with its workers on the way out if
    it still runs."""
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        cmd, cwd=cwd, env=env(), stdout=subprocess.DEVNULL, stderr=stderr, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and _committed(db) < committed:
            assert proc.poll() is None, "finished before it could be stopped: a larger input"
            time.sleep(0.01)
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
