"""The quarantine file of an ingest batch: ``var/quarantine/<batch>.jsonl``, one bad record a line.

Each line holds the file (``archive.zip!member`` for archive members), the position in it, the
reason, the raw fragment (truncated to 2,000 characters) and the time. The file is opened on the
first bad record only, and flushed per line so a killed run keeps what it found.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import IO

from ingest.parsers.base import RAW_LIMIT, Quarantined


class QuarantineFile:
    def __init__(self, directory: Path, batch_id: str) -> None:
        self.path = directory / f"{batch_id}.jsonl"
        self._f: IO[str] | None = None
        self.count = 0

    def write(self, file: str, item: Quarantined) -> None:
        if self._f is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._f = self.path.open("a", encoding="utf-8")
        line = {
            "file": file,
            "position": item.position,
            "reason": item.reason,
            "raw": item.raw[:RAW_LIMIT],
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        self._f.write(json.dumps(line, ensure_ascii=False) + "\n")
        self._f.flush()
        self.count += 1

    def close(self) -> None:
        if self._f is not None:
            self._f.close()
            self._f = None


def read(path: Path) -> list[dict[str, str]]:
    """The entries of a quarantine file (for tests and the CLI)."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
