"""What the statistics services share: the query as a plan, the scope, growth arithmetic.

Growth: year-on-year growth of year *y* is ``count(y) / count(y-1) - 1`` (none when the year
before counts 0); compound annual growth over a span is ``(last / first) ** (1 / years) - 1``
where ``years`` is the span's length minus one (none when the first year counts 0 or the span is
one year). Both are fractions (0.2 = 20 %), rounded to four places.
"""

from __future__ import annotations

from typing import Annotated, Literal, NamedTuple

from pydantic import BaseModel, Field

from iphub import query as q
from iphub.search import query_as_searched
from iphub.store import plan as p
from iphub.store.aggregate import AggregateRequest, Aggregation
from iphub.store.base import Store
from iphub.store.fields import HOME_CITY, RecordKind

Scope = Literal["guangzhou", "all"]
#: What the missing group of a dimension is called.
MISSING_LABELS = {
    "district": "无区信息 / no district",
    "industry": "未标注产业 / no industry",
    "applicant": "无申请人 / no applicant",
    "applicant_type": "类型未知 / type unknown",
    "year": "无申请日 / no filing date",
    "grant_year": "未授权 / not granted",
}


def label(dimension: str, key: str | None) -> str:
    if key is not None:
        return key
    return MISSING_LABELS.get(dimension, f"无 {dimension} / no {dimension}")


def compile_text(text: str, kind: RecordKind) -> tuple[str, p.Plan]:
    """The query as understood (canonical text) and its plan; raises ``QuerySyntaxError``."""
    ast, plan = p.understand(text, kind)
    return q.to_text(ast), plan


class Searched(NamedTuple):
    query: str  # as understood: the canonical text
    plan: p.Plan
    as_strings: bool  # its Chinese words counted as exact strings


#: an answer's ``as_strings``: whether its figures are of the query's Chinese words as strings
AsStrings = Annotated[
    bool,
    Field(
        description="the query's Chinese words found nothing as words and were counted as "
        "exact strings, as the search does"
    ),
]


def searched(store: Store, text: str, kind: RecordKind) -> Searched:
    """The query a search of ``text`` runs (``iphub.search.query_as_searched``): a figure of a
    user's query counts the records the search box shows for it, Chinese words that find
    nothing as exact strings included (the response says so). Raises ``QuerySyntaxError``."""
    ast, plan, as_strings = query_as_searched(store, kind, text)
    return Searched(q.to_text(ast), plan, as_strings)


def scoped(plan: p.Plan, scope: Scope) -> p.Plan:
    """``guangzhou``: only records with at least one applicant in the city."""
    if scope == "all":
        return plan
    city = p.Terms("city", (HOME_CITY,))
    return city if isinstance(plan, p.All) else p.Bool(must=(plan, city))


def restrict(plan: p.Plan, *more: p.Plan) -> p.Plan:
    parts = tuple(x for x in (plan, *more) if not isinstance(x, p.All))
    if not parts:
        return p.All()
    return parts[0] if len(parts) == 1 else p.Bool(must=parts)


GRANTED = p.Terms("facet_right", ("granted",))
VALID = p.Terms("facet_right", ("valid",))


class YearValue(BaseModel):
    year: int
    value: int
    yoy: float | None = None


class Series(BaseModel):
    points: list[YearValue]
    cagr: float | None


def series(counts: dict[int, int], first: int, last: int) -> Series:
    """Counts per year over ``first..last`` (years without records count 0), growth added."""
    points = []
    for year in range(first, last + 1):
        value = counts.get(year, 0)
        before = counts.get(year - 1, 0)
        yoy = round(value / before - 1, 4) if before and year > first else None
        points.append(YearValue(year=year, value=value, yoy=yoy))
    return Series(points=points, cagr=cagr(counts.get(first, 0), counts.get(last, 0), last - first))


def cagr(start: int, end: int, years: int) -> float | None:
    if start <= 0 or years <= 0:
        return None
    return round(float((end / start) ** (1 / years)) - 1, 4)


def by_year(
    store: Store, kind: RecordKind, plan: p.Plan, dimension: str = "year"
) -> dict[int, int]:
    """Records per year of ``dimension`` (``year`` filing, ``grant_year``); undated left out."""
    result: Aggregation = store.aggregate(AggregateRequest(kind, plan, (dimension,), 200))
    return {int(g.key): g.count for g in result.groups if g.key is not None}
