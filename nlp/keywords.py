"""Key terms of a record (the "key technologies" facet): TF-IDF over nouns of title and abstract.

The scoring is jieba.analyse's TF-IDF (``extract_tags``: term frequency × the IDF table that
ships with jieba, median IDF for unseen words), with title terms counted three times. Words are
cut and part-of-speech tagged by rjieba (the jieba-rs binding: jieba's dictionary and algorithm,
about 25x faster than pure-Python jieba) with the domain dictionary ``nlp/data/userdict.txt``
added, HMM off. An IDF built from the store's own texts (:func:`build_idf`) can replace jieba's.
"""

from __future__ import annotations

import importlib.util
import math
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any

from nlp.segment import DOMAIN_TAG, latin_runs, segmenter
from nlp.tables import fold

_KEEP_POS = frozenset({"n", "nz", "vn", "nt", "nl", "ng", "nr", "ns", "eng", DOMAIN_TAG})
_STOP = frozenset(
    "本发明 本实用新型 实用新型 发明 方法 装置 系统 一种 其特征 特征 所述 包括 设置 用于 技术 问题 "
    "效果 结构 外观设计 产品 本申请 申请 实施例 步骤 设备 组件 部件 模块 单元 目的 优点 领域 "
    "过程 作用 有效 "
    "the and for with from that this which method device system apparatus means using said wherein "
    "comprising first second provided invention present based least plurality".split()
)
_LATIN_WORD = re.compile(r"^[a-z][a-z0-9\-]{2,}$")
_ASCII_WORD_MARKS = re.compile(r"[+#&]")
_SEEN_WORDS = 16_384  # look-ups remembered by a CompactIdf (≈2 MB)


class CompactIdf(Mapping[str, float]):
    """A read-only word → IDF table in ≈4 MB where a dict of jieba's 270,000 words takes 40.

    Words are grouped by hash into buckets; a bucket is one string ``"\\nw1\\nw2\\n…\\n"``
    searched with ``str.find``, beside one array of indices into the distinct values (jieba's
    words share 3,328). A look-up costs well under a microsecond. Built from a stream of
    distinct words (a repeated word keeps its first value), one pair at a time, so that no
    interim object per word outlives its line: millions of small objects held at once would
    leave allocator arenas half used after. Buckets follow ``hash()``, which is salted per
    process, so a table cannot be pickled: each process builds its own.
    """

    def __init__(self, pairs: Iterable[tuple[str, float]], buckets: int = 1024) -> None:
        self._mask = buckets - 1  # a power of two
        encoded = [bytearray() for _ in range(buckets)]  # one growing block each
        codes = [array("I") for _ in range(buckets)]
        values: dict[float, int] = {}
        for word, value in pairs:
            if word and "\n" not in word:  # cannot be stored; terms never contain either
                b = hash(word) & self._mask
                encoded[b] += word.encode() + b"\n"
                codes[b].append(values.setdefault(value, len(values)))
        self._values = array("d", values)
        self._starts = array("I", accumulate(map(len, codes), initial=0))
        self._codes = array("I")
        for part in codes:
            self._codes.extend(part)
        self._words = tuple("\n" + part.decode() for part in encoded)
        #: recent look-ups: a record's terms repeat across records, and a look-up in a
        #: bucket costs ≈1 µs where a dict's costs ≈0.05
        self._seen: dict[str, float | None] = {}

    def _find(self, word: str) -> float | None:
        seen = self._seen.get(word, self)  # ``self``: not looked up yet (``None``: not a word)
        if seen is not self:
            return seen  # type: ignore[return-value]
        if len(self._seen) >= _SEEN_WORDS:
            self._seen.clear()
        value = self._seen[word] = self._look_up(word)
        return value

    def _look_up(self, word: str) -> float | None:
        b = hash(word) & self._mask
        bucket = self._words[b]
        at = bucket.find(f"\n{word}\n") if word and "\n" not in word else -1
        if at < 0:
            return None
        return self._values[self._codes[self._starts[b] + bucket.count("\n", 0, at)]]

    def __getitem__(self, word: str) -> float:
        value = self._find(word)
        if value is None:
            raise KeyError(word)
        return value

    def get(self, word: str, default: Any = None) -> Any:
        value = self._find(word)
        return default if value is None else value

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._find(word) is not None

    def __iter__(self) -> Iterator[str]:
        for bucket in self._words:
            yield from bucket[1:-1].split("\n") if len(bucket) > 1 else ()

    def __len__(self) -> int:
        return len(self._codes)

    def __reduce__(self) -> str | tuple[Any, ...]:
        raise TypeError("CompactIdf is per process (salted str hashes); build it again")


def _jieba_file(*parts: str) -> Path:
    """A data file of the jieba package, found without importing jieba (≈10 MB of modules)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("jieba is not installed")
    return Path(next(iter(spec.submodule_search_locations)), *parts)


@cache
def _jieba_idf() -> tuple[Mapping[str, float], float]:
    """jieba's IDF table (``jieba/analyse/idf.txt``, distinct words) and its median value."""
    counts: Counter[float] = Counter()

    def pairs() -> Iterator[tuple[str, float]]:
        with _jieba_file("analyse", "idf.txt").open(encoding="utf-8") as lines:
            for line in lines:
                word, _, value = line.rstrip("\n").partition(" ")
                if word:
                    number = float(value)
                    counts[number] += 1
                    yield word, number

    table = CompactIdf(pairs())
    middle = sum(counts.values()) // 2  # the median of the sorted values, as jieba takes it
    for value in sorted(counts):
        middle -= counts[value]
        if middle < 0:
            return table, value
    raise ValueError("jieba's IDF table is empty")


def terms(text: str) -> list[str]:
    """Candidate terms of a text: nouns and domain words, two characters or more.

    Text without CJK skips the tagger: jieba (HMM off) tags it as runs of ``[0-9a-z]``, each
    ``eng``, and single other characters, which are never kept — so the runs, filtered as
    below, are its terms. The dictionaries' only ASCII words (``C++``, ``C#``, ``AT&T``) all
    hold ``+``, ``#`` or ``&``: text with one of those goes through the tagger. Tests hold the
    two paths together and the dictionaries to that.
    """
    folded = fold(text)
    runs = None if _ASCII_WORD_MARKS.search(folded) else latin_runs(folded.lower())
    if runs is not None:  # on a run, _LATIN_WORD is this test:
        return [w for w in runs if len(w) > 2 and not w[0].isdigit() and w not in _STOP]
    kept = [
        (word.lower(), pos)
        for word, pos in segmenter().tag(folded, hmm=False)
        if pos in _KEEP_POS and len(word) >= 2  # most tokens go here, before lower-casing
    ]
    return [
        w
        for w, pos in kept
        if w not in _STOP and not w.isdigit() and (pos != "eng" or _LATIN_WORD.match(w))
    ]


def build_idf(texts: Iterable[str]) -> tuple[dict[str, float], float]:
    """An IDF table (and its median, for unseen terms) from a corpus, e.g. the store's abstracts."""
    df: Counter[str] = Counter()
    n = 0
    for text in texts:
        n += 1
        df.update(set(terms(text)))
    idf = {w: math.log((n + 1) / (c + 1)) + 1.0 for w, c in df.items()}
    values = sorted(idf.values()) or [1.0]
    return idf, values[len(values) // 2]


def keywords(
    title: str,
    abstract: str = "",
    k: int = 8,
    idf: tuple[Mapping[str, float], float] | None = None,
) -> list[str]:
    """The ``k`` best TF-IDF terms of a record, best first (ties in order of appearance)."""
    table, median = idf if idf is not None else _jieba_idf()
    counts: Counter[str] = Counter()
    for word in terms(title):
        counts[word] += 3
    for word in terms(abstract):
        counts[word] += 1
    score = {w: -c * table.get(w, median) for w, c in counts.items()}
    return sorted(counts, key=score.__getitem__)[:k]
