"""Packaged data tables: TSV files in ``nlp/data`` with ``#`` source lines and a header row.

Every table names its source on a leading ``# source:`` line (STYLE.md: plain data in the
package, read with ``importlib.resources``). Rows are returned as dicts keyed by the header;
empty cells are empty strings. A caller may pass a filesystem path instead of a packaged name,
which is how the state-owned list and the alias table are made configurable.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path

import opencc

from nlp.nfkc import nfkc


def _lines(text: str) -> Iterator[str]:
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line


def read_table(name: str | Path) -> list[dict[str, str]]:
    """Rows of a packaged table (``"regions.tsv"``) or of a TSV file at a path."""
    if isinstance(name, Path):
        text = name.read_text(encoding="utf-8")
    else:
        text = (resources.files("nlp") / "data" / name).read_text(encoding="utf-8")
    reader = csv.DictReader(_lines(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def source_of(name: str) -> str:
    """The ``# source:`` line of a packaged table (for docs and reports)."""
    text = (resources.files("nlp") / "data" / name).read_text(encoding="utf-8")
    buf = io.StringIO(text)
    for line in buf:
        if line.startswith("# source:"):
            return line.removeprefix("# source:").strip()
    return ""


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """``text`` in simplified characters (OpenCC ``t2s``): ``鋰電池`` → ``锂电池``."""
    return text if text.isascii() else str(_t2s().convert(text))


def fold(text: str) -> str:
    """NFKC (full-width → half-width), traditional → simplified (OpenCC ``t2s``), spaces folded.

    Case is kept: callers decide. CJK brackets become ASCII ``()`` through NFKC.
    """
    if not text.isascii():  # ASCII is already NFKC and has nothing to convert
        text = nfkc(text)
        if not text.isascii():
            text = _t2s().convert(text)
    return " ".join(text.split())
