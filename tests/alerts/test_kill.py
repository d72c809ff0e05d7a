"""The kill test: a real ``iphub alerts run`` subprocess, SIGKILLed at random points, against a
real local HTTP receiver and a real local SMTP server that dedupe by delivery id — every match
must arrive exactly once.

Kills land after claim before send (timer), while the receiver holds the request (before its
answer), and right after the receiver's 2xx before the worker marks the row delivered; the
receiver also fails now and then (HTTP 500) to exercise retries.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from iphub.records import LocalizedText
from iphub.store.embedded import EmbeddedStore
from search_api.alerts.db import open_db
from search_api.alerts.keys import create_owner
from search_api.alerts.matcher import run_matcher
from search_api.alerts.models import Outbox, Subscription
from search_api.alerts.signing import new_secret
from tests.utils.factories import make_patent
from tests.utils.receiver import running_receiver
from tests.utils.smtp import running_smtp

N_RECORDS = 60
DEADLINE = 120.0


def test_every_match_arrives_exactly_once_despite_kills(tmp_path: Path) -> None:
    rng = random.Random(os.environ.get("IPHUB_KILL_SEED", "8"))
    store = EmbeddedStore(tmp_path / "iphub.db")
    db_url = f"sqlite:///{tmp_path / 'alerts.db'}"
    db = open_db(db_url)
    with running_receiver() as receiver, running_smtp() as inbox:
        receiver.secret = new_secret()
        with db.session() as session:
            owner, _ = create_owner(session, "o")
            common = {"owner_id": owner.id, "kind": "patent", "query": "ti=电池"}
            session.add(
                Subscription(
                    name="w",
                    channel="webhook",
                    target=receiver.url,
                    secret=receiver.secret,
                    **common,
                )
            )
            session.add(Subscription(name="m", channel="email", target="a@example.com", **common))
        batch = store.begin_batch("kill-test")
        store.upsert(
            make_patent(
                id=f"CN1666{i:05d}A",
                publication_number=f"CN1666{i:05d}A",
                title=LocalizedText(text=f"电池 {i}"),
                batch_id=batch,
            )
            for i in range(N_RECORDS)
        )
        store.refresh()
        store.close()
        assert run_matcher(EmbeddedStore(tmp_path / "iphub.db"), db, batch).outbox == 2 * N_RECORDS

        worker: list[subprocess.Popen[bytes]] = []
        kills = {"timer": 0, "before_answer": 0, "after_2xx": 0}

        def kill(reason: str) -> None:
            if worker and worker[-1].poll() is None:
                worker[-1].send_signal(signal.SIGKILL)
                kills[reason] += 1

        def behaviour(_msg_id: str) -> int | None:
            roll = rng.random()
            if roll < 0.08:
                kill("before_answer")
            elif roll < 0.16:
                return 500
            return None

        def after(_msg_id: str) -> None:
            if rng.random() < 0.08:
                kill("after_2xx")

        receiver.behaviour, receiver.after = behaviour, after
        env = os.environ | {
            "IPHUB_ALERTS_DB": db_url,
            "IPHUB_STORE": f"sqlite:///{tmp_path / 'iphub.db'}",
            "IPHUB_WEBHOOK_ALLOW": json.dumps(["127.0.0.0/8"]),
            "IPHUB_SMTP_PORT": str(inbox.port),
            "IPHUB_ALERTS_LEASE": "1",
            "IPHUB_ALERTS_BACKOFF": "0.05",
            "IPHUB_ALERTS_MAX_ATTEMPTS": "1000",
            "IPHUB_ALERTS_RATE_LIMIT": "0",  # retries of 120 messages: no per-owner cap here
        }
        command = [sys.executable, "-m", "iphub.cli", "alerts", "run", "--poll", "0.05"]

        def pending() -> int:
            with db.session() as session:
                return session.scalar(select(func.count()).where(Outbox.status != "delivered")) or 0

        started = time.monotonic()
        rounds = 0
        while pending() and time.monotonic() - started < DEADLINE:
            rounds += 1
            worker.append(subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL))  # noqa: S603
            try:
                worker[-1].wait(timeout=rng.uniform(0.8, 2.5) if rounds < 12 else 5)
            except subprocess.TimeoutExpired:
                kill("timer")
                worker[-1].wait()
        kill("timer")

    mail_ids = [m["Message-ID"] for m in inbox.messages]
    mail_records = {}
    for m in inbox.messages:  # dedupe by Message-ID (the delivery id), as the receiver does
        mail_records.setdefault(m["Message-ID"], m["Subject"])
    assert pending() == 0, f"undelivered after {rounds} rounds, kills {kills}"
    assert sorted(receiver.per_record) == [f"CN1666{i:05d}A" for i in range(N_RECORDS)]
    assert set(receiver.per_record.values()) == {1}
    assert len(receiver.accepted) == N_RECORDS
    assert len(mail_records) == N_RECORDS
    assert receiver.bad_signatures == 0
    assert sum(kills.values()) >= 5, kills
    print(  # noqa: T201 - the figures of the run, shown with -s
        f"kill test: {rounds} worker runs, kills {kills}, webhook POSTs {receiver.posts} for "
        f"{N_RECORDS} matches, e-mails {len(mail_ids)} for {N_RECORDS}"
    )
    db.close()
