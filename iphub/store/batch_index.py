"""A tantivy index in RAM holding only some records (a slice of one ingest batch).

The alerts matcher evaluates every subscription against the records an ingest batch added. Asking
the full store once per subscription, restricted to the batch, costs a query over millions of
documents each time; this index holds just the batch's records, built with the embedded store's
schema, ``index_document`` and plan translation (``tantivy_query``), so every plan compiles and
matches exactly as in the store (``tests/alerts/test_batch_index.py`` holds it to that against
both stores). Hits are mapped to ids through a table built once, so no stored document is read
per hit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import tantivy

from iphub.records import Copyright, Patent, Trademark
from iphub.store import plan as p
from iphub.store.embedded import new_index
from iphub.store.fields import RecordKind, index_document
from iphub.store.prepared import document_json
from iphub.store.tantivy_query import kind_query

_HEAP = 64_000_000


class BatchIndex:
    """Records held in a RAM index; :meth:`ids` answers a plan with the matching record ids."""

    def __init__(self, records: Iterable[Patent | Trademark | Copyright]) -> None:
        self.index = new_index()
        self.schema = self.index.schema
        writer = self.index.writer(heap_size=_HEAP, num_threads=1)
        self.size = 0
        for record in records:
            writer.add_json(document_json(index_document(record)))
            self.size += 1
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher: Any = self.index.searcher()
        self._ids: dict[tuple[int, int], str] = {}
        if self.size:
            every = self.searcher.search(tantivy.Query.all_query(), limit=self.size)
            for _, addr in every.hits:
                self._ids[(addr.segment_ord, addr.doc)] = self.searcher.doc(addr)["id"][0]

    def ids(self, kind: RecordKind, plan: p.Plan, best: int | None = None) -> list[str]:
        """Ids of the held records of ``kind`` that ``plan`` matches (in no particular order),
        or of the ``best`` that match it most (by relevance, best first).

        Raises ``QuerySyntaxError`` as the store does when a prefix expands to too many terms
        (here counted over the held records only)."""
        if not self.size:
            return []
        query = kind_query(self.schema, self.searcher, kind, plan)
        limit = self.size if best is None else min(best, self.size)
        found = self.searcher.search(query, limit=limit, count=False)
        return [self._ids[(addr.segment_ord, addr.doc)] for _, addr in found.hits]
