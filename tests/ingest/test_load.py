"""The bulk pipeline on an embedded store: samples load and are findable, bad input quarantined."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import pytest
from openpyxl import Workbook

from ingest.load import Options, ingest
from ingest.parsers import json_stream
from ingest.quarantine import read
from iphub.records import AnyRecord, Copyright, Patent, Trademark
from iphub.search import search
from iphub.store.base import SearchRequest, Store, UpsertReport
from iphub.store.embedded import EmbeddedStore
from iphub.store.plan import Terms
from iphub.store.prepared import PreparedRecord
from tests.ingest.conftest import FIXTURES, shared
from tests.utils.factories import make_patent

STOPWORDS = {"a", "an", "and", "the", "of", "for", "with", "in", "on", "or", "to", "based"}


def run(store: Store, tmp_path: Path, *paths: Path, **kw: object) -> object:
    options = Options(quarantine_dir=tmp_path / "quarantine", **kw)  # type: ignore[arg-type]
    return ingest(store, list(paths), options)


def title_query(title: str) -> str:
    """Up to three words of a title (of any alphabet: ``RÉSEAU`` as written), else the first
    characters of its Chinese."""
    words = [
        w for w in re.findall(r"[^\W\d_\u4e00-\u9fff]{4,}", title) if w.lower() not in STOPWORDS
    ]
    return " ".join(words[:3]) if words else re.findall(r"[\u4e00-\u9fff]+", title)[0][:6]


def test_every_sample_loads_and_is_findable(each_store: Store, tmp_path: Path) -> None:
    store = each_store
    summary = run(store, tmp_path, shared("uspto"), shared("cn-json"))
    assert summary.total("quarantined") == 0, read(summary.quarantine_file)  # type: ignore[attr-defined]
    assert summary.total("loaded") == 5 + 3 + 3 + 10 + 10  # type: ignore[attr-defined]
    assert (store.count("patent"), store.count("trademark"), store.count("copyright")) == (8, 3, 20)
    for record in store.scan("patent", _all()):
        assert isinstance(record, Patent)
        by_number = search(store, "patent", f"pn={record.publication_number}")
        assert [h.id for h in by_number.hits] == [record.id]
        by_title = search(store, "patent", title_query(record.title.text), size=50)
        assert record.id in [h.id for h in by_title.hits], record.title.text
    for record in store.scan("trademark", _all()):
        assert isinstance(record, Trademark)
        hits = search(store, "trademark", f"pn={record.application_number}").hits
        assert [h.id for h in hits] == [record.id]
        word = (record.mark_text or "").split()[0]
        assert record.id in [h.id for h in search(store, "trademark", f'tm="{word}"').hits]
    for record in store.scan("copyright", _all()):
        assert isinstance(record, Copyright)
        by_number = search(store, "copyright", record.registration_number)  # bare: a number
        assert [h.id for h in by_number.hits] == [record.id], record.registration_number
        by_title = search(store, "copyright", record.title, size=50)  # its words, all of them
        assert record.id in [h.id for h in by_title.hits], record.title
    software = store.get("CN-SC-2016SR309930")
    assert software is not None
    assert software.record_type == "copyright"
    (batch,) = store.batches()
    assert batch.id == summary.batch_id
    assert batch.records == 31
    files = json.loads(store.get_checkpoint(f"batch:{batch.id}") or "[]")
    assert len(files) == 9
    assert {f["format"] for f in files} == {"uspto", "cn-json"}


def _all() -> object:
    from iphub.store.plan import All

    return All()


def test_bad_records_quarantined_rest_loads(store: EmbeddedStore, tmp_path: Path) -> None:
    junk = tmp_path / "notes.bin"
    junk.write_bytes(b"\x00\x01binary junk")
    summary = run(store, tmp_path, FIXTURES / "uspto-weekly.xml", junk)
    assert store.get("US9000001B2") is not None
    assert store.get("US20050000003A1") is not None
    entries = read(summary.quarantine_file)  # type: ignore[attr-defined]
    assert [(Path(e["file"]).name, e["position"]) for e in entries] == [
        ("uspto-weekly.xml", "document 2 at byte 2859, line 22"),
        ("notes.bin", "file"),
    ]
    assert entries[0]["reason"].startswith("XML 格式错误 / malformed XML: ")
    assert "09000002" in entries[0]["raw"]
    assert entries[1]["reason"].startswith("不支持的格式 / unsupported format")
    weekly = summary.files[0]  # type: ignore[attr-defined]
    assert (weekly.read, weekly.loaded, weekly.quarantined) == (3, 2, 1)


def test_loading_twice_changes_nothing(store: EmbeddedStore, tmp_path: Path) -> None:
    run(store, tmp_path, shared("cn-json"))
    before = {r.id: r.model_dump(exclude={"batch_id"}) for r in store.scan("patent", _all())}
    again = run(store, tmp_path, shared("cn-json"))
    assert all(f.skipped for f in again.files)  # type: ignore[attr-defined]
    forced = run(store, tmp_path, shared("cn-json"), restart=True)
    assert forced.total("merged") == 0
    assert store.count() == 26
    after = {r.id: r.model_dump(exclude={"batch_id"}) for r in store.scan("patent", _all())}
    assert after == before


def _two_sources(tmp_path: Path) -> tuple[Path, Path]:
    rich = tmp_path / "rich.json"
    rich.write_text(
        json.dumps(
            [
                {
                    "ApplicationNumber": "CN201710117081.7",
                    "PublicationNumber": "CN106844774A",
                    "Title": "一种爬虫系统",
                    "Abstract": "一种基于C#抓取互联网公开数据的爬虫系统。",
                    "AssigneestringList": ["苏州朗动网络科技有限公司"],
                    "KindCodeDesc": "发明公布",
                }
            ]
        ),
        encoding="utf-8",
    )
    poor = tmp_path / "poor.csv"
    poor.write_text(
        "申请号,公开（公告）号,名称,申请日\nCN201710117081.7,CN106844774A,一种基于C#抓取互联网公开数据的爬虫系统及抓取方法,2017-03-01\n",
        encoding="utf-8",
    )
    return rich, poor


def test_same_publication_from_two_sources_merges(store: EmbeddedStore, tmp_path: Path) -> None:
    rich, poor = _two_sources(tmp_path)
    run(store, tmp_path, rich)
    summary = run(store, tmp_path, poor)
    assert summary.total("merged") == 1  # type: ignore[attr-defined]
    merged = store.get("CN106844774A")
    assert isinstance(merged, Patent)
    assert merged.sources == ["cn-json", "csv"]
    assert merged.source == "cn-json"
    assert merged.title.text == "一种基于C#抓取互联网公开数据的爬虫系统及抓取方法"  # longer: csv
    assert merged.abstract is not None  # only cn-json had it
    assert str(merged.application_date) == "2017-03-01"  # only csv had it


def test_an_export_of_bare_cn_numbers_merges_with_docdb(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """An export that writes ``CN114123456`` with a 专利类型 column names the document DOCDB
    calls ``CN114123456A``: one record, found by the number with its code."""
    export = tmp_path / "export.csv"
    export.write_text(
        "申请号,公开（公告）号,公开（公告）日,名称,专利类型,申请（专利权）人\n"
        "CN202110123456.7,CN114123456,2022-03-01,一种锂电池正极材料,发明公开,广州电池有限公司\n",
        encoding="utf-8",
    )
    run(store, tmp_path, FIXTURES / "epo-docdb-cn.xml")
    summary = run(store, tmp_path, export)
    assert summary.total("merged") == 1  # type: ignore[attr-defined]
    merged = store.get("CN114123456A")
    assert isinstance(merged, Patent)
    assert merged.sources == ["epo", "csv"]
    assert store.get("CN114123456") is None
    assert [h.id for h in search(store, "patent", "pn=CN114123456A").hits] == ["CN114123456A"]


def _withdrawing(tmp_path: Path, name: str = "withdrawn.xml") -> Path:
    """The DOCDB fixture as a later delivery withdraws its CN document (status D)."""
    xml = (FIXTURES / "epo-docdb-cn.xml").read_text(encoding="utf-8")
    opening = 'doc-number="114123456" kind="A"'
    path = tmp_path / name
    path.write_text(xml.replace(opening, f'{opening} status="D"', 1), encoding="utf-8")
    return path


def test_a_document_docdb_withdraws_is_removed_from_the_store(
    each_store: Store, tmp_path: Path
) -> None:
    """A DOCDB delivery's status D (a deleted document, e.g. re-keyed under another number)
    removes the copy an earlier delivery loaded: it is no longer found."""
    run(each_store, tmp_path, FIXTURES / "epo-docdb-cn.xml")
    assert each_store.get("CN114123456A") is not None
    summary = run(each_store, tmp_path, _withdrawing(tmp_path))
    (done,) = summary.files  # type: ignore[attr-defined]
    assert (done.read, done.loaded, done.quarantined, done.withdrawn) == (2, 0, 1, 1)  # 1: OPS
    each_store.refresh()
    assert each_store.get("CN114123456A") is None
    assert search(each_store, "patent", "pn=CN114123456A").total == 0
    again = run(each_store, tmp_path, _withdrawing(tmp_path, "again.xml"))  # nothing left: fine
    assert again.total("withdrawn") == 1  # type: ignore[attr-defined]


def test_a_withdrawn_document_another_source_gave_too_stays(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    export = tmp_path / "export.csv"
    export.write_text(
        "申请号,公开（公告）号,名称\nCN202110123456.7,CN114123456A,一种锂电池正极材料\n",
        encoding="utf-8",
    )
    run(store, tmp_path, FIXTURES / "epo-docdb-cn.xml", export)
    summary = run(store, tmp_path, _withdrawing(tmp_path))
    assert summary.total("withdrawn") == 0  # type: ignore[attr-defined]
    kept = store.get("CN114123456A")
    assert isinstance(kept, Patent)
    assert kept.sources == ["epo", "csv"]
    entries = read(summary.quarantine_file)  # type: ignore[attr-defined]
    reasons = [e["reason"] for e in entries if e["position"].startswith("exchange-document 1 ")]
    assert reasons == [
        "DOCDB 标为删除 / DOCDB status D (a deleted document): CN114123456A; 另有来源，保留 / "
        "kept: also from csv"
    ]


def test_a_withdrawn_document_a_crawl_stored_stays(store: EmbeddedStore, tmp_path: Path) -> None:
    """A record with only ``source`` (a crawl's: ``sources`` left empty) is that source's."""
    crawled = make_patent(id="CN114123456A", publication_number="CN114123456A")
    crawled.source, crawled.sources = "crawl:cnipa", []
    store.upsert([crawled])
    store.refresh()
    summary = run(store, tmp_path, _withdrawing(tmp_path))
    assert summary.total("withdrawn") == 0  # type: ignore[attr-defined]
    assert store.get("CN114123456A") is not None
    reasons = [e["reason"] for e in read(summary.quarantine_file)]  # type: ignore[attr-defined]
    assert any(r.endswith("kept: also from crawl:cnipa") for r in reasons)


def test_withdrawals_and_deliveries_in_one_run_apply_in_order(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """Loaded then withdrawn in the same batch: gone; withdrawn then delivered again: there."""
    delivered, withdrawn = FIXTURES / "epo-docdb-cn.xml", _withdrawing(tmp_path)
    run(store, tmp_path, delivered, withdrawn)
    assert store.get("CN114123456A") is None
    copy = tmp_path / "redelivered.xml"
    copy.write_bytes(delivered.read_bytes())
    run(store, tmp_path, _withdrawing(tmp_path, "w2.xml"), copy)
    assert store.get("CN114123456A") is not None
    twice = run(store, tmp_path, _withdrawing(tmp_path, "w3.xml"), _withdrawing(tmp_path, "w4.xml"))
    assert [f.withdrawn for f in twice.files] == [1, 1]  # type: ignore[attr-defined]
    assert store.get("CN114123456A") is None


class _Refusing(EmbeddedStore):
    """A real embedded store handed, for one record, an index document tantivy refuses (a date
    that is no date): the refusal of a document error, without a converter that makes one."""

    def __init__(self, path: Path, refuse: str) -> None:
        super().__init__(path)
        self.refuse = refuse

    def upsert(self, records: Iterable[AnyRecord | PreparedRecord]) -> UpsertReport:
        def spoiled(item: AnyRecord | PreparedRecord) -> AnyRecord | PreparedRecord:
            if isinstance(item, PreparedRecord) and item.id == self.refuse:
                item.document = item.document.replace(b'"pd":"', b'"pd":"x', 1)
            return item

        return super().upsert(spoiled(r) for r in records)


def test_a_record_the_store_refuses_is_quarantined_and_counted_where_it_was_read(
    tmp_path: Path,
) -> None:
    """Records are written after their file may have ended (batched across files): one the
    store refuses is still quarantined under its file, in the summary and on the progress bar,
    and the rest load."""
    header = "申请号,公开（公告）号,公开（公告）日,名称\n"
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(
        header + "CN202110123451.4,CN114123451A,2022-01-04,一种锂电池\n"
        "CN202110123452.9,CN114123452A,2022-01-04,一种电机\n",
        encoding="utf-8",
    )
    second.write_text(header + "CN202110123453.3,CN114123453A,2022-01-04,一种隔膜\n", "utf-8")
    bar = {"read": 0, "quarantined": 0}

    def progress(read: int, quarantined: int) -> None:
        bar["read"] += read
        bar["quarantined"] += quarantined

    store = _Refusing(tmp_path / "iphub.db", refuse="CN114123452A")
    try:
        options = Options(quarantine_dir=tmp_path / "q")
        summary = ingest(store, [first, second], options, progress)
        counts = [(f.read, f.loaded, f.quarantined) for f in summary.files]
        assert counts == [(2, 1, 1), (1, 1, 0)]
        assert bar == {"read": 3, "quarantined": 1}
        (entry,) = read(summary.quarantine_file)
        assert (Path(entry["file"]).name, entry["position"]) == ("a.csv", "record CN114123452A")
        assert entry["reason"].startswith("存储拒收 / store rejected: ")
        assert "could not be parsed" in entry["reason"]
        assert store.get("CN114123452A") is None
        assert store.count("patent") == 2
    finally:
        store.close()


def test_a_record_read_twice_in_one_run_counts_in_each_file(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """Records are written in batches across files: one read again before its batch was
    written is merged there, and still counted loaded where it was read, so that every
    file's read = loaded + quarantined."""
    rich, poor = _two_sources(tmp_path)
    twice = tmp_path / "twice.csv"
    twice.write_text(poor.read_text(encoding="utf-8") + poor.read_text().splitlines()[1] + "\n")
    summary = run(store, tmp_path, rich, poor, twice)
    counts = {Path(f.file).name: (f.read, f.loaded, f.merged) for f in summary.files}  # type: ignore[attr-defined]
    # poor.csv joins csv to the cn-json record; twice.csv's rows meet a record csv is part of
    # already: loaded, and no new merge
    assert counts == {"rich.json": (1, 1, 0), "poor.csv": (1, 1, 1), "twice.csv": (2, 2, 0)}
    assert store.count("patent") == 1
    merged = store.get("CN106844774A")
    assert isinstance(merged, Patent)
    assert merged.sources == ["cn-json", "csv"]
    assert merged.abstract is not None
    assert str(merged.application_date) == "2017-03-01"


def test_epo_samples_load_and_legal_status_merges(each_store: Store, tmp_path: Path) -> None:
    store = each_store
    legal = shared("epo-ops", "legal-status.xml")
    summary = run(store, tmp_path, legal, shared("epo-ops"))  # legal first, then biblio
    assert summary.total("quarantined") == 0  # type: ignore[attr-defined]
    assert store.count("patent") == 7  # EP2400812A1 appears in all three responses
    record = store.get("EP2400812A1")
    assert isinstance(record, Patent)
    assert record.title.text == "BLUETOOTH NETWORKING"
    assert len(record.legal_events) == 69
    assert record.sources == ["epo-legal", "epo"]
    for patent in store.scan("patent", _all()):
        assert isinstance(patent, Patent)
        found = search(store, "patent", f"pn={patent.publication_number}").hits
        assert [h.id for h in found] == [patent.id]
        for title in (patent.title, *patent.titles):  # French and German too: MISE EN RÉSEAU
            by_title = search(store, "patent", f"ti=({title_query(title.text)})", size=50).hits
            assert patent.id in [h.id for h in by_title], title.text
    assert {t.text for t in record.titles} >= {"MISE EN RÉSEAU BLUETOOTH", "BLUETOOTH-VERNETZUNG"}
    # typed without the accents the offices print: the French title, the Finnish inventor
    assert "EP2400812A1" in {h.id for h in search(store, "patent", "ti=reseau", size=20).hits}
    kylmanen = {h.id for h in search(store, "patent", "in=kylmanen", size=20).hits}
    assert kylmanen
    # … and as EPO's ASCII forms spell him, which a record of them holds alone (CA2744162A1)
    kylmaenen = {h.id for h in search(store, "patent", "in=KYLMAENEN", size=20).hits}
    assert kylmanen < kylmaenen == {h.id for h in search(store, "patent", "in=Kylmänen").hits}
    bluetooth = {h.id for h in search(store, "patent", "ti=bluetooth", size=20).hits}
    assert {"EP2400812A1", "US20120057518A1", "EP2533477B1"} <= bluetooth


def test_workers_give_the_same_records(store: EmbeddedStore, tmp_path: Path) -> None:
    summary = run(store, tmp_path, FIXTURES / "uspto-weekly.xml", workers=2)
    (weekly,) = summary.files  # type: ignore[attr-defined]
    assert (weekly.read, weekly.loaded, weekly.quarantined) == (3, 2, 1)
    record = store.get("US9000001B2")
    assert isinstance(record, Patent)
    assert record.title.text == "Lithium battery cathode with graphene coating"
    # indexed from the document the worker prepared: searchable like any other
    assert [h.id for h in search(store, "patent", "ti=graphene cathode").hits] == ["US9000001B2"]
    assert [h.id for h in search(store, "patent", "pn=US20050000003").hits] == ["US20050000003A1"]
    in_batch = SearchRequest(kind="patent", plan=Terms("batch", (summary.batch_id,)))  # type: ignore[attr-defined]
    assert {h.id for h in store.search(in_batch).hits} == {"US9000001B2", "US20050000003A1"}


def test_enrich_hook_is_applied(store: EmbeddedStore, tmp_path: Path) -> None:
    def enrich(record: Patent) -> Patent:
        record.industries = ["新能源"]
        return record

    run(store, tmp_path, FIXTURES / "cnipa-design.xml", enrich=enrich)
    record = store.get("CN306123456S")
    assert record is not None
    assert record.industries == ["新能源"]


def test_truncated_stream_loads_what_came_before(store: EmbeddedStore, tmp_path: Path) -> None:
    whole = (FIXTURES / "st96-trademarks.xml").read_bytes()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(whole[: whole.index(b"<tmk:Trademark>", 400)] + b"<tmk:Trademark><com:Appl")
    summary = run(store, tmp_path, cut)
    assert store.get("CN-TM-45678901") is not None
    (entry,) = read(summary.quarantine_file)  # type: ignore[attr-defined]
    assert entry["position"] == "Trademark 2 (line 27)"  # the record the file ends inside
    assert entry["reason"].startswith("XML 格式错误 / malformed XML: ")
    assert entry["raw"] == "<tmk:Trademark><com:Appl"


def test_a_json_table_broken_after_its_first_row_is_no_file_not_loaded(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """A JSON array with a trailing comma: its row loaded, yet the file was listed among those
    not loaded, its reason yajl's message as Python bytes. The break is quarantined at the
    item where it came, told as text."""
    row = {"申请号": "202110700010.6", "公开（公告）号": "CN114700010A", "名称": "尾逗号"}
    path = tmp_path / "export.json"
    path.write_text(f"[{json.dumps(row, ensure_ascii=False)},]", encoding="utf-8")
    summary = run(store, tmp_path, path)
    (file,) = summary.files  # type: ignore[attr-defined]
    assert (file.read, file.loaded, file.quarantined, file.refused) == (2, 1, 1, None)
    assert store.get("CN114700010A") is not None
    (entry,) = read(summary.quarantine_file)  # type: ignore[attr-defined]
    assert entry["position"] == "item 2"
    assert entry["reason"].startswith(
        "JSON 格式错误，其后未读 / invalid JSON (the rest of the file)"
    )
    assert "\\x" not in entry["reason"]


def test_a_document_with_control_characters_loads(store: EmbeddedStore, tmp_path: Path) -> None:
    """XML forbids them and no text needs them: read as spaces, they cost nothing."""
    weekly = (FIXTURES / "uspto-weekly.xml").read_bytes()
    bad = weekly.replace(b"Smart water bottle", b"Smart\x0cwater &#1;bottle\x01")
    path = tmp_path / "ctrl.xml"
    path.write_bytes(bad)
    summary = run(store, tmp_path, path)
    assert store.get("US9000001B2") is not None
    (entry,) = read(summary.quarantine_file)  # type: ignore[attr-defined]
    assert entry["position"].startswith("document 2 ")  # the fixture's truncated document
    record = store.get("US20050000003A1")
    assert record is not None
    assert record.title.text == "Smart water bottle"  # type: ignore[union-attr]
    hits = search(store, "patent", "ti=water bottle").hits
    assert "US20050000003A1" in [h.id for h in hits]


def test_a_json_export_with_raw_tabs_and_line_breaks_loads_whole(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """Exports paste an abstract's tabs and line breaks into JSON strings unescaped: the stream
    reader stopped at the first and quarantined the rest of the file with it."""
    rows = [
        {
            "申请号": f"20211012345{i}.{d}",
            "公开（公告）号": f"CN11412345{i}A",
            "名称": f"一种锂电池{i}",
            "摘要": "正极材料\t隔膜",
        }
        for i, d in ((1, 4), (2, 9), (3, 3))
    ]
    text = json.dumps(rows, ensure_ascii=False).replace("\\t", "\t")
    text = text.replace("一种锂电池2", "一种\r\n锂电池2")
    assert "\t" in text
    assert "\\t" not in text
    path = tmp_path / "export.json"
    path.write_text(text, encoding="utf-8")
    summary = run(store, tmp_path, path)
    assert summary.total("quarantined") == 0, read(summary.quarantine_file)  # type: ignore[attr-defined]
    assert summary.total("loaded") == 3  # type: ignore[attr-defined]
    hits = search(store, "patent", "ti=锂电池2").hits
    assert len(hits) == 1
    record = store.get(hits[0].id)
    assert record is not None
    assert record.title.text == "一种  锂电池2"  # type: ignore[union-attr]  # each one a space
    assert record.abstract is not None
    assert record.abstract.text == "正极材料 隔膜"


def test_control_characters_in_table_and_json_values_are_read_as_spaces(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """A ``\\x01`` pasted into a CSV cell, or written as ``\\u0001`` (valid JSON) in an export
    or a data API's record, is read as a space, as the XML readers read it: the value shows
    no invisible character and its words are found."""
    header = "申请号,公开（公告）号,名称,摘要\n"
    (tmp_path / "export.csv").write_text(
        header + "CN202110123451.4,CN114123451A,一种\x01锂电池,正极\x1f材料\n", encoding="utf-8"
    )
    line = {"申请号": "CN202110123452.9", "公开（公告）号": "CN114123452A",
            "名称": "一种\x01锂电池", "摘要": "正极\x1f材料"}  # fmt: skip
    (tmp_path / "export.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    api = {"ApplicationNumber": "CN202110123453.3", "PublicationNumber": "CN114123453A",
           "Title": "一种\x01锂电池", "Abstract": "正极\x1f材料",
           "KindCodeDesc": "发明公开"}  # fmt: skip
    (tmp_path / "api.json").write_text(json.dumps([api]), encoding="utf-8")
    assert "\\u0001" in (tmp_path / "api.json").read_text(encoding="utf-8")
    files = [tmp_path / name for name in ("export.csv", "export.jsonl", "api.json")]
    summary = run(store, tmp_path / "q", *files)
    assert summary.total("quarantined") == 0, read(summary.quarantine_file)  # type: ignore[attr-defined]
    for pn in ("CN114123451A", "CN114123452A", "CN114123453A"):
        record = store.get(pn)
        assert isinstance(record, Patent), pn
        assert record.title.text == "一种 锂电池", pn
        assert record.abstract is not None
        assert record.abstract.text == "正极 材料", pn
    assert len(search(store, "patent", "ti=锂电池").hits) == 3


def test_a_chinese_document_is_found_by_its_english_abstract(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """DOCDB gives CN documents Chinese and English texts: English words find them, and the
    hit shows the abstract in the language that matched."""
    run(store, tmp_path, FIXTURES / "epo-docdb-cn.xml")
    result = search(store, "patent", "ab=positive electrode material")
    assert [h.id for h in result.hits] == ["CN114123456A"]
    assert "<em>" in result.hits[0].highlights["abstract"]
    assert "positive" in result.hits[0].highlights["abstract"].lower()
    chinese = search(store, "patent", "ab=正极材料")
    assert "正极" in chinese.hits[0].highlights["abstract"]


def test_ipc_as_an_export_prints_it_is_searched_counted_and_tagged(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """CNIPA prints a classification with its edition and level (``H01M10/0525(2010.01)I``);
    an export that copies it loads as ``H01M 10/0525``: found by ``ipc=H01M``, counted under its
    subclass and tagged with the battery industries, like the same record from XML."""
    from nlp.enrich import enrich

    header = "申请号,公开（公告）号,名称,主分类号,分类号"
    row = (
        "CN202110123456.7,CN114123456A,一种锂电池正极材料,H01M10/0525(2010.01)I,"
        '"H01M10/0525(2010.01)I;H01M4/62(2006.01)I,Ｈ０１Ｍ　１０／０５２"'
    )
    path = tmp_path / "export.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    run(store, tmp_path, path, enrich=enrich)
    patent = store.get("CN114123456A")
    assert isinstance(patent, Patent)
    assert (patent.ipc_main, patent.ipc) == (
        "H01M 10/0525",
        ["H01M 10/0525", "H01M 4/62", "H01M 10/052"],
    )
    assert "新能源汽车产业" in patent.industries
    assert [h.id for h in search(store, "patent", "ipc=H01M").hits] == ["CN114123456A"]


def test_a_trademark_list_loads_enriched_and_findable(store: EmbeddedStore, tmp_path: Path) -> None:
    """An agency's Excel-exported list of marks: trademarks, enriched (the applicant's
    district), found by mark, number and class."""
    from nlp.enrich import enrich

    path = tmp_path / "marks.csv"
    path.write_text(
        "注册号,商标名称,国际分类,申请人,申请人地址,申请日期,商标状态\n"
        "12345678,云山,第9类,广州云山科技有限公司,广东省广州市白云区,2013-01-05,商标已注册\n",
        encoding="utf-8-sig",
    )
    summary = run(store, tmp_path, path, enrich=enrich)
    assert summary.total("quarantined") == 0  # type: ignore[attr-defined]
    mark = store.get("CN-TM-12345678")
    assert isinstance(mark, Trademark)
    assert mark.applicants[0].district == "白云区"
    for query in ("tm=云山", "pn=12345678", "nc=9"):
        assert [h.id for h in search(store, "trademark", query).hits] == ["CN-TM-12345678"], query


def test_a_madrid_designation_in_a_trademark_list_loads_and_is_found(
    each_store: Store, tmp_path: Path
) -> None:
    """China's register numbers a Madrid international registration designating China ``G``
    and WIPO's number: such a row (common in 企查查 and agency lists: foreign brands) was
    quarantined "unrecognised trademark number". It loads, is flagged Madrid for the
    statistics and is found by its number with and without the ``G``."""
    path = tmp_path / "marks.csv"
    path.write_text(
        "注册号,商标名称,国际分类,申请人,申请日期,商标状态\n"
        "G1234567,LANCÔME,第3类,L'OREAL,2014-03-01,商标已注册\n"
        "12345678,云山,第9类,广州云山科技有限公司,2013-01-05,商标已注册\n",
        encoding="utf-8-sig",
    )
    summary = run(each_store, tmp_path, path)
    assert summary.total("quarantined") == 0, read(summary.quarantine_file)  # type: ignore[attr-defined]
    mark = each_store.get("CN-TM-G1234567")
    assert isinstance(mark, Trademark)
    assert mark.international_registration_number == "1234567"
    assert each_store.get("CN-TM-12345678").international_registration_number is None  # type: ignore[union-attr]
    # the number as users may type it: G-1234567, g-1234567, a float's G1234567.0 (these
    # found nothing: the query kept the text as typed), full width
    queries = ("pn=G1234567", "G1234567", "tm=lancome", "flag=madrid", "pn=G-1234567")
    for query in (*queries, "pn=g-1234567", "G1234567.0", "pn=Ｇ１２３４５６７"):
        hits = search(each_store, "trademark", query).hits
        assert [h.id for h in hits] == ["CN-TM-G1234567"], query
    assert [h.id for h in search(each_store, "trademark", "ap=１２３４５６７８").hits] == [
        "CN-TM-12345678"
    ]


def test_a_marks_number_written_otherwise_is_found_by_its_normal_form(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """Numbers written with a space, a dash or full-width characters were stored so, beside
    ids of their normal form: ``ap=G1234569`` and ``ap=12345671`` found nothing."""
    path = tmp_path / "marks.csv"
    path.write_text(
        "注册号,商标名称,国际分类,申请人\n"
        "g 1234568,ALPHA,9,ALPHA SA\n"
        "G-1234569,BETA,9,BETA SA\n"
        "Ｇ１２３４５７０,GAMMA,9,GAMMA SA\n"
        "１２３４５６７１,云山,9,广州云山科技有限公司\n",
        encoding="utf-8",
    )
    summary = run(store, tmp_path, path)
    assert summary.total("loaded") == 4, read(summary.quarantine_file)  # type: ignore[attr-defined]
    for number in ("G1234568", "G1234569", "G1234570", "12345671"):
        for query in (f"ap={number}", f"pn={number}"):
            hits = search(store, "trademark", query).hits
            assert [h.id for h in hits] == [f"CN-TM-{number}"], query


def test_a_forced_wrong_format_is_said_and_does_not_mark_the_files_done(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """``--format epo`` on JSON exports finds no record in them: each file is quarantined
    whole with the reason, and the run with the right format loads them instead of skipping
    them as done."""
    wrong = run(store, tmp_path, shared("cn-json"), fmt="epo")
    assert wrong.total("loaded") == 0  # type: ignore[attr-defined]
    refused = {f.refused for f in wrong.files}  # type: ignore[attr-defined]
    assert len(wrong.files) == 4  # type: ignore[attr-defined]
    assert {r.split(" / ")[0] for r in refused} == {"不是 epo 格式，看来是JSON（cn-json）"}
    right = run(store, tmp_path, shared("cn-json"))
    assert not any(f.skipped for f in right.files)  # type: ignore[attr-defined]
    assert (right.total("loaded"), right.total("quarantined")) == (26, 0)  # type: ignore[attr-defined]
    again = run(store, tmp_path, shared("cn-json"))
    assert all(f.skipped for f in again.files)  # type: ignore[attr-defined]


def test_a_table_refused_for_its_columns_loads_when_run_again_with_a_mapping(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """The refusal asks for ``--mapping``; the run that gives one reads the file afresh
    instead of skipping it as done, and the run after that skips it."""
    from ingest.parsers.mapped import load_mapping

    table = tmp_path / "en.csv"
    table.write_text(
        "Pub No,Appl No,Subject,Applicant,Filing Date,IPC\n"
        "CN114500001A,202110500001.2,English mapped,ACME Corp,2021-01-05,H01M10/42\n",
        encoding="utf-8",
    )
    columns = tmp_path / "map.json"
    columns.write_text(
        json.dumps(
            {
                "Pub No": "publication_number",
                "Appl No": "application_number",
                "Subject": "title",
                "Applicant": "applicants",
                "Filing Date": "application_date",
                "IPC": "ipc",
            }
        ),
        encoding="utf-8",
    )
    refused = run(store, tmp_path, table, mapping=load_mapping(None))
    assert refused.total("loaded") == 0  # type: ignore[attr-defined]
    assert "--mapping" in refused.files[0].refused  # type: ignore[attr-defined]
    mapped = run(store, tmp_path, table, mapping=load_mapping(columns))
    assert not mapped.files[0].skipped  # type: ignore[attr-defined]
    assert mapped.total("loaded") == 1  # type: ignore[attr-defined]
    assert store.get("CN114500001A") is not None
    again = run(store, tmp_path, table, mapping=load_mapping(columns))
    assert again.files[0].skipped  # type: ignore[attr-defined]


def test_a_forced_format_the_file_plainly_is_not_in_refuses_it_whole(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """``--format jsonl`` on an XML file quarantined each of its lines as invalid JSON;
    ``--format csv`` on a workbook showed its zip bytes as the header. The first bytes tell:
    the file is refused whole, saying what it looks like, and binary bytes are never shown."""
    row = '{"申请号": "CN202110123456.7", "公开（公告）号": "CN114123456A", "名称": "电池"}'
    files = {
        "weekly.xml": (FIXTURES / "uspto-weekly.xml").read_bytes(),
        "export.csv": "申请号,公开（公告）号,名称\nCN202110123456.7,CN114123456A,电池\n".encode(),
        "array.json": f"[{row}]".encode(),
        "notes.bin": b"\x00\x01\x02binary\n" * 10,
    }
    book = Workbook()
    book.active.append(["申请号", "公开（公告）号", "名称"])  # type: ignore[union-attr]
    book.save(tmp_path / "export.xlsx")
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    forced = {
        "weekly.xml": ("jsonl", "XML（uspto）", "XML (uspto)"),
        "export.csv": ("uspto", "CSV 表格（csv）", "a CSV table (csv)"),
        "export.xlsx": ("csv", "Excel 工作簿（xlsx）", "an Excel workbook (xlsx)"),
        "array.json": ("jsonl", "JSON 数组", "a JSON array"),
        "notes.bin": ("csv", "二进制数据", "binary data"),
    }
    for name, (fmt, zh, en) in forced.items():
        summary = run(store, tmp_path, tmp_path / name, fmt=fmt)
        (entry,) = read(summary.quarantine_file)  # type: ignore[attr-defined]
        assert entry["position"] == "file"
        assert entry["reason"] == (
            f"不是 {fmt} 格式，看来是{zh} / not in the {fmt} format forced: the file looks like"
            f" {en}; 请用正确的 --format，或不加以自动识别 / give the right --format, or none"
            " to sniff it"
        )
        assert ("PK" in entry["raw"] or "\x00" in entry["raw"]) is False
    loaded = run(store, tmp_path, tmp_path / "array.json", fmt="cn-json")  # JSON is JSON
    assert not any(f.refused and f.refused.startswith("不是") for f in loaded.files)  # type: ignore[attr-defined]


def test_an_empty_file_is_said_to_be_empty(store: EmbeddedStore, tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "export.csv").write_bytes(b"")
    (tmp_path / "data" / "blank.json").write_bytes(b"  \r\n\n")
    summary = run(store, tmp_path, tmp_path / "data")
    assert {(Path(f.file).name, f.refused) for f in summary.files} == {  # type: ignore[attr-defined]
        ("blank.json", "空文件 / empty file (nothing in it but white space)"),
        ("export.csv", "空文件 / empty file (nothing in it but white space)"),
    }


def test_an_api_page_of_no_records_loads_nothing_and_is_not_refused(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """A paged data API's last page, saved as it came (on one line), holds no records: it was
    sniffed as JSON lines, read as one record and quarantined ("missing publication_number"),
    and an empty array was refused ("no json records found"). Each loads as nothing now, a
    page of records on a line of JSON lines gives its records, and a CSV with a header only
    is still refused: a table says what it is in every row."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "page-3.json").write_text(
        '{"Status":"200","Paging":{"PageIndex":3,"TotalRecords":41},"Result":[]}', "utf-8"
    )
    (data / "none.json").write_text('{"Status":"201","Message":"查询无结果","Result":null}')
    (data / "items.json").write_text('{"code":0,"data":{"items":[],"total":0}}')
    (data / "array.json").write_text("[]")
    row = {"申请号": "CN202110000001.6", "公开（公告）号": "CN113000001A", "名称": "一种散热装置"}
    pages = [{"data": {"items": [row | {"公开（公告）号": f"CN11300000{i}A"} for i in (1, 2)]}}]
    pages.append({"data": {"items": []}})
    (data / "pages.jsonl").write_text(
        "\n".join(json.dumps(p, ensure_ascii=False) for p in pages), "utf-8"
    )
    (data / "header.csv").write_text("申请号,公开（公告）号,名称\n", "utf-8")
    summary = run(store, tmp_path, data)
    files = {Path(f.file).name: (f.read, f.loaded, f.quarantined, f.refused) for f in summary.files}  # type: ignore[attr-defined]
    assert files.pop("header.csv")[3] == (
        "没有 csv 格式的记录 / no csv records found (is it in that format?)"
    )
    assert files == {
        "page-3.json": (0, 0, 0, None),
        "none.json": (0, 0, 0, None),
        "items.json": (0, 0, 0, None),
        "array.json": (0, 0, 0, None),
        "pages.jsonl": (2, 2, 0, None),
    }
    assert store.get("CN113000001A") is not None
    assert store.get("CN113000002A") is not None


#: two good rows of a trademark list, as the data APIs page them
R1 = {"注册号": "30000001", "商标名称": "甲", "国际分类": "第九类", "商标状态": "注册商标",
      "申请人名称": "广州甲有限公司"}  # fmt: skip
R2 = {"注册号": "G1300002", "商标名称": "乙", "国际分类": "35", "商标状态": "异议中",
      "申请人名称": "广州乙有限公司"}  # fmt: skip


def test_an_api_page_on_one_line_loads_as_pretty_printed_whatever_its_envelope(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """A page whose envelope has keys of the API's own (天眼查's ``reason`` and ``error_code``,
    MyBatis-Plus's ``size`` and ``current``, 企查查's ``OrderNumber``) was read, written on one
    line, as one record of JSON lines, and quarantined "missing publication_number" (or as an
    empty page's one record); pretty-printed, its records loaded. A page is an object whose
    wrapper key holds its records and none of whose keys is a record's column."""
    pages = {
        "tianyancha": {"result": {"total": 2, "items": [R1, R2]}, "reason": "ok", "error_code": 0},
        "mybatis": {"code": 200, "msg": "操作成功", "data": {"records": [R1, R2], "total": 2,
                                                          "size": 10, "current": 1, "pages": 1}},
        "qichacha": {"Status": "201", "Message": "查询无结果", "OrderNumber": "ECI202401010000",
                     "Paging": None, "Result": None},
    }  # fmt: skip
    data = tmp_path / "data"
    data.mkdir()
    for name, page in pages.items():
        (data / f"{name}.json").write_text(json.dumps(page, ensure_ascii=False), "utf-8")
        pretty = json.dumps(page, ensure_ascii=False, indent=2)
        (data / f"{name}-pretty.json").write_text(pretty, "utf-8")
    summary = run(store, tmp_path, data)
    files = {Path(f.file).name: (f.read, f.loaded, f.quarantined) for f in summary.files}  # type: ignore[attr-defined]
    assert files == {
        "mybatis.json": (2, 2, 0),
        "mybatis-pretty.json": (2, 2, 0),
        "qichacha.json": (0, 0, 0),
        "qichacha-pretty.json": (0, 0, 0),
        "tianyancha.json": (2, 2, 0),
        "tianyancha-pretty.json": (2, 2, 0),
    }, read(summary.quarantine_file)  # type: ignore[attr-defined]
    assert {m.id for m in store.scan("trademark", _all())} == {"CN-TM-30000001", "CN-TM-G1300002"}


def test_an_array_of_pages_and_a_line_holding_an_array_give_their_records(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """A JSON array of an API's pages (a crawler's saved responses) was read as an array of
    records, each page quarantined as one; a line of JSON lines holding an array was one row,
    "not a JSON object". The records in them load."""
    data = tmp_path / "data"
    data.mkdir()
    pages = [{"Result": [R1]}, {"Result": [R2]}]
    (data / "pages.json").write_text(json.dumps(pages, ensure_ascii=False), "utf-8")
    (data / "empty.json").write_text('[{"Result":[]},{"Result":[]}]', "utf-8")
    lines = [json.dumps(R1, ensure_ascii=False), json.dumps([R2], ensure_ascii=False)]
    (data / "rows.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    summary = run(store, tmp_path, data)
    files = {Path(f.file).name: (f.read, f.loaded, f.quarantined, f.refused) for f in summary.files}  # type: ignore[attr-defined]
    assert files == {
        "empty.json": (0, 0, 0, None),
        "pages.json": (2, 2, 0, None),
        "rows.jsonl": (2, 2, 0, None),
    }, read(summary.quarantine_file)  # type: ignore[attr-defined]
    assert {m.id for m in store.scan("trademark", _all())} == {"CN-TM-30000001", "CN-TM-G1300002"}


def test_the_records_of_every_wrapper_key_load(store: EmbeddedStore, tmp_path: Path) -> None:
    """``{"list": [], "data": [R1]}``: the first wrapper key's empty array was read and the
    second ignored, and the run said "the files hold no records" and succeeded."""
    data = tmp_path / "data"
    data.mkdir()
    row = json.dumps(R1, ensure_ascii=False)
    (data / "two.json").write_text(f'{{"list":[],\n"data":[{row}]}}', "utf-8")
    (data / "two-line.json").write_text(f'{{"list":[],"data":[{row}]}}', "utf-8")
    (data / "both.json").write_text(
        json.dumps({"code": 0, "data": {"list": [R1], "rows": [R2]}}, ensure_ascii=False, indent=1)
    )
    summary = run(store, tmp_path, data)
    files = {Path(f.file).name: (f.read, f.loaded, f.quarantined) for f in summary.files}  # type: ignore[attr-defined]
    assert files == {"both.json": (2, 2, 0), "two.json": (1, 1, 0), "two-line.json": (1, 1, 0)}


def test_json_of_no_records_is_empty_only_where_it_is_seen_to_be(
    store: EmbeddedStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A JSON file that gave no record was taken for empty whatever it held: a shape whose
    records the reader missed passed as "the files hold no records", exit code 0. It is empty
    only when it holds no records to be seen (an empty array, a page whose wrappers hold
    nothing); else it is refused as any file of no records is."""
    monkeypatch.setattr(json_stream, "records", lambda *args, **kwargs: iter(()))  # misses all
    (tmp_path / "rows.json").write_text(json.dumps([R1], ensure_ascii=False), "utf-8")
    (tmp_path / "page.json").write_text('{"Status":"201","Message":"查询无结果","Result":null}')
    (tmp_path / "array.json").write_text("[ ]")
    summary = run(
        store, tmp_path, *(tmp_path / n for n in ("rows.json", "page.json", "array.json"))
    )
    refused = {Path(f.file).name: f.refused for f in summary.files}  # type: ignore[attr-defined]
    assert refused == {
        "rows.json": "没有 json 格式的记录 / no json records found (is it in that format?)",
        "page.json": None,
        "array.json": None,
    }


def test_a_download_whose_api_failed_is_refused_and_never_done(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """An API's error response holding no records passed as an empty page: the file loaded
    nothing, was done, and the run succeeded. It refuses its file whole with the API's status
    and message, also after pages that loaded (the download failed midway), and such a file is
    never marked done: the next run reads it again (it was "done before")."""
    pages = [{"Status": "200", "Result": [R1]}, {"Status": "500", "Message": "系统错误"}]
    path = tmp_path / "pages.jsonl"
    path.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in pages), "utf-8")
    reason = (
        "接口返回失败（Status 500：系统错误），没有记录 / the API answered a failure (Status 500:"
        " 系统错误), no records"
    )
    for _ in range(2):
        (done,) = run(store, tmp_path, path).files  # type: ignore[attr-defined]
        assert (done.read, done.loaded, done.quarantined, done.refused) == (1, 1, 1, reason)
        assert not done.skipped
    assert store.get("CN-TM-30000001") is not None
    array = tmp_path / "pages.json"
    array.write_text(json.dumps([pages[1], {"Result": [R2]}], ensure_ascii=False), "utf-8")
    (refused,) = run(store, tmp_path, array).files  # type: ignore[attr-defined]
    assert (refused.loaded, refused.refused) == (1, reason)


def test_a_record_whose_list_is_under_a_wrappers_name_stays_a_record(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """A record of JSON lines whose own list sits under a key named as a wrapper (its
    applicants under ``data``) is that record, and not a page of its list's items."""
    row = R1 | {"data": [{"name": "广州甲有限公司"}]}
    (tmp_path / "marks.jsonl").write_text(json.dumps(row, ensure_ascii=False) + "\n", "utf-8")
    (tmp_path / "mark.json").write_text(json.dumps(row, ensure_ascii=False, indent=1), "utf-8")
    summary = run(store, tmp_path, tmp_path / "marks.jsonl", tmp_path / "mark.json")
    files = [(f.read, f.loaded, f.quarantined) for f in summary.files]  # type: ignore[attr-defined]
    assert files == [(1, 1, 0), (1, 1, 0)]


def test_docdb_documents_of_every_office_load_and_are_found_by_number(
    each_store: Store, tmp_path: Path
) -> None:
    """A DOCDB delivery of all countries: a JP number of the Heisei era, a CN grant of 2005
    (kind C), a German patent (C1) and a Greek one (an office outside iphub's list) load, none
    quarantined, and ``pn=`` finds each as its office writes it."""
    weekly = (FIXTURES / "docdb-weekly.xml").read_text(encoding="utf-8")
    head, rest = weekly.split("<exch:exchange-document ", 1)
    body, tail = rest.rsplit("</exch:exchange-document>", 1)
    documents = []
    for country, number, kind in [
        ("JP", "H11123456", "A"), ("CN", "1186789", "C"), ("DE", "10234567", "C1"),
        ("GR", "1004567", "B"),
    ]:  # fmt: skip
        doc = body.replace(
            'country="EP" doc-number="0003543" kind="A1"',
            f'country="{country}" doc-number="{number}" kind="{kind}"',
        )
        doc = doc.replace("<country>EP</country><doc-number>0003543</doc-number><kind>A1</kind>",
                          f"<country>{country}</country><doc-number>{number}</doc-number>"
                          f"<kind>{kind}</kind>")  # fmt: skip
        documents.append(f"<exch:exchange-document {doc}</exch:exchange-document>")
    path = tmp_path / "docdb.xml"
    path.write_text(head + "\n".join(documents) + tail, encoding="utf-8")
    summary = run(each_store, tmp_path, path)
    assert summary.total("quarantined") == 0, read(summary.quarantine_file)  # type: ignore[attr-defined]
    for number in ("JPH11123456A", "CN1186789C", "DE10234567C1", "GR1004567B"):
        hits = search(each_store, "patent", f"pn={number}").hits
        assert [h.id for h in hits] == [number]


def test_a_table_refused_whole_reads_no_record(store: EmbeddedStore, tmp_path: Path) -> None:
    """A table without the columns it needs, or a workbook that cannot be read, is refused
    whole as any other file is: 0 read, 1 quarantined. Both counted a record read."""
    (tmp_path / "notes.csv").write_text("备注,日期\n无,2021-01-01\n", encoding="utf-8")
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    summary = ingest(store, [tmp_path], Options(quarantine_dir=tmp_path.parent / "q"))
    counts = {Path(f.file).name: (f.read, f.quarantined, bool(f.refused)) for f in summary.files}
    assert counts == {"notes.csv": (0, 1, True), "broken.xlsx": (0, 1, True)}


def test_a_file_done_before_shows_the_format_it_was_read_in(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """The summary of a run that skips a file loaded before (auto: its format sniffed then)
    shows that format, not "?"."""
    first = run(store, tmp_path, FIXTURES / "uspto-weekly.xml")
    again = run(store, tmp_path, FIXTURES / "uspto-weekly.xml")
    (file,) = again.files  # type: ignore[attr-defined]
    assert file.skipped
    assert file.format == first.files[0].format == "uspto"  # type: ignore[attr-defined]
