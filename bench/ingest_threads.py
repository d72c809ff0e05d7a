"""Where a load's CPU goes, process by process and thread by thread.

    python -m bench.ingest_threads /var/tmp/bench-formats/input/epo-50000.xml --format epo \
        --workers 2 --mb 70

Runs the real CLI (``iphub ingest FILE --format F --workers N``) into a fresh embedded store
and reads, every ``--interval`` seconds with psutil, the CPU seconds of every thread of the
loading process (its main thread; tantivy's indexing thread, the busiest of the others; the
rest) and of the worker processes. ``--mb M`` loads the first M MB of FILE (a bench file of
``bench.ingest_formats``; the record cut at the end is quarantined). A load of the first 64 KB
measures what starting costs, so that the report gives CPU µs a record without it: (CPU of the
run − CPU of the start-up run) / (records − records of the start-up run), records counted by
the format's own ``split``. The last sample before a process ends is what is counted: up to
one interval of CPU is missed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from ingest import formats

STARTUP_BYTES = 64 * 1024


def _records(path: Path, fmt: str) -> int:
    with path.open("rb") as stream:
        return sum(1 for _ in formats.module(fmt).split(stream, 0, **formats.options(fmt, None)))


def measure(path: Path, fmt: str, workers: int, interval: float) -> dict[str, float]:
    """CPU seconds by part of one ``iphub ingest`` run, and its wall seconds."""
    iphub = Path(sys.executable).with_name("iphub")
    with tempfile.TemporaryDirectory(prefix="iphub-threads-") as folder:
        cmd = [str(iphub), "ingest", str(path), "--format", fmt, "--workers", str(workers)]
        cmd += ["--store", f"sqlite:///{folder}/iphub.db", "--quarantine-dir", f"{folder}/q"]
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        main = psutil.Process(proc.pid)
        threads: dict[int, float] = {}
        children: dict[int, float] = {}
        while proc.poll() is None:
            try:
                threads.update({t.id: t.user_time + t.system_time for t in main.threads()})
                for child in main.children(recursive=True):
                    times = child.cpu_times()
                    children[child.pid] = times.user + times.system
            except psutil.Error:
                pass
            time.sleep(interval)
        wall = time.perf_counter() - started
    by_cpu = sorted(threads.items(), key=lambda x: -x[1])
    main_thread = threads.get(proc.pid, 0.0)
    others = [cpu for tid, cpu in by_cpu if tid != proc.pid]
    return {
        "wall": wall,
        "main thread": main_thread,
        "busiest other thread (tantivy)": others[0] if others else 0.0,
        "other threads": sum(others[1:]),
        "workers": sum(children.values()),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--format", required=True, choices=sorted(formats.FORMATS))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--mb", type=float, default=0, help="the first MB of FILE (0: all of it)")
    ap.add_argument("--interval", type=float, default=0.1)
    args = ap.parse_args()
    data = args.file.read_bytes()
    with tempfile.TemporaryDirectory(prefix="iphub-threads-in-") as folder:
        head, small = Path(folder) / "head", Path(folder) / "start"
        head.write_bytes(data[: int(args.mb * 1024 * 1024)] if args.mb else data)
        small.write_bytes(data[:STARTUP_BYTES])
        n, k = _records(head, args.format), _records(small, args.format)
        run = measure(head, args.format, args.workers, args.interval)
        start = measure(small, args.format, args.workers, args.interval)
    print(f"{args.format}, {n:,} records, workers={args.workers}: wall {run['wall']:.1f} s")
    print(f"{'part':34} {'CPU s':>7} {'start-up s':>10} {'µs a record':>12}")
    for part, cpu in run.items():
        if part != "wall":
            per = (cpu - start[part]) / (n - k) * 1e6
            print(f"{part:34} {cpu:7.2f} {start[part]:10.2f} {per:12.0f}")


if __name__ == "__main__":
    main()
