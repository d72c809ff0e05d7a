"""Highlight query matches in a record's own text, the same way whatever store found it.

Matches are marked ``<em>…</em>`` in HTML-escaped text: CJK query tokens (and Hangul and kana
pairs) and phrases as substrings, other tokens where a word, folded as the index folds it
(``Réseau`` as ``reseau``), or its stem equals the token (``batteries`` for ``battery``),
truncated tokens by prefix.
"""

from __future__ import annotations

import html
import re

from nlp.segment import CJK_CHARS, ONE_CHARACTER, SYLLABIC_CHARS, fold, stem

#: a word of a script written with spaces (Latin, Cyrillic, Greek …), as the text spells it
_WORD = re.compile(f"[^\\W_{CJK_CHARS}{SYLLABIC_CHARS}]+")


def _spans(text: str, words: set[str], phrases: set[str]) -> list[tuple[int, int]]:
    folded = fold(text)
    spans: list[tuple[int, int]] = []
    if len(folded) != len(text):  # NFKC changed lengths: positions would not line up
        folded = text.lower()
    needles = sorted(
        {w.rstrip("*") for w in words if ONE_CHARACTER.search(w)} | {ph for ph in phrases if ph},
        key=len,
        reverse=True,
    )
    for needle in needles:
        start = folded.find(needle)
        while start >= 0:
            spans.append((start, start + len(needle)))
            start = folded.find(needle, start + len(needle))
    latin = {w for w in words if not ONE_CHARACTER.search(w)}
    prefixes = tuple(w[:-1] for w in latin if w.endswith("*"))
    for m in _WORD.finditer(text):
        word = fold(m.group())
        if word in latin or stem(word) in latin or (prefixes and word.startswith(prefixes)):
            spans.append(m.span())
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
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
