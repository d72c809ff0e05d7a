"""Scale of the record watch: a batch of M records against W watched records.

    python -m bench.record_watch_scale [--records 10000] [--watched 200000] [--changed 100]

Loads M demo patents (``iphub.demo``) into a fresh embedded store, gives one record watch
snapshots of all of them plus W - M watched ids that the batch does not hold (so the lookup runs
against a large ``watched_records`` table), then loads the M records again as a second batch
with ``--changed`` of them granted, and times ``run_matcher`` on it (lookup, comparison, outbox).
The figure is reported in BENCHMARKS.md ("Alerts scale").
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from iphub.demo import generate_patents
from iphub.records import LegalStatus
from iphub.store.base import write_batch
from iphub.store.embedded import EmbeddedStore
from search_api.alerts.db import open_db
from search_api.alerts.keys import create_owner
from search_api.alerts.matcher import run_matcher
from search_api.alerts.models import Subscription, new_id, now
from search_api.alerts.record_watch import snapshot
from search_api.alerts.watch_models import WatchedRecord


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--watched", type=int, default=200_000)
    parser.add_argument("--changed", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "iphub.db")
        records = list(generate_patents(args.records))
        for status in (LegalStatus.PENDING,):
            for r in records:
                r.legal_status = status
        write_batch(store, records, "bench")
        db = open_db(f"sqlite:///{Path(tmp) / 'alerts.db'}")
        with db.session() as session:
            owner, _ = create_owner(session, "bench")
            sub_id = new_id("sub")
            session.execute(
                insert(Subscription).values(
                    id=sub_id,
                    owner_id=owner.id,
                    name="w",
                    type="record_watch",
                    query="",
                    kind="any",
                    watch={"applicant_keys": []},
                    channel="webhook",
                    target="https://hooks.example.com/x",
                    lang="zh",
                    paused=False,
                )
            )
            rows = [
                {"subscription_id": sub_id, "record_id": r.id, "updated": now()} | snapshot(r)
                for r in records
            ]
            rows += [
                {
                    "subscription_id": sub_id,
                    "record_id": f"CN9{i:08d}A",
                    "status": "pending",
                    "applicants": [],
                    "family_id": None,
                    "updated": now(),
                }
                for i in range(max(0, args.watched - len(records)))
            ]
            for start in range(0, len(rows), 5000):
                session.execute(insert(WatchedRecord), rows[start : start + 5000])
        for r in records[: args.changed]:
            r.legal_status = LegalStatus.VALID
        second = write_batch(store, records, "bench")
        t0 = time.perf_counter()
        report = run_matcher(store, db, second)
        took = time.perf_counter() - t0
        print(
            f"{len(records)} batch records against {len(rows)} watched: "
            f"{report.matches} changes, {report.outbox} outbox rows in {took:.2f} s"
        )
        t0 = time.perf_counter()
        again = run_matcher(store, db, second)
        print(f"re-run: {again.matches} changes in {time.perf_counter() - t0:.2f} s")
        db.close()
        store.close()


if __name__ == "__main__":
    main()
