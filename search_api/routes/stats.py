"""``GET /api/v1/stats/…``: holdings, the plan's indicators, patent landscapes.

Figures between two ingest batches are cached (``search_api.services.stats_cache``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import StringConstraints

from iphub.collections import Collections, collections, with_collection
from iphub.store.fields import RecordKind
from search_api.deps import StatsCacheDep, StoreDep
from search_api.services import stats_common as sc
from search_api.services.holdings import MAX_ROWS, Holdings, holdings
from search_api.services.indicators import Indicators, indicators
from search_api.services.landscape import BLOCKS, Landscape, block_csv, check_block, landscape

router = APIRouter(prefix="/stats", tags=["statistics"])

Q = Annotated[str, Query(description="检索式 / query in the iphub query language", max_length=2000)]
Year = Annotated[int | None, Query(ge=1985, le=2100)]
CollectionParam = Annotated[
    str | None,
    Query(max_length=50, description="key-industry collection id (GET /stats/collections)"),
]


def _dims(given: list[str]) -> tuple[str, ...]:
    """``group_by=district,kind`` and ``group_by=district&group_by=kind`` alike."""
    return tuple(d.strip() for text in given for d in text.split(",") if d.strip())


@router.get("/holdings")
def get_holdings(
    store: StoreDep,
    cache: StatsCacheDep,
    kind: RecordKind = "patent",
    q: Q = "",
    group_by: Annotated[
        list[Annotated[str, StringConstraints(max_length=100)]],
        Query(
            max_length=2,
            description="one or two dimensions, comma-separated or the parameter repeated: "
            "district, industry, applicant, "
            "applicant_type, year, grant_year, city, province, country, status; patents also "
            "kind, ipc_section, ipc_class, ipc_subclass, ipc_group, keyword; trademarks "
            "nice_class; copyright registrations kind (software, works), not industry, status",
        ),
    ] = ["district"],  # noqa: B006 - FastAPI copies a list default per request
    scope: sc.Scope = "guangzhou",
    size: Annotated[int, Query(ge=1, le=MAX_ROWS)] = 20,
    from_year: Year = None,
    to_year: Year = None,
    collection: CollectionParam = None,
) -> Holdings:
    """持有量 / Applications, grants and valid rights, grouped, with growth over a span."""
    years = _span(from_year, to_year)
    text = with_collection(q, collection, kind)
    dims = _dims(group_by)
    return cache.get_or_compute(
        store,
        ("holdings", kind, text, dims, scope, size, years),
        lambda: holdings(store, kind, text, dims, scope=scope, size=size, years=years),
    )


@router.get("/collections")
def get_collections() -> Collections:
    """专题数据库 / Key-industry collections: versioned definitions, each with its query."""
    return collections()


def _span(first: int | None, last: int | None) -> tuple[int, int] | None:
    if first is None and last is None:
        return None
    if first is None or last is None or first > last:
        raise ValueError("from_year 与 to_year 须同时给出且有序 / give from_year <= to_year")
    return first, last


@router.get("/indicators")
def get_indicators(
    store: StoreDep, cache: StatsCacheDep, from_year: Year = None, to_year: Year = None
) -> Indicators:
    """规划指标 / The city IP plan's indicators: target, value per year, on track."""
    years = _span(from_year, to_year)
    return cache.get_or_compute(store, ("indicators", years), lambda: indicators(store, years))


@router.get("/landscape", response_model=None)
def get_landscape(
    store: StoreDep,
    cache: StatsCacheDep,
    q: Q = "",
    kind: Literal["patent", "trademark"] = "patent",
    top: Annotated[int, Query(ge=1, le=50)] = 10,
    new_years: Annotated[int, Query(ge=1, le=10, description="new entrants: last N years")] = 3,
    format: Literal["json", "csv"] = "json",
    block: Annotated[
        str | None, Query(description=f"with format=csv: one of {', '.join(BLOCKS)}")
    ] = None,
    collection: CollectionParam = None,
) -> Landscape | Response:
    """专利导航 / Landscape of a query; each block also as CSV (``format=csv&block=…``)."""
    record_kind: RecordKind = kind
    check_block(record_kind, block, format == "csv")
    text = with_collection(q, collection, kind)
    result = cache.get_or_compute(
        store,
        ("landscape", record_kind, text, top, new_years),
        lambda: landscape(store, record_kind, text, top=top, new_years=new_years),
    )
    if format == "csv":
        name, body = block_csv(result, block)
        return Response(
            "\ufeff" + body,  # a BOM, as /export writes: spreadsheet programs then read UTF-8
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="landscape-{name}.csv"'},
        )
    return result
