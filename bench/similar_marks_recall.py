"""What the similar-mark search's candidate query loses: of the labelled pairs the trademark
watch's comparison reports (``bench/data/mark_pairs.tsv``, ``nlp.marks.compare`` ≥ threshold),
how many does ``iphub.clearance.similar_marks`` find among many other marks.

    python -m bench.similar_marks_recall [--background 200000] [--misses]

Builds a temporary embedded store of ``--background`` demo trademarks (seeded) and the second
mark of every pair (enriched, as a load writes it: its pinyin spelled), then asks for the first
mark of each pair in its classes and looks for the second among the candidates the store gave
(what the candidate query reaches) and among the 100 best the answer shows. The demo data
repeats its vocabulary (1,097 third-party 白云山 in 200,000 marks, which an office would not
register side by side), so by default background marks identical to a pair's marks are left
out; ``--keep-copies`` keeps them, to see them crowd the answer.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from itertools import islice
from pathlib import Path

from bench.mark_eval import load as load_pairs
from iphub.clearance import CANDIDATES, candidates_plan, similar_marks
from iphub.demo import generate_trademarks
from iphub.records import Trademark, TrademarkStatus
from iphub.store.base import SearchRequest
from iphub.store.embedded import EmbeddedStore
from nlp.enrich import enrich
from nlp.marks import THRESHOLD, compare, normalise


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--background", type=int, default=200_000)
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--keep-copies", action="store_true")
    args = ap.parse_args()
    pairs = load_pairs()
    with tempfile.TemporaryDirectory(prefix="iphub-marks-") as folder:
        store = EmbeddedStore(Path(folder) / "iphub.db")
        started = time.perf_counter()
        texts = {normalise(m) for p in pairs for m in (p.a, p.b)}
        background = (
            t
            for t in generate_trademarks(args.background)
            if args.keep_copies or normalise(t.mark_text or "") not in texts
        )
        while batch := list(islice(background, 5000)):
            store.upsert(batch)
        planted = {
            f"CN-TM-9{i:07d}": enrich(
                Trademark(
                    id=f"CN-TM-9{i:07d}", application_number=f"9{i:07d}", mark_text=p.b,
                    nice_classes=p.classes_b, source="bench", status=TrademarkStatus.REGISTERED,
                )
            )
            for i, p in enumerate(pairs)
        }  # fmt: skip
        store.upsert(list(planted.values()))
        store.refresh()
        took = time.perf_counter() - started
        print(f"{store.count('trademark'):,} trademarks loaded in {took:.0f} s")
        reported = reached = shown = 0
        misses = []
        for i, p in enumerate(pairs):
            if compare(p.a, p.b, p.classes_a, p.classes_b).score < THRESHOLD:
                continue  # the watch would not report it either
            reported += 1
            wanted = f"CN-TM-9{i:07d}"
            plan = candidates_plan(p.a, p.classes_a)
            request = SearchRequest(kind="trademark", plan=plan, size=CANDIDATES)
            reached += wanted in {h.id for h in store.search(request).hits}
            answer = similar_marks(store, p.a, p.classes_a, size=100)
            if wanted in {h.id for h in answer.hits}:
                shown += 1
            else:
                misses.append(f"{p.a} / {p.b} ({p.basis})")
        store.close()
    print(f"pairs the comparison reports (≥ {THRESHOLD}): {reported}")
    print(f"among the {CANDIDATES} candidates: {reached} ({reached / reported:.3f})")
    print(f"among the 100 shown: {shown} ({shown / reported:.3f})")
    if args.misses:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
