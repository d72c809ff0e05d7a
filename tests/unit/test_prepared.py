"""PreparedRecord: what crosses from an ingest worker to the writer must index and store as the
record itself would."""

from __future__ import annotations

import pickle

from iphub.demo import generate
from iphub.store.fields import index_document
from iphub.store.prepared import PreparedRecord, latest_date


def test_prepared_record_round_trips_between_processes() -> None:
    for record in generate(40, 40):
        ready = PreparedRecord.of(record)
        sent = pickle.loads(pickle.dumps(ready))  # noqa: S301 - our own bytes
        assert sent._record is None  # the object is not sent; its JSON is
        assert sent.record() == record
        assert sent.fields() == {
            name: value
            for name, value in index_document(record).items()
            if value is not None and value != "" and value != []
        }
        date = latest_date(record)
        assert sent.latest_date == (date.isoformat() if date else None)
        assert (sent.id, sent.record_type, sent.source) == (
            record.id,
            record.record_type,
            record.source,
        )


def test_document_dates_are_rfc_3339_for_tantivy() -> None:
    record = next(iter(generate(1, 0)))
    ready = PreparedRecord.of(record)
    assert f'"ad":"{record.application_date.isoformat()}T00:00:00Z"' in ready.document
