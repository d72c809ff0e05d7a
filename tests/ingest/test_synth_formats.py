"""The synthetic bench files (``bench.synth_formats``) stay in step with the parsers they feed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.synth_formats import GENERATORS, NOT_SYNTHESISED, TRADEMARK_FORMATS, generate
from ingest import formats
from ingest.parsers.base import Quarantined
from iphub.records import AnyRecord, Patent, Trademark

N = 30
FIRST_ID = {
    "uspto": "US9000000B2",
    "epo": "CN116000000A",
    "cnipa": "CN115000000A",
    "st96": "CN-TM-50000000",
    "uspto-tm": "US-TM-90000000",
    "cn-json": "CN117000000A",
    "csv": "CN114000000A",
    "jsonl": "CN114000000A",
    "json": "CN114000000A",
    "xlsx": "CN114000000A",
}


def _parse(path: Path, fmt: str) -> list[AnyRecord | Quarantined]:
    with path.open("rb") as f:
        return list(formats.parser(fmt)(f, 0))


def test_every_format_has_a_generator() -> None:
    """Or a reason it has none (.xls: no maintained writer)."""
    assert set(GENERATORS) == set(FIRST_ID) == set(formats.FORMATS) - set(NOT_SYNTHESISED)


@pytest.mark.parametrize("fmt", list(GENERATORS))
def test_generated_file_parses_cleanly(fmt: str, tmp_path: Path) -> None:
    path = generate(fmt, tmp_path, N)
    assert formats.sniff(path.read_bytes()[: formats.SNIFF_BYTES], path.name) == fmt
    items = _parse(path, fmt)
    assert [i for i in items if isinstance(i, Quarantined)] == []
    kind = Trademark if fmt in TRADEMARK_FORMATS else Patent
    records = [i for i in items if isinstance(i, kind)]
    assert len(records) == len(items) == N
    assert records[0].id == FIRST_ID[fmt]
    assert len({r.id for r in records}) == N
    applicants = [a.name for r in records for a in r.applicants]
    assert len(applicants) >= N
    assert len(set(applicants)) < N  # a small pool: names repeat, as caches see them
    for r in records:
        if isinstance(r, Patent):
            assert r.title.text
            assert r.abstract is not None
            assert r.abstract.text
        else:
            assert isinstance(r, Trademark)
            assert r.mark_text
            assert r.goods_services
            assert r.nice_classes


def test_epo_documents_have_chinese_and_english_texts(tmp_path: Path) -> None:
    patent = _parse(generate("epo", tmp_path, 3), "epo")[0]
    assert isinstance(patent, Patent)
    assert patent.title.lang == "zh"
    assert patent.title.text.startswith("一种")
    assert [t.lang for t in patent.titles] == ["en"]
    assert patent.abstract is not None
    assert patent.abstract.text.startswith("本发明公开了")
    assert patent.applicants[0].country == "CN"


def test_english_only_epo_variant(tmp_path: Path) -> None:
    """``epo-en``: the documents of ``epo`` as most DOCDB countries carry them, in English."""
    from bench.synth_formats import format_of

    assert format_of("epo-en") == "epo"
    both = _parse(generate("epo", tmp_path / "both", N), "epo")
    english = _parse(generate("epo-en", tmp_path / "en", N), "epo")
    assert len(english) == N
    for zh_en, en in zip(both, english, strict=True):
        assert isinstance(zh_en, Patent)
        assert isinstance(en, Patent)
        assert en.id == zh_en.id
        assert (en.title, en.titles) == (zh_en.titles[0], [])
        assert (en.abstract, en.abstracts) == (zh_en.abstracts[0], [])
        assert [a.name.isascii() for a in en.applicants] == [True] * len(zh_en.applicants)
        assert [a.country for a in en.applicants] == [a.country for a in zh_en.applicants]


@pytest.mark.parametrize("fmt", ["cnipa", "st96"])
def test_generation_is_deterministic(fmt: str, tmp_path: Path) -> None:
    first = generate(fmt, tmp_path / "a", N).read_bytes()
    assert generate(fmt, tmp_path / "b", N).read_bytes() == first


def test_spreadsheet_with_and_without_its_dimension_element(tmp_path: Path) -> None:
    """The xlsx bench file carries ``<dimension>`` as Excel writes it; the variant leaves it out
    as openpyxl's write-only mode does: the same rows either way."""
    import zipfile

    from bench.synth_formats import VARIANTS, format_of

    assert format_of("xlsx-no-dimension") == "xlsx"
    assert "xlsx-no-dimension" in VARIANTS
    sheets = {}
    for name in ("xlsx", "xlsx-no-dimension"):
        path = generate(name, tmp_path, N)
        sheets[name] = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
        assert _parse(path, "xlsx") == _parse(generate("xlsx", tmp_path / "again", N), "xlsx")
    assert b'<dimension ref="A1:' in sheets["xlsx"]
    assert b"<dimension" not in sheets["xlsx-no-dimension"]
