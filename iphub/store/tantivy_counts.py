"""Exact counts from tantivy's terms aggregations, which may under-count across segments.

A terms aggregation reads each segment's top terms only, so a term ranked low in every segment
can be missed or under-counted (tantivy reports ``doc_count_error_upper_bound``). Facets and
statistics must still be exact: facets recount their candidates and fall back to reading every
term; statistics re-run the aggregation reading every term whenever an error is possible.
"""

from __future__ import annotations

from typing import Any

import tantivy

from iphub.store.base import MAX_FACET_SIZE, FacetBucket, SearchRequest
from iphub.store.fields import FACETS

ALL_TERMS = 2**31 - 1


def exact_facets(
    searcher: Any,
    schema: tantivy.Schema,
    query: tantivy.Query,
    request: SearchRequest,
    segment_size: int,
) -> dict[str, list[FacetBucket]]:
    """Exact top buckets: a fast pass over each segment's top terms, then exact recounts.

    Across segments a terms aggregation may under-count (``doc_count_error_upper_bound``).
    When it might have, the candidates' counts are recounted exactly and kept only if no
    other term can reach them (its count is at most the runner-up's plus the bound);
    otherwise every term of every segment is counted.
    """
    size = min(request.facet_size, MAX_FACET_SIZE)
    columns = {name: FACETS[request.kind][name] for name in request.facets}
    aggs = {
        name: {"terms": {"field": col, "size": size + 1, "segment_size": segment_size}}
        for name, col in columns.items()
    }
    raw = searcher.aggregate(query, aggs)
    out: dict[str, list[FacetBucket]] = {}
    for name, col in columns.items():
        agg = raw.get(name, {})
        buckets = [FacetBucket(str(b["key"]), int(b["doc_count"])) for b in agg.get("buckets", [])]
        bound = int(agg.get("doc_count_error_upper_bound") or 0)
        if bound:
            buckets = exact_top(searcher, schema, query, col, size, buckets, bound)
        out[name] = sorted(buckets, key=lambda b: (-b.count, b.key))[:size]
    return out


def exact_top(
    searcher: Any,
    schema: tantivy.Schema,
    query: tantivy.Query,
    column: str,
    size: int,
    partial: list[FacetBucket],
    bound: int,
) -> list[FacetBucket]:
    runner_up = partial[size].count if len(partial) > size else 0
    exact = []
    for bucket in partial[:size]:
        both = tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, query),
                (tantivy.Occur.Must, tantivy.Query.term_query(schema, column, bucket.key)),
            ]
        )
        exact.append(FacetBucket(bucket.key, int(searcher.search(both, limit=1).count)))
    if exact and min(b.count for b in exact) > runner_up + bound:
        return exact
    agg = searcher.aggregate(
        query, {"f": {"terms": {"field": column, "size": size, "segment_size": ALL_TERMS}}}
    )["f"]
    return [FacetBucket(str(b["key"]), int(b["doc_count"])) for b in agg["buckets"]]


def may_undercount(result: Any) -> bool:
    """Whether any terms aggregation in ``result`` reports a possible count error."""
    if isinstance(result, dict):
        if (result.get("doc_count_error_upper_bound") or 0) > 0:
            return True
        return any(may_undercount(v) for v in result.values())
    if isinstance(result, list):
        return any(may_undercount(v) for v in result)
    return False


def every_term(aggs: Any) -> Any:
    """``aggs`` with each terms aggregation reading every term of every segment."""
    if isinstance(aggs, dict):
        return {k: (ALL_TERMS if k == "segment_size" else every_term(v)) for k, v in aggs.items()}
    if isinstance(aggs, list):
        return [every_term(v) for v in aggs]
    return aggs
