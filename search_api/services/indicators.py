"""The indicators of the city's IP plan: target, value per year from the data, on track or not.

Targets are those of issue 9 (the plan's text). Method:

- every figure counts Guangzhou records (at least one applicant in the city) as holdings do;
- growth indicators: year-on-year growth of the count of patent filings by filing year; a filing
  year is complete only once its applications are published, about 18 months after filing (from
  1 July two years on); *on track* is judged on the last complete year of the span (its
  ``judged_year``, whose value is ``latest``), and a later year is shown, marked incomplete;
- stock indicators (valid rights): the rights valid today that were granted (registered) by the
  end of each year, since a lapse's date is not in the data; *on track* when the last value
  reaches the target;
- density: valid invention patents per 10,000 residents, with the population table
  ``search_api/data/population.tsv`` (Guangzhou Statistical Yearbook); a year or district with
  no figure there gives no value and says so, it is never estimated;
- copyright: works registrations (not software) of Guangzhou owners by registration year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from itertools import accumulate
from typing import TypedDict

from pydantic import BaseModel

from iphub.store import plan as p
from iphub.store.aggregate import AggregateRequest
from iphub.store.base import Store
from iphub.store.fields import HOME_CITY, RecordKind
from search_api.services import population
from search_api.services import stats_common as sc

METHOD = __doc__.split("Method:", 1)[1].strip() if __doc__ else ""
NO_POPULATION_ZH, NO_POPULATION_EN = "无人口数据", "no population figure"
NO_POPULATION = f"{NO_POPULATION_ZH} / {NO_POPULATION_EN}"
INCOMPLETE_ZH = "该年申请尚未公开完毕（申请约 18 个月后公开），不作判断"
INCOMPLETE_EN = "not all of this year's filings are published yet (about 18 months after filing)"


def last_complete_filing_year(today: dt.date) -> int:
    """The last filing year whose applications are all published (18 months on: from 1 July of
    the second year after it)."""
    return today.year - 2 if (today.month, today.day) >= (7, 1) else today.year - 3


class Value(BaseModel):
    year: int
    value: float | None
    count: int | None = None
    #: ``中文 / English``, and each language alone
    note: str | None = None
    note_zh: str | None = None
    note_en: str | None = None
    #: false for a filing year whose applications are not all published yet
    complete: bool = True


class DistrictValue(BaseModel):
    district: str
    count: int
    population: int | None
    value: float | None
    note: str | None = None
    note_zh: str | None = None
    note_en: str | None = None


class Notes(TypedDict):
    note: str
    note_zh: str
    note_en: str


def _no_population() -> Notes:
    return {"note": NO_POPULATION, "note_zh": NO_POPULATION_ZH, "note_en": NO_POPULATION_EN}


class Indicator(BaseModel):
    id: str
    name_zh: str
    name_en: str
    unit: str
    target: float
    target_kind: str  # annual_growth, level, annual_level
    values: list[Value]
    latest: float | None
    on_track: bool | None
    #: the year ``latest`` and ``on_track`` are of (the last complete filing year for growth)
    judged_year: int | None = None
    note: str | None = None
    note_zh: str | None = None
    note_en: str | None = None
    by_district: list[DistrictValue] | None = None


class Indicators(BaseModel):
    years: tuple[int, int]
    method: str = METHOD
    population_source: str
    indicators: list[Indicator]


def _plan(kind: RecordKind, text: str) -> p.Plan:
    return sc.scoped(sc.compile_text(text, kind)[1], "guangzhou")


def _growth(store: Store, kind: RecordKind, text: str, years: tuple[int, int]) -> list[Value]:
    first, last = years
    counts = sc.by_year(store, kind, _plan(kind, text))
    points = sc.series(counts, first - 1, last).points[1:]
    return [Value(year=pt.year, value=pt.yoy, count=pt.value) for pt in points]


def _stock(store: Store, kind: RecordKind, text: str, years: tuple[int, int]) -> list[Value]:
    """Valid today and granted by the end of each year (cumulated over grant years)."""
    counts = sc.by_year(store, kind, sc.restrict(_plan(kind, text), sc.VALID), "grant_year")
    return _cumulated(counts, years)


def _cumulated(counts: dict[int, int], years: tuple[int, int]) -> list[Value]:
    first, last = years
    before = sum(n for y, n in counts.items() if y < first)
    running = accumulate((counts.get(y, 0) for y in range(first, last + 1)), initial=before)
    return [
        Value(year=y, value=float(n), count=n)
        for y, n in zip(range(first, last + 1), list(running)[1:], strict=True)
    ]


def _density(store: Store, years: tuple[int, int]) -> tuple[list[Value], list[DistrictValue]]:
    stock = _stock(store, "patent", "kind=发明授权", years)
    values = []
    for v in stock:
        people = population.of(HOME_CITY, v.year)
        if people is None or v.count is None:
            values.append(Value(year=v.year, value=None, count=v.count, **_no_population()))
        else:
            values.append(
                Value(year=v.year, value=round(v.count / people * 10_000, 2), count=v.count)
            )
    plan = sc.restrict(_plan("patent", "kind=发明授权"), sc.VALID)
    result = store.aggregate(AggregateRequest("patent", plan, ("district",), 50))
    districts = []
    for g in result.groups:
        name = g.key or sc.label("district", None)
        figure = population.latest(g.key) if g.key else None
        value = round(g.count / figure[1] * 10_000, 2) if figure else None
        notes: Notes = (
            {"note": f"population {figure[0]}", "note_zh": f"{figure[0]} 年人口",
             "note_en": f"population {figure[0]}"}
            if figure else _no_population()
        )  # fmt: skip
        districts.append(
            DistrictValue(
                district=name,
                count=g.count,
                population=figure[1] if figure else None,
                value=value,
                **notes,
            )
        )
    return values, districts


def _copyrights(store: Store, years: tuple[int, int]) -> list[Value]:
    """Works (not software) copyright registrations of Guangzhou owners by registration year."""
    plan = sc.scoped(p.Terms("kind", ("works",)), "guangzhou")
    result = store.aggregate(AggregateRequest("copyright", plan, ("grant_year",), 200))
    counts = {int(g.key): g.count for g in result.groups if g.key is not None}
    return [
        Value(year=y, value=float(counts.get(y, 0)), count=counts.get(y, 0))
        for y in range(years[0], years[1] + 1)
    ]


def _mark_incomplete(values: list[Value], complete_until: int) -> None:
    for v in values:
        if v.year > complete_until:
            v.complete = False
            v.note_zh, v.note_en = INCOMPLETE_ZH, INCOMPLETE_EN
            v.note = f"{INCOMPLETE_ZH} / {INCOMPLETE_EN}"


def _track(latest: float | None, target: float) -> bool | None:
    return None if latest is None else latest >= target


def indicators(
    store: Store, years: tuple[int, int] | None = None, today: dt.date | None = None
) -> Indicators:
    """Every plan indicator over ``years`` (default: the five years before this one)."""
    today = today or dt.date.today()
    complete_until = last_complete_filing_year(today)
    last = years[1] if years else today.year - 1
    span = years or (last - 4, last)
    out: list[Indicator] = []

    def add(
        ident: str,
        zh: str,
        en: str,
        unit: str,
        target: float,
        kind: str,
        values: list[Value],
        **kw: object,
    ) -> None:
        judged = values[-1] if values else None
        if kind == "annual_growth":  # by filing year: the last years are not all published
            _mark_incomplete(values, complete_until)
            judged = next((v for v in reversed(values) if v.complete), None)
            if judged is not values[-1] and values:
                year = judged.year if judged else None
                zh = f"按最近的完整申请年（{year}）判断" if year else "跨度内没有完整的申请年"
                en = (
                    f"judged on the last complete filing year, {year}"
                    if year
                    else ("no complete filing year in the span")
                )
                kw |= {"note": f"{zh} / {en}", "note_zh": zh, "note_en": en}
        latest = judged.value if judged else None
        out.append(
            Indicator(
                id=ident,
                name_zh=zh,
                name_en=en,
                unit=unit,
                target=target,
                target_kind=kind,
                values=values,
                latest=latest,
                on_track=_track(latest, target),
                judged_year=judged.year if judged else None,
                **kw,  # type: ignore[arg-type]
            )
        )

    growth: Callable[[RecordKind, str], list[Value]] = lambda k, t: _growth(store, k, t, span)  # noqa: E731
    add(
        "patent_applications_growth",
        "专利申请量年增长",
        "patent applications, yearly growth",
        "fraction",
        0.20,
        "annual_growth",
        growth("patent", ""),
    )
    add(
        "invention_applications_growth",
        "发明专利申请量年增长",
        "invention applications, yearly growth",
        "fraction",
        0.25,
        "annual_growth",
        growth("patent", "kind=发明"),
    )
    density, by_district = _density(store, span)
    add(
        "valid_invention_density",
        "每万人发明专利拥有量",
        "valid invention patents per 10,000 residents",
        "per 10,000 residents",
        30,
        "level",
        density,
        by_district=by_district,
    )
    add(
        "pct_applications_growth",
        "PCT 国际专利申请量年增长",
        "PCT applications, yearly growth",
        "fraction",
        0.25,
        "annual_growth",
        growth("patent", "flag=pct"),
    )
    add(
        "valid_trademarks",
        "有效注册商标量",
        "valid registered trademarks",
        "trademarks",
        800_000,
        "level",
        _stock(store, "trademark", "", span),
    )
    madrid = sc.by_year(store, "trademark", _plan("trademark", "flag=madrid"))
    add(
        "international_trademark_registrations",
        "马德里国际注册商标量",
        "international (Madrid) trademark registrations",
        "registrations",
        50_000,
        "level",
        _cumulated(madrid, span),
    )
    add(
        "copyright_registrations",
        "作品著作权登记量",
        "works copyright registrations per year",
        "registrations",
        20_000,
        "annual_level",
        _copyrights(store, span),
    )
    return Indicators(years=span, population_source=population.source(), indicators=out)
