"""Deliveries of one document per file (CNIPA's shape): a folder, a zip and a tar.gz of them.

    python -m bench.many_files --files 20000
    python -m bench.many_files --files 2000 --shapes zip --workers 2 --dir /tmp/many

Writes ``--files`` one-document CNIPA XML files (``bench.synth_formats``, the records of the
CNIPA bench file) under ``--dir``, and the same as a zip and a tar.gz, once (reused when
present). Then loads each shape with ``ingest.load.ingest`` into a fresh embedded store,
enrichment on, in this process, and reports records/s, the seconds per file and the store's
commits. The per-file costs this measures: the source walk, a checkpoint per file, opening each
member, and the commits (one per ``commit_every`` records of the run, not one per file).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tarfile
import time
import zipfile
from pathlib import Path

from bench.synth_formats import _cnipa_document
from ingest.load import Options, ingest
from iphub.store.embedded import EmbeddedStore
from nlp.enrich import enrich

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def write(directory: Path, n: int) -> dict[str, Path]:
    """The three shapes of ``n`` one-document files under ``directory``."""
    folder, packed, tgz = directory / "files", directory / "files.zip", directory / "files.tar.gz"
    if not (folder.is_dir() and len(list(folder.iterdir())) == n and tgz.exists()):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        rng = random.Random(11)
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as zf:
            for i in range(n):
                text = HEAD + _cnipa_document(rng, i)
                (folder / f"CN{i:07d}.xml").write_text(text, encoding="utf-8")
                zf.writestr(f"CN{i:07d}/CN{i:07d}.xml", text)
        with tarfile.open(tgz, "w:gz") as tf:
            tf.add(folder, arcname="files")
    return {"folder": folder, "zip": packed, "tar.gz": tgz}


def run(path: Path, work: Path, workers: int) -> dict[str, object]:
    shutil.rmtree(work, ignore_errors=True)
    store = EmbeddedStore(work / "iphub.db")
    try:
        options = Options(workers=workers, quarantine_dir=work / "q", enrich=enrich)
        started = time.perf_counter()
        summary = ingest(store, [path], options)
        seconds = time.perf_counter() - started
        loaded = summary.total("loaded")
        return {
            "files": len(summary.files),
            "loaded": loaded,
            "seconds": round(seconds, 2),
            "records_per_s": round(loaded / seconds),
            "ms_per_file": round(seconds / max(len(summary.files), 1) * 1000, 2),
            "commits": store._generation,
        }
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--dir", type=Path, default=Path("var/bench/many-files"))
    parser.add_argument("--shapes", default="folder,zip,tar.gz")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    shapes = write(args.dir / str(args.files), args.files)
    results = {}
    for shape in args.shapes.split(","):
        results[shape] = run(shapes[shape], args.dir / "work", args.workers)
        print(shape, json.dumps(results[shape]), flush=True)
    print("| shape | files | records/s | ms per file | commits |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for shape, r in results.items():
        print(
            f"| {shape} | {r['files']:,} | {r['records_per_s']:,} | {r['ms_per_file']} "
            f"| {r['commits']} |"
        )


if __name__ == "__main__":
    main()
