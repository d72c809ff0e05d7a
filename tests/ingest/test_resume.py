"""Kill a real ``iphub ingest`` process mid-file, run it again: the store equals one clean run."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from bench.synth_ingest import uspto_weekly
from iphub.store.base import SearchRequest
from iphub.store.embedded import EmbeddedStore
from iphub.store.plan import All
from tests.ingest.conftest import ROOT

DOCS = 1000


def ingest_cmd(db: Path, data: Path, *extra: str) -> list[str]:
    code = "import sys; sys.argv[0] = 'iphub'; from iphub.cli import app; app()"
    store = f"sqlite:///{db}"
    args = ["ingest", str(data), "--store", store, "--commit-every", "100", "--batch-size", "50"]
    return [sys.executable, "-c", code, *args, *extra]


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}


def checkpoint(db: Path, key: str) -> dict[str, object] | None:
    if not db.exists():
        return None
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            row = conn.execute("SELECT value FROM checkpoints WHERE key = ?", (key,)).fetchone()
    except sqlite3.OperationalError:
        return None
    return None if row is None else dict(json.loads(row[0]))


def contents(db: Path) -> dict[str, str]:
    store = EmbeddedStore(db)
    try:
        with sqlite3.connect(db) as conn:
            bodies = dict(conn.execute("SELECT id, body FROM records"))
        out = {}
        for rid, body in bodies.items():
            record = json.loads(body)
            record.pop("batch_id")
            out[rid] = json.dumps(record, sort_keys=True)
        request = SearchRequest(kind="patent", plan=All(), size=1)
        assert store.search(request).total == len(out)  # the index agrees with the records
        return out
    finally:
        store.close()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_killed_run_resumes_to_the_same_store(tmp_path: Path, workers: str) -> None:
    data = uspto_weekly(tmp_path / "weekly.xml", DOCS)
    clean, killed = tmp_path / "clean.db", tmp_path / "killed.db"
    key = f"ingest:{data.resolve()}"
    cmd = ingest_cmd(killed, data, "--workers", workers)
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        cmd, cwd=tmp_path, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        cp = checkpoint(killed, key)
        if cp and not cp["done"] and int(str(cp["position"])) >= 200:
            break
        assert proc.poll() is None, "finished before it could be killed: raise DOCS"
        time.sleep(0.05)
    children = psutil.Process(proc.pid).children(recursive=True)
    assert len(children) >= (2 if workers == "2" else 0)  # the spawned parsers
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    _gone, alive = psutil.wait_procs(children, timeout=30)
    assert alive == []  # workers do not outlive a killed run
    cp = checkpoint(killed, key)
    assert cp is not None
    assert not cp["done"]
    resumed_from = int(str(cp["position"]))
    assert 0 < resumed_from < DOCS
    again = subprocess.run(  # noqa: S603
        cmd, cwd=tmp_path, env=env(), capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    assert f"(from {resumed_from})" in again.stdout
    clean_cmd = ingest_cmd(clean, data)
    subprocess.run(clean_cmd, cwd=tmp_path, env=env(), check=True, capture_output=True)  # noqa: S603
    clean_records, resumed_records = contents(clean), contents(killed)
    assert len(clean_records) == DOCS
    assert resumed_records == clean_records
    assert checkpoint(killed, key) == checkpoint(clean, key)
