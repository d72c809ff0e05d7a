"""How long the embedded store takes to stream a batch: by plan, and by the batch index.

    python -m bench.store_scan [--records 40000] [--batches 2]

A fresh embedded store (temporary folder) gets ``--batches`` batches of ``--records`` seeded
demo trademarks each; then the last batch is read four ways, each timed: ``scan_ids`` of the
plan ``Terms("batch", …)`` (a plan's ids, sorted), ``scan_batch_ids`` and ``scan_batch`` (SQLite's
index on ``(batch_id, kind)``), and ``scan`` of the plan (ids, then the records).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from iphub.demo import generate_trademarks
from iphub.records import Trademark
from iphub.store.base import write_batch
from iphub.store.embedded import EmbeddedStore
from iphub.store.plan import Terms


def _numbered(marks: Iterator[Trademark], batch: int) -> Iterator[Trademark]:
    """Ids of each batch's own (the seeded generator repeats them)."""
    for n, t in enumerate(marks):
        t.id = f"CN-TM-{batch}{n:08d}"
        yield t


def _timed(name: str, read: Callable[[], Iterable[object]]) -> None:
    started = time.perf_counter()
    n = sum(1 for _ in read())
    print(f"  {name:34} {n:9,} in {time.perf_counter() - started:7.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, default=40_000)
    ap.add_argument("--batches", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="iphub-scan-") as folder:
        store = EmbeddedStore(Path(folder) / "iphub.db")
        batch = ""
        for b in range(args.batches):
            batch = write_batch(
                store, _numbered(generate_trademarks(args.records, seed=b), b), "bench"
            )
        print(f"{args.batches} batches of {args.records:,} trademarks; the last one read:")
        plan = Terms("batch", (batch,))
        _timed("scan_ids(Terms batch)", lambda: store.scan_ids("trademark", plan))
        _timed("scan_batch_ids", lambda: store.scan_batch_ids("trademark", batch))
        _timed("scan_batch (records)", lambda: store.scan_batch("trademark", batch))
        _timed("scan(Terms batch) (records)", lambda: store.scan("trademark", plan))
        store.close()


if __name__ == "__main__":
    main()
