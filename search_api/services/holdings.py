"""Holdings: applications, grants and valid rights of a query, grouped by one or two dimensions.

Method (stated in every answer):

- one record is one publication as the store holds it (a trademark: its application; an
  export's row: one application in its current state); the offices' XML and DOCDB give an
  invention's application publication (A) and its grant (B) as two records, so an invention
  loaded from both counts twice under *applications* and once under *grants*; *applications*
  count records, *grants* the records ever granted (a grant or
  registration date, or a kind granted on publication: utility models and designs), *valid* the
  rights in force now (legal status ``valid``; trademarks ``registered``); a copyright
  registration is one record, counted under *applications* (the registrations: what the page
  shows for them), and under *grants* and *valid* once it has a registration date;
- ``scope=guangzhou`` (default) counts records with at least one applicant in Guangzhou; the
  city total counts each record once;
- a record counts once in each group it belongs to: a patent of a 天河区 and a 黄埔区 applicant
  is in both district rows; records without a value are the ``key: null`` row ("no district").
  So the rows plus ``other`` add up to the total exactly when no record is in two groups;
  ``multi_counted`` says by how many they exceed it;
- growth is by filing year for applications and by grant year for grants (recent filing years
  are incomplete until published, about 18 months for inventions).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from iphub.store.aggregate import DIMENSIONS, AggregateRequest, Aggregation, Group, UnknownDimension
from iphub.store.base import Store
from iphub.store.fields import RecordKind
from iphub.store.plan import Plan
from search_api.services import stats_common as sc

METHOD = __doc__.split("Method (stated in every answer):", 1)[1].strip() if __doc__ else ""
MAX_ROWS = 100


def dimensions(kind: RecordKind) -> list[str]:
    """What holdings group by: every statistics dimension but ``right``, which they nest under
    each group themselves (it makes the three measures: applications, grants, valid)."""
    return [d for d in DIMENSIONS[kind] if d != "right"]


def _check(kind: RecordKind, group_by: tuple[str, ...]) -> None:
    if not 1 <= len(group_by) <= 2:
        raise ValueError("group_by 需要 1 或 2 个维度 / group_by takes 1 or 2 dimensions")
    allowed = dimensions(kind)
    for name in group_by:
        if name not in allowed:
            raise UnknownDimension(kind, name, allowed)
    if len(group_by) == 2 and group_by[0] == group_by[1]:
        name = group_by[0]
        raise ValueError(f"group_by 的维度重复：{name} / group_by names {name!r} twice")


class Counts(BaseModel):
    applications: int = 0
    grants: int = 0
    valid: int = 0


class Row(Counts):
    key: str | None = Field(description="null: records without a value")
    label: str
    rows: list[Row] = Field(default_factory=list, description="by the second dimension")
    other: int = Field(0, description="applications in second-dimension groups past size")


class Trend(BaseModel):
    applications: sc.Series
    grants: sc.Series


class Holdings(BaseModel):
    kind: RecordKind
    query: str
    as_strings: sc.AsStrings = False
    scope: sc.Scope
    group_by: list[str]
    method: str = METHOD
    total: Counts
    rows: list[Row]
    other: Counts = Field(description="groups past size")
    multi_counted: int = Field(description="applications counted in more than one row")
    trend: Trend | None = None


def _counts(group: Group) -> Counts:
    rights = {g.key: g.count for g in group.groups}
    return Counts(
        applications=group.count, grants=rights.get("granted", 0), valid=rights.get("valid", 0)
    )


def _rows(groups: list[Group], dimension: str) -> list[Row]:
    """Groups whose next level is ``right`` as rows of the three measures."""
    return [
        Row(key=g.key, label=sc.label(dimension, g.key), **_counts(g).model_dump()) for g in groups
    ]


def holdings(
    store: Store,
    kind: RecordKind,
    text: str,
    group_by: tuple[str, ...],
    *,
    scope: sc.Scope = "guangzhou",
    size: int = 20,
    years: tuple[int, int] | None = None,
) -> Holdings:
    """Raises ``QuerySyntaxError``, ``UnknownDimension`` or ``ValueError`` (API: 400)."""
    _check(kind, group_by)
    if not 1 <= size <= MAX_ROWS:
        raise ValueError(f"size 应在 1–{MAX_ROWS} / size must be 1-{MAX_ROWS}")
    understood, plan, as_strings = sc.searched(store, text, kind)
    plan = sc.scoped(plan, scope)
    # the totals, the rows and their breakdown are of one query: asked at once (one pass of
    # the engine where it can, ``Store.aggregate_many``)
    asked = [
        AggregateRequest(kind, plan, ("right",), 2),
        AggregateRequest(kind, plan, (group_by[0], "right"), size),
    ]
    if len(group_by) == 2:
        asked.append(AggregateRequest(kind, plan, (*group_by, "right"), size))
    whole, first, *more = store.aggregate_many(asked)
    total = Counts(applications=whole.total, **_rights(whole.groups))
    rows = _rows(first.groups, group_by[0])
    if more:
        inner = {g.key: g for g in more[0].groups}
        for row in rows:
            if (group := inner.get(row.key)) is not None:
                row.rows, row.other = _rows(group.groups, group_by[1]), group.other
    listed = Counts(
        applications=sum(r.applications for r in rows),
        grants=sum(r.grants for r in rows),
        valid=sum(r.valid for r in rows),
    )
    other = Counts()
    if first.other:  # groups past size: their grants and valid rights are every group's less
        # the rows', counted per right over every value of the dimension (one more pass)
        per_right = store.aggregate(AggregateRequest(kind, plan, ("right", group_by[0]), 1))
        other = _other(first.other, per_right, listed)
    return Holdings(
        kind=kind,
        query=understood,
        as_strings=as_strings,
        scope=scope,
        group_by=list(group_by),
        total=total,
        rows=rows,
        other=other,
        multi_counted=listed.applications + other.applications - total.applications,
        trend=_trend(store, kind, plan, years) if years else None,
    )


def _rights(groups: list[Group]) -> dict[str, int]:
    found = {g.key: g.count for g in groups}
    return {"grants": found.get("granted", 0), "valid": found.get("valid", 0)}


def _other(other_applications: int, per_right: Aggregation, listed: Counts) -> Counts:
    """Counts in the groups past ``size``: applications from the engine; grants and valid as
    the sum over every group of the measure (``per_right``: each right's groups by the
    dimension, one shown and the rest counted) less what the rows show."""
    every = {g.key: sum(c.count for c in g.groups) + g.other for g in per_right.groups}
    return Counts(
        applications=other_applications,
        grants=every.get("granted", 0) - listed.grants,
        valid=every.get("valid", 0) - listed.valid,
    )


def _trend(store: Store, kind: RecordKind, plan: Plan, years: tuple[int, int]) -> Trend:
    first, last = years
    filed = sc.by_year(store, kind, plan, "year")
    granted = sc.by_year(store, kind, sc.restrict(plan, sc.GRANTED), "grant_year")
    return Trend(applications=sc.series(filed, first, last), grants=sc.series(granted, first, last))
