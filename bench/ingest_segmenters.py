"""How much of end-to-end ingest is segmentation, and what rjieba would change.

    python -m bench.ingest_segmenters DIR   # DIR from bench.ingest_bench --dir

Compares ``nlp.segment.index_tokens`` (pure-Python jieba, search mode, HMM off) with the same
cut done by rjieba (jieba-rs: jieba's dictionary and algorithm) plus the domain dictionary, on
the titles and abstracts of the benchmark files: whether the token lists are identical, and
``iphub.store.fields.index_document`` documents/s with each. An experiment for the nlp owner:
nothing here changes what the stores index.
"""

from __future__ import annotations

import itertools
import sys
import time
from functools import cache
from importlib import resources
from pathlib import Path

import rjieba

import nlp.segment as seg
from ingest import formats
from iphub.store import fields


@cache
def _rjieba() -> rjieba.Jieba:
    s = rjieba.Jieba()
    text = (resources.files("nlp") / "data" / "userdict.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and not line.startswith("#"):
            s.add_word(parts[0], int(parts[1]), parts[2] if len(parts) > 2 else None)
    return s


def rjieba_index_tokens(text: str) -> list[str]:
    return seg._normalise(_rjieba().cut_for_search(seg.fold(text), hmm=False))


def main() -> None:
    directory = Path(sys.argv[1])
    samples = {"uspto": directory / "uspto-e2e.xml", "csv": directory / "cn-e2e.csv"}
    records = {}
    for fmt, path in samples.items():
        with path.open("rb") as f:
            records[fmt] = list(itertools.islice(formats.parser(fmt)(f, 0), 1000))
    texts = [
        t
        for recs in records.values()
        for r in recs
        for t in (r.title.text, r.abstract.text if r.abstract else "")
    ]
    differ = sum(seg.index_tokens(t) != rjieba_index_tokens(t) for t in texts)
    print(f"{len(texts)} texts, {differ} with different token lists")
    original = fields.index_tokens
    for name, fn in (("jieba", original), ("rjieba", rjieba_index_tokens)):
        fields.index_tokens = fn  # type: ignore[assignment]
        for fmt, recs in records.items():
            started = time.perf_counter()
            for r in recs:
                fields.index_document(r)
            rate = len(recs) / (time.perf_counter() - started)
            print(f"index_document with {name:7s} {fmt:6s} {rate:8.0f} docs/s")
    fields.index_tokens = original


if __name__ == "__main__":
    main()
