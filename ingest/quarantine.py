"""The quarantine file of an ingest batch: ``var/quarantine/<batch>.jsonl``, one bad record a line.

Each line holds the file (``archive.zip!member`` for archive members), the position in it, the
reason, the raw fragment (truncated to 2,000 characters) and the time. The file is opened on the
first bad record only, and flushed per line so a killed run keeps what it found. The records'
reasons are counted by kind (the reason without the record's own values) for the run's summary.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from ingest.parsers.base import RAW_LIMIT, Quarantined

#: distinct kinds of reason counted; more are counted under :data:`OTHER`
KINDS = 1000
OTHER = "其他原因 / other reasons"
# where a reason's own values begin: a quoted or numbered value, a line, a parenthesis
_VALUES = re.compile(r""":\s*['"(<\[{]|\s+line \d|\s\(expected|\s+for\s+\S*\d""")


def reason_kind(reason: str) -> str:
    """``reason`` without the values of the one record (``unrecognised publication number:
    'CN1…'`` → ``unrecognised publication number``), so that reasons are counted by kind."""
    first = reason.split("\n", 1)[0]  # pydantic's: one line a field after the first
    m = _VALUES.search(first)
    kind = first[: m.start()] if m else first
    return kind.strip().rstrip(",:")[:160]


def count(reasons: Counter[str], reason: str) -> None:
    """Count ``reason`` by its kind; past :data:`KINDS` kinds, a new one as :data:`OTHER`."""
    kind = reason_kind(reason)
    reasons[kind if kind in reasons or len(reasons) < KINDS else OTHER] += 1


class QuarantineFile:
    def __init__(self, directory: Path, batch_id: str) -> None:
        self.path = directory / f"{batch_id}.jsonl"
        self._f: IO[str] | None = None
        self.count = 0
        #: the records' reasons by kind (:func:`reason_kind`; files refused whole left out)
        self.reasons: Counter[str] = Counter()

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
        if item.position != "file":
            count(self.reasons, item.reason)

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


@dataclass
class Tally:
    """A quarantine file counted: its records by kind of reason and by file, and the files
    refused whole with their reasons."""

    records: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    files: Counter[str] = field(default_factory=Counter)
    refused: dict[str, str] = field(default_factory=dict)


def tally(path: Path) -> Tally:
    """The counts of a quarantine file, read a line at a time (it may hold millions)."""
    out = Tally()
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            entry = json.loads(line)
            if entry.get("position") == "file":
                out.refused[str(entry.get("file"))] = str(entry.get("reason"))
                continue
            out.records += 1
            count(out.reasons, str(entry.get("reason", "")))
            out.files[str(entry.get("file"))] += 1
    return out
