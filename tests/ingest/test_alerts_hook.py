"""``iphub ingest`` ends by matching its batch against the subscriptions (the alerts hook)."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from bench.synth_ingest import uspto_weekly
from ingest import load
from ingest.load import Interrupted, Options, ingest
from iphub.cli import app
from iphub.config import Settings
from iphub.store.base import Batch
from iphub.store.embedded import EmbeddedStore
from search_api.alerts.db import AlertsDB, open_db
from search_api.alerts.models import Match
from tests.alerts.conftest import make_client, owner_key
from tests.ingest.conftest import FIXTURES
from tests.ingest.test_resume import env, ingest_cmd


def _subscribe(client: TestClient, db: AlertsDB, name: str, query: str) -> str:
    """An agency's Atom subscription to ``query`` made through the API; its feed's URL."""
    created = client.post(
        "/api/v1/subscriptions",
        headers={"X-API-Key": owner_key(db, "agency")},
        json={"name": name, "query": query, "channel": "atom"},
    )
    assert created.status_code == 201, created.text
    return str(created.json()["feed_url"])


def test_ingest_fills_the_feed_of_a_matching_subscription(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'iphub.db'}"
    settings = Settings(store=url)
    store, db = EmbeddedStore(tmp_path / "iphub.db"), open_db(settings.alerts_url())
    try:
        with make_client(store, db) as client:
            feed_url = _subscribe(client, db, "US 9000001", "pn=US9000001")
            store.close()  # the CLI writes the store in its own process, as a user would
            args = ["ingest", str(FIXTURES / "uspto-weekly.xml"), "--store", url]
            result = CliRunner().invoke(
                app, [*args, "--quarantine-dir", str(tmp_path / "q")], env={"COLUMNS": "200"}
            )
            assert result.exit_code == 0, result.output
            assert "1 个订阅 / subscriptions, 1 条匹配 / matches" in result.output
            feed = client.get(feed_url.removeprefix(str(client.base_url)))
            assert feed.status_code == 200
            assert "US9000001B2" in feed.text
    finally:
        db.close()


def test_a_resumed_load_alerts_on_what_the_stopped_run_loaded_too(tmp_path: Path) -> None:
    """A load stopped midway (Ctrl-C, or killed) and run again matched only the second run's
    batch: the records the first run committed never reached a subscription. Now the run that
    takes the file up matches the stopped run's batch too: as many matches as one whole run."""
    url = f"sqlite:///{tmp_path / 'iphub.db'}"
    settings = Settings(store=url)
    data = uspto_weekly(tmp_path / "weekly.xml", 300)
    store, db = EmbeddedStore(tmp_path / "iphub.db"), open_db(settings.alerts_url())
    try:
        with make_client(store, db) as client:
            _subscribe(client, db, "all of them", "pd>=1900")
        options = Options(quarantine_dir=tmp_path / "q", commit_every=100, batch_size=50)

        def progress(read: int, _quarantined: int) -> None:
            options.stop.set()  # after the first 50 records

        with pytest.raises(Interrupted):
            ingest(store, [data], options, progress)
        first = store.count()
        assert 0 < first < 300
        store.close()  # the CLI writes the store in its own process, as a user would
        args = ["ingest", str(data), "--store", url, "--quarantine-dir", str(tmp_path / "q")]
        result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        # the stopped run finished its own batch; this run matches it with its own
        assert "1 个订阅 / subscriptions, 300 条匹配 / matches" in result.output
        assert "with 1 earlier batches not matched before" in result.output
        with db.session() as session:
            assert session.scalar(select(func.count()).select_from(Match)) == 300
    finally:
        db.close()


def _matches(db: AlertsDB) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(Match)) or 0)


def _batches(url: str) -> list[Batch]:
    store = EmbeddedStore(url.removeprefix("sqlite:///"))
    try:
        return store.batches()
    finally:
        store.close()


def test_a_run_killed_after_finishing_its_batch_has_it_matched_by_the_next_run(
    tmp_path: Path,
) -> None:
    """Killed (SIGKILL) while it printed its summary — its batch finished, its files done, the
    alerts not yet matched — a run's records reached no subscription, and the next run, its
    files done before, matched only its own empty batch. Now a batch is marked once matched,
    and every run first matches the finished batches not marked: each batch once."""
    url = f"sqlite:///{tmp_path / 'iphub.db'}"
    settings = Settings(store=url)
    data = uspto_weekly(tmp_path / "weekly.xml", 300)
    store, db = EmbeddedStore(tmp_path / "iphub.db"), open_db(settings.alerts_url())
    try:
        with make_client(store, db) as client:
            _subscribe(client, db, "all of them", "pd>=1900")
        store.close()
        cmd = ingest_cmd(tmp_path / "iphub.db", data, "--quarantine-dir", str(tmp_path / "q"))
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            cmd, cwd=tmp_path, env=env() | {"PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        assert proc.stdout is not None
        for line in proc.stdout:  # the table: the batch is finished, the alerts not matched
            if b"ingest batch" in line:
                os.kill(proc.pid, signal.SIGKILL)
                break
        proc.communicate(timeout=60)
        assert proc.returncode == -signal.SIGKILL
        (killed,) = _batches(url)
        assert (killed.records, killed.alerted) == (300, None)
        assert _matches(db) == 0
        again = subprocess.run(  # noqa: S603
            cmd, cwd=tmp_path, env=env(), capture_output=True, text=True, check=True
        )
        assert "done before" in again.stdout
        assert "300 条匹配 / matches" in again.stdout, again.stdout
        assert _matches(db) == 300
        assert all(b.alerted is not None for b in _batches(url))
        third = subprocess.run(  # noqa: S603
            cmd, cwd=tmp_path, env=env(), capture_output=True, text=True, check=True
        )
        assert "0 条匹配 / matches" in third.stdout  # matched once: nothing again
        assert _matches(db) == 300
    finally:
        db.close()


def test_a_run_stopped_by_ctrl_c_matches_its_own_batch_as_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C: the run finishes its batch and the alerts match it before it exits. It was
    matched without its id, so the alerts line counted the run's own batch among "earlier
    batches not matched before"."""
    url = f"sqlite:///{tmp_path / 'iphub.db'}"
    data = uspto_weekly(tmp_path / "weekly.xml", 300)
    real = load.ingest

    def ctrl_c_at_once(*args: Any, **kwargs: Any) -> object:
        options: Options = args[2]
        options.stop.set()  # as the first Ctrl-C does: stop at the next record
        return real(*args, **kwargs)

    monkeypatch.setattr(load, "ingest", ctrl_c_at_once)
    args = ["ingest", str(data), "--store", url, "--quarantine-dir", str(tmp_path / "q")]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 130, result.output
    assert "订阅匹配 / alerts: 0 个订阅 / subscriptions" in result.output
    assert "earlier" not in result.output
    (stopped,) = _batches(url)
    assert stopped.finished is not None
    assert stopped.alerted is not None


def test_an_empty_delivery_leaves_no_batch_for_the_alerts_to_match(tmp_path: Path) -> None:
    """A run that finds nothing to load stops before the alerts (exit code 1) and left its
    empty batch not matched: the next run counted it among "earlier batches not matched
    before", and so on for every empty delivery till then."""
    url = f"sqlite:///{tmp_path / 'iphub.db'}"
    empty = tmp_path / "2026-11"
    empty.mkdir()
    common = ["--store", url, "--quarantine-dir", str(tmp_path / "q")]
    result = CliRunner().invoke(app, ["ingest", str(empty), *common], env={"COLUMNS": "200"})
    assert result.exit_code == 1, result.output
    (batch,) = _batches(url)
    assert (batch.records, batch.finished is not None, batch.alerted is not None) == (0, True, True)
    loaded = CliRunner().invoke(
        app, ["ingest", str(FIXTURES / "uspto-weekly.xml"), *common], env={"COLUMNS": "200"}
    )
    assert loaded.exit_code == 0, loaded.output
    assert "订阅匹配 / alerts: 0 个订阅 / subscriptions" in loaded.output
    assert "earlier" not in loaded.output


def test_an_empty_delivery_matches_the_stopped_runs_batches_it_finishes(tmp_path: Path) -> None:
    """A run that finds nothing to load still finishes the batches of stopped runs (their
    processes gone); it stopped before the alerts, so their records waited for the next run
    that loaded something. It matches them before it exits."""
    url = f"sqlite:///{tmp_path / 'iphub.db'}"
    store = EmbeddedStore(tmp_path / "iphub.db")
    try:
        stopped = store.begin_batch("ingest:auto")
        with store._db() as conn:  # the batch of a run whose process is gone (killed)
            conn.execute("UPDATE batches SET pid = ? WHERE id = ?", (_ended_pid(), stopped))
    finally:
        store.close()
    empty = tmp_path / "2026-12"
    empty.mkdir()
    args = ["ingest", str(empty), "--store", url, "--quarantine-dir", str(tmp_path / "q")]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 1, result.output
    assert "订阅匹配 / alerts" in result.output
    found = {b.id: b for b in _batches(url)}
    assert found[stopped].finished is not None
    assert found[stopped].alerted is not None


def _ended_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    proc = subprocess.Popen(["true"])  # noqa: S607
    proc.wait()
    return proc.pid
