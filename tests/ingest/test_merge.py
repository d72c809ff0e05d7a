"""Merging two versions of one record (``ingest.merge``): nothing a version said is lost."""

from __future__ import annotations

import datetime as dt
import json
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


def test_a_source_corrects_what_it_gave_to_a_record_of_two_sources() -> None:
    """A corrected delivery's shorter abstract replaces the longer one that same source gave
    before, where another source's value competes by richness only."""
    docdb = make_patent(
        source="epo",
        title=LocalizedText(text="一种测试装置及其制造方法"),
        abstract=LocalizedText(text="短摘要。"),
    )
    first = make_patent(source="csv", abstract=LocalizedText(text="本发明公开了一种电池，很长。"))
    corrected = make_patent(source="csv", abstract=LocalizedText(text="本发明公开一种电池。"))
    joined = merge(docdb, first)
    assert joined.abstract == first.abstract  # richer than DOCDB's
    assert joined.provenance is not None
    assert joined.provenance["abstract.zh"] == "csv"  # the Chinese abstract
    fixed = merge(joined, corrected)
    assert fixed.abstract == corrected.abstract  # csv's own value, corrected by csv
    assert fixed.sources == ["epo", "csv"]
    assert merge(fixed, corrected) == fixed  # idempotent
    # DOCDB's value stays where it is the richer, and DOCDB's own reload changes nothing
    assert merge(fixed, docdb).abstract == corrected.abstract
    # a value the first source gave is that source's to correct, not the other's
    thinner = make_patent(source="epo", title=LocalizedText(text="短"))
    assert merge(fixed, thinner).title == LocalizedText(text="短")
    assert merge(joined, make_patent(source="csv", title=LocalizedText(text="短"))).title == (
        docdb.title  # csv cannot shorten what epo gave
    )


def _row(n: int, abstract: str) -> dict[str, str]:
    from iphub.numbers import cn_check_digit

    application = f"2021100000{n:02d}"
    return {
        "公开（公告）号": f"CN1140000{n:02d}A",
        "申请号": f"CN{application}.{cn_check_digit(application)}",
        "申请日": "2021-03-01",
        "名称": f"一种电池{n}",
        "摘要": abstract,
        "申请（专利权）人": "广州电池有限公司",
    }


def test_versions_read_in_one_batch_merge_as_if_written_one_by_one(tmp_path: Path) -> None:
    """Each number twice in a row of an export (a first and a corrected version) onto records
    of another source: the stored records do not depend on where batches end."""
    numbers = range(1, 8)
    other = tmp_path / "other.jsonl"
    other.write_text(
        "".join(
            json.dumps(_row(n, "较长的一段摘要文字。"), ensure_ascii=False) + "\n" for n in numbers
        ),
        encoding="utf-8",
    )
    # the first version is richer than the other source's, the correction is not: csv gave the
    # value, so csv's correction stands
    rows = [_row(n, ab) for n in numbers for ab in ("第一版的摘要，非常长的一段文字。", "更正。")]
    export = tmp_path / "export.csv"
    export.write_text(
        ",".join(rows[0]) + "\n" + "".join(",".join(r.values()) + "\n" for r in rows),
        encoding="utf-8",
    )
    ids = [f"CN1140000{n:02d}A" for n in numbers]
    results = []
    for size in (1, 3, 500):
        store = EmbeddedStore(tmp_path / f"store-{size}" / "iphub.db")
        try:
            options = Options(quarantine_dir=tmp_path / f"q-{size}", batch_size=size)
            summary = ingest(store, [other, export], options)
            assert summary.total("quarantined") == 0
            held = store.get_many(ids)
            results.append({rid: (r.abstract, r.sources) for rid, r in held.items()})
        finally:
            store.close()
    assert len(results[0]) == len(ids)
    assert results[0] == results[1] == results[2]
    for abstract, sources in results[0].values():
        assert abstract is not None
        assert abstract.text == "更正。"
        assert sources == ["jsonl", "csv"]


def test_texts_in_two_languages_from_two_sources_are_both_kept() -> None:
    """DOCDB's English title of a CN publication is longer than the export's Chinese one: it
    used to replace it, and the record was no longer found by a Chinese word. Each language is
    kept, Chinese shown first, in either order, and each source corrects its own language."""
    english = make_patent(
        source="epo",
        title=LocalizedText(text="Lithium battery positive electrode material", lang="en"),
        abstract=LocalizedText(text="A positive electrode material for a battery.", lang="en"),
    )
    chinese = make_patent(
        source="cn-json",
        title=LocalizedText(text="一种锂电池正极材料"),
        abstract=LocalizedText(text="本发明公开了一种正极材料。"),
    )
    for old, new in ((english, chinese), (chinese, english)):
        merged = merge(old, new)
        assert merged.title == chinese.title
        assert merged.titles == [english.title]
        assert merged.abstract == chinese.abstract
        assert merged.abstracts == [english.abstract]
        assert merge(merged, new) == merged  # idempotent
        assert merge(merged, old) == merged  # the first source's reload changes nothing
    merged = merge(english, chinese)
    assert merged.provenance is not None
    assert merged.provenance["title.zh"] == "cn-json"
    assert "title.en" not in merged.provenance  # epo's, the record's own source
    corrected = make_patent(
        source="epo", title=LocalizedText(text="Positive electrode", lang="en")
    )  # shorter, but epo's to correct
    fixed = merge(merged, corrected)
    assert fixed.title == chinese.title
    assert fixed.titles == [corrected.title]


def test_an_export_title_in_english_is_one_title_with_the_offices_english_one() -> None:
    """An export names no language: its English title is English (by its script), so it merges
    with the USPTO's rather than standing beside it as a second, "Chinese" title — also for a
    record stored when export texts were all labelled Chinese."""
    office = make_patent(source="uspto", title=LocalizedText(text="Battery housing", lang="en"))
    stored = make_patent(source="csv", title=LocalizedText(text="Battery housing", lang="zh"))
    for old, new in ((office, stored), (stored, office)):
        merged = merge(old, new)
        assert merged.title.text == "Battery housing"
        assert merged.title.lang == "en"
        assert merged.titles == []


_DOCDB_ENGLISH = """<?xml version="1.0" encoding="UTF-8"?>
<exchange-documents xmlns="http://www.epo.org/exchange">
<exchange-document country="CN" doc-number="114123456" kind="A" family-id="70000001">
<bibliographic-data>
<publication-reference><document-id document-id-type="docdb"><country>CN</country><doc-number>114123456</doc-number><kind>A</kind><date>20220301</date></document-id></publication-reference>
<application-reference><document-id document-id-type="docdb"><country>CN</country><doc-number>202110123456</doc-number><kind>A</kind><date>20210201</date></document-id></application-reference>
<invention-title lang="en">Graphene lithium battery positive electrode material and preparation method</invention-title>
</bibliographic-data>
<abstract lang="en"><p>The invention discloses a graphene positive electrode material for lithium batteries and a method of preparing it.</p></abstract>
</exchange-document>
</exchange-documents>
"""  # noqa: E501


def test_a_chinese_export_and_an_english_docdb_record_are_found_by_words_of_both(
    tmp_path: Path,
) -> None:
    """The same CN publication from an English-only DOCDB file and a Chinese export, loaded in
    either order: one record, found by a Chinese title word and by an English one."""
    from iphub.numbers import cn_check_digit
    from iphub.search import search

    docdb = tmp_path / "docdb.xml"
    docdb.write_text(_DOCDB_ENGLISH, encoding="utf-8")
    export = tmp_path / "export.csv"
    export.write_text(
        "公开（公告）号,申请号,申请日,名称,摘要\n"
        f"CN114123456A,CN202110123456.{cn_check_digit('202110123456')},2021-02-01,"
        "一种石墨烯锂电池正极材料,本发明公开了一种石墨烯正极材料。\n",
        encoding="utf-8",
    )
    for n, order in enumerate(([docdb, export], [export, docdb])):
        store = EmbeddedStore(tmp_path / f"store{n}" / "iphub.db")
        try:
            for path in order:
                ingest(store, [path], Options(quarantine_dir=tmp_path / "q"))
            record = store.get("CN114123456A")
            assert record is not None
            assert record.record_type == "patent"
            assert record.sources == [["epo", "csv"], ["csv", "epo"]][n]
            assert record.title.text == "一种石墨烯锂电池正极材料"
            assert [t.lang for t in record.titles] == ["en"]
            for query in ("ti=石墨烯", "ti=graphene", "ab=正极材料", "ab=preparing"):
                assert [h.id for h in search(store, "patent", query).hits] == ["CN114123456A"]
        finally:
            store.close()


def test_a_copyrights_title_is_merged_as_plain_text() -> None:
    """A copyright registration's title is one text (no other languages): merged as any
    field, by its source's newer word and by richness between sources."""
    from iphub.records import Copyright, CopyrightType

    def registration(source: str, title: str) -> Copyright:
        return Copyright(
            id="CN-SR-2016SR309930",
            source=source,
            copyright_type=CopyrightType.SOFTWARE,
            registration_number="2016SR309930",
            title=title,
        )

    first = registration("cn-json", "智能电池管理系统")
    assert merge(first, registration("cn-json", "智能电池管理软件")).title == "智能电池管理软件"
    other = merge(first, registration("csv", "智能电池管理系统V1.0"))
    assert other.title == "智能电池管理系统V1.0"  # the richer of two sources'
    assert other.sources == ["cn-json", "csv"]


def test_applicants_in_the_offices_writing_win_over_romanised_ones() -> None:
    """A CN publication's applicants as filed (广州电池有限公司, an export) and as DOCDB romanises
    them (GUANGZHOU BATTERY CO LTD): the longer romanised names won, so ``pa=`` in Chinese found
    the record no more and its Guangzhou district was lost. A US record keeps the richer list."""
    chinese = make_patent(source="cn-json", applicants=[Party(name="广州电池有限公司")])
    latin = make_patent(source="epo", applicants=[Party(name="GUANGZHOU BATTERY CO LTD")])
    for merged in (merge(chinese, latin), merge(latin, chinese)):
        assert [p.name for p in merged.applicants] == ["广州电池有限公司"]
    us = {"jurisdiction": "US", "id": "US9000001B2", "publication_number": "US9000001B2"}
    a = make_patent(source="uspto", applicants=[Party(name="广州电池")], **us)
    b = make_patent(source="epo", applicants=[Party(name="GUANGZHOU BATTERY CO LTD")], **us)
    assert [p.name for p in merge(a, b).applicants] == ["GUANGZHOU BATTERY CO LTD"]


def test_of_two_statuses_from_two_sources_the_newer_wins_not_the_longer_word() -> None:
    """Two exports of one patent, pending then valid: the statuses tie on what they say, and
    the tie went to the longer word ("pending", "invalid" over "valid") whatever the order."""
    pending = make_patent(source="csv", legal_status=LegalStatus.PENDING)
    valid = make_patent(source="xlsx", legal_status=LegalStatus.VALID)
    assert merge(pending, valid).legal_status is LegalStatus.VALID
    assert merge(valid, pending).legal_status is LegalStatus.PENDING
