"""Dates written as instants, read as the day they fall on in Beijing.

The data APIs and the JSON exports of some databases write a date as an instant: epoch
milliseconds (``1620662400000``, .NET's ``/Date(1620662400000+0800)/``) or a time with its offset
from UTC (``2021-05-10T16:00:00Z``). The offices record the day in Beijing: 2021-05-10T16:00Z is
2021-05-11 there, and read as written it was the day before.
"""

from __future__ import annotations

import datetime as dt
import re

BEIJING = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
#: epoch milliseconds as text, bare or as .NET's JSON writes them (``/Date(1620662400000+0800)/``)
_EPOCH_MS = re.compile(r"(?:/Date\()?(-?\d{11,13})(?:[+-]\d{4})?(?:\)/)?")
#: a time with its offset from UTC: ``2021-05-10T16:00:00Z``, ``…+00:00``
_ZONED = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*(?:Z|[+-]\d{2}:?\d{2})", re.IGNORECASE)


def instant_date(raw: object) -> object:
    """``raw`` as the ISO date of the day in Beijing when it is an instant — epoch milliseconds
    (a number of 11 digits or more, or such text) or a time with its offset — else as it is,
    for the shared rules (``base.parse_date``) to read or refuse."""
    ms: int | None = None
    if isinstance(raw, int | float) and not isinstance(raw, bool) and abs(raw) >= 1e10:
        ms = int(raw)
    elif isinstance(raw, str):
        text = raw.strip()
        if m := _EPOCH_MS.fullmatch(text):
            ms = int(m[1])
        elif _ZONED.fullmatch(text):
            try:
                zoned = dt.datetime.fromisoformat(text.replace(" ", "T", 1))
            except ValueError:
                return raw  # refused by the shared rules, with the text
            return zoned.astimezone(BEIJING).date().isoformat()
    if ms is None:
        return raw
    try:
        return (_EPOCH + dt.timedelta(milliseconds=ms)).astimezone(BEIJING).date().isoformat()
    except OverflowError:
        raise ValueError(f"无法识别的日期 / unrecognised date: {raw!r}") from None
