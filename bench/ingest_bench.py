"""Ingest benchmark: parse-only and end-to-end records/s, and peak RSS, per format.

    python -m bench.ingest_bench --uspto-mb 200 --e2e-records 5000 --workers 2

Generates synthetic files in a temporary directory (USPTO weekly XML from ``bench.synth_ingest``,
a CNIPA-header CSV with Chinese titles and abstracts, commercial-API JSON), then measures:
parse-only (the parser alone, and USPTO with worker processes), end-to-end into a fresh
EmbeddedStore through ``ingest.load.ingest``, and the cost of the store's ``index_document``
(segmentation) alone. Each measurement runs in a fresh subprocess so peak RSS is its own.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.synth_ingest import uspto_weekly, uspto_weekly_bytes

ZH = (
    "锂电池 正极材料 石墨烯 包覆 循环寿命 电解液 隔膜 储能 装置 控制 方法 系统 传感器 无线 通信"
    " 图像 识别 神经网络 机器人 电机 阀门 流体 散热 模块 充电 车辆 显示 面板 半导体 芯片 封装"
).split()


CN_HEADER = ["申请号", "申请日", "公开（公告）号", "名称", "摘要", "申请（专利权）人", "主分类号"]


def zh_title(rng: random.Random) -> str:
    return "一种" + "".join(rng.choice(ZH) for _ in range(4))


def zh_abstract(rng: random.Random) -> str:
    """About 100 characters of Chinese patent abstract."""
    return "本发明公开了" + "，".join("".join(rng.choice(ZH) for _ in range(5)) for _ in range(8))


def cn_row(rng: random.Random, i: int) -> list[str]:
    """A CNIPA-export row: a Chinese title and a ≈100-character abstract."""
    title = zh_title(rng)
    abstract = zh_abstract(rng)
    return [f"20211{i:07d}", "2021-03-01", f"CN{114000000 + i}A", title, abstract,
            f"广州{rng.choice(ZH)}有限公司", "H01M 10/0525"]  # fmt: skip


def cn_csv(path: Path, n: int, seed: int = 3) -> Path:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(CN_HEADER)
        w.writerows(cn_row(rng, i) for i in range(n))
    return path


def cn_csv_bytes(path: Path, size: int, seed: int = 3) -> int:
    """Write rows until the file has ``size`` bytes; returns the number of rows."""
    rng = random.Random(seed)
    n = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(CN_HEADER)
        while f.tell() < size:  # checked every 10,000 rows: text-mode tell() is not free
            w.writerows(cn_row(rng, i) for i in range(n, n + 10_000))
            n += 10_000
    return n


def run_child(code: str) -> dict[str, float]:
    out = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


PARSE = """
import json, resource, time
from ingest import formats
from ingest.parsers.base import Quarantined
t = time.perf_counter(); n = q = 0
with open({path!r}, 'rb') as f:
    for item in formats.parser({fmt!r})(f, 0):
        n += 1; q += isinstance(item, Quarantined)
s = time.perf_counter() - t
print(json.dumps({{'records': n, 'quarantined': q, 'seconds': s, 'rate': n / s,
  'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

PARALLEL = """
import json, resource, time
from ingest import formats, workers
mod = formats.module('uspto'); pool = workers.start({workers})
t = time.perf_counter(); n = 0
with open({path!r}, 'rb') as f:
    for item in workers.parse_parallel(pool, mod.__name__, {{}}, mod.split(f, 0), None, {workers}):
        n += 1
s = time.perf_counter() - t; pool.shutdown()
print(json.dumps({{'records': n, 'seconds': s, 'rate': n / s,
  'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
  'children_rss_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}}))
"""

E2E = """
import json, resource, time
from pathlib import Path
from iphub.store.embedded import EmbeddedStore
from ingest.load import Options, ingest
st = EmbeddedStore(Path({tmp!r}) / ('e2e-%d.db' % time.time_ns()))
t = time.perf_counter()
s = ingest(st, [Path({path!r})], Options(workers={workers}, quarantine_dir=Path({tmp!r})))
st.close(); sec = time.perf_counter() - t
n = s.total('loaded')
print(json.dumps({{'records': n, 'seconds': sec, 'rate': n / sec,
  'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

SEGMENT = """
import json, time
from ingest import formats
from iphub.store.fields import index_document
with open({path!r}, 'rb') as f:
    recs = [r for _, r in zip(range(1000), formats.parser({fmt!r})(f, 0))]
index_document(recs[0])  # the dictionaries load outside the timing
t = time.perf_counter()
for r in recs: index_document(r)
s = time.perf_counter() - t
print(json.dumps({{'records': len(recs), 'seconds': s, 'rate': len(recs) / s}}))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--uspto-mb", type=int, default=200)
    ap.add_argument("--e2e-records", type=int, default=5000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--dir", type=Path, default=None)
    ap.add_argument("--parse-only", action="store_true", help="only the single-process USPTO parse")
    args = ap.parse_args()
    tmp = args.dir or Path(tempfile.mkdtemp(prefix="iphub-bench-"))
    big = tmp / "uspto-big.xml"
    started = time.perf_counter()
    docs = uspto_weekly_bytes(big, args.uspto_mb * 1024 * 1024)
    print(f"generated {big} ({docs} documents) in {time.perf_counter() - started:.1f}s")
    if args.parse_only:
        r = run_child(PARSE.format(path=str(big), fmt="uspto"))
        print(f"uspto parse-only {args.uspto_mb} MB: {r}")
        return
    small = uspto_weekly(tmp / "uspto-e2e.xml", args.e2e_records)
    cn = cn_csv(tmp / "cn-e2e.csv", args.e2e_records)
    results = {
        f"uspto parse-only, {args.uspto_mb} MB, 1 process": run_child(
            PARSE.format(path=str(big), fmt="uspto")
        ),
        f"uspto parse-only, {args.uspto_mb} MB, {args.workers} workers": run_child(
            PARALLEL.format(path=str(big), workers=args.workers)
        ),
        "cn csv parse-only": run_child(PARSE.format(path=str(cn), fmt="csv")),
        "uspto index_document only": run_child(SEGMENT.format(path=str(small), fmt="uspto")),
        "cn csv index_document only": run_child(SEGMENT.format(path=str(cn), fmt="csv")),
    }
    for w in (1, args.workers):
        results[f"uspto end-to-end, workers={w}"] = run_child(
            E2E.format(tmp=str(tmp), path=str(small), workers=w)
        )
    for w in (1, args.workers):
        results[f"cn csv end-to-end, workers={w}"] = run_child(
            E2E.format(tmp=str(tmp), path=str(cn), workers=w)
        )
    for name, r in results.items():
        extra = ", ".join(f"{k}={v:.0f}" for k, v in r.items() if k.endswith("_mb"))
        line = f"{r['records']:>8.0f} rec {r['seconds']:8.1f}s {r['rate']:9.0f} rec/s"
        print(f"{name:45s} {line} {extra}")


if __name__ == "__main__":
    main()
