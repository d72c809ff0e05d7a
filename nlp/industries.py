"""Industry tags: national strategic emerging industries and Guangzhou's key industries.

* IPC → industries from ``nlp/data/ipc_industries.tsv``, condensed from CNIPA's
  《战略性新兴产业分类与国际专利分类参照关系表（2021）（试行）》 at subclass / main-group level;
  the most specific IPC level present in the table decides (``H01L 31/`` photovoltaics over
  ``H01L`` semiconductors), and ``-`` rows exclude a code (``A61K 8/`` cosmetics).
* Records without IPC (designs, trademarks) are tagged by keyword rules on their title or goods
  (``keyword_industries.tsv``); trademarks also by Nice class (``nice_industries.tsv``).

Each tag is written twice, once per taxonomy: the national first-level name (``新能源汽车产业``,
国家统计局《战略性新兴产业分类（2018）》) and the Guangzhou “3+5” name (``智能与新能源汽车``,
广州市战略性新兴产业发展“十四五”规划). A record can carry several.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache

from nlp.nfkc import nfkc
from nlp.tables import read_table

_IPC = re.compile(r"^([A-H])(\d{2})?([A-Z])?(\d{1,4})?(?:/(\d{1,6}))?$")
Tags = tuple[str, ...]


#: the edition and level an office prints after a symbol: ``(2010.01)I``, ``[2006.01]``
_EDITION = re.compile(r"[(\[]\d{4}\.\d{2}[)\]][A-Z]?$")


def normalise_ipc(code: str) -> str:
    """``H01M 10/0525`` → ``H01M10/0525``; ``H01M0010052500`` (DOCDB padded) → ``H01M10/0525``;
    ``H01M 10/0525(2010.01)I`` (CNIPA's printed form, edition and level) and full-width
    characters too."""
    text = _EDITION.sub("", re.sub(r"\s+", "", nfkc(code).upper()))
    padded = re.fullmatch(r"([A-H]\d{2}[A-Z])(\d{4})(\d{2,6})", text)
    if padded:
        sub = padded.group(3).rstrip("0").ljust(2, "0")
        text = f"{padded.group(1)}{int(padded.group(2))}/{sub}"
    m = _IPC.match(text)
    if not m:
        return text
    sec, cls, sub, group, subgroup = m.groups()
    out = sec + (cls or "") + (sub or "")
    if group:
        out += str(int(group)) + (f"/{subgroup}" if subgroup else "")
    return out


def _prefixes(code: str) -> Iterable[str]:
    """``H01M10/0525`` → itself, ``H01M10/052`` … ``H01M10/0``, ``H01M10``, ``H01M``, ``H01``."""
    if "/" in code:
        group, sub = code.split("/", 1)
        for n in range(len(sub), 0, -1):
            yield f"{group}/{sub[:n]}"
        code = group
    yield code
    m = re.match(r"^[A-H]\d{2}[A-Z]", code)
    if m and m.group(0) != code:
        yield m.group(0)
    if len(code) >= 3:
        yield code[:3]


@cache
def _ipc_table() -> dict[str, Tags]:
    table: dict[str, list[str]] = {}
    for row in read_table("ipc_industries.tsv"):
        tags = table.setdefault(normalise_ipc(row["ipc"]), [])
        tags.extend(t for t in (row["sei"], row["city"]) if t and t != "-")
    return {k: tuple(dict.fromkeys(v)) for k, v in table.items()}


@cache
def _keyword_rules() -> tuple[tuple[re.Pattern[str], Tags], ...]:
    rules: dict[str, list[str]] = {}
    for row in read_table("keyword_industries.tsv"):
        rules.setdefault(row["keywords"], []).extend([row["sei"], row["city"]])
    return tuple((re.compile(k, re.IGNORECASE), tuple(v)) for k, v in rules.items())


@cache
def _nice_table() -> dict[int, Tags]:
    return {int(r["nice"]): (r["sei"], r["city"]) for r in read_table("nice_industries.tsv")}


@lru_cache(maxsize=65536)
def _tags_of_code(code: str) -> Tags:
    """Tags of one IPC code as printed (a closed vocabulary that repeats across records)."""
    table = _ipc_table()
    for prefix in _prefixes(normalise_ipc(code)):
        if prefix in table:
            return table[prefix]
    return ()


def industries_for_ipc(codes: Iterable[str]) -> list[str]:
    out = [tag for code in codes for tag in _tags_of_code(code)]
    return list(dict.fromkeys(out))


def industries_for_text(text: str) -> list[str]:
    """Keyword rules, for records without IPC."""
    out = [tag for pattern, tags in _keyword_rules() if pattern.search(text) for tag in tags]
    return list(dict.fromkeys(out))


def industries_for_patent(codes: Iterable[str], title: str) -> list[str]:
    codes = list(codes)
    return industries_for_ipc(codes) if codes else industries_for_text(title)


def industries_for_trademark(nice_classes: Iterable[int], goods: str) -> list[str]:
    table = _nice_table()
    out = [tag for c in nice_classes for tag in table.get(c, ())]
    return list(dict.fromkeys([*out, *industries_for_text(goods)]))
