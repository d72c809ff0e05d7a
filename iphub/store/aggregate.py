"""Grouped counts (statistics): the request and result types of ``Store.aggregate``.

Both engines speak Elasticsearch's aggregation JSON (tantivy's ``searcher.aggregate`` takes the
same ``terms`` bodies and answers in the same shape), so the body is built and the answer read
here, once; each store only adds its engine's options and runs it.

Method:

- A group's count is the number of matching records with that value. A multi-valued dimension
  (district, industry, applicant, IPC …) counts a record once under each of its values, so the
  groups of one level may add up to more than the total; ``Aggregation.total`` counts each record
  once.
- Records without a value are the *missing* group (``key=None``), never dropped: it is fetched
  like any other key (engine option ``missing``) and always listed when it is among the fetched
  buckets; bounded dimensions fetch every bucket, so for them it is always listed. Whatever is
  past ``size`` is added up in ``other``.
- Groups are ordered by count (descending) then key; counts are exact (one shard / segment
  sizes far above the number of keys).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from iphub.store.fields import FACETS, RecordKind
from iphub.store.plan import Bool, Exists, Plan

#: The key engines give records without a value (no district, applicant, year … looks like it).
MISSING_KEY = "__missing__"
MAX_GROUP_SIZE = 1000
#: Dimensions with few keys: every bucket is fetched, so the missing group is always exact.
_UNBOUNDED = frozenset({"applicant", "keyword", "city", "ipc_group"})

_COMMON = {
    "district": "facet_district",
    "city": "city",
    "province": "prov",
    "country": "ctry",
    "industry": "ind",
    "applicant": "facet_applicant",
    "applicant_type": "type",
    "year": "facet_year",
    "grant_year": "facet_grant_year",
    "status": "status",
    "right": "facet_right",  # granted, valid (see iphub.store.fields)
}
#: Dimension name → index column (a fixed list; anything else is :class:`UnknownDimension`).
DIMENSIONS: dict[RecordKind, dict[str, str]] = {
    "patent": _COMMON
    | {
        "kind": FACETS["patent"]["kind"],
        "ipc_section": "facet_ipc_section",
        "ipc_class": "facet_ipc_class",
        "ipc_subclass": "facet_ipc_subclass",
        "ipc_group": "facet_ipc_group",
        "keyword": "facet_keyword",
    },
    "trademark": _COMMON | {"nice_class": "nc"},
    # registrations carry no industry tag and no legal status; kind: software, works
    "copyright": {k: v for k, v in _COMMON.items() if k not in ("industry", "status")}
    | {"kind": "kind"},
}


class UnknownDimension(ValueError):
    """A dimension not among ``allowed`` (by default every dimension of the kind)."""

    def __init__(self, kind: RecordKind, name: str, allowed: Sequence[str] | None = None) -> None:
        self.name = name
        self.allowed = list(DIMENSIONS[kind] if allowed is None else allowed)
        self.message_zh = f"未知统计维度“{name}”，可用：{'、'.join(self.allowed)}"
        self.message_en = (
            f"unknown dimension {name!r} for {kind} (allowed: {', '.join(self.allowed)})"
        )
        super().__init__(f"{self.message_zh} / {self.message_en}")


@dataclass(frozen=True)
class AggregateRequest:
    """Count the records of ``kind`` matching ``plan``, grouped by one to three dimensions
    (the API offers two, plus ``right`` for the holdings measures)."""

    kind: RecordKind
    plan: Plan
    group_by: tuple[str, ...]
    size: int = 10  # groups per level, past which counts go to ``other``

    def __post_init__(self) -> None:
        if not 1 <= len(self.group_by) <= 3:
            raise ValueError("group_by 需要 1–3 个维度 / group_by takes 1 to 3 dimensions")
        for name in self.group_by:
            if name not in DIMENSIONS[self.kind]:
                raise UnknownDimension(self.kind, name)
        if not 1 <= self.size <= MAX_GROUP_SIZE:
            raise ValueError(f"size 应在 1–{MAX_GROUP_SIZE} / size must be 1-{MAX_GROUP_SIZE}")


@dataclass
class Group:
    key: str | None  # None: records without a value
    count: int
    groups: list[Group] = field(default_factory=list)  # by the next dimension
    other: int = 0  # count in next-dimension groups past ``size``


@dataclass
class Aggregation:
    total: int  # matching records, each once
    groups: list[Group]
    other: int = 0  # count in groups past ``size``


def _fetch(name: str, size: int) -> int:
    return size + 1 if name in _UNBOUNDED else MAX_GROUP_SIZE


def aggs_body(
    request: AggregateRequest, terms_options: dict[str, Any], include: list[str] | None = None
) -> dict[str, Any]:
    """Nested ``terms`` aggregations ``g0`` (``g1``, ``g2`` inside), with the engine's options;
    ``include`` limits the first level to those keys."""
    body: dict[str, Any] = {}
    for level, name in reversed(list(enumerate(request.group_by))):
        terms = {
            "field": DIMENSIONS[request.kind][name],
            "size": _fetch(name, request.size),
            "missing": MISSING_KEY,
            **terms_options,
        }
        if level == 0 and include is not None:
            terms |= {"include": include, "size": len(include)}
        agg: dict[str, Any] = {"terms": terms}
        if body:
            agg["aggs"] = body
        body = {f"g{level}": agg}
    return body


def _groups(
    raw: dict[str, Any], level: int, size: int, dims: tuple[str, ...]
) -> tuple[list[Group], int]:
    agg = raw.get(f"g{level}", {})
    found = [
        Group(
            None if b["key"] == MISSING_KEY else str(b["key"]),
            int(b["doc_count"]),
            *(_groups(b, level + 1, size, dims) if level + 1 < len(dims) else ([], 0)),
        )
        for b in agg.get("buckets", [])
    ]
    if dims[level] == "right":  # the holdings measures: two keys, never cut
        size = len(found)
    found.sort(key=lambda g: (-g.count, g.key is None, g.key or ""))
    keyed = [g for g in found if g.key is not None]
    kept = keyed[:size] + [g for g in found if g.key is None]
    other = int(agg.get("sum_other_doc_count", 0)) + sum(g.count for g in keyed[size:])
    return kept, other


def read_aggregation(raw: dict[str, Any], request: AggregateRequest, total: int) -> Aggregation:
    """The engine's answer to :func:`aggs_body` as :class:`Aggregation`."""
    groups, other = _groups(raw, 0, request.size, request.group_by)
    return Aggregation(total=total, groups=groups, other=other)


Runner = Callable[[Plan, dict[str, Any]], dict[str, Any]]


def one_query(requests: Sequence[AggregateRequest]) -> tuple[RecordKind, Plan]:
    """The kind and plan ``requests`` share (``Store.aggregate_many`` asks several of one query);
    ``ValueError`` when they do not, or there are none."""
    if not requests or any(
        (r.kind, r.plan) != (requests[0].kind, requests[0].plan) for r in requests
    ):
        raise ValueError("aggregate_many: the requests must share one kind and one plan")
    return requests[0].kind, requests[0].plan


def _one_pass(request: AggregateRequest) -> bool:
    return request.group_by[0] not in _UNBOUNDED or len(request.group_by) == 1


def run_many(
    requests: Sequence[AggregateRequest], total: int, options: dict[str, Any], run: Runner
) -> list[Aggregation]:
    """Several aggregations of one query with the engine's ``run``: every one that takes a single
    pass in one run of the engine (each body under its own name: ``r3_g0``), the others as
    :func:`run_aggregation` runs them. A landscape's class levels, provinces, districts and key
    terms then read the match set once, where each ran the query again (≈50 ms for a
    key-industry collection at 1M records). The store has checked they share one query
    (:func:`one_query`)."""
    out: dict[int, Aggregation] = {}
    together = [i for i, r in enumerate(requests) if _one_pass(r)]
    if together:
        body = {
            f"r{i}_{name}": agg
            for i in together
            for name, agg in aggs_body(requests[i], options).items()
        }
        raw = run(requests[together[0]].plan, body)
        for i in together:
            mine = {
                key.split("_", 1)[1]: v for key, v in raw.items() if key.split("_", 1)[0] == f"r{i}"
            }
            out[i] = read_aggregation(mine, requests[i], total)
    for i, request in enumerate(requests):
        if i not in out:
            out[i] = run_aggregation(request, total, options, run)
    return [out[i] for i in range(len(requests))]


def run_aggregation(
    request: AggregateRequest, total: int, options: dict[str, Any], run: Runner
) -> Aggregation:
    """Run ``request`` with the engine's ``run(plan, aggs) -> aggregations``.

    A first dimension with many keys (applicant, keyword …) nested over more is run in passes:
    its top keys alone; the nesting for those keys only (``include``), since an engine would
    otherwise build the nested buckets for every one of its keys; and the nesting of the missing
    group over the records without a value (``include`` cannot name it).
    """
    if _one_pass(request):
        return read_aggregation(run(request.plan, aggs_body(request, options)), request, total)
    head = AggregateRequest(request.kind, request.plan, request.group_by[:1], request.size)
    top = read_aggregation(run(request.plan, aggs_body(head, options)), head, total)
    keys = [g.key for g in top.groups if g.key is not None]
    inner: dict[str | None, Group] = {}
    if keys:
        nested = run(request.plan, aggs_body(request, options, keys))
        inner = {g.key: g for g in read_aggregation(nested, request, total).groups}
    if any(g.key is None for g in top.groups):
        rest = AggregateRequest(request.kind, request.plan, request.group_by[1:], request.size)
        column = DIMENSIONS[request.kind][request.group_by[0]]
        lacking = Bool(must=(request.plan,), must_not=(Exists(column),))
        found = read_aggregation(run(lacking, aggs_body(rest, options)), rest, total)
        inner[None] = Group(None, 0, found.groups, found.other)
    for g in top.groups:
        if (sub := inner.get(g.key)) is not None:
            g.groups, g.other = sub.groups, sub.other
    return top
