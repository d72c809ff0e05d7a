"""Precision and recall of trademark-watch similarity (nlp.marks) on the labelled pair set.

    python -m bench.mark_eval [--threshold 0.75] [--misses] [--only 翻译]

``bench/data/mark_pairs.tsv``: mark pairs with Nice classes, labelled similar (1) or not (0)
after CNIPA examination practice. Prints the figures reported in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import csv
from dataclasses import dataclass
from pathlib import Path

from nlp.marks import THRESHOLD, compare

PAIRS = Path(__file__).resolve().parent / "data" / "mark_pairs.tsv"


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    classes_a: list[int]
    classes_b: list[int]
    similar: bool
    basis: str


def load(path: Path = PAIRS) -> list[Pair]:
    with path.open(encoding="utf-8") as f:
        rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")
        return [
            Pair(
                r["a"],
                r["b"],
                [int(c) for c in r["classes_a"].split("|")],
                [int(c) for c in r["classes_b"].split("|")],
                r["label"] == "1",
                r["basis"],
            )
            for r in rows
        ]


def evaluate(pairs: list[Pair], threshold: float = THRESHOLD) -> dict[str, float]:
    tp = fp = fn = tn = 0
    for p in pairs:
        hit = compare(p.a, p.b, p.classes_a, p.classes_b).score >= threshold
        tp += hit and p.similar
        fp += hit and not p.similar
        fn += not hit and p.similar
        tn += not hit and not p.similar
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "precision": precision, "recall": recall}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--only", help="evaluate only pairs whose basis contains this text")
    args = parser.parse_args()
    pairs = [p for p in load() if not args.only or args.only in p.basis]
    print(f"{len(pairs)} pairs ({sum(p.similar for p in pairs)} similar)")
    print("threshold  precision  recall  tp  fp  fn  tn")
    for t in sorted({0.6, 0.7, 0.75, 0.8, 0.85, 0.9, args.threshold}):
        r = evaluate(pairs, t)
        print(
            f"{t:9.2f}  {r['precision']:9.3f}  {r['recall']:6.3f}  "
            f"{r['tp']:.0f}  {r['fp']:.0f}  {r['fn']:.0f}  {r['tn']:.0f}"
        )
    if args.misses:
        for p in pairs:
            c = compare(p.a, p.b, p.classes_a, p.classes_b)
            if (c.score >= args.threshold) != p.similar:
                kind = "FN" if p.similar else "FP"
                print(f"{kind} {p.a} / {p.b} ({p.basis}) {c.score:.2f} {c.signals}")


if __name__ == "__main__":
    main()
