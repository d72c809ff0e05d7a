"""Crawl failures in the ingest quarantine file: ``<dir>/<batch>.jsonl``, one failure a line.

The line shape is the bulk loaders' (``file``, ``position``, ``reason``, ``raw``, ``at``) with the
page URL as the file, so one reader serves both. The file opens on the first failure and is
flushed per line, so a killed crawl keeps what it found.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import IO

RAW_LIMIT = 2000  # characters of a failed page kept, as in the bulk loaders' quarantine


class Quarantine:
    def __init__(self, directory: Path, batch_id: str) -> None:
        self.path = directory / f"{batch_id}.jsonl"
        self._f: IO[str] | None = None
        self.count = 0

    def write(self, url: str, reason: str, raw: str = "", position: str = "page") -> None:
        if self._f is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._f = self.path.open("a", encoding="utf-8")
        line = {
            "file": url,
            "position": position,
            "reason": reason,
            "raw": raw[:RAW_LIMIT],
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        self._f.write(json.dumps(line, ensure_ascii=False) + "\n")
        self._f.flush()
        self.count += 1

    def close(self) -> None:
        if self._f is not None:
            self._f.close()
            self._f = None
