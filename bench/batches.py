"""Records written to a store as one ingest batch, as a load writes them: for the benches."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

from iphub.records import AnyRecord
from iphub.store.base import Store

PAGE = 5000  # records an upsert


def write_batch(store: Store, records: Iterable[AnyRecord], source: str = "bench") -> str:
    """``records`` streamed into ``store`` as a new batch of ``source``, ``PAGE`` at a time,
    then committed and finished; its id."""
    batch = store.begin_batch(source)
    stream, written = iter(records), 0
    while page := list(islice(stream, PAGE)):
        for record in page:
            record.batch_id = batch
        store.upsert(page)
        written += len(page)
    store.refresh()
    store.finish_batch(batch, written)
    return batch
