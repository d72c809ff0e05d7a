"""Statistics benchmark: holdings, indicators and landscape at N demo patents + N trademarks.

Run: ``.venv/bin/python -m bench.stats_bench --records 1000000 [--store URL]``. The store is
loaded with ``iphub.demo`` records when it holds fewer (reused otherwise). Each request is timed
uncached (the service called directly: every figure computed by the store) and through the
``StatsCache`` the API uses (stable between ingest batches); p50/p95 over ``--repeats`` runs go to
stdout as a Markdown table for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable, Iterator
from itertools import islice

from iphub.demo import generate_patents, generate_trademarks
from iphub.records import Patent, Trademark
from iphub.store import open_store
from iphub.store.base import Store
from search_api.services.holdings import holdings
from search_api.services.indicators import indicators
from search_api.services.landscape import landscape
from search_api.services.stats_cache import StatsCache

HUANGPU_NEW_ENERGY = (
    "status=valid AND kind=发明 AND dist=黄埔 AND type=enterprise AND ind=新能源与节能环保"
)


def requests(store: Store) -> list[tuple[str, Callable[[], object]]]:
    return [
        ("holdings patents by district, all", lambda: holdings(store, "patent", "", ("district",))),
        (
            "holdings patents by applicant, all (top 20)",
            lambda: holdings(store, "patent", "", ("applicant",)),
        ),
        (
            "holdings by applicant, 黄埔 valid inventions of enterprises in 新能源",
            lambda: holdings(store, "patent", HUANGPU_NEW_ENERGY, ("applicant",)),
        ),
        (
            "holdings 电池 by district × kind, growth 2015-2024",
            lambda: holdings(store, "patent", "电池", ("district", "kind"), years=(2015, 2024)),
        ),
        (
            "holdings trademarks by nice_class",
            lambda: holdings(store, "trademark", "", ("nice_class",)),
        ),
        ("indicators 2020-2024", lambda: indicators(store, (2020, 2024))),
        ("landscape 锂电池", lambda: landscape(store, "patent", "锂电池")),
        (
            "holdings of the nev collection by district",
            lambda: holdings(store, "patent", "coll=nev", ("district",)),
        ),
        ("landscape of the nev collection", lambda: landscape(store, "patent", "coll=nev")),
        ("landscape of every patent", lambda: landscape(store, "patent", "")),
    ]


def load(store: Store, kind: str, have: int, n: int) -> None:
    records: Iterator[Patent | Trademark] = iter(
        generate_patents(n) if kind == "patent" else generate_trademarks(n)
    )
    records = islice(records, have, None)  # the generators are prefixes of longer runs
    started, done = time.perf_counter(), have
    while chunk := list(islice(records, 10_000)):
        store.upsert(chunk)
        done += len(chunk)
        if done % 100_000 == 0:
            rate = (done - have) / (time.perf_counter() - started)
            print(f"  {kind}: {done:,} ({rate:,.0f}/s)", flush=True)
    store.refresh()


def forget(store: Store) -> Callable[[], None]:
    """Empty the engine's own result caches before a timed run, so "uncached" means computed:
    Elasticsearch's shard request cache answers a repeated ``size=0`` aggregation from memory
    until the next refresh, and the embedded store keeps facet and match counts and aggregations
    until the next commit (a request that asks one twice still finds it the second time)."""
    es = getattr(store, "es", None)
    if es is not None:
        index = store.indices  # type: ignore[attr-defined]  # every kind's index
        return lambda: es.indices.clear_cache(index=index, request=True, query=True)
    cache = getattr(store, "_results", None)
    return cache.clear if cache is not None else lambda: None


def timed(
    call: Callable[[], object], repeats: int, before: Callable[[], None] = lambda: None
) -> tuple[float, float]:
    samples = []
    for _ in range(repeats):
        before()
        t = time.perf_counter()
        call()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=1_000_000, help="patents (and marks)")
    ap.add_argument("--trademarks", type=int, default=None, help="default: as many as patents")
    ap.add_argument("--store", default=None)
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--only", default="", help="only the requests whose name starts so")
    args = ap.parse_args()
    url = args.store or f"sqlite:///var/bench/stats-{args.records}.db"
    store = open_store(url)
    wanted = {"patent": args.records, "trademark": args.trademarks or args.records}
    for kind, n in wanted.items():
        have = store.count(kind)  # type: ignore[arg-type]
        if have < n:
            print(f"loading {n - have:,} demo {kind}s into {url} …", flush=True)
            load(store, kind, have, n)
    cache = StatsCache(poll=1.0)
    rows = []
    for name, call in requests(store):
        if not name.startswith(args.only):
            continue
        call()  # warm the engine's caches once
        p50, p95 = timed(call, args.repeats, forget(store))
        cache.get_or_compute(store, name, call)  # the one miss; then what the API serves
        c50, c95 = timed(lambda c=call, n=name: cache.get_or_compute(store, n, c), args.repeats)
        rows.append((name, p50, p95, c50, c95))
    print(
        f"\n{store.count('patent'):,} patents + {store.count('trademark'):,} trademarks, {url}, "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {args.repeats} runs each\n"
    )
    print("| request | p50 ms | p95 ms | cached p50 ms | cached p95 ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, p50, p95, c50, c95 in rows:
        print(f"| {name} | {p50:.1f} | {p95:.1f} | {c50:.2f} | {c95:.2f} |")
    store.close()


if __name__ == "__main__":
    main()
