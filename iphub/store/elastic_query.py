"""Translate ``iphub.store.plan`` nodes into Elasticsearch query DSL, one node to one object.

User text reaches only term-level queries (``term``, ``terms``, ``match_phrase`` with the
``whitespace`` analyzer on pre-segmented tokens, ``range``); never ``query_string``, ``regexp``,
``wildcard``, ``fuzzy`` or a script. Prefixes arrive already expanded to index terms.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from iphub.store import plan as p

Json = dict[str, Any]
Expander = Callable[[p.Prefix], list[str]]


def to_dsl(node: p.Plan, expand: Expander) -> Json:
    """One plan node → one query DSL object; ``expand`` lists a prefix's index terms."""
    if isinstance(node, p.All):
        return {"match_all": {}}
    if isinstance(node, p.Nothing):
        return {"match_none": {}}
    if isinstance(node, p.Exists):
        return {"exists": {"field": node.field}}
    if isinstance(node, p.Term):
        return {"term": {node.field: {"value": node.value, "boost": node.boost}}}
    if isinstance(node, p.Terms):
        return {"terms": {node.field: list(node.values)}}
    if isinstance(node, p.Prefix):
        terms = expand(node)
        return {"terms": {node.field: terms, "boost": node.boost}} if terms else {"match_none": {}}
    if isinstance(node, p.PhraseQ):
        if len(node.tokens) == 1:
            return {"term": {node.field: {"value": node.tokens[0], "boost": node.boost}}}
        # The tokens hold no whitespace, so the whitespace analyzer gives them back as is.
        return {
            "match_phrase": {
                node.field: {
                    "query": " ".join(node.tokens),
                    "slop": 0,
                    "analyzer": "whitespace",
                    "boost": node.boost,
                }
            }
        }
    if isinstance(node, p.Range):
        bounds: Json = {"format": "strict_date"}
        if node.start:
            bounds["gte"] = node.start.isoformat()
        if node.end:
            bounds["lte"] = node.end.isoformat()
        return {"range": {node.field: bounds}}
    if not node.must and not node.should:  # as in tantivy: exclusions alone match nothing
        return {"match_none": {}}
    clauses = {"must": node.must, "should": node.should, "must_not": node.must_not}
    return {
        "bool": {
            occur: [to_dsl(c, expand) for c in children]
            for occur, children in clauses.items()
            if children
        }
    }


def prefixes(node: p.Plan) -> Iterator[p.Prefix]:
    """The ``Prefix`` nodes :func:`to_dsl` expands, in the order it expands them (a read flow
    lists them first, to ask for every expansion before it builds the query)."""
    if isinstance(node, p.Prefix):
        yield node
    elif isinstance(node, p.Bool) and (node.must or node.should):
        for child in (*node.must, *node.should, *node.must_not):
            yield from prefixes(child)


def kind_query(kind: str, node: p.Plan, expand: Expander) -> Json:
    """``node`` restricted to records of ``kind`` (a filter: it does not change scores)."""
    kind_filter = [{"term": {"record_type": kind}}]
    if isinstance(node, p.All):
        return {"bool": {"filter": kind_filter}}
    return {"bool": {"must": [to_dsl(node, expand)], "filter": kind_filter}}
