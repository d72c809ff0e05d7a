"""Patent landscape (专利导航) of a query: blocks of figures, each a table, each exportable as CSV.

Blocks: ``trend`` (filings by year and applicant country), ``top_applicants`` (and their filings
per year), ``classes`` (IPC section, subclass and main group; Nice class for trademarks),
``applicant_class`` (applicant × IPC subclass matrix), ``new_entrants`` (top applicants of the
last N filing years with no filing before them), ``provinces`` and ``districts`` (applicant
geography; Guangzhou districts), ``key_terms`` (patent key terms), ``co_applicants`` (pairs of
applicants filing together, among the pairs with one of the leading applicants: exact counts from
an applicant × applicant aggregation, no scan).
Counts follow ``iphub.store.aggregate``: a record counts under each of its values; ``null`` is
the missing group. No scope: the whole store (landscapes are about a technology, not the city).
"""

from __future__ import annotations

import datetime as dt
import io

from pydantic import BaseModel

from iphub.store import plan as p
from iphub.store.aggregate import AggregateRequest, Aggregation
from iphub.store.base import Store
from iphub.store.fields import RecordKind
from search_api import spreadsheet
from search_api.services import stats_common as sc

BLOCKS = (
    "trend",
    "top_applicants",
    "classes",
    "applicant_class",
    "new_entrants",
    "provinces",
    "districts",
    "key_terms",
    "co_applicants",
)
Cell = str | int | float | None


class Table(BaseModel):
    columns: list[str]
    rows: list[list[Cell]]
    note: str | None = None


class Landscape(BaseModel):
    kind: RecordKind
    query: str
    as_strings: sc.AsStrings = False
    total: int
    blocks: dict[str, Table]


def _agg(
    store: Store, kind: RecordKind, plan: p.Plan, dims: tuple[str, ...], size: int
) -> Aggregation:
    return store.aggregate(AggregateRequest(kind, plan, dims, size))


def _flat(result: Aggregation, first: str) -> Table:
    return Table(columns=[first, "count"], rows=[[g.key, g.count] for g in result.groups])


def _pairs(result: Aggregation, first: str, second: str) -> Table:
    rows: list[list[Cell]] = [[g.key, s.key, s.count] for g in result.groups for s in g.groups]
    return Table(columns=[first, second, "count"], rows=rows)


def landscape(
    store: Store, kind: RecordKind, text: str, *, top: int = 10, new_years: int = 3
) -> Landscape:
    understood, plan, as_strings = sc.searched(store, text, kind)
    classes: tuple[str, ...] = ("nice_class",)
    if kind == "patent":
        classes = ("ipc_section", "ipc_subclass", "ipc_group")
    # every block of the query, asked together: the store reads the match set once for all the
    # one-pass ones (the class levels, provinces, districts, key terms, the trend)
    wanted: dict[str, tuple[tuple[str, ...], int]] = {
        "trend": (("year", "country"), 50),
        "top_applicants": (("applicant", "year"), top),
        **{level: ((level,), top) for level in classes},
        "applicant_class": (("applicant", classes[min(1, len(classes) - 1)]), top),
        "provinces": (("province",), 50),
        "districts": (("district",), 20),
        **({"key_terms": (("keyword",), top * 3)} if kind == "patent" else {}),
        # pairs with one of the leading applicants (found once for this and top_applicants)
        "co_applicants": (("applicant", "applicant"), top),
    }
    requests = [AggregateRequest(kind, plan, dims, size) for dims, size in wanted.values()]
    found = dict(zip(wanted, store.aggregate_many(requests), strict=True))
    trend = found["trend"]
    blocks: dict[str, Table] = {"trend": _pairs(trend, "year", "country")}
    blocks["trend"].rows.sort(key=lambda r: (str(r[0]), -int(r[2] or 0)))
    blocks["top_applicants"] = _pairs(found["top_applicants"], "applicant", "year")
    rows: list[list[Cell]] = [[lv, g.key, g.count] for lv in classes for g in found[lv].groups]
    blocks["classes"] = Table(columns=["level", "class", "count"], rows=rows)
    blocks["applicant_class"] = _pairs(found["applicant_class"], "applicant", "class")
    blocks["new_entrants"] = _new_entrants(store, kind, plan, trend, top, new_years)
    blocks["provinces"] = _flat(found["provinces"], "province")
    blocks["districts"] = _flat(found["districts"], "district")
    if kind == "patent":
        blocks["key_terms"] = _flat(found["key_terms"], "term")
    blocks["co_applicants"] = _co_applicants(found["co_applicants"], top)
    return Landscape(
        kind=kind, query=understood, as_strings=as_strings, total=trend.total, blocks=blocks
    )


def _new_entrants(
    store: Store, kind: RecordKind, plan: p.Plan, trend: Aggregation, top: int, years: int
) -> Table:
    """Among the 200 leading applicants of the last ``years`` filing years of the data, those
    with no filing of this query before; ranked by their recent filings."""
    dated = [int(g.key) for g in trend.groups if g.key is not None]
    if not dated:
        return Table(columns=["applicant", "count"], rows=[])
    start = max(dated) - years + 1
    recent_plan = sc.restrict(plan, p.Range("ad", _jan1(start), None))
    recent = _agg(store, kind, recent_plan, ("applicant",), 200)
    keys = tuple(g.key for g in recent.groups if g.key is not None)
    if not keys:
        return Table(columns=["applicant", "count"], rows=[])
    earlier_plan = sc.restrict(
        plan, p.Range("ad", None, _dec31(start - 1)), p.Terms("facet_applicant", keys)
    )
    earlier = {g.key for g in _agg(store, kind, earlier_plan, ("applicant",), 1000).groups}
    rows: list[list[Cell]] = [
        [g.key, g.count] for g in recent.groups if g.key and g.key not in earlier
    ]
    return Table(
        columns=["applicant", "count"],
        rows=rows[:top],
        note=f"first filing in {start}–{max(dated)}, among the 200 leading applicants then",
    )


def _jan1(year: int) -> dt.date:
    return dt.date(year, 1, 1)


def _dec31(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def _co_applicants(result: Aggregation, top: int) -> Table:
    """Pairs of applicants filing together, for pairs with one of the ``top`` applicants (an
    applicant × applicant aggregation), less each applicant with itself; each pair listed once."""
    pairs: dict[tuple[str, str], int] = {}
    for g in result.groups[:top]:
        for partner in g.groups:
            if g.key is None or partner.key is None or partner.key == g.key:
                continue
            a, b = sorted((g.key, partner.key))
            pairs[(a, b)] = partner.count
    ranked = sorted(pairs.items(), key=lambda x: (-x[1], x[0]))[:top]
    rows: list[list[Cell]] = [[a, b, n] for (a, b), n in ranked]
    return Table(
        columns=["applicant_a", "applicant_b", "count"],
        rows=rows,
        note=f"pairs with one of the {top} leading applicants",
    )


def blocks_of(kind: RecordKind) -> tuple[str, ...]:
    """The blocks of a landscape of ``kind``: trademarks have no key terms."""
    return tuple(b for b in BLOCKS if kind == "patent" or b != "key_terms")


def csv_block(kind: RecordKind, block: str | None) -> str:
    """``block`` if it is one of ``kind``'s, else ``ValueError`` naming them."""
    allowed = blocks_of(kind)
    if block not in allowed:
        raise ValueError(
            f"block 应为以下之一：{'、'.join(allowed)} / block must be one of: {', '.join(allowed)}"
        )
    return block


def check_block(kind: RecordKind, block: str | None, csv_format: bool) -> None:
    """Raise ``ValueError`` unless ``block`` is one of ``kind``'s blocks, given exactly when a
    CSV is asked for (the JSON answer has every block)."""
    if block is None and not csv_format:
        return
    csv_block(kind, block)
    if not csv_format:
        raise ValueError(
            "block 仅用于 format=csv，JSON 结果含全部区块 / block applies only with format=csv: "
            "the JSON answer has every block"
        )


def block_csv(result: Landscape, block: str | None) -> tuple[str, str]:
    """``(block name, CSV text)``; raises ``ValueError`` naming the blocks."""
    block = csv_block(result.kind, block)
    table = result.blocks[block]
    out = io.StringIO()
    writer = spreadsheet.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(["" if c is None else c for c in row] for row in table.rows)
    return block, out.getvalue()
