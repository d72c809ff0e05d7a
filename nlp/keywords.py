"""Key terms of a record (the "key technologies" facet): TF-IDF over nouns of title and abstract.

The scoring is jieba.analyse's TF-IDF (``extract_tags``: term frequency × the IDF table that
ships with jieba, median IDF for unseen words), with title terms counted three times. Words are
cut and part-of-speech tagged by rjieba (the jieba-rs binding: jieba's dictionary and algorithm,
about 25x faster than pure-Python jieba) with the domain dictionary ``nlp/data/userdict.txt``
added, HMM off. An IDF built from the store's own texts (:func:`build_idf`) can replace jieba's.
"""

from __future__ import annotations

import importlib.util
import logging
import marshal
import math
import os
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any, ClassVar
from zlib import crc32

from nlp.segment import DOMAIN_TAG, latin_runs, segmenter
from nlp.tables import fold

_KEEP_POS = frozenset({"n", "nz", "vn", "nt", "nl", "ng", "nr", "ns", "eng", DOMAIN_TAG})
_STOP = frozenset(
    "本发明 本实用新型 实用新型 发明 方法 装置 系统 一种 其特征 特征 所述 包括 设置 用于 技术 问题 "
    "效果 结构 外观设计 产品 本申请 申请 实施例 步骤 设备 组件 部件 模块 单元 目的 优点 领域 "
    "过程 作用 有效 结果 处理结果 适用范围 "
    # a design patent's brief description (简要说明) names its parts by these: 本外观设计产品的
    # 名称、用途、设计要点，最能表明设计要点的图片或照片（立体图、主视图…）
    "设计 要点 设计要点 用途 名称 图片 照片 简要说明 视图 立体图 主视图 后视图 "
    "左视图 右视图 俯视图 仰视图 "
    "the and for with from that this which method device system apparatus means using said wherein "
    "comprising first second provided invention present based least plurality "
    # English function words (a description's "does not require", "can", "because" are not key
    # terms; spaCy's list is not imported for it: spaCy costs ≈64 MB a process)
    "about above after again against all also any are because been before being below between "
    "both but can cannot could did does doing down during each few further had has have having "
    "here how into its itself more most much must nor not off once only other our out over own "
    "same should some such than then there these they those through too under until upon very "
    "was were what when where whether while who whom why will would you your".split()
)
_LATIN_WORD = re.compile(r"^[a-z][a-z0-9\-]{2,}$")
_ASCII_WORD_MARKS = re.compile(r"[+#&]")
_log = logging.getLogger(__name__)
_SEEN_WORDS = 16_384  # look-ups remembered by a CompactIdf (≈2 MB)


class CompactIdf(Mapping[str, float]):
    """A read-only word → IDF table in ≈4 MB where a dict of jieba's 270,000 words takes 40.

    Words are grouped by a CRC-32 of their UTF-8 into buckets; a bucket is one string
    ``"\\nw1\\nw2\\n…\\n"`` searched with ``str.find``, beside one array of indices into the
    distinct values (jieba's words share 3,328). A look-up costs well under a microsecond.
    Built from a stream of distinct words (a repeated word keeps its first value), one pair at
    a time, so that no interim object per word outlives its line: millions of small objects
    held at once would leave allocator arenas half used after. The buckets do not depend on
    the process (``hash()`` of a str is salted), so a table is saved once and loaded whole
    (:meth:`save`, :meth:`load`): building it from the text costs each process ≈0.25 s.
    """

    def __init__(self, pairs: Iterable[tuple[str, float]] = (), buckets: int = 1024) -> None:
        self._mask = buckets - 1  # a power of two
        encoded = [bytearray() for _ in range(buckets)]  # one growing block each
        codes = [array("I") for _ in range(buckets)]
        values: dict[float, int] = {}
        for word, value in pairs:
            if word and "\n" not in word:  # cannot be stored; terms never contain either
                utf8 = word.encode()
                b = crc32(utf8) & self._mask
                encoded[b] += utf8 + b"\n"
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

    _FORMAT: ClassVar[str] = "iphub-compact-idf-1"

    def save(self, path: Path, **extra: float) -> None:
        """Write the table to ``path`` (replaced whole: a reader never sees half a file)."""
        state = (self._FORMAT, self._mask, self._values.tobytes(), self._starts.tobytes(),
                 self._codes.tobytes(), self._words, extra)  # fmt: skip
        part = path.with_name(f"{path.name}.{os.getpid()}.part")
        try:
            part.write_bytes(marshal.dumps(state))
            os.replace(part, path)
        finally:
            part.unlink(missing_ok=True)

    @classmethod
    def load(cls, path: Path) -> tuple[CompactIdf, dict[str, float]]:
        """A table :meth:`save` wrote, with its ``extra`` values; ``ValueError`` if ``path``
        holds anything else. ``marshal``, not ``pickle``: loading runs no code of the file."""
        try:
            # data only: a code object in the file would be a value here, never called
            state = marshal.loads(path.read_bytes())  # noqa: S302
            fmt, mask, values, starts, codes, words, extra = state
            if fmt != cls._FORMAT or not isinstance(words, tuple) or len(words) != mask + 1:
                raise ValueError(f"format {fmt!r}")
            if not all(isinstance(w, str) for w in words) or not isinstance(extra, dict):
                raise ValueError("buckets are not text")
            table = cls(buckets=1)  # its fields replaced below
            table._mask, table._words, table._seen = mask, words, {}
            table._values, table._starts, table._codes = array("d"), array("I"), array("I")
            table._values.frombytes(values)
            table._starts.frombytes(starts)
            table._codes.frombytes(codes)
            if len(table._starts) != mask + 2 or table._starts[-1] != len(table._codes):
                raise ValueError("bucket offsets do not match")
            if table._codes and max(table._codes) >= len(table._values):
                raise ValueError("a word's value is missing")
        except (EOFError, TypeError, ValueError) as exc:  # also marshal's answers to a damaged file
            raise ValueError(f"{path}: not an IDF table of this version: {exc}") from exc
        return table, dict(extra)

    def _find(self, word: str) -> float | None:
        seen = self._seen.get(word, self)  # ``self``: not looked up yet (``None``: not a word)
        if seen is not self:
            return seen  # type: ignore[return-value]
        if len(self._seen) >= _SEEN_WORDS:
            self._seen.clear()
        value = self._seen[word] = self._look_up(word)
        return value

    def _look_up(self, word: str) -> float | None:
        b = crc32(word.encode("utf-8", "surrogatepass")) & self._mask
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


def _jieba_file(*parts: str) -> Path:
    """A data file of the jieba package, found without importing jieba (≈10 MB of modules)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("jieba is not installed")
    return Path(next(iter(spec.submodule_search_locations)), *parts)


def cache_dir() -> Path | None:
    """Where tables built from data files are kept between processes: ``IPHUB_CACHE_DIR``,
    else ``$XDG_CACHE_HOME/iphub``, else ``~/.cache/iphub``; None without a home directory
    (nothing is kept then)."""
    if configured := os.environ.get("IPHUB_CACHE_DIR"):
        return Path(configured)
    if xdg := os.environ.get("XDG_CACHE_HOME"):
        return Path(xdg, "iphub")
    home = Path(os.path.expanduser("~"))
    return home / ".cache" / "iphub" if home.is_absolute() else None


@cache
def _jieba_idf() -> tuple[Mapping[str, float], float]:
    """jieba's IDF table (``jieba/analyse/idf.txt``, distinct words) and its median value.

    Built from the text once and kept in :func:`cache_dir` under the text file's size and
    time, so that every worker process of a load does not build it again (≈0.25 s each); a
    cache that cannot be read or written is only slower. Writing a table removes the tables of
    other ``idf.txt`` files (an earlier jieba's: 3.5 MB each); two installations with different
    jiebas that share one cache directory would rebuild theirs in turn, which is slower only.
    """
    source = _jieba_file("analyse", "idf.txt")
    directory = cache_dir()
    if directory is None:
        return _build_jieba_idf(source)
    stat = source.stat()
    saved = directory / f"jieba-idf-{stat.st_size}-{stat.st_mtime_ns}.marshal"
    try:
        table, extra = CompactIdf.load(saved)
        return table, extra["median"]
    except (OSError, ValueError, KeyError):
        pass
    table, median = _build_jieba_idf(source)
    try:
        saved.parent.mkdir(parents=True, exist_ok=True)
        table.save(saved, median=median)
        for old in saved.parent.glob("jieba-idf-*.marshal"):
            if old != saved:
                old.unlink(missing_ok=True)
    except OSError:
        _log.info("cannot keep the IDF table in %s", saved.parent, exc_info=True)
    return table, median


def _build_jieba_idf(source: Path) -> tuple[CompactIdf, float]:
    counts: Counter[float] = Counter()

    def pairs() -> Iterator[tuple[str, float]]:
        with source.open(encoding="utf-8") as lines:
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
    if text.isascii() and not _ASCII_WORD_MARKS.search(text):
        # ``fold`` of ASCII only evens out its spaces, which no run holds (≈6 µs of an English
        # abstract's ≈30 here)
        folded = text
        runs = latin_runs(text.lower())
    else:
        folded = fold(text)
        runs = None if _ASCII_WORD_MARKS.search(folded) else latin_runs(folded.lower())
    if runs is not None:  # on a run, _LATIN_WORD is this test:
        return [w for w in runs if len(w) > 2 and not w[0].isdigit() and w not in _STOP]
    return [
        w
        for word, pos in segmenter().tag(folded, hmm=False)
        if pos in _KEEP_POS
        and len(word) >= 2  # most tokens go here, before lower-casing
        and (w := word.lower()) not in _STOP
        and not w.isdigit()
        and (pos != "eng" or _LATIN_WORD.match(w))
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
    in_title = terms(title)
    counts = Counter(dict.fromkeys(in_title, 0))  # title terms first: ties keep this order
    counts.update(terms(abstract))  # counted in C: an English abstract has ≈120 terms
    for word in in_title:
        counts[word] += 3
    get = table.get
    score = {w: -c * get(w, median) for w, c in counts.items()}
    return sorted(counts, key=score.__getitem__)[:k]
