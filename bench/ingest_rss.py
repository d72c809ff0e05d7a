"""Streaming at scale: ``iphub ingest`` of a 1 GB file, peak RSS of the whole process tree.

    python -m bench.ingest_rss --format uspto --mb 1024 --workers 2
    python -m bench.ingest_rss --format csv --mb 1024 --workers 2
    python -m bench.ingest_rss --format epo --mb 1024 --workers 1
    python -m bench.ingest_rss --format csv --mb 1024 --workers 1 --memory-limit 300

Writes the synthetic input once under ``var/bench/`` (git-ignored; reused when present): a
USPTO-style weekly full-text file (``bench.synth_ingest.uspto_weekly_bytes``), a CNIPA-header
CSV with Chinese titles and abstracts (``bench.ingest_bench.cn_csv_bytes``), or DOCDB CN
documents in Chinese and English, one in ten in English only with Latin names
(``bench.synth_formats.epo_docdb``). Then runs the real
CLI — ``iphub ingest FILE --store sqlite:///… --workers N``, enrichment included — as a
subprocess into a fresh embedded store, and samples the resident set of that process and of all
its children (the worker processes) every ``--interval`` seconds with psutil. Reports records
loaded, wall seconds (and until the summary table, i.e. without the alert matching that follows;
records/s counts that part), CPU seconds of the tree (records per CPU second does not depend on
what else the machine runs), the peak of the summed RSS of the tree (overall, and while loading)
and when it came, the peak of its anonymous part (RSS less file-backed pages: tantivy maps its
segment files, and the kernel can drop those clean pages at will), and the peaks of the loading
process and of the largest worker, with the load average before and after. The summed RSS
counts pages shared between processes (libraries) more than once: it is an upper bound; the
summed proportional set size (PSS: a page shared by k processes counts 1/k in each) is the
tree's own memory.

RSS also counts clean pages of files the process maps — tantivy's segment files, which a merge
reads through — that the kernel takes back whenever memory is short. ``--memory-limit MB`` asks
the question an operator asks instead: does the load run on a machine (a container) with only
that much memory? It runs the CLI in a memory cgroup of its own (cgroup v2 or v1; root on
Linux), capped at MB with no swap: the kernel must then reclaim page cache and mapped file pages
to stay under the cap, and kills the load if its memory that cannot be reclaimed (the heaps)
outgrows it. Reported besides: the cgroup's peak charge (page cache included, so at the cap
when the kernel had to reclaim), how often the cap was reached and OOM kills (none, or the run
fails).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psutil

from bench.ingest_bench import cn_csv_bytes
from bench.synth_formats import epo_docdb
from bench.synth_ingest import uspto_weekly_bytes

MB = 1024 * 1024
EPO_RECORD_BYTES = 3_560  # a generated DOCDB document (``synth_formats.epo_docdb``), on average


def generate(fmt: str, mb: int, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{fmt}-{mb}mb.{'csv' if fmt == 'csv' else 'xml'}"
    if path.exists() and path.stat().st_size >= mb * MB:
        return path
    started = time.perf_counter()
    part = path.with_suffix(".part")
    if fmt == "epo":  # DOCDB, CN documents in Chinese and English (≈3.5 KB each), and one in
        # ten in English with Latin names (a delivery of all countries: spaCy gets loaded)
        n = mb * MB // EPO_RECORD_BYTES + 1
        epo_docdb(part, n, latin_every=10)
    else:
        n = (uspto_weekly_bytes if fmt == "uspto" else cn_csv_bytes)(part, mb * MB)
    part.rename(path)
    print(f"generated {path} ({n:,} records) in {time.perf_counter() - started:.0f}s")
    return path


class TreeSampler:
    """Peaks of the RSS of a process and its children, and their CPU seconds, by sampling."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)
        self.peak = self.peak_main = self.peak_worker = self.peak_anon = self.peak_pss = 0
        self.peak_at = 0.0
        self.cpu: dict[int, float] = {}  # last CPU seconds seen per process (user + system)

    def sample(self, elapsed: float) -> None:
        try:
            procs = [self.root, *self.root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        sizes = []
        anon = pss = 0
        for proc in procs:
            try:
                with proc.oneshot():
                    memory = proc.memory_full_info()
                    times = proc.cpu_times()
                sizes.append(memory.rss)
                anon += memory.rss - memory.shared
                pss += memory.pss
            except psutil.NoSuchProcess:
                continue
            self.cpu[proc.pid] = times.user + times.system
        if not sizes:
            return
        total = sum(sizes)
        self.peak_anon = max(self.peak_anon, anon)
        self.peak_pss = max(self.peak_pss, pss)
        if total > self.peak:
            self.peak, self.peak_at = total, elapsed
        self.peak_main = max(self.peak_main, sizes[0])
        self.peak_worker = max(self.peak_worker, max(sizes[1:], default=0))


class MemoryCap:
    """A memory cgroup of its own capped at ``limit_mb`` without swap, made beside the cgroup
    this process runs in (cgroup v2's unified tree, else v1's memory hierarchy)."""

    def __init__(self, limit_mb: int) -> None:
        self.limit = limit_mb * MB
        own = Path("/proc/self/cgroup").read_text().splitlines()
        paths = dict(line.split(":", 2)[1:] for line in own)  # controllers -> path
        unified = Path("/sys/fs/cgroup")
        if (unified / "cgroup.controllers").exists():  # v2
            self.v2, base = True, unified / paths[""].lstrip("/")
        elif (unified / "memory").is_dir():
            self.v2 = False
            base = unified / "memory" / paths.get("memory", "/").lstrip("/")
        else:
            raise SystemExit("--memory-limit: this machine has no memory cgroup")
        self.path = base / f"iphub-bench-{os.getpid()}"
        try:
            self.path.mkdir()
        except OSError as exc:
            raise SystemExit(f"--memory-limit: cannot make a cgroup ({exc}): run as root") from exc
        if self.v2:
            self._write("memory.max", self.limit)
            self._write("memory.swap.max", 0, optional=True)
        else:
            self._write("memory.limit_in_bytes", self.limit)
            self._write("memory.memsw.limit_in_bytes", self.limit, optional=True)

    def _write(self, name: str, value: int, optional: bool = False) -> None:
        try:
            (self.path / name).write_text(str(value))
        except OSError:
            if not optional:  # memsw / swap.max exist only where swap is accounted
                raise

    def _read(self, name: str) -> str:
        try:
            return (self.path / name).read_text()
        except OSError:
            return ""

    def enter(self) -> Callable[[], None]:
        """What a child runs before ``exec``: moves itself (and so its children) in."""
        procs = self.path / "cgroup.procs"
        return lambda: procs.write_text(str(os.getpid()))

    def report(self) -> dict[str, float]:
        """The cap, the peak charge, the times the cap was reached and the OOM kills."""

        def field(text: str, key: str) -> int:
            return next((int(v) for k, v in (line.split() for line in text.splitlines())
                         if k == key), 0)  # fmt: skip

        if self.v2:
            events = self._read("memory.events")
            peak = self._read("memory.peak")  # Linux 5.19 and later
            hits, kills = field(events, "max"), field(events, "oom_kill")
        else:
            peak = self._read("memory.max_usage_in_bytes")
            hits = int(self._read("memory.failcnt") or 0)
            kills = field(self._read("memory.oom_control"), "oom_kill")
        return {
            "memory_limit_mb": self.limit / MB,
            "cgroup_peak_mb": int(peak) / MB if peak.strip() else -1.0,
            "limit_reached": hits,
            "oom_kills": kills,
        }

    def close(self) -> None:
        try:
            self.path.rmdir()  # empty once the load's processes are gone
        except OSError as exc:
            print(f"--memory-limit: {self.path} left behind: {exc}", file=sys.stderr)


def run(
    path: Path,
    workers: int,
    work: Path,
    interval: float,
    extra: list[str],
    cap: MemoryCap | None = None,
) -> dict[str, float]:
    db = work / "store" / "iphub.db"
    shutil.rmtree(db.parent, ignore_errors=True)
    iphub = Path(sys.executable).with_name("iphub")
    cmd = [str(iphub), "ingest", str(path), "--store", f"sqlite:///{db}"]
    cmd += ["--workers", str(workers), "--quarantine-dir", str(work / "quarantine"), *extra]
    load_before = os.getloadavg()
    started = time.perf_counter()
    proc = subprocess.Popen(  # noqa: S603 - our own CLI
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        preexec_fn=cap.enter() if cap else None,  # noqa: PLW1509 - before any thread starts
    )
    sampler = TreeSampler(proc.pid)
    loaded: list[float] = []  # when the summary table came: loading done, alert matching next
    out: list[bytes] = []

    def read_stdout() -> None:
        for line in proc.stdout or ():
            if not loaded:
                loaded.append(time.perf_counter() - started)
                load_peak.append(sampler.peak)
            out.append(line)

    load_peak: list[int] = []
    reader = threading.Thread(target=read_stdout, daemon=True)
    reader.start()
    while proc.poll() is None:
        sampler.sample(time.perf_counter() - started)
        time.sleep(interval)
    seconds = time.perf_counter() - started
    reader.join()
    capped = cap.report() if cap else {}
    if proc.returncode != 0:
        killed = f" (OOM kills under the cap: {capped['oom_kills']})" if cap else ""
        raise SystemExit(
            f"iphub ingest failed ({proc.returncode}){killed}:\n{b''.join(out).decode()}"
        )
    with sqlite3.connect(db) as conn:
        records = conn.execute("SELECT count(*) FROM records").fetchone()[0]
    size = sum(f.stat().st_size for f in db.parent.rglob("*") if f.is_file())
    shutil.rmtree(db.parent, ignore_errors=True)
    cpu = sum(sampler.cpu.values())
    return {
        "input_mb": path.stat().st_size / MB,
        "records": records,
        "seconds": seconds,
        "loading_seconds": loaded[0] if loaded else seconds,
        "records_per_s": records / (loaded[0] if loaded else seconds),
        "cpu_seconds": cpu,  # of every process of the tree, as last sampled
        "records_per_cpu_s": records / cpu if cpu else 0.0,
        "peak_tree_rss_mb": sampler.peak / MB,
        "peak_tree_rss_loading_mb": (load_peak[0] if load_peak else sampler.peak) / MB,
        "peak_at_fraction": sampler.peak_at / seconds,
        "peak_tree_anon_mb": sampler.peak_anon / MB,  # RSS less file-backed pages (mmap)
        # proportional set size: a page shared by k processes counts 1/k in each
        "peak_tree_pss_mb": sampler.peak_pss / MB,
        "peak_main_rss_mb": sampler.peak_main / MB,
        "peak_worker_rss_mb": sampler.peak_worker / MB,
        "store_mb": size / MB,
        "load_before": load_before[0],
        "load_after": os.getloadavg()[0],
        **capped,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--format", choices=("uspto", "csv", "epo"), default="uspto")
    ap.add_argument("--mb", type=int, default=1024, help="input size")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--dir", type=Path, default=Path("var/bench"))
    ap.add_argument("--interval", type=float, default=0.25, help="seconds between samples")
    ap.add_argument(
        "--memory-limit", type=int, metavar="MB", help="run the load in a memory cgroup of MB"
    )
    ap.add_argument("extra", nargs="*", help="more `iphub ingest` options, after --")
    args = ap.parse_args()
    path = generate(args.format, args.mb, args.dir)
    cap = MemoryCap(args.memory_limit) if args.memory_limit else None
    try:
        work = args.dir / f"rss-{args.format}"
        result = run(path, args.workers, work, args.interval, args.extra, cap)
    finally:
        if cap:
            cap.close()
    print(json.dumps({"format": args.format, "workers": args.workers, **result}, indent=1))


if __name__ == "__main__":
    main()
