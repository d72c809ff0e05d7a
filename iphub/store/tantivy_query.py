"""Translate ``iphub.store.plan`` nodes into tantivy queries, one node to one query object.

The embedded store's counterpart of ``elastic_query``: tantivy's own query parser never sees
user text; prefixes are expanded through the term dictionary, bounded by ``MAX_EXPANSIONS``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import tantivy

from iphub.store import plan as p


def as_datetime(d: dt.date) -> dt.datetime:
    return dt.datetime(d.year, d.month, d.day, tzinfo=dt.UTC)


def to_tantivy(s: tantivy.Schema, searcher: Any, node: p.Plan) -> tantivy.Query:
    """One plan node → one tantivy query; a prefix is expanded to at most MAX_EXPANSIONS terms."""
    if isinstance(node, p.All):
        return tantivy.Query.all_query()
    if isinstance(node, p.Nothing):
        return tantivy.Query.empty_query()
    if isinstance(node, p.Exists):
        return tantivy.Query.exists_query(node.field)
    if isinstance(node, p.Term):
        return boost(tantivy.Query.term_query(s, node.field, node.value), node.boost)
    if isinstance(node, p.Terms):
        return tantivy.Query.term_set_query(s, node.field, list(node.values))
    if isinstance(node, p.Prefix):
        found = searcher.terms_with_prefix(node.field, node.prefix, limit=p.MAX_EXPANSIONS + 1)
        if len(found) > p.MAX_EXPANSIONS:
            raise p.expansion_error(node.pos, node.prefix)
        if not found:
            return tantivy.Query.empty_query()
        terms = sorted(t for t, _ in found)
        return boost(tantivy.Query.term_set_query(s, node.field, terms), node.boost)
    if isinstance(node, p.PhraseQ):
        if len(node.tokens) == 1:
            q = tantivy.Query.term_query(s, node.field, node.tokens[0])
        else:
            q = tantivy.Query.phrase_query(s, node.field, list(node.tokens))
        return boost(q, node.boost)
    if isinstance(node, p.Range):
        return tantivy.Query.range_query(
            s,
            node.field,
            tantivy.FieldType.Date,
            as_datetime(node.start) if node.start else None,
            as_datetime(node.end) if node.end else None,
        )
    clauses = [(tantivy.Occur.Must, to_tantivy(s, searcher, c)) for c in node.must]
    clauses += [(tantivy.Occur.Should, to_tantivy(s, searcher, c)) for c in node.should]
    clauses += [(tantivy.Occur.MustNot, to_tantivy(s, searcher, c)) for c in node.must_not]
    return tantivy.Query.boolean_query(clauses)


def kind_query(schema: tantivy.Schema, searcher: Any, kind: str, node: p.Plan) -> tantivy.Query:
    """``node`` restricted to records of ``kind``; the restriction does not change scores."""
    kind_q = tantivy.Query.term_query(schema, "record_type", kind)
    if isinstance(node, p.All):
        return kind_q
    return tantivy.Query.boolean_query(
        [
            (tantivy.Occur.Must, to_tantivy(schema, searcher, node)),
            (tantivy.Occur.Must, tantivy.Query.const_score_query(kind_q, 0.0)),
        ]
    )


def boost(query: tantivy.Query, boost: float) -> tantivy.Query:
    return query if boost == 1.0 else tantivy.Query.boost_query(query, boost)
