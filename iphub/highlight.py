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

from nlp.segment import CJK_CHARS, ONE_CHARACTER, SYLLABIC_CHARS, fold, stem

#: a word of a script written with spaces (Latin, Cyrillic, Greek …), folded
_WORD = re.compile(f"[^\\W_{CJK_CHARS}{SYLLABIC_CHARS}]+")
#: a character with the marks that combine with it (and a Hangul syllable's jamo after its
#: first): folded as one, so that ``e`` and a combining acute (text from a Mac) are ``e``
_CLUSTER = re.compile(
    "(?s).[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
    "\u3099\u309a\u1160-\u11ff]*"
)
_ASCII_WORD = re.compile("[0-9a-z]+")


@lru_cache(maxsize=8192)
def _fold_cluster(cluster: str) -> str:
    return fold(cluster)


def _folded(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """``text`` folded as the index folds it, and for each folded character the start and the
    end in ``text`` of what it came from (None, None: the folded text is ``text`` lowered,
    character for character). Folding changes lengths (``ß`` is ``ss``, a zero-width space
    nothing, ``㈱`` ``(株)``): positions in the folded text are not the text's."""
    if text.isascii():
        return text.lower(), None, None
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for m in _CLUSTER.finditer(text):
        folded = _fold_cluster(m.group())
        pieces.append(folded)
        starts += [m.start()] * len(folded)
        ends += [m.end()] * len(folded)
    return "".join(pieces), starts, ends


def _phrase(tokens: list[str]) -> re.Pattern[str]:
    """A phrase's tokens in order, with nothing or spaces and punctuation between them; a word
    token not inside a longer word."""
    parts = []
    for token in tokens:
        word = re.escape(token)
        if not ONE_CHARACTER.fullmatch(token):
            word = (
                f"(?<![0-9a-z]){word}(?![0-9a-z])"
                if _ASCII_WORD.fullmatch(token)
                else f"(?<![^\\W_]){word}(?![^\\W_])"
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
        if tokens := phrase.split():
            found += [m.span() for m in _phrase(tokens).finditer(folded) if m.end() > m.start()]
    latin = {w for w in words if not ONE_CHARACTER.search(w)}
    prefixes = tuple(w[:-1] for w in latin if w.endswith("*"))
    if latin:
        for m in _WORD.finditer(folded):
            word = m.group()
            if word in latin or stem(word) in latin or (prefixes and word.startswith(prefixes)):
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
