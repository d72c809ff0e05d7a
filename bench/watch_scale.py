"""Trademark watches against a batch of filings: the candidate query against comparing every pair.

    python -m bench.watch_scale [--watches 200] [--filings 10000]

``--filings`` seeded demo trademarks (the alerts matcher's chunk) in a batch index, and
``--watches`` watches made from other seeded demo marks (distinct marks, their classes). Each
watch is matched the matcher's way (``search_api.alerts.matcher._watch_hits``: the similar-mark
search's candidate query on the batch index, then ``nlp.marks.compare``) and the exhaustive way
(``compare`` of every filing). Reports the time of each and the pairs each reports: the pairs the
exhaustive way reports that the candidates leave out are what the matcher gives up.
"""

from __future__ import annotations

import argparse
import time
from types import SimpleNamespace
from typing import Any

from iphub.demo import generate_trademarks
from iphub.records import Trademark
from iphub.store.batch_index import BatchIndex
from nlp.marks import THRESHOLD, compare
from search_api.alerts.matcher import _watch_hits


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--watches", type=int, default=200)
    ap.add_argument("--filings", type=int, default=10_000)
    ap.add_argument("--misses", action="store_true")
    args = ap.parse_args()
    filings = [t for t in generate_trademarks(args.filings, seed=7) if t.mark_text]
    by_id: dict[str, Trademark] = {t.id: t for t in filings}
    seen: dict[str, Trademark] = {}
    for t in generate_trademarks(args.watches * 20, seed=99):
        if t.mark_text and t.mark_text not in seen:
            seen[t.mark_text] = t
        if len(seen) == args.watches:
            break
    watches: list[Any] = [
        SimpleNamespace(watch={"mark": t.mark_text, "nice_classes": t.nice_classes})
        for t in seen.values()
    ]
    started = time.perf_counter()
    index = BatchIndex(filings)
    indexed = time.perf_counter() - started

    started = time.perf_counter()
    fast = {(i, f.id) for i, w in enumerate(watches) for f, _ in _watch_hits(w, index, by_id)}
    candidates = time.perf_counter() - started

    started = time.perf_counter()
    every = set()
    for i, w in enumerate(watches):
        mark, classes = w.watch["mark"], w.watch["nice_classes"]
        for f in filings:
            if compare(mark, f.mark_text or "", classes, f.nice_classes).score >= THRESHOLD:
                every.add((i, f.id))
    exhaustive = time.perf_counter() - started
    print(f"{len(watches)} watches, {len(filings):,} filings with words")
    print(f"batch index built in {indexed:.1f} s")
    print(f"candidate query + compare: {candidates:.2f} s, {len(fast):,} pairs")
    print(f"compare of every pair:     {exhaustive:.2f} s, {len(every):,} pairs")
    missed = every - fast
    print(f"pairs the candidates leave out: {len(missed)} ({len(missed) / max(1, len(every)):.4f})")
    print(f"pairs only the candidates give: {len(fast - every)}")
    if args.misses:
        for i, fid in sorted(missed):
            print(f"  {watches[i].watch['mark']} / {by_id[fid].mark_text}")


if __name__ == "__main__":
    main()
