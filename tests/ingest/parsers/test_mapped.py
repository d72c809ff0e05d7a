"""Flat rows to records (``ingest.parsers.mapped``), the half the table and JSON parsers share:
the values exports write in date, number, kind and class cells, and mapping files as Windows
saves them. Rows are given as a CSV or JSON reader gives them, column name → cell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from ingest.parsers.mapped import build_record, load_mapping, patent_kind
from iphub.records import (
    AnyRecord,
    Copyright,
    LegalStatus,
    Patent,
    PatentKind,
    Trademark,
    TrademarkStatus,
)

PATENT = {
    "申请号": "202110000001.6",
    "公开（公告）号": "CN114000001A",
    "名称": "一种锂电池散热装置",
}


def build(row: dict[str, Any], mapping: dict[str, str] | None = None) -> AnyRecord:
    return build_record(row, mapping or load_mapping(None), "csv")


def patent(**cells: Any) -> Patent:
    record = build(PATENT | cells)
    assert isinstance(record, Patent)
    return record


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "placeholder", ["-", "--", "—", "/", "无", "暂无", "null", "NULL", "none", "N/A", "未发表"]
)
def test_a_placeholder_in_a_date_column_costs_no_record(placeholder: str) -> None:
    """A row with ``-`` or ``暂无`` under 授权公告日 was quarantined "无法识别的日期"."""
    p = patent(申请日="2021-01-05", 授权公告日=placeholder)
    assert (p.application_date, p.grant_date) == (dt.date(2021, 1, 5), None)


def test_a_work_not_yet_published_has_no_first_publication_date() -> None:
    row = {
        "登记号": "2016SR100001",
        "软件全称": "云山数据分析平台软件",
        "著作权人": "广州云山科技有限公司",
        "开发完成日期": "2015-12-01",
        "首次发表日期": "未发表",
        "登记日期": "2016-04-01",
    }
    c = build(row)
    assert isinstance(c, Copyright)
    assert (c.completion_date, c.first_publication_date, c.registration_date) == (
        dt.date(2015, 12, 1),
        None,
        dt.date(2016, 4, 1),
    )


def test_a_date_that_is_garbage_is_still_refused_naming_its_column() -> None:
    with pytest.raises(
        ValueError, match="申请日 / application_date: 无法识别的日期 / unrecognised"
    ):
        patent(申请日="下周一")


@pytest.mark.parametrize(
    ("cell", "date"),
    [
        ("44228", dt.date(2021, 2, 1)),
        ("44228.0", dt.date(2021, 2, 1)),  # the serial as a float: was no date, silently
        ("44228.5", dt.date(2021, 2, 1)),  # noon of that day: was 4422-08-05
        ("44228.041666667", dt.date(2021, 2, 1)),
        (44228.5, dt.date(2021, 2, 1)),  # a spreadsheet's own number
    ],
)
def test_an_excel_serial_day_written_as_decimal_text_is_its_date(
    cell: object, date: dt.date
) -> None:
    assert patent(申请日=cell).application_date == date


@pytest.mark.parametrize(
    "cell",
    [
        1620662400000,  # 2021-05-10T16:00:00Z, epoch milliseconds as a JSON export's number
        "1620662400000",
        "/Date(1620662400000+0800)/",
        "2021-05-10T16:00:00Z",
        "2021-05-10 16:00:00+00:00",
    ],
)
def test_an_instant_in_an_export_is_its_day_in_beijing(cell: object) -> None:
    """The data APIs' JSON read these so (``cn_json``); an export's JSON or CSV read a number
    of milliseconds as no date it knew (the row quarantined) and a UTC time as the day
    before."""
    assert patent(申请日=cell).application_date == dt.date(2021, 5, 11)


@pytest.mark.parametrize("cell", ["202101051", "99999.0"])
def test_digits_that_are_no_date_and_no_serial_are_refused(cell: str) -> None:
    """``202101051`` (a digit too many) was read as 2021-01-05."""
    with pytest.raises(ValueError, match=f"申请日 / application_date: 无法识别的日期.*{cell}"):
        patent(申请日=cell)


def test_the_null_date_of_net_apis_is_no_date_and_a_date_no_store_holds_is_refused() -> None:
    """Both passed, and the index refused the record ("store rejected … OverflowError"), in
    English, without the row it came from."""
    assert patent(申请日="0001-01-01T00:00:00").application_date is None
    with pytest.raises(ValueError, match="申请日 / application_date: 日期超出可存储的范围"):
        patent(申请日="1600-01-01")


# --- kinds ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pn", "kind_text", "kind"),
    [
        # 发明专利 (发明) says "invention": the kind code says which document
        ("CN114000001A", "发明专利", PatentKind.INVENTION_APPLICATION),
        ("CN114000001B", "发明专利", PatentKind.INVENTION_GRANT),
        ("CN1100001C", "发明专利", PatentKind.INVENTION_GRANT),
        ("CN114000001A", "发明", PatentKind.INVENTION_APPLICATION),
        ("CN114000001B", "发明", PatentKind.INVENTION_GRANT),
        # no code, and no dates to say which: the application, the publication every
        # invention has (was a grant, counted under grants)
        ("CN114000001", "发明专利", PatentKind.INVENTION_APPLICATION),
        ("CN114000001", "发明", PatentKind.INVENTION_APPLICATION),
        # the kind code names the document, whatever kind the cell says the application reached
        ("CN114000001A", "发明授权", PatentKind.INVENTION_APPLICATION),
        ("CN114000001B", "发明公开", PatentKind.INVENTION_GRANT),
        ("CN214000001U", "实用新型", PatentKind.UTILITY_MODEL),
        # a letter of no known group names no kind: the cell does
        ("CN114000001H", "发明授权", PatentKind.INVENTION_GRANT),
    ],
)
def test_the_kind_code_decides_the_kind_of_the_document(
    pn: str, kind_text: str, kind: PatentKind
) -> None:
    """Exports write 发明专利 for an invention's application and grant alike, and some write
    the kind the application reached (发明授权 beside CN114000001A, once it was granted):
    CN114000001A, an application's publication, was stored as a grant and counted as granted."""
    p = patent(**{"公开（公告）号": pn, "专利类型": kind_text})
    assert (p.id, p.kind) == (pn, kind)


@pytest.mark.parametrize(
    ("cells", "pn", "kind"),
    [
        # published on the day of the grant: the grant's publication
        ({"公开（公告）日": "2023-01-10", "授权公告日": "2023-01-10"}, "CN114000001B", "grant"),
        ({"公开（公告）日": "2009-05-06", "授权公告日": "2009-05-06"}, "CN114000001", "grant"),
        # published before the grant: the application's, granted
        ({"公开（公告）日": "2021-11-02", "授权公告日": "2023-01-10"}, "CN114000001A", "app"),
        # no grant date: the application, the number left bare (it may be the grant's)
        ({"公开（公告）日": "2021-11-02"}, "CN114000001", "app"),
        ({}, "CN114000001", "app"),
    ],
)
def test_an_invention_with_a_bare_number_is_the_grant_only_when_its_dates_say_so(
    cells: dict[str, str], pn: str, kind: str
) -> None:
    """专利类型 (企查查's KindCodeDesc) 发明专利 names an application or a grant, and a bare
    number has no code to say which: it was taken for a grant, and counted under grants."""
    for text in ("发明专利", "发明"):
        p = patent(**{"公开（公告）号": "CN114000001", "专利类型": text} | cells)
        expected = (
            PatentKind.INVENTION_GRANT if kind == "grant" else PatentKind.INVENTION_APPLICATION
        )
        assert (p.id, p.kind) == (pn, expected)


@pytest.mark.parametrize(
    ("text", "pn", "kind"),
    [
        ("实用新型专利", "CN214000001U", PatentKind.UTILITY_MODEL),
        ("中国实用新型专利", "CN214000001U", PatentKind.UTILITY_MODEL),
        ("外观设计专利", "CN306000001S", PatentKind.DESIGN),
        ("中国外观设计专利", "CN306000001S", PatentKind.DESIGN),
        ("发明授权专利", "CN114000001B", PatentKind.INVENTION_GRANT),
        ("发明公布专利", "CN114000001A", PatentKind.INVENTION_APPLICATION),
        ("中国发明专利", "CN114000001", PatentKind.INVENTION_APPLICATION),
        (" 实用新型 专利 ", "CN214000001U", PatentKind.UTILITY_MODEL),
    ],
)
def test_a_kind_written_in_full_is_the_kind(text: str, pn: str, kind: PatentKind) -> None:
    """实用新型专利 and 外观设计专利 beside a bare number were quarantined "unknown patent kind",
    although 实用新型 and 外观设计 load."""
    p = patent(**{"公开（公告）号": pn[:11], "专利类型": text, "公开（公告）日": "2022-04-01"})
    assert (p.id, p.kind) == (pn, kind)


@pytest.mark.parametrize(
    ("cells", "event"),
    [
        ({"专利类型": "发明授权", "授权公告日": "2023-01-10"}, ("授权", dt.date(2023, 1, 10))),
        ({"专利类型": "发明授权"}, ("授权", None)),
        ({"专利类型": "发明专利", "授权公告日": "2023-01-10"}, ("授权", dt.date(2023, 1, 10))),
    ],
)
def test_an_applications_publication_the_row_says_was_granted_is_granted_on_its_date(
    cells: dict[str, str], event: tuple[str, dt.date | None]
) -> None:
    """The application's publication (A) of an invention the row says was granted stays the
    application's publication, and carries the invention's grant date (授权公告日): the row is
    the one record of the application, and the store counts a patent with a grant date as
    granted. The news of the grant is kept as a legal event too."""
    p = patent(**{"公开（公告）号": "CN114000001A", "公开（公告）日": "2021-11-02"} | cells)
    assert (p.kind, p.publication_date, p.grant_date) == (
        PatentKind.INVENTION_APPLICATION,
        dt.date(2021, 11, 2),
        event[1],
    )
    assert [(e.description, e.date) for e in p.legal_events] == [event]


def test_an_applications_publication_with_no_news_of_a_grant_has_no_event() -> None:
    p = patent(**{"公开（公告）号": "CN114000001A", "专利类型": "发明公开"})
    assert (p.kind, p.legal_events) == (PatentKind.INVENTION_APPLICATION, [])
    granted = patent(**{"公开（公告）号": "CN114000001B", "授权公告日": "2023-01-10"})
    assert (granted.grant_date, granted.legal_events) == (dt.date(2023, 1, 10), [])


# --- priorities -----------------------------------------------------------------------------

JP = ("JP", "2020-123456", dt.date(2020, 7, 1))
US = ("US", "62/812,345", dt.date(2020, 9, 1))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("JP2020-123456 2020.07.01", [JP]),
        ("2020.07.01 JP2020-123456", [JP]),  # the date first
        ("JP2020123456 20200701", [("JP", "2020123456", dt.date(2020, 7, 1))]),
        ("JP 2020-123456 2020-07-01", [JP]),  # the office spaced off: the number without spaces
        ("JP2020-123456（2020.07.01）", [JP]),
        ("JP2020-123456 2020.07.01;US62/812,345 2020.09.01", [JP, US]),
        ("JP2020-123456 2020.07.01；US 62/812,345 2020.09.01", [JP, US]),
        ("JP2020-123456 2020.07.01\nUS62/812,345 2020.09.01", [JP, US]),
        ("2020.07.01 JP2020-123456\r\n2020.09.01 US62/812,345", [JP, US]),
        ("JP2020-123456 2020年7月1日 US62/812,345 2020/9/1", [JP, US]),  # spaces alone between
        ("JP2020-123456", [("JP", "2020-123456", None)]),
        ("PCT/JP2020/012345 2020.03.18", [("WO", "PCT/JP2020/012345", dt.date(2020, 3, 18))]),
        # shapes that were misread, nothing quarantined: a comma or 、 between priorities (one
        # in a number stays), a comma, slash or line break between a number and its date, a
        # time after the date, a date day first, words that are no number, labels
        ("JP2020-123456 2020.07.01, US62/812,345 2020.09.01", [JP, US]),
        ("JP2020-123456 2020.07.01、US62/812,345 2020.09.01", [JP, US]),
        ("JP2020-123456, 2020.07.01", [JP]),
        ("JP2020-123456,2020.07.01", [JP]),
        ("JP2020-123456/2020.07.01", [JP]),
        ("JP2020-123456\n2020.07.01", [JP]),
        ("JP2020-123456 2020-07-01 00:00:00", [JP]),
        ("JP2020-123456 01.07.2020", [JP]),
        ("JP2020-123456 2020.07.01 日本", [JP]),
        ("优先权号：JP2020-123456 优先权日：2020.07.01", [JP]),
        ("JP2020-123456 2020-07-01T00:00:00", [JP]),
        ("JP2020-123456 2020-07-01 00:00:00.0", [JP]),
        ("JP2020-123456 2020-07-01 12:00:00 AM", [JP]),
        ("JP2020-123456 2020-07-01T00:00:00Z", [JP]),
    ],
)
def test_a_combined_priority_cell_gives_each_number_and_date(
    cell: str, expected: list[tuple[str, str, dt.date | None]]
) -> None:
    """innojoy and SooPAT write the priorities in one 优先权 cell, number and date together:
    the column was not read, and the priorities were lost."""
    p = patent(优先权=cell)
    assert [(x.country, x.number, x.date) for x in p.priorities] == expected


def test_priorities_given_as_objects_in_a_json_row() -> None:
    """A JSON row may list its priorities as objects, as iphub's own records do: read, not
    quarantined as "an object in a list of names has no name"."""
    given = [
        {"country": "JP", "number": "2020-123456", "date": "2020-07-01"},
        {"Number": "US 62/812,345", "Date": "2020.09.01"},
        "EP20123456 2020.10.01",
    ]
    p = patent(priorities=given)
    assert [(x.country, x.number, x.date) for x in p.priorities] == [
        JP,
        US,
        ("EP", "20123456", dt.date(2020, 10, 1)),
    ]
    # as the data APIs name the keys, a number repeating its office, a pair as a list: the
    # keys were dropped unread, the office kept twice, the date lost
    given = [
        {"priority_number": "JP2020-123456", "PriorityDate": "2020-07-01"},
        {"country": "US", "number": "US62/812,345", "date": "2020-09-01"},
        ["JP2020-123456", "2020-07-01"],
    ]
    p = patent(priorities=given)
    assert [(x.country, x.number, x.date) for x in p.priorities] == [JP, US, JP]


@pytest.mark.parametrize(
    ("numbers", "dates"),
    [
        ("JP2020-123456\nUS62/812,345", "2020-07-01\n2020-09-01"),
        ("JP2020-123456, US62/812,345", "2020-07-01, 2020-09-01"),
        ("JP2020-123456、US62/812,345", "2020-07-01、2020-09-01"),
        ("JP2020-123456;US62/812,345", "2020-07-01 2020-09-01"),
    ],
)
def test_separate_priority_columns_split_as_exports_write_them(numbers: str, dates: str) -> None:
    """PatSnap writes several priorities a line each, others with commas: the dates cell was
    split on ``;`` only, and the row quarantined ("无法识别的日期"); numbers a line each were
    one priority."""
    p = patent(优先权号=numbers, 优先权日=dates)
    assert [(x.country, x.number, x.date) for x in p.priorities] == [JP, US]


def test_two_priorities_of_one_day_keep_their_dates() -> None:
    p = patent(优先权号="JP2020-123456;JP2020-123457", 优先权日="2020-07-01;2020-07-01")
    assert [x.date for x in p.priorities] == [dt.date(2020, 7, 1)] * 2


def test_separate_priority_columns_win_over_a_combined_one() -> None:
    p = patent(优先权号="JP2020-123456", 优先权日="2020-07-01", 优先权="US62/812,345 2020.09.01")
    assert [(x.country, x.number, x.date) for x in p.priorities] == [JP]


def test_a_priority_date_that_is_no_date_in_a_combined_cell_is_refused_naming_it() -> None:
    with pytest.raises(ValueError, match="优先权 / priorities: 日期不存在 / no such date"):
        patent(优先权="JP2020-123456 2020.02.30")


# --- numbers --------------------------------------------------------------------------------


def test_numbers_and_classes_written_as_floats_are_whole_numbers() -> None:
    """A column pandas read as numbers is written ``16435657.0``: the mark got the id
    CN-TM-164356570, class ``9.0`` read as classes 9 and 0 (and was refused, in English)."""
    mark = build({"注册号": "16435657.0", "商标名称": "浮点", "国际分类": "9.0;35.0"})
    assert isinstance(mark, Trademark)
    assert (mark.id, mark.registration_number, mark.application_number) == (
        "CN-TM-16435657",
        "16435657",
        "16435657",
    )
    assert mark.nice_classes == [9, 35]
    number = build({"注册号": 16435657.0, "商标名称": "浮点", "国际分类": 45.0})
    assert isinstance(number, Trademark)
    assert (number.id, number.nice_classes) == ("CN-TM-16435657", [45])


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("g 1234568", "G1234568"),
        ("G-1234569", "G1234569"),
        ("Ｇ１２３４５７０", "G1234570"),
        ("G1234567.0", "G1234567"),
        ("１２３４５６７１", "12345671"),
        ("0123 4567", "01234567"),
    ],
)
def test_a_marks_number_is_stored_as_its_id_has_it(written: str, number: str) -> None:
    """The number was stored as written (``G-1234569``, full-width digits) beside an id made
    of its normal form: ``ap=G1234569`` or ``ap=12345671`` found nothing."""
    mark = build({"注册号": written, "商标名称": "云山", "国际分类": "9"})
    assert isinstance(mark, Trademark)
    assert (mark.id, mark.application_number, mark.registration_number) == (
        f"CN-TM-{number}",
        number,
        number,
    )


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("202110000001.0", "CN202110000001.6"),  # .0 no check digit of it: the whole number
        (202110000001.0, "CN202110000001.6"),
        ("202110000002.0", "CN202110000002.0"),  # .0 its check digit: the same number
        ("202110000001.6", "CN202110000001.6"),
    ],
)
def test_an_application_number_written_as_a_float(cell: object, expected: str) -> None:
    assert patent(申请号=cell).application_number == expected


def test_a_wrong_check_digit_is_still_refused() -> None:
    with pytest.raises(ValueError, match=r"校验位不符 / check digit mismatch.*expected 6"):
        patent(申请号="202110000001.5")


def test_a_bare_publication_number_written_as_a_float() -> None:
    p = patent(**{"公开（公告）号": "114000001.0", "专利类型": "发明公开"})
    assert p.id == "CN114000001A"


# --- names ----------------------------------------------------------------------------------


def test_objects_and_nested_lists_in_json_rows() -> None:
    """A JSON lines row's applicants as objects and IPC as a list of lists were stored as
    Python text: the applicant ``"{'name': '广州甲科技有限公司', 'address': …}"``."""
    p = patent(
        **{
            "申请（专利权）人": [
                {"name": "广州甲科技有限公司", "address": "广州市黄埔区"},
                {"name": "广州乙大学"},
            ],
            "地址": "广东省广州市",
            "分类号": [["H01M10/42"], ["G06F16/00"]],
        }
    )
    assert [(a.name, a.address) for a in p.applicants] == [
        ("广州甲科技有限公司", "广州市黄埔区"),
        ("广州乙大学", "广东省广州市"),
    ]
    assert (p.ipc_main, p.ipc) == ("H01M 10/42", ["H01M 10/42", "G06F 16/00"])


# --- classes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "ipc"),
    [
        ("H01M10/613 H01M10/625 H05K7/20", ["H01M 10/613", "H01M 10/625", "H05K 7/20"]),
        ("H01M10/42、G06F16/00", ["H01M 10/42", "G06F 16/00"]),
        ("H01M 10/0525  H01M 4/62", ["H01M 10/0525", "H01M 4/62"]),
        ("H01M G06F", ["H01M", "G06F"]),
        # one symbol, however spaced, stays one
        ("H01M 10/0525", ["H01M 10/0525"]),
        ("H01M  10/0525", ["H01M 10/0525"]),
        ("G06F 16/00 (2019.01)", ["G06F 16/00"]),
        ("H01M 10/0525(2010.01)I H01M 4/62(2006.01)I", ["H01M 10/0525", "H01M 4/62"]),
        ("Y02E 60/10 H01M10/42", ["Y02E 60/10", "H01M 10/42"]),  # CPC's section Y kept
        ("见说明书 H01M", ["见说明书 H01M"]),  # not symbols alone: kept as written
    ],
)
def test_ipc_symbols_separated_by_spaces_or_enumeration_commas(cell: str, ipc: list[str]) -> None:
    """``H01M10/613 H01M10/625 H05K7/20`` was one symbol, not normalised: ``ipc=H05K`` found
    nothing."""
    assert patent(分类号=cell).ipc == ipc


def test_locarno_classes_are_split_on_enumeration_commas() -> None:
    p = patent(**{"公开（公告）号": "CN306000001S", "分类号": "13-02、13-03"})
    assert p.locarno == ["13-02", "13-03"]


# --- legal statuses -------------------------------------------------------------------------

GRANT, APPLICATION = "CN114000001B", "CN114000001A"


@pytest.mark.parametrize(
    ("pn", "cell", "status"),
    [
        # what concerns a patent in force: it is valid
        (GRANT, "专利权的转移", LegalStatus.VALID),
        (GRANT, "专利权质押合同登记的生效", LegalStatus.VALID),
        (GRANT, "专利权质押合同登记的注销", LegalStatus.VALID),
        (GRANT, "专利实施许可合同备案的生效", LegalStatus.VALID),
        (GRANT, "授权 | 权利转移", LegalStatus.VALID),
        # an invalidation under way, or in part: the patent stands
        (GRANT, "无效宣告请求", LegalStatus.VALID),
        (GRANT, "无效宣告审查中", LegalStatus.VALID),
        (GRANT, "专利权部分无效", LegalStatus.VALID),
        (GRANT, "无效宣告请求审查决定维持专利权有效", LegalStatus.VALID),
        (GRANT, "宣告专利权全部无效", LegalStatus.INVALID),
        (GRANT, "专利权的终止", LegalStatus.INVALID),
        (GRANT, "授权 | 专利权的终止", LegalStatus.INVALID),
        # an application published, its right transferred, its refusal under review: pending
        (APPLICATION, "发明专利申请公布", LegalStatus.PENDING),
        (APPLICATION, "实质审查的生效", LegalStatus.PENDING),
        (APPLICATION, "专利申请权的转移", LegalStatus.PENDING),
        (APPLICATION, "驳回复审中", LegalStatus.PENDING),
        (APPLICATION, "复审请求", LegalStatus.PENDING),
        (APPLICATION, "发明专利申请公布后的驳回", LegalStatus.INVALID),
        (APPLICATION, "发明专利申请公布后的视为撤回", LegalStatus.INVALID),
        # what may concern an application or a patent: valid on a granted record, else unknown
        (GRANT, "著录事项变更", LegalStatus.VALID),
        (APPLICATION, "著录事项变更", LegalStatus.UNKNOWN),
        (GRANT, "专利申请权、专利权的转移", LegalStatus.VALID),
        (APPLICATION, "专利申请权、专利权的转移", LegalStatus.UNKNOWN),
        ("CN214000001U", "著录事项变更", LegalStatus.VALID),  # granted as published
        (APPLICATION, "公开 | 实质审查 | 权利转移", LegalStatus.PENDING),
        (APPLICATION, "授权 | 权利转移", LegalStatus.VALID),
        # PatSnap's PCT statuses, a late fee (these were unknown)
        ("WO2021000001A1", "PCT指定期内", LegalStatus.PENDING),
        ("WO2021000001A1", "PCT指定期满", LegalStatus.INVALID),
        # … past it: the bare 指定期 read them as pending
        ("WO2021000001A1", "PCT指定期限届满", LegalStatus.INVALID),
        ("WO2021000001A1", "PCT未进入指定期", LegalStatus.INVALID),
        (GRANT, "等年费滞纳金", LegalStatus.VALID),
        (GRANT, "未缴年费专利权终止", LegalStatus.INVALID),
    ],
)
def test_a_patents_legal_status_is_what_its_event_means(
    pn: str, cell: str, status: LegalStatus
) -> None:
    """A transfer, pledge or licence of a patent, and an application's publication
    (发明专利申请公布), were unknown; an invalidation under way or in part (无效宣告请求,
    部分无效) and a refusal under review (驳回复审) were invalid."""
    assert patent(**{"公开（公告）号": pn, "法律状态": cell}).legal_status is status


# --- trademark statuses ---------------------------------------------------------------------

REGISTERED, APPLIED = TrademarkStatus.REGISTERED, TrademarkStatus.APPLIED
PRELIMINARY, INVALID = TrademarkStatus.PRELIMINARY, TrademarkStatus.INVALID


def mark_status(cell: str) -> TrademarkStatus:
    mark = build({"注册号": "56781234", "商标名称": "云山智联", "商标状态": cell})
    assert isinstance(mark, Trademark)
    return mark.status


@pytest.mark.parametrize(
    ("cell", "status"),
    [
        # a cancellation or invalidation of a registered mark still under way: it stands
        ("撤销三年不使用待审中", REGISTERED),
        ("撤销连续三年不使用注册商标申请审查中", REGISTERED),
        ("撤销/无效宣告申请审查中", REGISTERED),  # 企查查
        ("无效宣告审理中", REGISTERED),
        ("无效宣告申请-待审中", REGISTERED),
        ("撤三中", REGISTERED),
        # a refusal under review, or in part (the rest goes on): the application is pending
        ("驳回复审中", APPLIED),
        ("等待驳回复审", APPLIED),
        ("商标注册申请部分驳回通知发文", APPLIED),
        # completed renewals, transfers, licences and changes of a registered mark
        ("商标续展完成", REGISTERED),
        ("商标续展-续展完成", REGISTERED),
        ("转让完成", REGISTERED),
        ("商标转让-转让完成", REGISTERED),
        ("许可备案完成", REGISTERED),
        ("商标使用许可备案完成", REGISTERED),
        ("变更商标申请人/注册人名义/地址完成", REGISTERED),
        ("变更注册人名义/地址-变更完成", REGISTERED),
        # what ends a mark: a completed cancellation or invalidation, an expiry, a refusal
        ("撤销三年不使用完成", INVALID),
        ("商标已撤销", INVALID),
        ("无效宣告完成", INVALID),
        ("商标已无效", INVALID),
        ("已注销", INVALID),
        ("已销亡", INVALID),  # 企查查
        ("商标已过期", INVALID),
        ("期满未续展", INVALID),
        ("商标注册申请-驳回通知发文", INVALID),
        ("驳回", INVALID),
        # as before
        ("注册公告", REGISTERED),
        ("已注册", REGISTERED),
        ("商标已注册", REGISTERED),
        ("初审公告", PRELIMINARY),
        ("等待实质审查", APPLIED),
        ("商标注册申请中", APPLIED),
        # oppositions (these were unknown, or 不予注册 registered … by 注册)
        ("商标异议申请中", PRELIMINARY),
        ("异议审查中", PRELIMINARY),
        ("异议完成", TrademarkStatus.UNKNOWN),
        # the opposition period over, none filed: registered (the bare 异议 read it as opposed)
        ("异议期满", REGISTERED),
        ("商标已注册，异议期已过", REGISTERED),
        ("不予注册", INVALID),
        ("商标异议-不予注册决定", INVALID),
        ("准予注册", REGISTERED),
        ("不予注册复审中", APPLIED),
        ("不予注册复审完成", TrademarkStatus.UNKNOWN),
        # the opposition period over, then the mark ended (these were registered)
        ("异议期满，商标无效", INVALID),
        ("撤销三年不使用完成 异议期满", INVALID),
    ],
)
def test_a_marks_status_is_what_its_procedure_means(cell: str, status: TrademarkStatus) -> None:
    """Any status holding 撤销, 无效 or 驳回 was invalid — a cancellation or invalidation still
    pending against a registered mark, a refusal under review or in part — so clearance
    (``similar-marks --live``) hid live conflicting marks and the registered marks were
    undercounted; a completed renewal, transfer or licence was unknown, and a change of the
    registrant's name (变更…注册人名义…完成) an application."""
    assert mark_status(cell) is status


def test_a_decided_review_of_a_refusal_says_not_which_way() -> None:
    """The review decided (驳回复审完成) either upholds the refusal or sends the mark on to
    publication: unknown, and so kept in clearance (only invalid marks are left out)."""
    assert mark_status("驳回复审完成") is TrademarkStatus.UNKNOWN


# --- Nice classes ---------------------------------------------------------------------------


def nice(cell: object) -> list[int]:
    mark = build({"注册号": "56781234", "商标名称": "云山智联", "国际分类": cell})
    assert isinstance(mark, Trademark)
    return mark.nice_classes


@pytest.mark.parametrize(
    ("cell", "classes"),
    [
        ("第9类 科学仪器(2012版)", [9]),  # was [9, 20, 12]: the edition's year read as classes
        ("第9类 科学仪器（尼斯分类第11版）", [9]),
        ("第35类-广告销售；第9类-科学仪器", [35, 9]),
        ("9 科学仪器（第11版）", [9]),
        ("第9类", [9]),
        ("09", [9]),
        ("9;35", [9, 35]),
        ("9、35、42", [9, 35, 42]),
        ("9.0;35.0", [9, 35]),
        (45, [45]),
        (9.0, [9]),
        ("第九类", [9]),  # Chinese numerals: the cell was refused "no Nice class"
        ("第9类;35", [9, 35]),  # labelled and bare items: the bare ones were lost
        ("9;第35类", [9, 35]),
        ("09,第四十五类,第十类", [9, 45, 10]),
        ("第三十五类 广告销售；第九类", [35, 9]),
        ("第十类、第十一类、第二十类、第四十五类", [10, 11, 20, 45]),
    ],
)
def test_only_the_class_numbers_of_a_nice_cell_are_read(cell: object, classes: list[int]) -> None:
    assert nice(cell) == classes


@pytest.mark.parametrize(
    ("cell", "classes"),
    [
        ("第九类,第35类", [9, 35]),  # was [35]
        ("第9类,第三十五类", [9, 35]),  # was [9]
        ("第九类、三十五类", [9, 35]),  # was [9]
        ("第九、三十五类", [9, 35]),  # was refused: no Nice class
        ("第9、35类", [9, 35]),
        ("第9类，35类", [9, 35]),  # was [9]
        ("第10类 一类医疗器械", [10]),  # a class begins at 第: 一类 of the goods is none
    ],
)
def test_classes_written_two_ways_in_one_cell_are_all_read(cell: str, classes: list[int]) -> None:
    """A cell mixing digits and Chinese numerals, or sharing one 第…类 between classes, lost a
    class without a word: the cell was read in one way of writing only."""
    assert nice(cell) == classes


@pytest.mark.parametrize("cell", ["100", "科学仪器", 100, "9.5", "(2012版)"])
def test_a_nice_cell_with_no_class_number_is_refused_saying_so(cell: object) -> None:
    """``100`` was read as classes 10 and 0 (the record refused by validation, in English)."""
    with pytest.raises(ValueError, match="国际分类 / nice_classes: 没有 1–45 的类号") as exc:
        nice(cell)
    assert "no Nice class (1 to 45)" in str(exc.value)
    assert repr(cell) in str(exc.value)


@pytest.mark.parametrize(
    ("cell", "shown", "number"),
    [("9;99", "99", 99), ("0", "0", 0), ("第46类", "第46类", 46), ("第四十六类", "第四十六类", 46)],
)
def test_a_number_that_is_no_class_is_still_refused(cell: str, shown: str, number: int) -> None:
    """… as ``46`` is, not dropped, naming the column and the cell as the other refusals of a
    Nice cell do: the record's validation said "字段值无效 / invalid value: nice_classes.0: Input
    should be less than or equal to 45", with neither."""
    with pytest.raises(ValueError, match="^国际分类 / nice_classes: ") as exc:
        nice(cell)
    assert str(exc.value) == (
        f"国际分类 / nice_classes: {shown} 不是 1–45 的类号 / class {number} is no Nice class"
        f" (1 to 45) in {cell!r}"
    )


def test_an_empty_or_placeholder_nice_cell_gives_no_class() -> None:
    assert [nice(cell) for cell in ("-", "无", "  ")] == [[], [], []]


# --- mapping files --------------------------------------------------------------------------

MAPPING = {"公开号码": "publication_number", "申请号码": "application_number", "发明题目": "title"}


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b"\xef\xbb\xbf"), ("gbk", b""), ("utf-16-le", b"\xff\xfe"), ("utf-8", b"")],
)
def test_a_mapping_file_saved_by_windows_notepad(tmp_path: Path, encoding: str, bom: bytes) -> None:
    """Notepad saves UTF-8 with a BOM, or GBK ("ANSI" on a Chinese Windows): both were refused
    ("Unexpected UTF-8 BOM", "'utf-8' codec can't decode"), while data files in them load."""
    path = tmp_path / "mapping.json"
    text = (
        '{"公开号码": "publication_number", "申请号码": "application_number", "发明题目": "title"}'
    )
    path.write_bytes(bom + text.encode(encoding))
    mapping = load_mapping(path)
    assert {k: mapping[k] for k in MAPPING} == MAPPING
    row = {"公开号码": "CN114500002A", "申请号码": "202110500002.7", "发明题目": "GBK映射"}
    assert build(row, mapping).id == "CN114500002A"


def test_a_mapping_file_in_no_known_encoding_is_refused_in_both_languages(tmp_path: Path) -> None:
    path = tmp_path / "mapping.json"
    path.write_bytes('{"公开号码": "publication_number"}'.encode() + b"\xff\xfe\xfd")
    with pytest.raises(ValueError, match="映射文件既不是 UTF-8 也不是 GBK 编码") as exc:
        load_mapping(path)
    assert str(exc.value) == (
        f"映射文件既不是 UTF-8 也不是 GBK 编码 / the mapping file {path} is neither UTF-8 nor GBK"
        " text: 偏移 38 处的字节 / the byte at offset 38: b'\\xff'"
    )


def test_an_unknown_kind_says_what_the_row_gave_and_what_is_missing() -> None:
    with pytest.raises(ValueError, match="专利类型 '奇怪'，公开号没有类型代码") as odd:
        patent_kind("奇怪", None)
    assert "None" not in str(odd.value)
    assert "no kind code on the publication number" in str(odd.value)


def test_a_grants_row_without_its_grant_date_is_granted_as_published() -> None:
    """A B, U or S row whose export leaves 授权公告日 empty had no grant date, so grant-year
    statistics put it under "no year" (the data APIs' records too, which give none); the
    offices' XML is read so: a grant is granted as published. An application stays ungranted."""
    grant = patent(**{"公开（公告）号": "CN114000001B", "公开（公告）日": "2023-01-10"})
    assert grant.grant_date == dt.date(2023, 1, 10)
    application = patent(**{"公开（公告）号": "CN114000001A", "公开（公告）日": "2022-01-10"})
    assert application.grant_date is None


def test_a_mark_number_that_is_none_is_refused_naming_its_column() -> None:
    """The reason said "unrecognised trademark number" without the column it came from, as
    every other refused cell names it."""
    with pytest.raises(ValueError, match="^注册号 / number: 无法识别的商标号 / unrecognised"):
        build({"注册号": "XYZ123", "商标名称": "云山智联"})
