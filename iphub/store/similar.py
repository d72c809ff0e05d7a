""" "Similar records" (more like this): what both stores take from a record, and how.

Both engines pick the record's most distinctive word tokens (term frequency × inverse document
frequency over the index) and search for them as one OR query, scored by BM25: tantivy's
``MoreLikeThisQuery`` and Elasticsearch's ``more_like_this`` query (Lucene's ``MoreLikeThis``).
Neither can read the tokens back from its index (tantivy stores only the id; Elasticsearch keeps
the ``*_w`` fields out of ``_source``), so both are given the record's fields as
``index_document`` makes them, an "artificial document". The parameters below are set alike in
both, so on the same index they choose the same terms unless the term limit cuts between
near-equal scores; their idf formulas differ slightly (BM25's in tantivy, the classic one in
Lucene), and tantivy scores the chosen terms without term frequencies.
"""

from __future__ import annotations

from iphub.records import AnyRecord
from iphub.store.fields import RecordKind, index_document

#: the word fields a record is compared on, per kind (not applicants or agents: a firm's
#: portfolio is a search, not a similarity)
FIELDS: dict[RecordKind, tuple[str, ...]] = {
    "patent": ("ti_w", "ab_w", "cl_w"),
    "trademark": ("tm_w", "gs_w"),
    "copyright": ("ti_w",),
}
MAX_QUERY_TERMS = 25
#: a term used once in the record counts (records are short: a title and an abstract)
MIN_TERM_FREQ = 1
#: a term no other record has cannot find another record
MIN_DOC_FREQ = 2
MAX_SIZE = 100


def like_fields(record: AnyRecord) -> dict[str, str]:
    """The record's compared fields as whitespace-separated tokens (empty fields left out)."""
    doc = index_document(record)
    return {name: str(doc[name]) for name in FIELDS[record.record_type] if doc.get(name)}
