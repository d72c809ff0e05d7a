"""Every field code the query language offers has a label in the page's messages, in Chinese and
in English: the syntax help lists the codes of ``/api/v1/query-language`` and showed
``codes.fam`` where a label was missing."""

from __future__ import annotations

import re
from pathlib import Path

from iphub.query import QUERY_CODES
from iphub.store.fields import FIELDS

MESSAGES = Path(__file__).resolve().parents[2] / "frontend" / "src" / "messages.js"
_BLOCK = re.compile(r"\n    codes: \{(.*?)\n    \},", re.DOTALL)
_KEY = re.compile(r"(?:^|[\s,])([a-z]+):\s*'")


def test_every_field_code_has_a_label_in_both_languages() -> None:
    blocks = _BLOCK.findall(MESSAGES.read_text(encoding="utf-8"))
    assert len(blocks) == 2, "messages.js: one `codes` block for zh and one for en"
    codes = {code for fields in FIELDS.values() for code in fields if code} | QUERY_CODES
    for block in blocks:
        labelled = set(_KEY.findall(block))
        assert codes <= labelled, f"no label for {sorted(codes - labelled)}"


_MARK_TYPES = re.compile(r"\n      mark_type: \{(.*?)\},", re.DOTALL)
_MARK_KEY = re.compile(r"(?:^|[\s,{])'?([a-z0-9]+)'?:\s*'")


def test_every_mark_type_the_parsers_give_has_a_label_in_both_languages() -> None:
    """A record page shows a trademark's type by its label: an ST.96 category the parsers type
    (hologram, olfactory …) showed as its bare key where the page had none."""
    from ingest.parsers import st96, uspto_tm

    given = set(st96._FEATURES.values()) | {kind for _, kind in st96._CATEGORY_WORDS}
    given |= set(uspto_tm._DRAWING.values())
    blocks = _MARK_TYPES.findall(MESSAGES.read_text(encoding="utf-8"))
    assert len(blocks) == 2, "messages.js: one `mark_type` block for zh and one for en"
    for block in blocks:
        labelled = set(_MARK_KEY.findall(block))
        assert given <= labelled, f"no label for {sorted(given - labelled)}"


_RELATIONS = re.compile(r"\n      relation: \{(.*?)\n      \},", re.DOTALL)
_RELATION_KEY = re.compile(r"(?:^|[\s,{])'?([a-z-]+)'?:\s*'")


def test_every_relation_the_parsers_name_has_a_label_in_both_languages() -> None:
    """A record page shows a related document under its relation's label: the grant's
    publication an export names (授权公告号) showed its bare key where the page had none. The
    ST.36 parsers name theirs by the offices' element names; the export parser its own."""
    from ingest.parsers.mapped import GRANT_PUBLICATION

    given = {GRANT_PUBLICATION, "related-publication", "division", "continuation"}
    blocks = _RELATIONS.findall(MESSAGES.read_text(encoding="utf-8"))
    assert len(blocks) == 2, "messages.js: one `relation` block for zh and one for en"
    for block in blocks:
        labelled = set(_RELATION_KEY.findall(block))
        assert given <= labelled, f"no label for {sorted(given - labelled)}"
