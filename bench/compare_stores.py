"""Embedded store vs Elasticsearch on the same demo records: bulk rate, index size, query latency.

Run (Elasticsearch up, e.g. ``IPHUB_ES_PORT=9203 iphub elastic start``)::

    .venv/bin/python -m bench.compare_stores --records 200000 --es http://127.0.0.1:9203 \
        --dir /tmp/iphub-compare

loads ``--records`` demo patents and as many demo trademarks (``iphub.demo.generate``, seeded;
not enriched) into a fresh embedded store under ``--dir`` and a fresh Elasticsearch index.
Each chunk of 5,000 records is prepared once (``PreparedRecord``: stored JSON and segmented
index document) and handed to both stores' ``upsert``, so each store's bulk rate counts its own
writing only. Then a mixed query set runs through ``iphub.search.search`` (parse, plan, store,
highlight; what the API calls) at 1 and 8 concurrent clients (threads), and the same queries
through the API (``fastapi.testclient.TestClient``, in process, one client) to show the API's own
overhead.
The embedded store's result cache (facets, counts, aggregations) is emptied before every query,
so facets are counted each time.
Prints Markdown tables for BENCHMARKS.md and writes ``--json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from iphub.demo import generate
from iphub.search import search
from iphub.store.base import Store
from iphub.store.elastic import ElasticStore
from iphub.store.embedded import EmbeddedStore
from iphub.store.fields import RecordKind
from iphub.store.prepared import PreparedRecord

CHUNK = 5000
FACETS = ("applicant", "year", "district", "ipc_subclass", "kind")


@dataclass(frozen=True)
class Query:
    klass: str
    kind: RecordKind
    q: str
    facets: tuple[str, ...] = ()
    page: int = 1
    size: int = 20


QUERIES = [
    Query("single term", "patent", "电池"),
    Query("single term", "patent", "传感器"),
    Query("single term", "trademark", "云"),
    Query("Boolean, field codes", "patent", "ti=电池 AND pd>=2020 NOT ipc=H01M10"),
    Query("Boolean, field codes", "patent", "(pa=华南理工大学 OR pa=中山大学) AND ad=2018:2022"),
    Query("Boolean, field codes", "trademark", "tm=云 AND nc=30"),
    Query("phrase", "patent", '"锂离子电池"'),
    Query("phrase", "patent", '"制备方法"'),
    Query("facet-heavy (5 facets)", "patent", "方法", FACETS),
    Query("facet-heavy (5 facets)", "patent", "", FACETS),
    Query("deep page (offset 9,980)", "patent", "电池", page=500),
    Query("deep page (offset 9,980)", "patent", "方法", page=500),
]
CLASSES = list(dict.fromkeys(q.klass for q in QUERIES))


def _forget_facets(store: Store) -> None:
    cache = getattr(store, "_results", None)
    if cache is not None:
        cache.clear()


def run_query(store: Store, query: Query) -> int:
    _forget_facets(store)
    result = search(
        store,
        query.kind,
        query.q,
        page=query.page,
        size=query.size,
        facets=query.facets,
    )
    return result.total


def load(stores: dict[str, Store], n: int) -> dict[str, Any]:
    """Both stores from the same records; seconds spent segmenting and in each store."""
    spent = dict.fromkeys(stores, 0.0) | {"segment": 0.0}
    records = generate(n, n)
    done = 0
    while chunk := list(islice(records, CHUNK)):
        t = time.perf_counter()
        ready = [PreparedRecord.of(r) for r in chunk]
        spent["segment"] += time.perf_counter() - t
        for name, store in stores.items():
            t = time.perf_counter()
            report = store.upsert(ready)
            spent[name] += time.perf_counter() - t
            if report.failed:
                raise RuntimeError(f"{name} rejected records: {report.failed[:3]}")
        done += len(chunk)
        if done % 50_000 == 0:
            print(f"  {done:,} records", {k: round(v) for k, v in spent.items()}, flush=True)
    for name, store in stores.items():
        t = time.perf_counter()
        store.refresh()
        spent[name] += time.perf_counter() - t
    return {"records": done, "seconds": spent}


def _holds(store: Store, n: int) -> bool:
    try:
        return store.count("patent") >= n and store.count("trademark") >= n
    except Exception:  # noqa: BLE001 - an index that is not there holds nothing
        return False


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def sizes(embedded: EmbeddedStore, elastic: ElasticStore) -> dict[str, int]:
    stats = elastic.es.indices.stats(index=elastic.indices, metric="store")  # every kind
    return {
        "embedded_sqlite": embedded.path.stat().st_size,
        "embedded_tantivy": dir_size(embedded.index_path),
        "elastic": int(stats["_all"]["primaries"]["store"]["size_in_bytes"]),
    }


def pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def timed(call: Callable[[Query], object], queries: list[Query], clients: int) -> dict[str, Any]:
    """Run ``queries`` spread over ``clients`` threads; latency samples per class, wall time."""
    per_class: dict[str, list[float]] = {k: [] for k in CLASSES}

    def one(query: Query) -> tuple[str, float]:
        t = time.perf_counter()
        call(query)
        return query.klass, (time.perf_counter() - t) * 1000

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for klass, ms in pool.map(one, queries):
            per_class[klass].append(ms)
    wall = time.perf_counter() - started
    return {
        "qps": len(queries) / wall,
        "classes": {
            k: {"p50": statistics.median(v), "p95": pct(v, 0.95), "p99": pct(v, 0.99)}
            for k, v in per_class.items()
        },
    }


@contextmanager
def api_caller(store: Store, db: Path) -> Iterator[Callable[[Query], object]]:
    """Search through the app with its lifespan running, so it reads as it does in production
    (``AsyncElasticsearch`` on Elasticsearch)."""
    from fastapi.testclient import TestClient

    from iphub.config import Settings
    from search_api.main import create_app

    settings = Settings(store=f"sqlite:///{db}", rate_limit=0)  # the URL only places the limiter
    with TestClient(create_app(settings, store=store)) as client:

        def call(query: Query) -> object:
            _forget_facets(store)
            params: dict[str, Any] = {"q": query.q, "page": query.page, "size": query.size}
            if query.facets:
                params["facets"] = ",".join(query.facets)
            r = client.get(f"/api/v1/{query.kind}s/search", params=params)
            if r.status_code != 200:
                raise RuntimeError(r.text)
            return r

        yield call


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=200_000, help="patents, and as many trademarks")
    ap.add_argument("--es", default="http://127.0.0.1:9200")
    ap.add_argument("--dir", type=Path, default=Path("var/bench/compare"))
    ap.add_argument("--rounds", type=int, default=20, help="passes over the query set")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--keep", action="store_true", help="keep both stores for a --reuse run")
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="query the stores a --keep run left (no load) if they hold the records",
    )
    ap.add_argument("--load-only", action="store_true", help="load (and keep), measure nothing")
    args = ap.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    db = args.dir / f"compare-{args.records}.db"
    elastic = ElasticStore(f"{args.es}/iphub-compare-{args.records}")
    # --reuse keeps each store that still holds the records and loads the other one
    keep_embedded = args.reuse and db.exists()
    keep_elastic = args.reuse and _holds(elastic, args.records)
    if not keep_embedded:
        for stale in (db, db.with_name(db.name + ".index")):
            if stale.is_dir():
                import shutil

                shutil.rmtree(stale)
            elif stale.exists():
                stale.unlink()
    if not keep_elastic:
        elastic.drop()
    embedded = EmbeddedStore(db)
    if keep_embedded and not _holds(embedded, args.records):
        raise SystemExit(f"{db} lacks {args.records:,} records of each kind; drop --reuse")
    stores: dict[str, Store] = {"embedded": embedded, "elastic": elastic}
    kept = {"embedded": keep_embedded, "elastic": keep_elastic}
    out: dict[str, Any] = {
        "machine": {
            "cpu": platform.processor() or platform.machine(),
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "load_before": os.getloadavg(),
        }
    }
    to_load = {name: store for name, store in stores.items() if not kept[name]}
    if not to_load:
        print(f"reusing the stores of a --keep run ({db}, {elastic.indices})", flush=True)
        out["load"] = None
    else:
        print(
            f"loading {args.records:,} patents + {args.records:,} trademarks into "
            f"{', '.join(to_load)} …",
            flush=True,
        )
        out["load"] = load(to_load, args.records)
        if args.json:
            args.json.with_suffix(".load.json").write_text(json.dumps(out, indent=1, default=str))
    out["sizes"] = sizes(embedded, elastic)
    if args.load_only:
        print(json.dumps(out, indent=1, default=str))
        elastic.close()
        embedded.close()
        return
    out["totals"] = {f"{q.kind}:{q.q}": run_query(embedded, q) for q in QUERIES}
    out["totals_elastic"] = {f"{q.kind}:{q.q}": run_query(elastic, q) for q in QUERIES}
    queries = QUERIES * args.rounds
    out["latency"] = {}
    for name, store in stores.items():
        for query in QUERIES:  # warm up
            run_query(store, query)
        for clients in (1, 8):
            print(f"  {name}, {clients} client(s) …", flush=True)
            out["latency"][f"{name}/{clients}"] = timed(
                lambda q, s=store: run_query(s, q), queries, clients
            )
        print(f"  {name}, API …", flush=True)
        with api_caller(store, args.dir / "api.db") as call:
            for query in QUERIES:
                call(query)
            out["latency"][f"{name}/api"] = timed(call, queries, 1)
    out["machine"]["load_after"] = os.getloadavg()
    report(out, args.records)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, default=str))
    if not (args.keep or args.reuse):
        elastic.drop()
    elastic.close()
    embedded.close()


def report(out: dict[str, Any], n: int) -> None:
    stores_order = ("embedded", "elastic")
    mb = {k: v / 2**20 for k, v in out["sizes"].items()}
    print(f"\n{2 * n:,} records ({n:,} patents + {n:,} trademarks), {out['machine']}\n")
    print("| | embedded | Elasticsearch |\n| --- | ---: | ---: |")
    if out["load"]:  # a --reuse run measured no load
        secs = out["load"]["seconds"]
        total = out["load"]["records"]
        rates = [f"{total / secs[k]:,.0f}" if k in secs else "(kept)" for k in stores_order]
        print(f"| bulk rate, store only (records/s) | {rates[0]} | {rates[1]} |")
        print(f"| segmentation, shared (records/s) | {total / secs['segment']:,.0f} | same |")
    print(
        f"| index size (MB) | {mb['embedded_sqlite']:,.0f} SQLite + "
        f"{mb['embedded_tantivy']:,.0f} tantivy | {mb['elastic']:,.0f} |"
    )
    lat = out["latency"]
    print(
        "\n| query class | clients | embedded p50 / p95 / p99 ms "
        "| Elasticsearch p50 / p95 / p99 ms |"
    )
    print("| --- | ---: | ---: | ---: |")
    for clients in ("1", "8"):
        for k in CLASSES:
            cells = []
            for name in ("embedded", "elastic"):
                c = lat[f"{name}/{clients}"]["classes"][k]
                cells.append(f"{c['p50']:.1f} / {c['p95']:.1f} / {c['p99']:.1f}")
            print(f"| {k} | {clients} | {cells[0]} | {cells[1]} |")
    print(
        f"\nthroughput (queries/s): embedded {lat['embedded/1']['qps']:.0f} (1 client), "
        f"{lat['embedded/8']['qps']:.0f} (8); Elasticsearch {lat['elastic/1']['qps']:.0f} (1), "
        f"{lat['elastic/8']['qps']:.0f} (8)\n"
    )
    print("| query class | embedded: store → API p50 ms | Elasticsearch: store → API p50 ms |")
    print("| --- | ---: | ---: |")
    for k in CLASSES:
        cells = []
        for name in ("embedded", "elastic"):
            s, a = lat[f"{name}/1"]["classes"][k]["p50"], lat[f"{name}/api"]["classes"][k]["p50"]
            cells.append(f"{s:.1f} → {a:.1f} (+{a - s:.1f})")
        print(f"| {k} | {cells[0]} | {cells[1]} |")
    print("\nhits:", json.dumps(out["totals"], ensure_ascii=False))
    if out["totals"] != out["totals_elastic"]:
        print(
            "hits differ on Elasticsearch:", json.dumps(out["totals_elastic"], ensure_ascii=False)
        )


if __name__ == "__main__":
    main()
