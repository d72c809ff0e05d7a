"""Trademark similarity for trademark watch (商标近似, after CNIPA's examination guidelines).

A watched mark and a new filing are compared on plain strings: identical after folding;
pinyin-identical (pypinyin, tones ignored: 音近); edit distance on characters and on pinyin
(rapidfuzz, 形近/音近); containment (one mark taken whole into another); shape-similar characters
(``data/confusables.tsv``, 形近字); established translations (``data/mark_translations.tsv``,
含义: 星巴克 ↔ STARBUCKS), whole or taken into the other mark. Goods must be related: a shared
Nice class, or classes of one group in ``data/nice_related.tsv``. :func:`compare` returns a score
in [0, 1] and the signals that fired, so every warning can say why it was raised.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from rapidfuzz.distance import Levenshtein

from nlp.nfkc import unaccented
from nlp.tables import fold, read_table

#: Warn from this score on (chosen on the evaluation set, bench/mark_eval.py).
THRESHOLD = 0.75
#: what a mark is compared by: letters and digits of any script (Hangul, Cyrillic … as well)
_KEEP = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Comparison:
    score: float
    signals: list[str] = field(default_factory=list)


@cache
def _shape_groups() -> dict[str, str]:
    """A character → every character of its shape-similar group (itself included)."""
    return {c: row["group"] for row in read_table("confusables.tsv") for c in row["group"]}


@cache
def _confusable() -> dict[str, str]:
    """A character → its group's first character (the shape key)."""
    return {c: group[0] for c, group in _shape_groups().items()}


@cache
def _translations() -> dict[str, frozenset[str]]:
    """Normalised mark → its normalised translations (both directions)."""
    return {k: frozenset(map(normalise, v)) for k, v in _written_translations().items()}


def look_alikes(char: str) -> str:
    """The characters shaped like ``char`` (形近字, ``data/confusables.tsv``), itself first."""
    group = _shape_groups().get(char, "")
    return char + group.replace(char, "")


_VOWELS = "aeiou"
#: longest Latin word whose variants are made (a mark's words are short)
_LONGEST_VARIED = 20


def _one_edit(word: str, changed: Callable[[str], str], added: Callable[[str], str]) -> list[str]:
    """``word`` with one letter changed (to ``changed(letter)``), one added before each letter
    and at the end (``added(next letter or "")``), one left out, or two swapped."""
    out: dict[str, None] = {}
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        for c in added(tail[:1]):
            out[head + c + tail] = None
        if tail:
            for c in changed(tail[0]):
                out[head + c + tail[1:]] = None
            out[head + tail[1:]] = None  # left out
        if len(tail) > 1:
            out[head + tail[1] + tail[0] + tail[2:]] = None  # swapped
    out.pop(word, None)
    return list(out)


def spelling_variants(word: str) -> list[str]:
    """The ways a Latin word is commonly imitated by one edit (NIKE / NLKE, ADIDAS / ADIDOS,
    CANON / CANNON, NIKE / NKIE): a look-alike letter or digit (``data/confusables.tsv``: o/0,
    l/1/i …), another vowel, a letter left out or doubled, two letters swapped. The similar-mark
    search asks for these as words, so the register's spelling need not match the proposed
    one; a word under 3 or over 20 letters, or with other characters, has none."""
    if not (3 <= len(word) <= _LONGEST_VARIED and word.isascii() and word.isalnum()):
        return []

    def changed(c: str) -> str:
        return look_alikes(c)[1:] + (_VOWELS.replace(c, "") if c in _VOWELS else "")

    return _one_edit(word.lower(), changed, lambda following: following)  # added: doubled


_LETTERS = "abcdefghijklmnopqrstuvwxyz"
#: longest pinyin spelling whose one-edit neighbours are made (≈50 a letter)
_LONGEST_SOUND = 16


def sound_variants(spelling: str) -> list[str]:
    """Every spelling one edit away from a mark's pinyin (a letter changed, added, left out or
    swapped with the next: ``yunshan`` → ``yushan``, ``yunshang``, ``yinshan``), the ones
    whose sound :func:`compare` calls near (``pinyin_near``) without a character in common;
    none for a spelling under 4 or over 16 letters."""
    if not (4 <= len(spelling) <= _LONGEST_SOUND and spelling.isascii() and spelling.isalpha()):
        return []
    return _one_edit(spelling.lower(), lambda _: _LETTERS, lambda _: _LETTERS)


@cache
def _written_translations() -> dict[str, tuple[str, ...]]:
    """Normalised mark → its translations as the table writes them."""
    out: dict[str, list[str]] = {}
    for row in read_table("mark_translations.tsv"):
        out.setdefault(normalise(row["zh"]), []).append(row["en"])
        out.setdefault(normalise(row["en"]), []).append(row["zh"])
    return {k: tuple(v) for k, v in out.items()}


def translated_forms(mark: str) -> list[str]:
    """The established translations of the mark, or of a mark taken whole into it (星巴克咖啡 →
    ``starbucks``), as the table writes them (``great wall``, not the folded ``greatwall``):
    what the similar-mark search asks a register's words for."""
    key = normalise(mark)
    found = [
        form
        for known, forms in _written_translations().items()
        if len(known) >= 2 and known in key
        for form in forms
    ]
    return list(dict.fromkeys(found))


def translations(mark: str) -> frozenset[str]:
    """The established translations of a mark (normalised), empty when the table has none."""
    return _translations().get(normalise(mark), frozenset())


def _translation_score(a: str, b: str) -> tuple[str, float] | None:
    """``("translation", …)`` when ``b`` is a translation of ``a``; ``"translation_contains"``
    when a translation of one is taken whole into the other (星巴克咖啡 / STARBUCKS)."""
    table = _translations()
    if b in table.get(a, ()):
        return "translation", 0.9
    for short, long_ in ((a, b), (b, a)):
        for t in table.get(short, ()):
            if len(t) >= 2 and t in long_:
                return "translation_contains", 0.8 if len(t) * 2 >= len(long_) else 0.75
    return None


@cache
def _related() -> dict[int, frozenset[int]]:
    out: dict[int, set[int]] = {}
    for row in read_table("nice_related.tsv"):
        classes = {int(c) for c in row["classes"].split("|")}
        for c in classes:
            out.setdefault(c, {c}).update(classes)
    return {c: frozenset(v) for c, v in out.items()}


def related_classes(nice_class: int) -> frozenset[int]:
    """The class and the classes of its similarity group (``data/nice_related.tsv``)."""
    return _related().get(nice_class, frozenset({nice_class}))


def normalise(mark: str) -> str:
    """Folded (NFKC, simplified, lower case, Latin letters unaccented: ``LANCÔME`` is
    ``lancome``) with spaces and punctuation removed."""
    return "".join(_KEEP.findall(unaccented(fold(mark).lower())))


def shape_key(mark: str) -> str:
    table = _confusable()
    return "".join(table.get(c, c) for c in mark)


@lru_cache(maxsize=65_536)  # bounded: the matcher and the similar-mark search meet every mark
def pinyin(mark: str) -> str:
    # imported here: pypinyin loads its phrase table (≈52 MB) on import, which a process that
    # only imports this module (the API, a load ending in the alerts matcher) need not hold
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(mark, style=Style.NORMAL, errors="default"))


def classes_related(a: Iterable[int], b: Iterable[int]) -> str | None:
    """``"same_class"``, ``"related_class"`` or ``None``; an empty side relates to anything."""
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return "any_class"
    if sa & sb:
        return "same_class"
    if any(sb & related_classes(c) for c in sa):
        return "related_class"
    return None


def text_similarity(watched: str, filed: str) -> Comparison:
    a, b = normalise(watched), normalise(filed)
    if not a or not b:
        return Comparison(0.0)
    if a == b:
        return Comparison(1.0, ["identical"])
    scores: dict[str, float] = {}
    pa, pb = pinyin(a), pinyin(b)
    if pa == pb:
        scores["pinyin_identical"] = 0.95
    ka, kb = shape_key(a), shape_key(b)
    if ka == kb:
        scores["shape_similar"] = 0.92
    short, long_ = sorted((ka, kb), key=len)
    if 2 <= len(short) < len(long_) and short in long_:
        scores["contains"] = 0.9 if len(short) * 2 >= len(long_) else 0.8
    if found := _translation_score(a, b):
        scores[found[0]] = found[1]
    chars = Levenshtein.normalized_similarity(ka, kb)
    if chars >= 0.6:
        scores["char_near"] = chars * 0.9
    sounds = Levenshtein.normalized_similarity(pa, pb)
    if sounds >= 0.8:
        scores["pinyin_near"] = sounds * 0.9
    if not scores:
        return Comparison(max(chars, sounds) * 0.7)
    best = max(scores.values())
    return Comparison(min(1.0, best), sorted(scores, key=lambda s: -scores[s]))


def compare(
    watched: str, filed: str, watched_classes: Sequence[int] = (), filed_classes: Sequence[int] = ()
) -> Comparison:
    """Similarity of a filing to a watched mark, zero when the goods are unrelated."""
    goods = classes_related(watched_classes, filed_classes)
    if goods is None:
        return Comparison(0.0, ["unrelated_classes"])
    text = text_similarity(watched, filed)
    factor = 0.9 if goods == "related_class" else 1.0
    return Comparison(round(text.score * factor, 4), [*text.signals, goods])
