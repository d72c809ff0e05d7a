"""Similar-mark search (近似商标查询) latency on a store of trademarks: p50/p95 per kind of ask.

Run: ``.venv/bin/python -m bench.similar_marks --store sqlite:///var/bench/stats-1000000.db``
(the store ``bench.stats_bench --records 1000000`` builds: 1,000,000 demo trademarks beside the
patents). Each mark is asked once to warm the OS's and the engine's caches, then ``--repeats``
times in rotation, the embedded store's remembered match counts emptied before each ask (a user's
mark is new to it); the time is the whole answer: the store's candidate query, reading the 400
candidates, scoring them.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

from bench.run_store import forget_remembered
from iphub.clearance import similar_marks
from iphub.store import open_store

#: (kind of ask, [(mark, classes)])
ASKS: list[tuple[str, list[tuple[str, list[int]]]]] = [
    ("Chinese mark, one class", [("云山", [30]), ("花城", [35]), ("珠江", [32])]),
    ("Chinese mark, two classes", [("羊城通", [9, 36]), ("岭南茶语", [30, 43])]),
    ("Chinese mark, every class", [("云山", []), ("小鹏", [])]),
    ("longer Chinese mark", [("广州白云山制药", [5]), ("云山雅居酒店", [43])]),
    ("Latin mark", [("PEARL RIVER", [25]), ("NIKE", [25]), ("STARBUCKS", [43])]),
    ("live marks only", [("云山", [30]), ("花城", [35])]),
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", default="sqlite:///var/bench/stats-1000000.db")
    ap.add_argument("--repeats", type=int, default=30)
    args = ap.parse_args()
    store = open_store(args.store, create=False)
    print(
        f"{store.count('trademark'):,} trademarks, {args.store}, "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}\n"
    )
    print("| ask | p50 ms | p95 ms | candidates | shown (last ask) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, asks in ASKS:
        live = name.startswith("live")
        for mark, classes in asks:
            similar_marks(store, mark, classes, live_only=live)
        samples = []
        for i in range(args.repeats):
            mark, classes = asks[i % len(asks)]
            forget_remembered(store)
            started = time.perf_counter()
            answer = similar_marks(store, mark, classes, live_only=live, size=20)
            samples.append((time.perf_counter() - started) * 1000)
        samples.sort()
        p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
        print(
            f"| {name} | {statistics.median(samples):.1f} | {p95:.1f} | "
            f"{answer.candidates} | {len(answer.hits)} |"
        )
    store.close()


if __name__ == "__main__":
    main()
