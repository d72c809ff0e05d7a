"""Where a record's CPU goes in a load, step by step, and what working a chunk at a time saves.

    python -m bench.ingest_steps FILE --format epo [--records 10000]

FILE is a bench file of that format (``bench.ingest_formats`` writes them under
``DIR/input/``). One process, CPU time, best of ``--repeat`` runs:

- ``cut``: per record, ``split`` of the first ``--records`` records of the file (in a load,
  the loading process's work);
- ``steps``: per record, parsing (``parse_document`` of the fragments ``split`` cut), enrichment
  (``nlp.enrich``) and preparing (``PreparedRecord.of``: stored JSON, segmentation, index JSON),
  each over chunks of ``ingest.workers.CHUNK`` records;
- ``each record through all steps`` against ``one step at a time``: ``workers.prepare`` of the
  parsing fragments (a generator, as a load gives it) with chunks of one item and of ``CHUNK``;
- ``write``: per record, the loading process's other share: ``EmbeddedStore.upsert`` of the
  prepared records (as they arrive from a worker: pickled and back) in batches of
  ``--batch-size``, each after the ``get_many`` the loader does for versions to merge, into a
  fresh store in a temporary folder, and ``close``; the CPU of every thread of the process
  (tantivy indexes and merges in threads of its own).

The files ``bench.synth_formats`` writes have short records; for a format's real documents,
concatenate samples:
``for i in $(seq 40); do cat ../shared/data/uspto/*.xml; done > /tmp/uspto-real.xml``.
"""

from __future__ import annotations

import argparse
import gc
import pickle
import tempfile
import time
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from ingest import formats, workers
from iphub.store.embedded import EmbeddedStore
from iphub.store.prepared import PreparedRecord
from nlp.enrich import enrich


def _best(run: Callable[[], None], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        run()
        best = min(best, time.process_time() - started)
    return best


def _received(sent: list[bytes]) -> list[PreparedRecord]:
    """Prepared records as the loading process gets them from a worker (this bench's own)."""
    return [pickle.loads(b) for b in sent]  # noqa: S301


def _write(prepared: list[PreparedRecord], batch_size: int) -> None:
    with tempfile.TemporaryDirectory(prefix="iphub-steps-") as folder:
        store = EmbeddedStore(Path(folder) / "iphub.db")
        store.begin_batch("bench")
        for i in range(0, len(prepared), batch_size):
            batch = prepared[i : i + batch_size]
            store.get_many([r.id for r in batch])  # the loader's look for versions to merge
            store.upsert(batch)
        store.close()


def measure(
    path: Path, fmt: str, records: int, repeat: int, batch_size: int = 500
) -> dict[str, float]:
    module = formats.module(fmt)
    options = formats.options(fmt, None)

    def cut() -> None:
        with path.open("rb") as stream:
            for _ in islice(module.split(stream, 0, **options), records):
                pass

    with path.open("rb") as stream:
        fragments = list(islice(module.split(stream, 0, **options), records))
    n = len(fragments)
    chunks = [fragments[i : i + workers.CHUNK] for i in range(0, n, workers.CHUNK)]

    def parsing(chunk: list[Any]) -> Iterator[Any]:
        return (i for p, d in chunk for i in module.parse_document(p, d, **options))

    def parsed(chunk: list[Any]) -> list[Any]:
        return list(parsing(chunk))

    items = [parsed(c) for c in chunks]  # also warms the tables up
    enriched = [[workers._tagged(i, enrich, "bench") for i in c] for c in items]
    for record in enriched[0]:
        PreparedRecord.of(record, False)
    sent = [pickle.dumps(PreparedRecord.of(r, False)) for c in enriched for r in c]

    def whole(size: int) -> None:
        saved = workers.CHUNK
        workers.CHUNK = size
        try:
            for c in chunks:
                list(workers.prepare(parsing(c), enrich, "bench", keep=False))
        finally:
            workers.CHUNK = saved

    previous = gc.get_threshold()
    gc.set_threshold(*workers.GC_THRESHOLDS)
    try:
        steps = {
            "cut": _best(cut, repeat),
            "parse": _best(lambda: [parsed(c) for c in chunks], repeat),
            "enrich": _best(
                lambda: [[workers._enrich(r, enrich) for r in c] for c in items], repeat
            ),
            "prepare": _best(
                lambda: [[PreparedRecord.of(r, False) for r in c] for c in enriched], repeat
            ),
            "each record through all steps": _best(lambda: whole(1), repeat),
            "one step at a time": _best(lambda: whole(workers.CHUNK), repeat),
            "write": _best(lambda: _write(_received(sent), batch_size), repeat),
        }
    finally:
        gc.set_threshold(*previous)
    return {name: seconds / n * 1e6 for name, seconds in steps.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--format", required=True, choices=sorted(formats.FORMATS))
    ap.add_argument("--records", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=500)
    args = ap.parse_args()
    result = measure(args.file, args.format, args.records, args.repeat, args.batch_size)
    print(f"{args.format}: CPU µs a record, best of {args.repeat}")
    for name, micros in result.items():
        print(f"  {name:32} {micros:7.1f}")


if __name__ == "__main__":
    main()
