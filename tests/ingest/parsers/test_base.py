"""The shared XML helpers: ``text_of`` collapses whitespace exactly as the ``\\s+`` regex did."""

from __future__ import annotations

import re

import pytest

from ingest.parsers.base import safe_fromstring, text_of

CASES = [
    ("<t>  Lithium\n\tbattery  </t>", "Lithium battery"),
    ("<t>A<i> nested </i>title<!-- note -->\u00a0end\u3000</t>", "A nested title end"),
    ("<t><sub>2</sub>O\u2028x\u0085y</t>", "2O x y"),
    ("<t/>", ""),
    ("<t>\u200b零宽\u200b</t>", "\u200b零宽\u200b"),  # zero-width space is not whitespace
]


@pytest.mark.parametrize(("xml", "expected"), CASES)
def test_text_of_collapses_whitespace(xml: str, expected: str) -> None:
    elem = safe_fromstring(xml.encode())
    assert text_of(elem) == expected
    assert text_of(elem) == re.sub(r"\s+", " ", "".join(elem.itertext())).strip()


def test_text_of_none_is_empty() -> None:
    assert text_of(None) == ""
