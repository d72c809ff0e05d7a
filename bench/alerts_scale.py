"""Scale of the alerts matcher: N active subscriptions against a batch of M new records.

    python -m bench.alerts_scale [--subscriptions 10000] [--records 10000]

Loads M demo patents (``iphub.demo``) as one ingest batch into a fresh embedded store, creates N
subscriptions with distinct saved queries built from the batch's own vocabulary (title words,
IPC subclasses, districts, applicants, in combinations), half webhook and half e-mail, and times
``run_matcher`` (matching plus filling the outbox). The figure is reported in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import insert

from iphub.demo import generate_patents
from iphub.records import Patent
from iphub.store.base import write_batch
from iphub.store.embedded import EmbeddedStore
from nlp.segment import query_tokens
from search_api.alerts.db import open_db
from search_api.alerts.keys import create_owner
from search_api.alerts.matcher import run_matcher
from search_api.alerts.models import Subscription, new_id


def queries(records: list[Patent], n: int, rng: random.Random) -> list[str]:
    words = Counter(t for r in records for t in query_tokens(r.title.text) if len(t) >= 2)
    common = [w for w, c in words.items() if 3 <= c <= 60]  # specific words, as alerts use
    ipcs = sorted({i[:4] for r in records for i in r.ipc})
    districts = sorted({p.district for r in records for p in r.applicants if p.district})
    out: set[str] = set()
    while len(out) < n:
        shape = rng.random()
        w = rng.choice(common)
        if shape < 0.3:
            out.add(f"ti={w}")
        elif shape < 0.55:
            out.add(f"{w} AND ipc={rng.choice(ipcs)}")
        elif shape < 0.8:
            out.add(f"ta={w} AND dist={rng.choice(districts)}")
        else:
            out.add(f"({w} OR {rng.choice(common)}) NOT ipc={rng.choice(ipcs)}")
    return sorted(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscriptions", type=int, default=10_000)
    parser.add_argument("--records", type=int, default=10_000)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "iphub.db")
        records = list(generate_patents(args.records))
        t0 = time.perf_counter()
        batch = write_batch(store, records, "bench")
        print(f"indexed {len(records)} records in {time.perf_counter() - t0:.1f} s")
        db = open_db(f"sqlite:///{Path(tmp) / 'alerts.db'}")
        with db.session() as session:
            owner, _ = create_owner(session, "bench")
            texts = queries(records, args.subscriptions, rng)
            session.execute(
                insert(Subscription),
                [
                    {
                        "id": new_id("sub"),
                        "owner_id": owner.id,
                        "name": f"s{i}",
                        "type": "query",
                        "query": text,
                        "kind": "patent",
                        "channel": "webhook" if i % 2 else "email",
                        "target": "https://hooks.example.com/x" if i % 2 else "a@example.com",
                        "lang": "zh",
                        "paused": False,
                    }
                    for i, text in enumerate(texts)
                ],
            )
        t0 = time.perf_counter()
        report = run_matcher(store, db, batch)
        took = time.perf_counter() - t0
        print(
            f"{report.subscriptions} subscriptions × {len(records)} records: "
            f"{report.matches} matches, {report.outbox} outbox rows in {took:.1f} s "
            f"({report.subscriptions / took:.0f} subscriptions/s)"
        )
        t0 = time.perf_counter()
        again = run_matcher(store, db, batch)
        print(
            f"re-run (all duplicates): {again.matches} new matches "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        db.close()
        store.close()


if __name__ == "__main__":
    main()
