"""Toneless pinyin of single characters, from pypinyin's data file without importing pypinyin.

pypinyin loads its phrase table on import (≈52 MB in every process that imports it); what
enrichment needs — the readings of a name's characters, a mark spelled out — takes the
single-character table alone (≈3 MB here). Phrase-aware readings (``nlp.marks.pinyin``,
pypinyin itself) stay where a polyphone's reading matters more than memory: the trademark
comparison of the alert matcher and the similar-mark search.
"""

from __future__ import annotations

import bisect
import importlib.util
import io
import re
import unicodedata
from array import array
from functools import cache, lru_cache
from pathlib import Path

from nlp.segment import CJK
from nlp.tables import fold


@lru_cache(maxsize=4096)
def readings(character: str) -> tuple[str, ...]:
    """The toneless pinyin readings of a character (none for a character without one), ``ü``
    as ``u`` and ``v``."""
    codes, offsets, readings = _pinyin_table()
    at = bisect.bisect_left(codes, ord(character))
    if at == len(codes) or codes[at] != ord(character):
        return ()
    return tuple(readings[offsets[at] : offsets[at + 1]].split(","))


def _toneless(readings: str) -> str:
    """pypinyin's readings of a character (``zhòng,chóng``) without tones, each once; ``ü``
    (``lǜ``) both as ``u`` and as ``v``, as Latin names write it."""
    out: list[str] = []
    for reading in readings.split(","):
        decomposed = unicodedata.normalize("NFD", reading)  # ǜ: u, diaeresis, grave
        plain = "".join(c for c in decomposed if c.isascii())
        out += [plain, plain.replace("u", "v")] if "\u0308" in decomposed else [plain]
    return ",".join(r for r in dict.fromkeys(out) if r)


@cache
def _pinyin_table() -> tuple[array[int], array[int], str]:
    """pypinyin's readings of single characters, read from its data file without importing
    pypinyin (the package loads its phrase table on import: ≈52 MB in every enriching
    process, which two characters of a name do not need), and kept compact (≈3 MB, where a
    dict of its 42,000 characters took ≈10): the code points in order, and where each one's
    toneless readings (:func:`_toneless`) start in one string."""
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("pypinyin is not installed")
    data = (Path(next(iter(spec.submodule_search_locations))) / "pinyin_dict.json").read_bytes()
    entries = sorted(  # (code point, where its readings are in ``data``): a few MB at most
        (int(m[1]), m.start(2), m.end(2)) for m in _JSON_ENTRY.finditer(data)
    )
    codes, offsets, text = array("I"), array("I"), io.StringIO()
    for code, start, end in entries:
        codes.append(code)
        offsets.append(text.tell())
        text.write(_toneless(data[start:end].decode()))
    offsets.append(text.tell())
    return codes, offsets, text.getvalue()


#: an entry of pypinyin's ``pinyin_dict.json``: ``"20013": "zhōng,zhòng"``
_JSON_ENTRY = re.compile(rb'"(\d+)"\s*:\s*"([^"]*)"')


def spelled(text: str) -> str | None:
    """``text`` spelled in pinyin as a trademark register writes it: each CJK character's first
    reading, toneless, lower case, joined without spaces (云山 → ``yunshan``), letters and
    digits kept (full-width ones too: folded first, as ``nlp.marks`` compares marks); None
    when ``text`` has no CJK character (its letters are their own spelling)."""
    if not CJK.search(text):
        return None
    out: list[str] = []
    for char in fold(text).lower():
        if found := readings(char):
            out.append(found[0])
        elif char.isascii() and char.isalnum():
            out.append(char)
    return "".join(out) or None
