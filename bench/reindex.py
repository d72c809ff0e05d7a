"""How fast ``iphub reindex`` rebuilds an embedded store's index from its records.

    python -m bench.reindex --records 100000 [--dir var/bench/reindex] [--repeat 2]

Loads ``--records`` seeded demo patents (``iphub.demo.generate_patents``) into a store under
``--dir`` once (reused when it holds them), then times ``EmbeddedStore.reindex`` ``--repeat``
times: wall seconds, records a second, and the CPU of the process (tantivy indexes and merges in
threads of its own). Each pass rebuilds from SQLite, record by record, committing every 20,000.
"""

from __future__ import annotations

import argparse
import platform
import resource
import time
from itertools import islice
from pathlib import Path

from iphub.demo import generate_patents
from iphub.store.embedded import EmbeddedStore


def _cpu() -> float:
    """This process's CPU seconds, every thread's."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--dir", type=Path, default=Path("var/bench/reindex"))
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    store = EmbeddedStore(args.dir / f"patents-{args.records}.db")
    try:
        if store.count("patent") != args.records:
            records = generate_patents(args.records)
            while chunk := list(islice(records, 5000)):
                store.upsert(chunk)
            store.refresh()
        print(f"{platform.processor() or platform.machine()}, {args.records:,} patents")
        for _ in range(args.repeat):
            started, cpu = time.perf_counter(), _cpu()
            n = store.reindex()
            seconds, cpu = time.perf_counter() - started, _cpu() - cpu
            print(f"reindex: {n:,} records in {seconds:.1f} s, {n / seconds:,.0f} records/s, "
                  f"CPU {cpu:.1f} s")  # fmt: skip
    finally:
        store.close()


if __name__ == "__main__":
    main()
