"""Store benchmark: load N demo patents, then time each query class (p50/p95 over repeats).

Run: ``.venv/bin/python -m bench.run_store --records 1000000 [--store sqlite:///var/bench/iphub.db]``
(``make bench``). The store is reused when it already holds the records, so query timings can be
re-run without reloading. Results go to stdout as a Markdown table for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from itertools import islice

from iphub.demo import generate_patents
from iphub.search import search
from iphub.store import open_store
from iphub.store.base import Store

#: (class, queries, facets, sort): each query is run ``repeats`` times in rotation
CLASSES: list[tuple[str, list[str], tuple[str, ...], str]] = [
    ("very common term", ["方法", "装置", "系统"], (), "relevance"),
    ("common term", ["电池", "图像", "传感器"], (), "relevance"),
    ("rare term", ["石墨烯", "疫苗佐剂", "减速器"], (), "relevance"),
    ("two-term AND", ["锂电池 正极材料", "神经网络 图像识别", "污水处理 沉淀"], (), "relevance"),
    ("phrase", ['"锂离子电池"', '"显示面板"', '"制备方法"'], (), "relevance"),
    (
        "field + date range",
        [
            "ti=电池 AND pd>=2020",
            "pa=华南理工大学 AND ad=2018:2022",
            'ipc=H01M AND pd within "2015,2019"',
        ],
        (),
        "relevance",
    ),
    ("truncation", ["电池*", "传感*", "显示*"], (), "relevance"),
    ("sort by date", ["电池", "方法"], (), "date_desc"),
    # a key-industry collection (iphub/data/collections.json): IPC codes OR title/abstract
    # phrases, minus exclusions; alone, and narrowing a term
    ("collection", ["coll=nev", "coll=next-gen-it", "coll=biomedicine"], (), "relevance"),
    ("collection + term", ["coll=nev AND 电池", "coll=next-gen-it AND 图像"], (), "relevance"),
    (
        "facets, all records",
        [""],
        ("applicant", "year", "district", "ipc_subclass", "kind", "status", "industry"),
        "relevance",
    ),
    (
        "facets, common term",
        ["电池", "方法"],
        ("applicant", "year", "district", "ipc_subclass", "kind"),
        "relevance",
    ),
    (
        "facets, collection",
        ["coll=nev", "coll=next-gen-it"],
        ("applicant", "year", "district", "ipc_subclass", "kind"),
        "relevance",
    ),
]


def load(store: Store, n: int) -> float:
    started = time.perf_counter()
    records = generate_patents(n)
    done = 0
    while chunk := list(islice(records, 10_000)):
        store.upsert(chunk)
        done += len(chunk)
        if done % 100_000 == 0:
            rate = done / (time.perf_counter() - started)
            print(f"  loaded {done:,} ({rate:,.0f}/s)", flush=True)
    store.refresh()
    return n / (time.perf_counter() - started)


def forget_remembered(store: Store) -> None:
    """Empty the embedded store's result cache (facet and match counts, aggregations), so a
    facet timing counts the facets."""
    cache = getattr(store, "_results", None)
    if cache is not None:
        cache.clear()


def time_classes(store: Store, repeats: int) -> list[tuple[str, float, float, int]]:
    rows = []
    classes = [(*c, True) for c in CLASSES]
    classes += [(f"{n} (cached)", q, f, s, False) for n, q, f, s in CLASSES if f]
    for name, queries, facets, sort, cold in classes:
        for q in queries:  # warm up the OS and engine caches once per query
            search(store, "patent", q, facets=facets, sort=sort)  # type: ignore[arg-type]
        samples, total = [], 0
        for i in range(repeats):
            q = queries[i % len(queries)]
            if cold:
                forget_remembered(store)
            t = time.perf_counter()
            result = search(store, "patent", q, facets=facets, sort=sort)  # type: ignore[arg-type]
            samples.append((time.perf_counter() - t) * 1000)
            total = result.total
        samples.sort()
        p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
        rows.append((name, statistics.median(samples), p95, total))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--store", default=None)
    ap.add_argument("--repeats", type=int, default=60)
    args = ap.parse_args()
    url = args.store or f"sqlite:///var/bench/patents-{args.records}.db"
    store = open_store(url)
    have = store.count("patent")
    if have < args.records:
        print(f"loading {args.records:,} demo patents into {url} …", flush=True)
        rate = load(store, args.records)
        print(f"load: {rate:,.0f} records/s (segmentation + both writes)")
    rows = time_classes(store, args.repeats)
    print(
        f"\n{store.count('patent'):,} patents, {url}, {platform.processor() or platform.machine()}"
        f", {os.cpu_count()} cores, Python {platform.python_version()}\n"
    )
    print("| query class | p50 ms | p95 ms | hits (last query) |")
    print("| --- | ---: | ---: | ---: |")
    for name, p50, p95, total in rows:
        print(f"| {name} | {p50:.1f} | {p95:.1f} | {total:,} |")
    store.close()


if __name__ == "__main__":
    main()
