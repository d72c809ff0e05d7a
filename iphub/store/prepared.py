"""A record made ready for writing: its stored JSON and its index document, as UTF-8 JSON.

A bulk load prepares records in worker processes (``ingest.workers``): parsing, enrichment and
``index_document`` (segmentation) are most of a record's cost, and they run there. What crosses
back to the loading process is a :class:`PreparedRecord` — a few short strings and two JSON
texts — because unpickling a pydantic record and its index document as Python objects cost the
single writer ≈95 µs a record, more than writing it (BENCHMARKS.md, "Ingest"). The two JSON
texts stay the UTF-8 bytes their serialisers write: as ``str`` they were decoded in the worker,
encoded again by pickle and decoded once more in the writer, ≈19 µs a Chinese record. The
writer then stores ``body`` as the record's row (SQLite takes the bytes as text) and hands
``document`` to tantivy as JSON (``add_json``), parsed in Rust; it validates ``body`` back into
a record only when it must merge two versions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import orjson

from iphub.records import AnyRecord, Patent
from iphub.store.fields import DATE_FIELDS, IndexDocument, index_document


def latest_date(record: AnyRecord) -> dt.date | None:
    """The date a source's newest record is told by: publication, else application, else
    registration."""
    if isinstance(record, Patent):
        return record.publication_date or record.application_date
    return record.application_date or record.registration_date


def document_json(fields: IndexDocument) -> str:
    """An index document as tantivy's JSON: empty values left out, dates as RFC 3339."""
    return _document_utf8(fields).decode()


def _document_utf8(fields: IndexDocument) -> bytes:
    clean = {name: value for name, value in fields.items() if value}  # str, list or date
    for name in DATE_FIELDS:
        value = clean.get(name)
        if isinstance(value, dt.date):
            clean[name] = f"{value.isoformat()}T00:00:00Z"
    return orjson.dumps(clean)


@dataclass(slots=True)
class PreparedRecord:
    """What a store writes for one record, built once wherever there is a free core."""

    id: str
    record_type: str
    source: str
    batch_id: str | None
    latest_date: str | None  # ISO date
    body: bytes  # the record as ``model_dump_json(exclude_none=True)`` writes it, UTF-8
    document: bytes  # ``document_json(index_document(record))``, UTF-8
    #: the record itself, when prepared in this process (not sent between processes)
    _record: AnyRecord | None = field(default=None, compare=False)

    @classmethod
    def of(cls, record: AnyRecord, keep: bool = True) -> PreparedRecord:
        """Raises ``ValueError``/``TypeError`` when the record cannot be indexed."""
        date = latest_date(record)
        return cls(
            record.id,
            record.record_type,
            record.source,
            record.batch_id,
            date.isoformat() if date else None,
            # None is every such default
            record.__pydantic_serializer__.to_json(record, exclude_none=True),
            _document_utf8(index_document(record)),
            record if keep else None,
        )

    def record(self) -> AnyRecord:
        """The record (validated from ``body`` when it came from another process)."""
        if self._record is None:
            from iphub.store.base import RECORD_ADAPTER  # base imports this module's users

            self._record = RECORD_ADAPTER.validate_json(self.body)
        return self._record

    def fields(self) -> IndexDocument:
        """The index document as ``index_document`` gives it (dates as ``datetime.date``)."""
        out: IndexDocument = orjson.loads(self.document)
        for name in DATE_FIELDS:
            value = out.get(name)
            if isinstance(value, str):
                out[name] = dt.date.fromisoformat(value[:10])
        return out

    def __getstate__(self) -> tuple[object, ...]:
        return (self.id, self.record_type, self.source, self.batch_id, self.latest_date,
                self.body, self.document)  # fmt: skip

    def __setstate__(self, state: tuple[object, ...]) -> None:
        (self.id, self.record_type, self.source, self.batch_id, self.latest_date,
         self.body, self.document) = state  # type: ignore[assignment]  # fmt: skip
        self._record = None
