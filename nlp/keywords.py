"""Key terms of a record (the "key technologies" facet): TF-IDF over nouns of title and abstract.

The scoring is jieba.analyse's TF-IDF (``extract_tags``: term frequency × the IDF table that
ships with jieba, median IDF for unseen words), with title terms counted three times. Words are
cut and part-of-speech tagged by rjieba (the jieba-rs binding: jieba's dictionary and algorithm,
about 25x faster than pure-Python jieba) with the domain dictionary ``nlp/data/userdict.txt``
added, HMM off. An IDF built from the store's own texts (:func:`build_idf`) can replace jieba's.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources

from nlp.segment import DOMAIN_TAG, segmenter
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


@cache
def _jieba_idf() -> tuple[dict[str, float], float]:
    """jieba's IDF table, read line by line with its 3,328 distinct values shared: 47 MB resident
    instead of 111 MB when read whole (every loader worker holds one)."""
    idf: dict[str, float] = {}
    shared: dict[float, float] = {}
    with (resources.files("jieba") / "analyse" / "idf.txt").open(encoding="utf-8") as lines:
        for line in lines:
            word, _, value = line.rstrip("\n").partition(" ")
            if word:
                number = float(value)
                idf[word] = shared.setdefault(number, number)
    values = sorted(idf.values())
    return idf, values[len(values) // 2]


def terms(text: str) -> list[str]:
    """Candidate terms of a text: nouns and domain words, two characters or more."""
    kept = [
        (word.lower(), pos)
        for word, pos in segmenter().tag(fold(text), hmm=False)
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
