"""Chinese commercial-API JSON: patents, trademarks, software and works copyright registrations."""

from __future__ import annotations

import datetime as dt
import io
import json

from ingest.parsers import cn_json
from ingest.parsers.base import Quarantined
from iphub.records import (
    Copyright,
    CopyrightType,
    LegalStatus,
    Patent,
    PatentKind,
    Trademark,
    TrademarkStatus,
)
from tests.ingest.conftest import shared


def parse_file(name: str) -> list[object]:
    with shared("cn-json", name).open("rb") as f:
        return list(cn_json.parse(f))


def test_patents() -> None:
    first, second, design = parse_file("qichacha-style-3-records.json")
    assert isinstance(first, Patent)
    assert isinstance(second, Patent)
    assert isinstance(design, Patent)
    assert (first.id, first.application_number) == ("CN106844774A", "CN201710117081.7")
    assert first.title.text == "一种基于C#抓取互联网公开数据的爬虫系统及抓取方法"
    assert first.application_date == dt.date(2017, 3, 1)
    assert first.publication_date == dt.date(2017, 6, 13)
    assert first.kind is PatentKind.INVENTION_APPLICATION
    assert first.kind_code == "A"
    assert [a.name for a in first.applicants] == ["苏州朗动网络科技有限公司"]
    assert [i.name for i in first.inventors] == ["王杰", "王金虎", "邓会林"]
    assert first.agency is not None
    assert (first.agency.name, first.agency.agents) == (
        "苏州中合知识产权代理事务所(普通合伙)",
        ["李中华"],
    )
    assert first.ipc == ["G06"]
    assert first.abstract is not None
    assert second.application_number == "CN201610311380.X"
    assert second.legal_status is LegalStatus.PENDING
    assert [(e.date, e.code, e.description) for e in second.legal_events] == [
        (dt.date(2016, 10, 12), "1", "公开"),
        (dt.date(2016, 11, 9), "24", "实质审查的生效"),
    ]
    assert design.id == "CN304218960S"
    assert design.kind is PatentKind.DESIGN
    assert design.locarno == ["11-"]
    assert design.ipc == []
    assert design.legal_status is LegalStatus.VALID


def test_trademarks() -> None:
    marks = parse_file("qichacha-style-trademark.json")
    assert all(isinstance(m, Trademark) for m in marks)
    first = marks[0]
    assert isinstance(first, Trademark)
    assert (first.id, first.mark_text, first.nice_classes) == ("CN-TM-16435657", "企查查", [45])
    assert first.application_date == dt.date(2015, 3, 4)
    assert first.status is TrademarkStatus.APPLIED
    second = marks[1]
    assert isinstance(second, Trademark)
    assert second.status is TrademarkStatus.INVALID
    assert second.agency is not None
    assert second.agency.name == "苏州崇文知识产权服务有限公司"


def test_software_copyright() -> None:
    items = parse_file("qichacha-style-software-copyright.json")
    assert len(items) == 10
    assert all(isinstance(c, Copyright) for c in items)
    first = items[0]
    assert isinstance(first, Copyright)
    assert (first.id, first.copyright_type) == ("CN-SC-2016SR309930", CopyrightType.SOFTWARE)
    assert (first.title, first.short_name, first.version) == (
        "朗动网络企查查网页版软件",
        "企查查网页版",
        "V3.0.0",
    )
    assert first.first_publication_date == dt.date(2016, 5, 27)
    assert first.registration_date == dt.date(2016, 10, 27)
    assert first.applicants[0].name == "苏州朗动网络科技有限公司"


def test_works_copyright() -> None:
    items = parse_file("qichacha-style-works-copyright.json")
    assert len(items) == 10
    first = items[0]
    assert isinstance(first, Copyright)
    assert first.copyright_type is CopyrightType.WORKS
    assert (first.id, first.title, first.category) == (
        "CN-WC-2016-F-00269796",
        "MIJIA及图形",
        "美术",
    )
    assert first.completion_date == dt.date(2015, 5, 13)
    assert first.registration_date == dt.date(2016, 5, 17)


def test_jsonl_and_bad_records_are_quarantined() -> None:
    lines = [
        '{"RegNo": "123", "IntCls": 9, "Name": "好", "AppDate": "2020-01-02"}',
        '{"RegNo": "12x", "IntCls": 9}',
        '{"Something": 1}',
        "[1]",
    ]
    items = list(cn_json.parse(io.BytesIO("\n".join(lines).encode())))
    assert isinstance(items[0], Trademark)
    assert items[0].id == "CN-TM-123"
    bad = items[1:]
    assert all(isinstance(b, Quarantined) for b in bad)
    positions = [b.position for b in bad if isinstance(b, Quarantined)]
    assert positions == ["line 2", "line 3", "line 4 item 1"]  # a line's array: its items
    assert [getattr(b, "reason", "")[:40] for b in bad[1:]] == [
        "无法识别的记录结构 / unknown record shape, keys: ['Something']"[:40],
        "不是 JSON 对象 / not a JSON object",
    ]


def test_a_patent_without_a_title_or_number_is_quarantined_with_the_reason() -> None:
    """A null field is missing, not the text "None" (a title that read "None" once loaded)."""
    base = {"ApplicationNumber": "CN202110123456.7", "KindCodeDesc": "发明公布"}
    lines = [
        base | {"PublicationNumber": "CN114123456A", "Title": None},
        base | {"PublicationNumber": None, "Title": "一种电池"},
    ]
    data = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    items = list(cn_json.parse(io.BytesIO(data.encode())))
    assert [getattr(i, "reason", i) for i in items] == [
        "缺少名称 / missing title",
        "缺少公开（公告）号 / missing publication_number",
    ]


def test_a_legal_events_impossible_date_names_its_field() -> None:
    line = {
        "ApplicationNumber": "CN202110123456.7",
        "PublicationNumber": "CN114123456A",
        "KindCodeDesc": "发明公布",
        "Title": "一种电池",
        "PatentLegalHistory": [{"LegalStatusDate": "2021-02-30", "LegalStatus": "公开"}],
    }
    (item,) = cn_json.parse(io.BytesIO(json.dumps(line, ensure_ascii=False).encode()))
    assert isinstance(item, Quarantined)
    assert "法律状态日 / LegalStatusDate: 日期不存在 / no such date: '2021-02-30'" in item.reason


def test_the_values_data_apis_write_for_numbers_objects_and_missing_dates() -> None:
    """Floats for numbers (a mark stored as CN-TM-164356570), objects for names (stored as
    ``"{'Name': '甲公司', 'KeyNo': 'x'}"``), lists of lists for IPC, 未发表 for a work not
    published (quarantined) and .NET's null date 0001-01-01 (refused by the index)."""
    lines = [
        {
            "RegNo": 16435657.0,
            "IntCls": 45.0,
            "Name": "浮点",
            "AppDate": "0001-01-01T00:00:00",
            "ApplicantCn": [{"Name": "苏州朗动网络科技有限公司", "KeyNo": "x"}],
        },
        {
            "RegisterNo": "2016SR100003",
            "Name": "未发表软件",
            "Owner": [{"Name": "甲公司", "KeyNo": "y"}],
            "PublishDate": "未发表",
            "RegisterAperDate": "2016-10-27T00:00:00+08:00",
        },
        {
            "ApplicationNumber": "CN202110600007.7",
            "ApplicationDate": "0001-01-01T00:00:00",
            "PublicationNumber": "CN114600007A",
            "PublicationDate": "2021-03-05T00:00:00",
            "Title": "一种电池",
            "AssigneestringList": [{"Name": "甲公司", "KeyNo": "x"}],
            "IPCList": [["H01M10/42"], ["G06F"]],
            "KindCodeDesc": "发明专利",
        },
    ]
    data = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    mark, work, patent = cn_json.parse(io.BytesIO(data.encode()))
    assert isinstance(mark, Trademark)
    assert (mark.id, mark.registration_number, mark.nice_classes) == (
        "CN-TM-16435657",
        "16435657",
        [45],
    )
    assert ([a.name for a in mark.applicants], mark.application_date) == (
        ["苏州朗动网络科技有限公司"],
        None,
    )
    assert isinstance(work, Copyright)
    assert ([a.name for a in work.applicants], work.first_publication_date) == (["甲公司"], None)
    assert work.registration_date == dt.date(2016, 10, 27)
    assert isinstance(patent, Patent)
    assert (patent.application_date, patent.publication_date) == (None, dt.date(2021, 3, 5))
    assert [a.name for a in patent.applicants] == ["甲公司"]
    assert patent.ipc == ["H01M 10/42", "G06F"]
    assert patent.kind is PatentKind.INVENTION_APPLICATION  # 发明专利, and the code says A


def test_json_broken_after_a_record_is_quarantined_where_it_broke() -> None:
    """A trailing comma after the first record: the record loads, and the rest of the file is
    one entry at the item where the JSON broke (not the file, which was read in part); broken
    before any record, the file is refused whole."""
    record = {"RegNo": "12345678", "Name": "云山", "IntCls": "9", "AppDate": "2020-01-02"}
    data = json.dumps({"Result": [record]}, ensure_ascii=False)[:-2] + ",]}"
    items = list(cn_json.split(io.BytesIO(data.encode())))
    assert [position for position, _ in items] == ["item 1", "item 2"]
    broken = items[1][1]
    assert isinstance(broken, Quarantined)
    assert broken.position == "item 2"
    assert broken.reason.startswith("JSON 格式错误，其后未读 / invalid JSON (the rest of the file)")
    ((position, whole),) = cn_json.split(io.BytesIO(b'{"Result": [,]}'))
    assert position == "file"
    assert isinstance(whole, Quarantined)


MARK = {"RegNo": "16435657", "IntCls": 45, "Name": "企查查", "AppDate": "2015-03-04"}


def marks(*numbers: str) -> list[dict[str, object]]:
    return [MARK | {"RegNo": n} for n in numbers]


def ids(data: str) -> list[str]:
    items = cn_json.parse(io.BytesIO(data.encode()))
    return [getattr(i, "id", getattr(i, "reason", "")) for i in items]


def test_pretty_printed_records_and_envelopes_one_after_another_are_read_whole() -> None:
    """``jq '.[]' file.json`` output, pages one after another, and an envelope written one
    record a line: each was read as JSON lines, its records lost or quarantined (the last
    loaded 1 of 3 and the run exited 0)."""
    expected = ["CN-TM-1", "CN-TM-2", "CN-TM-3"]
    jq = "\n".join(json.dumps(m, indent=2, ensure_ascii=False) for m in marks("1", "2", "3"))
    assert ids(jq) == expected
    pages = "\n".join(
        json.dumps({"Status": "200", "Result": page}, indent=2, ensure_ascii=False)
        for page in (marks("1", "2"), marks("3"))
    )
    assert ids(pages) == expected
    per_line = ",\n".join(json.dumps(m, ensure_ascii=False) for m in marks("1", "2", "3"))
    assert ids('{"Status":"200","Result":[\n' + per_line + "\n]}") == expected


def test_pages_written_as_json_lines_give_their_records() -> None:
    """A one-line page alone, or pages one a line: each page's records, not one record of
    unknown shape per page."""
    page = json.dumps({"Status": "200", "Result": marks("1", "2")}, ensure_ascii=False)
    assert ids(page) == ["CN-TM-1", "CN-TM-2"]
    second = json.dumps({"Status": "200", "Result": marks("3")}, ensure_ascii=False)
    assert ids(f"{page}\n{second}\n") == ["CN-TM-1", "CN-TM-2", "CN-TM-3"]
    lines = list(cn_json.split(io.BytesIO(f"{page}\n{second}\n".encode())))
    assert [p for p, _ in lines] == ["line 1 item 1", "line 1 item 2", "line 2 item 1"]


def test_envelopes_of_the_data_apis_are_unwrapped() -> None:
    """Records under an object under the wrapper key, a detail response's one record, and
    empty pages (no record, not a quarantined record of unknown shape)."""
    three = ["CN-TM-1", "CN-TM-2", "CN-TM-3"]
    nested = {"code": 0, "data": {"total": 3, "items": marks("1", "2", "3")}}
    assert ids(json.dumps(nested, ensure_ascii=False)) == three
    assert ids(json.dumps(nested, ensure_ascii=False, indent=2)) == three
    data = {"Status": "200", "Result": {"Data": marks("1", "2", "3")}, "Paging": {"Total": 3}}
    assert ids(json.dumps(data, ensure_ascii=False)) == three
    detail = {"Status": "200", "Message": "成功", "Result": MARK | {"RegNo": "7"}}
    assert ids(json.dumps(detail, ensure_ascii=False)) == ["CN-TM-7"]
    assert ids(json.dumps(detail, ensure_ascii=False, indent=1)) == ["CN-TM-7"]
    pages = [
        {"Status": "200", "Result": marks("1")},
        {"Status": "201", "Message": "查询无结果", "Result": []},
        {"Status": "201", "Message": "查询无结果", "Result": None},
        {"code": 0, "data": {"total": 0, "items": None}},
        detail,
        data,
    ]
    lines = "\n".join(json.dumps(p, ensure_ascii=False) for p in pages)
    assert ids(lines) == ["CN-TM-1", "CN-TM-7", *three]
    pretty = "\n".join(json.dumps(p, ensure_ascii=False, indent=2) for p in pages)
    assert ids(pretty) == ["CN-TM-1", "CN-TM-7", *three]


def test_a_record_holding_a_key_named_as_a_wrapper_is_the_record() -> None:
    record = MARK | {"Data": None, "List": {"x": 1}}
    assert ids(json.dumps(record, ensure_ascii=False)) == ["CN-TM-16435657"]
    assert ids(json.dumps([record], ensure_ascii=False, indent=1)) == ["CN-TM-16435657"]


def test_a_detail_response_after_an_empty_wrapper_key_gives_its_record() -> None:
    detail = {"Data": None, "Result": MARK | {"RegNo": "7"}, "Status": "200"}
    assert ids(json.dumps(detail, ensure_ascii=False)) == ["CN-TM-7"]
    assert ids(json.dumps({"Status": "500", "Result": "服务器错误"}, ensure_ascii=False)) == [
        # an error response: it refuses its file (it was a record of unknown shape)
        "接口返回失败（Status 500：服务器错误），没有记录 / the API answered a failure (Status"
        " 500: 服务器错误), no records"
    ]


def test_a_detail_records_list_before_its_number_stays_its_own() -> None:
    """A detail response whose record holds a ``list`` before its ``RegNo``: the list was taken
    for the records (one quarantined, the record lost, exit code 1)."""
    record = {"list": [{"Name": "甲"}], "RegNo": "52000071", "IntCls": 9, "Name": "详一"}
    detail = {"Status": "200", "Result": record}
    assert ids(json.dumps(detail, ensure_ascii=False)) == ["CN-TM-52000071"]
    assert ids(json.dumps(detail, ensure_ascii=False, indent=1)) == ["CN-TM-52000071"]
    split = list(cn_json.split(io.BytesIO(json.dumps(detail, indent=1).encode())))
    assert split == [("item 1", record)]
