"""PreparedRecord: what crosses from an ingest worker to the writer must index and store as the
record itself would."""

from __future__ import annotations

import json
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
    assert f'"ad":"{record.application_date.isoformat()}T00:00:00Z"'.encode() in ready.document


def test_stored_json_is_what_the_record_dumps() -> None:
    """The body is sent as UTF-8 bytes (no decoding and encoding again between processes):
    the very JSON ``model_dump_json`` writes, and an embedded store keeps it as text."""
    import sqlite3
    import tempfile
    from pathlib import Path

    from iphub.store.embedded import EmbeddedStore

    records = list(generate(10, 10))
    for record in records:
        ready = PreparedRecord.of(record)
        assert ready.body == record.model_dump_json(exclude_none=True).encode()
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "iphub.db")
        store.upsert([PreparedRecord.of(r) for r in records])
        store.refresh()
        assert store.get(records[0].id) == records[0]
        store.close()
        with sqlite3.connect(Path(tmp) / "iphub.db") as db:
            kinds = db.execute("SELECT DISTINCT typeof(body) FROM records").fetchall()
        assert kinds == [("text",)]


def test_stored_json_leaves_out_only_what_reads_back_the_same() -> None:
    """``body`` leaves None values out (a quarter of a CN record's JSON): every field that may
    be None must default to None, or a record would read back changed."""
    import types
    import typing

    from pydantic import BaseModel

    from iphub import records

    models = [
        m
        for m in vars(records).values()
        if isinstance(m, type) and issubclass(m, BaseModel) and m.__module__ == records.__name__
    ]
    assert records.Patent in models
    assert records.Party in models
    for model in models:
        for name, info in model.model_fields.items():
            annotation = info.annotation
            union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
            if union and type(None) in typing.get_args(annotation):
                assert info.default is None, f"{model.__name__}.{name}"
    for record in generate(20, 20):
        ready = PreparedRecord.of(record)
        assert not _has_none(json.loads(ready.body))
        assert PreparedRecord("", "", "", None, None, ready.body, b"").record() == record


def _has_none(value: object) -> bool:
    if isinstance(value, dict):
        return any(v is None or _has_none(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_none(v) for v in value)
    return False
