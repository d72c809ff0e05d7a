"""Ingest rate of every bulk format: parse-only and end-to-end with enrichment, per worker count.

    python -m bench.ingest_formats --records 20000 --dir /tmp/bench-formats --workers 2
    python -m bench.ingest_formats --records 500 --formats cnipa,epo --json out.json
    python -m bench.ingest_formats --records 50000 --repeat 3   # the median of 3 loads each

For each format of ``ingest.formats.FORMATS`` the bench can write (or ``--formats``): writes
``--records`` synthetic records (``bench.synth_formats``), then, each in a fresh subprocess,
measures the format's parser alone in one process, and the CLI's load — ``ingest.load.ingest`` into
a fresh EmbeddedStore, format sniffed, ``nlp.enrich.enrich`` on — with one process and with
``--workers``. Timed: the parse, or the load and closing the store (enrichment tables and worker
start-up included, as a user of the CLI waits for them).

Reported per measurement: records/s; records per CPU second (the timed part's CPU time in the
subprocess plus its workers', from ``RUSAGE_CHILDREN`` once they are reaped), which depends less
on the other work of a shared machine; peak RSS of the subprocess (exact) and of its tree (main
+ workers, summed, sampled with psutil: an upper bound, shared pages counted twice); the load
average before and after. A load is also cut into its phases: the seconds until its first
batch is written (worker start-up, tables), the steady rate from there until ``ingest``
returns, and the seconds ``close`` takes (it waits for tantivy's last merge). Any
quarantined record, a record count other than ``--records`` or a file sniffed as another format
stops the run.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.ingest_rss import MB, TreeSampler
from bench.synth_formats import GENERATORS, NOT_SYNTHESISED, VARIANTS, format_of, generate

ROOT = Path(__file__).resolve().parents[1]


def _parse_only(path: Path, fmt: str) -> dict[str, Any]:
    from ingest import formats
    from ingest.parsers.base import Quarantined

    parse = formats.parser(fmt)
    started, cpu = time.perf_counter(), time.process_time()
    n = quarantined = 0
    with path.open("rb") as f:
        for item in parse(f, 0):
            n += 1
            quarantined += isinstance(item, Quarantined)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"records": n - quarantined, "quarantined": quarantined, "seconds": seconds, "cpu": cpu}


def _end_to_end(path: Path, workers: int, work: Path) -> dict[str, Any]:
    from ingest.load import Options, ingest
    from iphub.store.embedded import EmbeddedStore
    from nlp.enrich import enrich

    store = EmbeddedStore(work / "iphub.db")
    options = Options(workers=workers, quarantine_dir=work / "quarantine", enrich=enrich)
    first: list[float] = []  # when the first batch was written, and how many records were read
    read = 0

    def progress(items: int, _quarantined: int) -> None:
        nonlocal read
        read += items
        if not first and read:
            first.extend((time.perf_counter(), read))

    started, cpu = time.perf_counter(), time.process_time()
    summary = ingest(store, [path], options, progress)
    loaded = time.perf_counter()
    store.close()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    deadline = time.monotonic() + 30
    while mp.active_children() and time.monotonic() < deadline:  # reaped: rusage counts them
        time.sleep(0.01)  # (ingest shuts its pool down without waiting)
    workers_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "records": summary.total("loaded"),
        "quarantined": summary.total("quarantined"),
        "seconds": seconds,
        # the phases: start-up until the first batch is written; the steady part; closing the
        # store, which waits for tantivy's last merge
        "first_seconds": first[0] - started,
        "steady_rate": (read - first[1]) / (loaded - first[0]) if loaded > first[0] else 0.0,
        "close_seconds": seconds - (loaded - started),
        "cpu": cpu + workers_cpu.ru_utime + workers_cpu.ru_stime,
        "sniffed": [f.format for f in summary.files],
        "quarantine_file": str(summary.quarantine_file),
    }


def _child(spec: dict[str, Any]) -> None:
    """One measurement, run in a fresh interpreter; prints its result as the last line (JSON).

    A function in an importable module rather than ``-c`` code, so that the spawned worker
    processes of ``ingest.workers`` can import whatever they are sent.
    """
    path = Path(spec["path"])
    if spec["workers"] == 0:
        result = _parse_only(path, spec["format"])
    else:
        result = _end_to_end(path, spec["workers"], Path(spec["work"]))
    result["rss_main_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def run_child(spec: dict[str, Any], interval: float) -> dict[str, Any]:
    """``_child(spec)`` in a subprocess whose tree is sampled every ``interval`` seconds."""
    code = f"from bench.ingest_formats import _child; _child({spec!r})"
    env = os.environ | {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.getenv("PYTHONPATH")]))
    }
    load_before = os.getloadavg()
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-c", code], stdout=out, stderr=err, cwd=ROOT, env=env
        )
        sampler = TreeSampler(proc.pid)
        while proc.poll() is None:
            sampler.sample(time.perf_counter() - started)
            time.sleep(interval)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"measurement {spec} failed ({proc.returncode}):\n{stderr[-3000:]}")
    result: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    result |= {
        "rate": result["records"] / result["seconds"],
        "records_per_cpu_s": result["records"] / result["cpu"] if result["cpu"] else 0.0,
        "rss_tree_mb": max(sampler.peak / MB, result["rss_main_mb"]),
        "rss_worker_mb": sampler.peak_worker / MB,
        "load_before": list(load_before),
        "load_after": list(os.getloadavg()),
    }
    return result


def _check(fmt: str, what: str, result: dict[str, Any], records: int) -> None:
    """Stop the run on anything that would make the figures wrong."""
    problems = []
    if result["quarantined"]:
        where = result.get("quarantine_file", "")
        problems.append(f"{result['quarantined']} records quarantined {where}".rstrip())
    if result["records"] != records:
        problems.append(f"{result['records']} records, expected {records}")
    if result.get("sniffed", [fmt]) != [fmt]:
        problems.append(f"sniffed as {result['sniffed']}")
    if problems:
        raise SystemExit(f"{fmt} {what}: {'; '.join(problems)}")


def measure(fmt: str, args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    path = generate(fmt, args.dir / "input", args.records)
    size = path.stat().st_size
    out: dict[str, Any] = {
        "file": str(path),
        "bytes": size,
        "kb_per_record": size / 1024 / args.records,
        "generate_seconds": time.perf_counter() - started,
    }
    spec = {"format": format_of(fmt), "path": str(path), "workers": 0}
    out["parse"] = run_child(spec, args.interval)
    _check(format_of(fmt), "parse-only", out["parse"], args.records)
    for w in dict.fromkeys((1, args.workers)):
        work = args.dir / f"store-{fmt}-w{w}"
        runs = []
        for _ in range(args.repeat):
            shutil.rmtree(work, ignore_errors=True)  # a fresh store each time
            work.mkdir(parents=True)
            result = run_child(spec | {"workers": w, "work": str(work)}, args.interval)
            _check(format_of(fmt), f"end-to-end W={w}", result, args.records)  # keeps quarantine
            runs.append(result)
        shutil.rmtree(work, ignore_errors=True)  # keep the disk free
        result = sorted(runs, key=lambda r: r["rate"])[len(runs) // 2]  # the median run
        result["rates"] = [r["rate"] for r in runs]
        result["ratio"] = result["rate"] / out["parse"]["rate"]
        out[f"e2e_w{w}"] = result
    return out


def python_speed(loops: int = 5) -> float:
    """Seconds for a fixed pure-Python loop (10 million additions), the best of ``loops``: the
    CPU-bound code runs at this pace, so rates measured on two VMs of the same name (the
    "2-core AMD EPYC" of BENCHMARKS.md is not always the same hardware) compare once scaled
    by it."""
    best = float("inf")
    for _ in range(loops):
        started = time.perf_counter()
        total = 0
        for i in range(10_000_000):
            total += i
        best = min(best, time.perf_counter() - started)
    return best


def machine() -> dict[str, Any]:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [x for x in cpuinfo.read_text().splitlines() if x.startswith("model name")]
        model = names[0].split(":", 1)[1].strip() if names else ""
    return {
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "cpu_model": model,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_start": list(os.getloadavg()),
        "python_loop_s": python_speed(),
    }


def _load(r: dict[str, Any]) -> str:
    return f"{r['load_before'][0]:.2f} → {r['load_after'][0]:.2f}"


def _rate(run: dict[str, Any]) -> str:
    """The (median) rate, with the range of the repeated runs."""
    rates = run.get("rates", [])
    spread = f" ({min(rates):,.0f}–{max(rates):,.0f})" if len(rates) > 1 else ""
    return f"{run['rate']:,.0f}{spread}"


def table(results: dict[str, dict[str, Any]], workers: int) -> str:
    n = workers
    ws = list(dict.fromkeys((1, n)))
    head = ["format", "records", "KB/rec", "parse rec/s", *(f"e2e rec/s W={w}" for w in ws)]
    head += [f"e2e/parse W={w}" for w in ws]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for fmt, r in results.items():
        cells = [fmt, f"{r['parse']['records']:,}", f"{r['kb_per_record']:.2f}"]
        cells += [f"{r['parse']['rate']:,.0f}", *(_rate(r[f"e2e_w{w}"]) for w in ws)]
        cells += [f"{r[f'e2e_w{w}']['ratio']:.3f}" for w in ws]
        lines.append("| " + " | ".join(cells) + " |")
    detail = ["run", "s", "rec/s", "rec/CPU-s", "quarantined", "RSS main MB", "RSS tree MB"]
    head = ["format", *detail, "first batch s", "steady rec/s", "close s"]
    head += ["load 1 min before → after"]
    lines += ["", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for fmt, r in results.items():
        for run in ("parse", *(f"e2e_w{w}" for w in ws)):
            m = r[run]
            cells = [fmt, run, f"{m['seconds']:.2f}", f"{m['rate']:,.0f}"]
            cells += [f"{m['records_per_cpu_s']:,.0f}", str(m["quarantined"])]
            cells += [f"{m['rss_main_mb']:.0f}", f"{m['rss_tree_mb']:.0f}"]
            if run == "parse":
                cells += ["", "", ""]
            else:
                cells += [f"{m['first_seconds']:.2f}", f"{m['steady_rate']:,.0f}"]
                cells += [f"{m['close_seconds']:.2f}"]
            lines.append("| " + " | ".join([*cells, _load(m)]) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--records", type=int, default=20_000)
    ap.add_argument("--dir", type=Path, default=Path("var/bench/formats"))
    ap.add_argument(
        "--formats",
        default=",".join(GENERATORS),
        help=f"comma-separated; also the variants {', '.join(VARIANTS)}",
    )
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", type=Path, default=None, help="default: DIR/ingest-formats.json")
    ap.add_argument("--interval", type=float, default=0.2, help="seconds between RSS samples")
    ap.add_argument(
        "--repeat", type=int, default=1, help="end-to-end runs each; the median run is reported"
    )
    args = ap.parse_args(argv)
    fmts = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = [f for f in fmts if f not in GENERATORS and f not in VARIANTS]
    if not_written := [f"{f}: {NOT_SYNTHESISED[f]}" for f in unknown if f in NOT_SYNTHESISED]:
        ap.error(f"cannot write {'; '.join(not_written)}")
    if unknown:
        ap.error(f"unknown formats {unknown}; known: {', '.join([*GENERATORS, *VARIANTS])}")
    args.dir = args.dir.resolve()
    info = machine()
    results: dict[str, dict[str, Any]] = {}
    for fmt in fmts:
        results[fmt] = r = measure(fmt, args)
        rates = ", ".join(f"{k} {v['rate']:,.0f}/s" for k, v in r.items() if isinstance(v, dict))
        print(
            f"{fmt}: {r['parse']['records']:,} records, {r['kb_per_record']:.2f} KB each: {rates}"
        )
    info["load_end"] = list(os.getloadavg())
    print()
    print(f"{info['cpu_count']} CPUs ({info['cpus_usable']} usable) {info['cpu_model']}")
    print(f"{info['platform']}, Python {info['python']}")
    print(f"Python speed: 10 million additions in {info['python_loop_s']:.2f} s (best of 5)")
    print(f"load average at start {info['load_start']}, at end {info['load_end']}")
    print()
    print(table(results, args.workers))
    out = args.json or args.dir / "ingest-formats.json"
    report = {"machine": info, "records": args.records, "workers": args.workers}
    out.write_text(json.dumps(report | {"results": results}, indent=1), encoding="utf-8")
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
