"""Prior art from a description (按技术描述检索) at scale: the query of a description's key terms
(``iphub.describe``) run on a store, without and with the search page's facets.

Run: ``.venv/bin/python -m bench.describe_bench --store sqlite:///var/bench/stats-1000000.db``
(the 1,000,000-patent store ``bench.stats_bench --records 1000000`` builds). p50 of
``--repeats`` runs each, the embedded store's remembered counts emptied before each.
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench.run_store import forget_remembered
from iphub.describe import query_from_text
from iphub.search import search
from iphub.store import open_store

DESCRIPTIONS = [
    "我们的产品用固态电解质代替液态电解液，做成固态锂电池，能量密度更高，不易起火。",
    "一种基于深度学习的图像识别方法，利用卷积神经网络对摄像头采集的图像进行分类，提高识别准确率。",
    "污水处理设备，通过沉淀池和过滤膜去除悬浮物，降低运行成本。",
]
FACETS = ("applicant", "year", "district", "ipc_subclass", "kind")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", default="sqlite:///var/bench/stats-1000000.db")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    store = open_store(args.store, create=False)
    print(f"{store.count('patent'):,} patents, {args.store}\n")
    print("| description | terms | hits | p50 ms | p50 ms with 5 facets |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for text in DESCRIPTIONS:
        described = query_from_text(text)
        times = []
        for facets in ((), FACETS):
            samples = []
            for _ in range(args.repeats):
                forget_remembered(store)
                started = time.perf_counter()
                result = search(store, "patent", described.query, facets=facets)
                samples.append((time.perf_counter() - started) * 1000)
            times.append(statistics.median(samples))
        print(
            f"| {text[:16]}… | {len(described.terms)} | {result.total:,} | "
            f"{times[0]:.0f} | {times[1]:.0f} |"
        )
    store.close()


if __name__ == "__main__":
    main()
