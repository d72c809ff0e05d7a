"""Highlight query matches in a record's own text, the same way whatever store found it.

Matches are marked ``<em>…</em>`` in HTML-escaped text, found in the text folded as the index
folds it (``Réseau`` as ``reseau``, ``Straße`` as ``strasse``, full-width as half-width) and
marked on the characters they came from: CJK query tokens (and Hangul and kana pairs) as
substrings, phrases as their tokens in order with nothing but spaces or punctuation between
them (``"이차 전지"``, ``"li ion"`` in ``Li-ion``), other tokens where a word or its stem equals
the token (``batteries`` for ``battery``), truncated tokens by prefix.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from nlp.nfkc import COMMON_WIDE, WIDE_TO_NARROW
from nlp.segment import ONE_CHARACTER, OTHER_LETTER, fold, stem

#: a word as the index cuts one, in the folded text: a run of ASCII letters and digits, or of
#: letters of another alphabet (Cyrillic, Greek …): ``5мм`` is ``5`` and ``мм``
_WORD = re.compile(f"[0-9a-z]+|{OTHER_LETTER}+")
#: what combines with the character before it: combining marks, a Hangul syllable's jamo after
#: its first, kana voicing marks (half-width too: ﾊﾟ is パ)
_JOINING = (
    "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
    "\u3099\u309a\u1160-\u11ff\uff9e\uff9f"
)
#: characters that fold to one character, themselves lowered (ASCII, CJK, Hangul syllables,
#: kana, the full-width punctuation of Chinese text, which folds to ASCII), where nothing joins
#: them: folded a run at a time. Any other character is folded with what joins it.
_SIMPLE = (
    "\x00-\x7f\u3400-\u9fff\uac00-\ud7a3\u3041-\u3096\u30a1-\u30fa\u30fc-\u30fe"
    "\u3001-\u3035\u3037\u303b-\u303f\u2010\u2012-\u2016\u2018-\u2023\u2027"
)
_PIECE = re.compile(f"(?P<run>(?:[{_SIMPLE}{COMMON_WIDE}](?![{_JOINING}]))+)|(?s:.[{_JOINING}]*)")
_ASCII_WORD = re.compile("[0-9a-z]+")


@lru_cache(maxsize=8192)
def _fold_cluster(cluster: str) -> str:
    return fold(cluster)


#: a folded word's stem (a page of abstracts repeats its words)
_stem = lru_cache(maxsize=16_384)(stem)


def _folded(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """``text`` folded as the index folds it, and for each folded character the start and the
    end in ``text`` of what it came from (None, None: the folded text is ``text`` lowered,
    character for character). Folding changes lengths (``ß`` is ``ss``, a zero-width space
    nothing, ``㈱`` ``(株)``): positions in the folded text are not the text's. Runs of
    characters that fold to one are folded at once (a Chinese or English abstract, but for a
    character here and there); any other character with what joins it."""
    if text.isascii():
        return text.lower(), None, None
    pieces: list[tuple[int, int, str, bool]] = []  # start, end, folded, a run of one-to-one
    aligned = True  # each character folded to one
    for m in _PIECE.finditer(text):
        start, end = m.span()
        if m.lastgroup == "run":
            pieces.append((start, end, m.group().translate(WIDE_TO_NARROW).lower(), True))
            continue
        folded = _fold_cluster(m.group())
        pieces.append((start, end, folded, False))
        aligned = aligned and end - start == len(folded) == 1
    joined = "".join(folded for _, _, folded, _ in pieces)
    if aligned:
        return joined, None, None
    starts: list[int] = []
    ends: list[int] = []
    for start, end, folded, run in pieces:
        if run:
            starts += range(start, end)
            ends += range(start + 1, end + 1)
        else:
            starts += [start] * len(folded)
            ends += [end] * len(folded)
    return joined, starts, ends


def _two_letter_forms(latin: set[str]) -> set[str]:
    """``latin``'s tokens spelled ``ae``, ``oe``, ``ue`` also with the one letter the folded
    text has for ``ä``, ``ö``, ``ü`` (``mueller`` → ``muller``): a hit found through the index's
    ASCII spelling of ``Müller`` is marked there."""
    out = set(latin)
    for token in latin:
        for pair, one in (("ae", "a"), ("oe", "o"), ("ue", "u")):
            if pair in token:
                out.add(token.replace(pair, one))
    return out


@lru_cache(maxsize=1024)
def _phrase(tokens: tuple[str, ...]) -> re.Pattern[str]:
    """A phrase's tokens in order, with nothing or spaces and punctuation between them; a word
    token not inside a longer word."""
    parts = []
    for token in tokens:
        word = re.escape(token)
        if not ONE_CHARACTER.fullmatch(token):
            word = (
                f"(?<![0-9a-z]){word}(?![0-9a-z])"
                if _ASCII_WORD.fullmatch(token)
                else f"(?<!{OTHER_LETTER}){word}(?!{OTHER_LETTER})"
            )
        parts.append(word)
    return re.compile("[\\W_]*?".join(parts))


def _spans(text: str, words: set[str], phrases: set[str]) -> list[tuple[int, int]]:
    """Where the words and phrases are in ``text``. ``phrases`` are tokens joined by spaces
    (``plan.positive_terms``)."""
    folded, starts, ends = _folded(text)
    found: list[tuple[int, int]] = []  # in the folded text
    needles = sorted({w.rstrip("*") for w in words if ONE_CHARACTER.search(w)}, key=len)
    for needle in reversed(needles):
        start = folded.find(needle)
        while start >= 0:
            found.append((start, start + len(needle)))
            start = folded.find(needle, start + len(needle))
    for phrase in phrases:
        if tokens := tuple(phrase.split()):  # one pattern a phrase, for every hit of a page
            found += [m.span() for m in _phrase(tokens).finditer(folded) if m.end() > m.start()]
    latin = _two_letter_forms({w for w in words if not ONE_CHARACTER.search(w)})
    prefixes = tuple(w[:-1] for w in latin if w.endswith("*"))
    if latin:
        for m in _WORD.finditer(folded):
            word = m.group()
            if word in latin or _stem(word) in latin or (prefixes and word.startswith(prefixes)):
                found.append(m.span())
    if starts is not None and ends is not None:  # back to the text's own characters
        found = [(starts[s], ends[e - 1]) for s, e in found]
    found.sort()
    merged: list[tuple[int, int]] = []
    for s, e in found:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def highlight(text: str, words: set[str], phrases: set[str], width: int | None = None) -> str:
    """HTML-safe ``text`` with matches in ``<em>``; cut to ``width`` chars around the first."""
    spans = _spans(text, words, phrases)
    lo, hi = 0, len(text)
    if width is not None and len(text) > width:
        first = spans[0][0] if spans else 0
        lo = max(0, min(first - width // 4, len(text) - width))
        hi = lo + width
    out: list[str] = ["…" if lo > 0 else ""]
    pos = lo
    for s, e in spans:
        if e <= lo or s >= hi:
            continue
        s, e = max(s, lo), min(e, hi)
        out.append(html.escape(text[pos:s]))
        out.append(f"<em>{html.escape(text[s:e])}</em>")
        pos = e
    out.append(html.escape(text[pos:hi]))
    out.append("…" if hi < len(text) else "")
    return "".join(out)
