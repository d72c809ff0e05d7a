"""The kind mappings in ``index_mappings/`` are what ``tools/index_mappings.py`` makes of their
shared parts, and differ only in their ``_meta``."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

from iphub.store.elastic_admin import mapping

ROOT = Path(__file__).resolve().parents[2]


def test_kind_mappings_are_generated_from_their_parts() -> None:
    done = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "tools" / "index_mappings.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout


def test_kind_mappings_share_everything_but_their_meta() -> None:
    bodies = {
        name: copy.deepcopy(mapping(name)) for name in ("patents", "trademarks", "copyrights")
    }
    metas = {name: body["mappings"].pop("_meta") for name, body in bodies.items()}
    assert bodies["patents"] == bodies["trademarks"] == bodies["copyrights"]
    assert {name: meta["kind"] for name, meta in metas.items()} == {
        "patents": "patent",
        "trademarks": "trademark",
        "copyrights": "copyright",
    }
    # 7: the unstemmed Latin words of the *_c fields (*_c_terms), which a Latin prefix expands
    # to; 8: the tokens of nlp.segment.TOKENS_VERSION 2 (Latin unaccented, other scripts kept);
    # 9: of TOKENS_VERSION 3 (Greek unaccented, 々 and 〇 as Chinese); 10: of 4 (Müller also
    # as mueller, a Korean pair across a space)
    assert all(meta["version"] == 10 for meta in metas.values())
