"""Merging two versions of one record (``ingest.merge``): nothing a version said is lost."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ingest.load import Options, ingest
from ingest.merge import merge
from iphub.records import Agency, LegalStatus, LocalizedText, Party
from iphub.store.embedded import EmbeddedStore
from tests.utils.factories import make_patent

FULL = make_patent(
    source="csv",
    abstract=LocalizedText(text="本发明公开了一种电池。"),
    agency=Agency(name="广州三环专利商标代理有限公司", agents=["张三", "李四"]),
    legal_status=LegalStatus.VALID,
)
THIN = make_patent(
    source="csv",
    title=LocalizedText(text="一种测试装置（更正）"),
    application_date=None,
    applicants=[],
)


def test_a_thinner_version_from_the_same_source_keeps_what_it_does_not_say() -> None:
    merged = merge(FULL, THIN)
    assert merged.title.text == "一种测试装置（更正）"  # what the newer version says wins
    assert merged.abstract == FULL.abstract  # what it leaves out is kept
    assert merged.application_date == FULL.application_date
    assert merged.applicants == FULL.applicants
    assert merged.agency == FULL.agency
    assert merged.legal_status is LegalStatus.VALID  # not back to "unknown"
    assert merged.sources == ["csv"]
    assert merge(merged, THIN) == merged  # idempotent


def test_a_newer_value_from_the_same_source_replaces_the_old_one() -> None:
    newer = make_patent(source="csv", legal_status=LegalStatus.INVALID)
    assert merge(FULL, newer).legal_status is LegalStatus.INVALID


def test_the_agency_with_more_agents_is_kept_whatever_the_order() -> None:
    fewer = make_patent(
        source="cnipa", agency=Agency(name="广州三环专利商标代理有限公司", agents=["张三"])
    )
    for old, new in ((FULL, fewer), (fewer, FULL)):
        merged = merge(old, new)
        assert merged.agency is not None
        assert merged.agency.agents == ["张三", "李四"]
        assert merge(merged, new) == merged  # a reload changes nothing


def test_of_two_lists_of_one_size_the_one_saying_more_is_kept() -> None:
    bare = make_patent(source="epo", applicants=[Party(name="广州测试有限公司")])
    placed = make_patent(
        source="cnipa",
        applicants=[Party(name="广州测试有限公司", address="广州市天河区", district="天河区")],
    )
    for old, new in ((bare, placed), (placed, bare)):
        assert merge(old, new).applicants == placed.applicants


def test_a_thin_duplicate_row_of_an_export_loses_nothing(tmp_path: Path) -> None:
    """Two rows of one CSV with the same number, the second mostly empty."""
    header = "公开（公告）号,申请号,申请日,名称,摘要,申请（专利权）人,代理机构\n"
    full = "CN114123456A,CN202110123456.7,2021-03-01,一种电池,本发明公开了一种电池。,广州电池有限公司,广州三环专利商标代理有限公司\n"  # noqa: E501
    thin = "CN114123456A,CN202110123456.7,,一种电池,,,\n"
    path = tmp_path / "export.csv"
    path.write_text(header + full + thin, encoding="utf-8")
    store = EmbeddedStore(tmp_path / "store" / "iphub.db")
    try:
        ingest(store, [path], Options(quarantine_dir=tmp_path / "q"))
        record = store.get("CN114123456A")
    finally:
        store.close()
    assert record is not None
    assert record.record_type == "patent"
    assert record.abstract is not None
    assert record.abstract.text == "本发明公开了一种电池。"
    assert [a.name for a in record.applicants] == ["广州电池有限公司"]
    assert record.application_date == dt.date(2021, 3, 1)
    assert record.agency is not None
