"""Loading real USPTO full-text documents: parse-only against end to end, one and two workers.

    python -m bench.ingest_real_uspto --copies 400

The synthetic weekly file of ``bench.ingest_formats`` has short documents (≈3.4 KB, three
claims, no citations); a real grant is 20–280 KB with dozens of claims and citations, and its
costs fall elsewhere. This bench writes a weekly file of the grants and applications of
``../shared/data/uspto`` (five documents of the 2004–2014 DTD versions), ``--copies`` times
over, each copy under a publication number of its own (so that every document is a record of
its own, not a merge), to ``--dir`` (default ``var/bench``), then measures it as
``bench.ingest_formats`` does, each measurement in a fresh subprocess: the parser alone (in
the loading process, as ``_parse_only``) and the CLI's load into a fresh embedded store,
enrichment on, with one process and with two workers.
"""

from __future__ import annotations

import argparse
import re
import shutil
import tempfile
from pathlib import Path

from bench.ingest_formats import ROOT, run_child

SAMPLES = ROOT.parent / "shared" / "data" / "uspto"
_PUBLICATION = re.compile(
    rb"(<publication-reference>\s*<document-id>\s*<country>US</country>\s*<doc-number>)"
    rb"[^<]+(</doc-number>)"
)


def write(copies: int, path: Path) -> int:
    """The weekly file of ``copies`` copies of the samples; the number of documents."""
    samples = sorted(SAMPLES.glob("US*.xml"))
    if not samples:
        raise SystemExit(f"no samples in {SAMPLES} (../shared/data beside the repository)")
    docs = [p.read_bytes().rstrip() for p in samples]
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("wb") as out:
        for _ in range(copies):
            for doc in docs:
                n += 1
                application = b"<us-patent-application" in doc[:1000]
                number = b"2099%07d" % n if application else b"%08d" % (20_000_000 + n)
                renumbered, found = _PUBLICATION.subn(
                    lambda m, number=number: m[1] + number + m[2], doc, count=1
                )
                if found != 1:
                    raise SystemExit("a sample without a publication-reference")
                out.write(renumbered + b"\n")
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--copies", type=int, default=400)
    ap.add_argument("--dir", type=Path, default=ROOT / "var" / "bench")
    ap.add_argument("--interval", type=float, default=0.2, help="seconds between RSS samples")
    args = ap.parse_args()
    path = args.dir / f"uspto-real-{args.copies}.xml"
    documents = write(args.copies, path)
    print(f"{path}: {documents:,} documents, {path.stat().st_size / 2**20:,.0f} MB")
    print("| run | records/s | records/CPU-s | first batch s | steady records/s | RSS tree MB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for workers in (0, 1, 2):
        work = Path(tempfile.mkdtemp())
        try:
            spec = {"path": str(path), "format": "uspto", "workers": workers, "work": str(work)}
            r = run_child(spec, args.interval)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        if r["records"] != documents or r["quarantined"]:
            raise SystemExit(f"{r['records']} records, {r['quarantined']} quarantined: {r}")
        name = "parse only" if workers == 0 else f"end to end, workers={workers}"
        first = f"{r['first_seconds']:.2f}" if workers else ""
        steady = f"{r['steady_rate']:,.0f}" if workers else ""
        print(
            f"| {name} | {r['rate']:,.0f} | {r['records_per_cpu_s']:,.0f} | {first} | {steady} "
            f"| {r['rss_tree_mb']:,.0f} |"
        )


if __name__ == "__main__":
    main()
