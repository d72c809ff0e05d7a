"""CSV for spreadsheet programs, safe from formula injection (OWASP "CSV Injection").

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-`` or ``@``
as a formula (tab and carriage return can hide such a start), so a title or an applicant name
taken from public data could make the reader's spreadsheet compute or fetch. Every CSV the API
writes goes through :func:`writer`, which prefixes such text cells with a single quote, as
OWASP advises. Numbers stay numbers: an ``int`` or ``float``, or text that is a plain decimal
number such as ``-68.5``, is written as it is.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, Protocol

#: the first characters with which a spreadsheet starts a formula (or hides its start)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


class _Text(Protocol):
    def write(self, s: str, /) -> int: ...


def cell(value: object) -> object:
    """``value`` as a spreadsheet may read it: text that would start a formula gets ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` whose rows are neutralised cell by cell (:func:`cell`)."""

    def __init__(self, out: _Text, **fmt: Any) -> None:
        self._writer = csv.writer(out, **fmt)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out: _Text, **fmt: Any) -> SafeWriter:
    """A CSV writer onto ``out`` (keyword arguments as for :func:`csv.writer`)."""
    return SafeWriter(out, **fmt)
