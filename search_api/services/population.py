"""Resident population per area (city or district) and year, from ``search_api/data``.

The table cites its source (the Guangzhou Statistical Yearbook); an area or year that is not in
it has no figure, and callers say so rather than estimate one.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources

_TABLE = "population.tsv"


def _text() -> str:
    return (resources.files("search_api") / "data" / _TABLE).read_text(encoding="utf-8")


@cache
def _figures() -> dict[tuple[str, int], int]:
    lines = [line for line in io.StringIO(_text()) if not line.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t")
    return {(row["area"], int(row["year"])): int(row["population"]) for row in reader}


@cache
def source() -> str:
    """The table's ``# source:`` line."""
    for line in io.StringIO(_text()):
        if line.startswith("# source:"):
            return line.removeprefix("# source:").strip()
    return ""


def of(area: str, year: int) -> int | None:
    """Residents of ``area`` in ``year``, or None when the table has no figure."""
    return _figures().get((area, year))


def latest(area: str) -> tuple[int, int] | None:
    """``(year, residents)`` of the most recent figure for ``area``, or None."""
    years = [y for a, y in _figures() if a == area]
    return (max(years), _figures()[(area, max(years))]) if years else None
