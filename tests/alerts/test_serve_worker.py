"""`iphub serve` runs the delivery worker beside the API and stops it with the server: a real
server subprocess, a real `iphub ingest` of a CSV batch, a real local webhook receiver."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import select

from iphub.numbers import cn_check_digit
from search_api.alerts.db import open_db
from search_api.alerts.keys import create_owner
from search_api.alerts.models import Outbox
from tests.utils.receiver import running_receiver
from tests.utils.smtp import free_port

HEADER = "申请号,申请日,公开（公告）号,名称,摘要,申请（专利权）人,地址,主分类号"


def csv_batch(path: Path, rows: list[tuple[str, str]]) -> Path:
    lines = [HEADER] + [
        f"CN{digits}.{cn_check_digit(digits)},2024-03-01,{n},{title},本发明公开了{title}。,"
        f"广州储能有限公司,广东省广州市黄埔区,H01M 10/0525"
        for n, title in rows
        for digits in [f"20241{n[3:10]}"]
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@contextmanager
def serving(env: dict[str, str], *flags: str) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "iphub.cli", "serve", *flags],
        env=env,
        cwd=env["IPHUB_CWD"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{env['IPHUB_PORT']}/api/v1/health"

    def up() -> bool:
        try:
            return httpx.get(url, timeout=1).status_code < 500
        except httpx.HTTPError:
            return False

    try:
        assert wait_for(up, 60), f"server did not start (exit {proc.poll()})"
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()  # type: ignore[union-attr]


def ingest(env: dict[str, str], path: Path) -> dict[str, object]:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "iphub.cli", "ingest", str(path)],
        env=env,
        cwd=env["IPHUB_CWD"],  # quarantine files and the like land in the test's directory
        capture_output=True,
        check=True,
        timeout=300,
    )
    return {"stdout": done.stdout.decode()}


def test_serve_delivers_matches_of_an_ingested_batch_and_stops_cleanly(tmp_path: Path) -> None:
    port = free_port()
    env = os.environ | {
        "IPHUB_STORE": f"sqlite:///{tmp_path / 'iphub.db'}",
        "IPHUB_PORT": str(port),
        "IPHUB_RATE_LIMIT": "0",
        "IPHUB_WEBHOOK_ALLOW": json.dumps(["127.0.0.0/8"]),
        "IPHUB_CWD": str(tmp_path),
    }
    db = open_db(f"sqlite:///{tmp_path / 'alerts.db'}")
    with db.session() as session:
        key = create_owner(session, "代理所")[1]
    api = f"http://127.0.0.1:{port}/api/v1/subscriptions"
    with running_receiver() as receiver:
        # 1. --no-worker: the API serves, the match waits in the outbox
        with serving(env, "--no-worker") as proc:
            body = {
                "name": "储能",
                "query": "ti=储能",
                "channel": "webhook",
                "target": receiver.url,
            }
            auth = {"Authorization": f"Bearer {key}"}
            created = httpx.post(api, json=body, headers=auth, timeout=10)
            assert created.status_code == 201, created.text
            receiver.secret = created.json()["secret"]
            ingest(env, csv_batch(tmp_path / "a.csv", [("CN117000001A", "一种储能电站")]))
            time.sleep(3)
            assert receiver.posts == 0
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=30) == 0
        with db.session() as session:
            assert [r.status for r in session.scalars(select(Outbox))] == ["pending"]

        # 2. with the worker (the default): the waiting match and a new batch's are delivered
        with serving(env) as proc:
            assert wait_for(lambda: len(receiver.accepted) == 1, 30)
            rows = [("CN117000002A", "储能变流器"), ("CN117000003A", "图像传感器")]
            ingest(env, csv_batch(tmp_path / "b.csv", rows))
            assert wait_for(lambda: len(receiver.accepted) == 2, 30)
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=30) == 0, proc.stderr.read().decode()[-2000:]  # type: ignore[union-attr]
    assert sorted(receiver.per_record) == ["CN117000001A", "CN117000002A"]
    assert receiver.bad_signatures == 0
    with db.session() as session:
        assert {r.status for r in session.scalars(select(Outbox))} == {"delivered"}
    db.close()
