"""Squatting watches against a large batch: time and the Python memory the matcher holds.

    python -m bench.squatting_scale [--filings 100000] [--watches 50] [--register 20000]

A fresh embedded store (temporary folder) gets ``--register`` seeded demo trademarks, then a
batch of ``--filings`` others, among them a few mass filers (one applicant, many filings); an
alerts database gets ``--watches`` squatting watches (marks of the register, half with bulk
signals). ``search_api.alerts.matcher.run_matcher`` then matches the batch. Reported: the
seconds of the match, its warnings, and the peak of Python's own allocations while it runs
with ``--memory`` (``tracemalloc``: what the matcher and its readers hold, the store's caches
and tantivy's Rust memory apart), and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

from iphub.demo import generate_trademarks
from iphub.records import Party, Trademark
from iphub.store.base import write_batch
from iphub.store.embedded import EmbeddedStore
from nlp.applicants import normalise
from search_api.alerts.db import open_db
from search_api.alerts.keys import create_owner
from search_api.alerts.matcher import run_matcher
from search_api.alerts.schemas import SquattingWatch, SubscriptionCreate
from search_api.alerts.subscriptions import create


def _filings(n: int) -> Iterator[Trademark]:
    """``n`` seeded demo filings numbered apart from the register's, 5 in 1,000 by one of 20
    mass filers (a shell with a handful of filings each)."""
    for i, t in enumerate(generate_trademarks(n, seed=11)):
        t.id, t.application_number = f"CN-TM-9{i:08d}", f"9{i:08d}"
        if i % 1000 < 5:
            shell = f"广州批量{i // 1000 % 20}号商贸有限公司"
            t.applicants = [Party(name=shell, key=normalise(shell).key)]
        yield t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--filings", type=int, default=100_000)
    ap.add_argument("--watches", type=int, default=50)
    ap.add_argument("--register", type=int, default=20_000)
    ap.add_argument(
        "--memory", action="store_true", help="trace Python's allocations (the match runs slower)"
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="iphub-squatting-") as folder:
        store = EmbeddedStore(Path(folder) / "iphub.db")
        register = [t for t in generate_trademarks(args.register, seed=7) if t.mark_text]
        store.upsert(register)
        batch = write_batch(store, _filings(args.filings), "bench")
        db = open_db(f"sqlite:///{folder}/alerts.db")
        with db.session() as session:
            owner, _ = create_owner(session, "bench")
            for i, t in enumerate(register[: args.watches]):
                body = SubscriptionCreate(
                    name=f"watch {i}",
                    type="squatting_watch",
                    kind="trademark",
                    squatting=SquattingWatch(
                        marks=[t.mark_text or ""], nice_classes=t.nice_classes, bulk=i % 2 == 0
                    ),
                    channel="atom",
                )
                create(session, owner, body, (), "http://127.0.0.1")
        if args.memory:
            tracemalloc.start()
        started = time.perf_counter()
        report = run_matcher(store, db, batch)
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        store.close()
        db.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.filings:,} filings, {args.watches} squatting watches, register {args.register:,}")
    print(f"match: {seconds:.1f} s, {report.matches:,} warnings")
    if args.memory:
        print(f"Python allocations at the peak of the match: {peak / 2**20:.1f} MB")
    print(f"peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
