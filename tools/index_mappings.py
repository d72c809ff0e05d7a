"""Write ``index_mappings/{patents,trademarks,copyrights}.json`` from their shared parts.

Every kind's index holds the same flat document (``iphub.store.fields.index_document``), so the
three mappings share one body, ``index_mappings/parts/record.json``; each adds only its ``_meta``
(version, kind, description) from ``index_mappings/parts/kinds.json``. The generated files are
complete index bodies, usable as they are (``PUT <index>`` with the file). Edit the parts, then
run ``python tools/index_mappings.py``; ``--check`` (run by the tests) fails when a generated
file differs from what the parts give.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

MAPPINGS = Path(__file__).resolve().parents[1] / "index_mappings"
_ANCHOR = '  "mappings": {\n'


def generated() -> dict[Path, str]:
    """Each kind's mapping file and the text it must hold."""
    base = (MAPPINGS / "parts" / "record.json").read_text(encoding="utf-8")
    kinds = json.loads((MAPPINGS / "parts" / "kinds.json").read_text(encoding="utf-8"))
    head, anchor, tail = base.partition(_ANCHOR)
    if not anchor:
        raise SystemExit(f"parts/record.json: no line {_ANCHOR.strip()!r} to put _meta after")
    return {
        MAPPINGS / f"{name}.json": (
            f'{head}{anchor}    "_meta": {json.dumps(meta, ensure_ascii=False)},\n{tail}'
        )
        for name, meta in kinds.items()
    }


def main(argv: list[str]) -> int:
    stale = [p for p, text in generated().items() if not p.exists() or p.read_text("utf-8") != text]
    if "--check" in argv:
        for path in stale:
            print(f"{path.name} differs from index_mappings/parts: run tools/index_mappings.py")  # noqa: T201
        return 1 if stale else 0
    for path in stale:
        path.write_text(generated()[path], encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
