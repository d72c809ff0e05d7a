"""CSV / JSONL / JSON / XLSX patent exports with Chinese headers and a mapping file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from ingest import formats
from ingest.parsers import tabular
from ingest.parsers.base import Item, Quarantined
from ingest.parsers.mapped import load_mapping
from iphub.records import (
    Copyright,
    CopyrightType,
    Patent,
    PatentKind,
    Trademark,
    TrademarkStatus,
)
from tests.ingest.conftest import FIXTURES

HEADER = "申请号,申请日,公开（公告）号,名称,摘要,申请（专利权）人,地址,主分类号,分类号,代理机构"
ROW = (
    "CN202110123456.7,2021-02-01,CN114123456A,一种锂电池正极材料,本发明公开了一种正极材料。,"
    "广州电池有限公司;广州大学,广东省广州市天河区,H01M 10/0525,H01M 10/0525;H01M 4/62,"
    "广州华进联合专利商标代理有限公司"
)


def check(p: object) -> None:
    assert isinstance(p, Patent)
    assert (p.id, p.application_number) == ("CN114123456A", "CN202110123456.7")
    assert p.kind is PatentKind.INVENTION_APPLICATION
    assert p.application_date == dt.date(2021, 2, 1)
    assert p.title.text == "一种锂电池正极材料"
    assert p.abstract is not None
    assert p.abstract.text == "本发明公开了一种正极材料。"
    assert [(a.name, a.address) for a in p.applicants] == [
        ("广州电池有限公司", "广东省广州市天河区"),
        ("广州大学", "广东省广州市天河区"),
    ]
    assert (p.ipc_main, p.ipc) == ("H01M 10/0525", ["H01M 10/0525", "H01M 4/62"])
    assert p.agency is not None
    assert p.agency.name == "广州华进联合专利商标代理有限公司"


@pytest.fixture(params=["calamine", "openpyxl"])
def xlsx_reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """An .xlsx test runs with both readers: python-calamine, for workbooks up to
    ``CALAMINE_XML`` of sheet XML, and openpyxl's streaming mode, for larger ones."""
    if request.param == "openpyxl":
        monkeypatch.setattr(tabular, "CALAMINE_XML", -1)
    return str(request.param)


def test_csv_with_default_chinese_headers_utf8_and_gbk() -> None:
    text = f"{HEADER}\n{ROW}\n"
    for data in (text.encode("utf-8-sig"), text.encode("gbk")):
        (p,) = list(tabular.parse(io.BytesIO(data), fmt="csv"))
        check(p)


def test_cells_past_the_header_are_left_aside_and_the_row_loads() -> None:
    """A trailing comma, or a note after the last column, gives a row more cells than its
    header: they are read under no column name and left aside (compiled, a row keyed by
    ``None`` once failed the declared ``Mapping[str, …]``: every such row was quarantined)."""
    data = f"{HEADER}\n{ROW},\n{ROW},备注：复审中\n".encode()
    items = list(tabular.parse(io.BytesIO(data), fmt="csv"))
    assert len(items) == 2
    for p in items:
        check(p)


def test_csv_bad_row_quarantined_and_skip() -> None:
    data = f"{HEADER}\n{ROW}\nCN1,,,,,,,,,\n{ROW}\n".encode()
    items = list(tabular.parse(io.BytesIO(data), fmt="csv"))
    assert isinstance(items[1], Quarantined)
    assert items[1].position == "row 3"
    assert [type(i).__name__ for i in tabular.parse(io.BytesIO(data), 2, fmt="csv")] == ["Patent"]


def test_a_nul_byte_in_a_csv_row_quarantines_that_row_alone() -> None:
    """Python's csv module refuses a line with a NUL byte, which ended the file there; a stray
    NUL in a dirty export now costs its row, and the sniffer still takes the file for a table."""
    bad = ROW.replace("一种锂电池", "一种\x00锂电池").replace("CN114123456A", "CN114123457A")
    data = f"{HEADER}\n{ROW}\n{bad}\n{ROW.replace('CN114123456A', 'CN114123458A')}\n".encode()
    assert formats.sniff(data, "export.txt") == "csv"
    items = list(tabular.parse(io.BytesIO(data), fmt="csv"))
    assert [type(i).__name__ for i in items] == ["Patent", "Quarantined", "Patent"]
    check(items[0])
    quarantined = items[1]
    assert isinstance(quarantined, Quarantined)
    assert (quarantined.position, quarantined.reason) == (
        "row 3",
        "行内有 NUL 字符 / NUL byte in the row",
    )
    assert "一种\\u0000锂电池" in quarantined.raw
    assert formats.sniff(b"\x00\x01binary,junk\n", "notes.bin") is None  # still not a table


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_a_byte_not_in_the_files_encoding_quarantines_its_row_alone(encoding: str) -> None:
    """A UTF-8 export with one bad byte was read as GB18030 — every row garbled, then a
    decoding error that quarantined the rest of the file; a GBK export with one, the rest of
    the file. Now that row is quarantined, and the others load as they are."""
    text = f"{HEADER}\n{ROW}\nBAD\n{ROW.replace('CN114123456A', 'CN114123458A')}\n" * 1
    bad = ROW.replace("CN114123456A", "CN114123457A").encode(encoding)
    cut = bad.index("锂".encode(encoding))
    data = text.encode(encoding).replace(b"BAD", bad[:cut] + b"\xff" + bad[cut:])
    items = list(tabular.parse(io.BytesIO(data), fmt="csv"))
    assert [type(i).__name__ for i in items] == ["Patent", "Quarantined", "Patent"]
    check(items[0])
    quarantined = items[1]
    assert isinstance(quarantined, Quarantined)
    name = {"utf-8": "UTF-8", "gbk": "GB18030"}[encoding]
    assert quarantined.position == "row 3"
    assert (
        quarantined.reason == f"含有不是 {name} 编码的字节 / bytes not valid {name} in the record"
    )
    assert "一种\ufffd锂电池" in quarantined.raw


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_a_json_line_or_record_with_a_bad_byte_is_quarantined_alone(encoding: str) -> None:
    rows = [
        {"申请号": "CN202110123451.4", "公开（公告）号": "CN114123451A", "名称": "一种锂电池"},
        {"申请号": "CN202110123452.9", "公开（公告）号": "CN114123452A", "名称": "一种电机"},
        {"申请号": "CN202110123453.3", "公开（公告）号": "CN114123453A", "名称": "一种隔膜"},
    ]
    spoil = ("电机".encode(encoding), "电".encode(encoding) + b"\xff" + "机".encode(encoding))
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode(encoding)
    array = json.dumps(rows, ensure_ascii=False).encode(encoding)
    for fmt, data in (("jsonl", lines), ("json", array)):
        items = list(tabular.parse(io.BytesIO(data.replace(*spoil)), fmt=fmt))
        assert [getattr(i, "id", type(i).__name__) for i in items] == [
            "CN114123451A",
            "Quarantined",
            "CN114123453A",
        ], fmt
        assert "bytes not valid" in getattr(items[1], "reason", "")
        assert [getattr(i, "title", None) and i.title.text for i in items[::2]] == [  # type: ignore[union-attr]
            "一种锂电池",
            "一种隔膜",
        ]


def _numbered(i: int) -> str:
    return ROW.replace("CN114123456A", f"CN11412345{i}A")


def test_a_quote_never_closed_costs_its_row_not_the_rows_after_it() -> None:
    """A title that opens with a quote never closed (``"互联网+`` in an export) made the csv
    reader take every line up to the next quote for that field: the rows in between were lost
    without a word, inside the title of one that loaded. That row is quarantined now, and
    the lines after it are read as the rows they are; a quoted field that spans lines (an
    abstract's line breaks, commas and all) is still one field."""
    stray = _numbered(3).replace("一种锂电池正极材料", '"互联网+锂电池')
    spanning = _numbered(6).replace(
        "本发明公开了一种正极材料。", '"First line, with, commas, , , , , , , ,\nsecond line."'
    )
    lines = [HEADER, _numbered(1), _numbered(2), stray, _numbered(4), _numbered(5), spanning]
    data = ("\n".join([*lines, _numbered(7)]) + "\n").encode()
    items = list(tabular.parse(io.BytesIO(data), fmt="csv"))
    assert [getattr(i, "id", type(i).__name__) for i in items] == [
        "CN114123451A", "CN114123452A", "Quarantined", "CN114123454A", "CN114123455A",
        "CN114123456A", "CN114123457A",
    ]  # fmt: skip
    quarantined = items[2]
    assert isinstance(quarantined, Quarantined)
    assert quarantined.position == "row 4"
    assert "a quote opened in this row is never closed" in quarantined.reason
    assert quarantined.raw == stray
    abstract = items[5].abstract  # type: ignore[union-attr]
    assert abstract is not None
    assert abstract.text == "First line, with, commas, , , , , , , ,\nsecond line."
    # positions stay those of a plain read: a resume skips the same rows
    resumed = list(tabular.parse(io.BytesIO(data), 3, fmt="csv"))
    assert [getattr(i, "id", None) for i in resumed] == [i.id for i in items[3:]]  # type: ignore[union-attr]


def _title_first(line: str) -> str:
    """A row of HEADER's columns with 名称 (the title) moved first."""
    values = line.split(",")
    return ",".join([values[3], *values[:3], *values[4:]])


def test_a_quote_never_closed_is_found_when_the_first_column_is_text() -> None:
    """An export whose first column is the title: the rows a stray quote swallowed were told
    by the shape of their first value, which a title does not have, so rows 5 and 6 were lost
    without a word and row 4 quarantined for a wrong reason. The codes of the last row (the
    numbers, the date, the classes) tell them now; an abstract spanning lines, with digits
    and commas in it, is still one field."""
    stray = _numbered(3).replace("一种锂电池正极材料", '"互联网+锂电池')
    spanning = _numbered(6).replace(
        "本发明公开了一种正极材料。", '"Line 1, 10 wt%, 2 mm, 3, 4, 5, 6, 7, 8,\nline 2."'
    )
    rows = [_numbered(1), _numbered(2), stray, _numbered(4), _numbered(5), spanning, _numbered(7)]
    lines = [_title_first(HEADER), *map(_title_first, rows)]
    items = list(tabular.parse(io.BytesIO(("\n".join(lines) + "\n").encode()), fmt="csv"))
    assert [getattr(i, "id", type(i).__name__) for i in items] == [
        "CN114123451A", "CN114123452A", "Quarantined", "CN114123454A", "CN114123455A",
        "CN114123456A", "CN114123457A",
    ]  # fmt: skip
    assert "a quote opened in this row is never closed" in getattr(items[2], "reason", "")
    abstract = items[5].abstract  # type: ignore[union-attr]
    assert abstract is not None
    assert abstract.text == "Line 1, 10 wt%, 2 mm, 3, 4, 5, 6, 7, 8,\nline 2."


@pytest.mark.parametrize("rows", [600, 1000])
def test_a_quote_never_closed_with_no_quote_after_it_costs_its_row_alone(rows: int) -> None:
    """With no quote after it, the field ran to the end of the file (600 rows), or past the
    csv module's size limit of 128 Ki characters (1,000 rows), whose error ended the file."""
    lines = [HEADER] + [ROW.replace("CN114123456A", f"CN{114000000 + i}A") for i in range(rows)]
    lines[3] = lines[3].replace("一种锂电池正极材料", '"互联网+锂电池')
    items = list(tabular.parse(io.BytesIO(("\n".join(lines) + "\n").encode()), fmt="csv"))
    assert len(items) == rows
    assert [i.position for i in items if isinstance(i, Quarantined)] == ["row 4"]


_ABSTRACT = (
    "A battery module is disclosed.\n"
    "It comprises 10 cells, 2 busbars, a housing, and a cooling plate.\n"
    "The module improves safety."
)


@pytest.mark.parametrize("after", ["", " "])
def test_a_quoted_abstract_whose_lines_read_like_rows_is_one_field(after: str) -> None:
    """An English abstract over three lines, its middle one four cells (as many as the header)
    with digits where the last row had its numbers (``It comprises 10 cells, 2 busbars, …``):
    the row was quarantined as "a quote never closed" and its lines read as two bogus rows.
    Its quote closes, so it is one field; and prose is no code, even where an export leaves a
    space after the closing quote (which no strict reading of the record allows)."""
    text = (
        "申请号,公开（公告）号,名称,摘要\n"
        "202110000001.6,CN114000001A,一种电池,单行摘要\n"
        f'202110000002.0,CN114000002A,Battery module,"{_ABSTRACT}"{after}\n'
        "202110000005.4,CN114000005A,一种电池三,摘要三\n"
    )
    rows = list(tabular.split(io.BytesIO(text.encode()), fmt="csv"))
    assert [position for position, _ in rows] == ["row 2", "row 3", "row 4"]
    items = list(tabular.parse(io.BytesIO(text.encode()), fmt="csv"))
    assert [getattr(i, "id", type(i).__name__) for i in items] == [
        "CN114000001A",
        "CN114000002A",
        "CN114000005A",
    ]
    abstract = items[1].abstract  # type: ignore[union-attr]
    assert abstract is not None
    assert abstract.text == _ABSTRACT


def _table(lines: list[list[str | None]], fmt: str, tmp_path: Path) -> list[Item]:
    """``lines`` (a header, then rows; None an empty cell) as a CSV or .xlsx table, parsed."""
    if fmt == "csv":
        text = "".join(",".join(v or "" for v in line) + "\n" for line in lines)
        return list(tabular.parse(io.BytesIO(text.encode()), fmt="csv"))
    book = Workbook()
    for line in lines:
        book.active.append(line)
    path = tmp_path / "export.xlsx"
    book.save(path)
    with path.open("rb") as f:
        return list(tabular.parse(f, fmt="xlsx"))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_of_columns_of_one_name_the_first_with_a_value_is_read(
    fmt: str, tmp_path: Path, xlsx_reader: str
) -> None:
    """An export with two 名称 columns (a Chinese title, then an English one, or a second left
    empty): the row took the last column's value, so an empty one blanked the title (the row
    quarantined for want of it) and a Chinese export got its English title. The first with a
    value is read, as for any columns mapped to one field; a quarantined row keeps them all."""
    lines: list[list[str | None]] = [
        ["申请号", "公开（公告）号", "名称", "摘要", "名称"],
        ["CN202110123451.4", "CN114123451A", "真正的标题", "摘要一", None],
        ["CN202110123452.9", "CN114123452A", "中文标题", "摘要二", "English Title"],
        ["CN202110123453.3", "CN114123453A", None, "摘要三", "只在第二列的标题"],
        ["CN202110123454.8", None, "缺公开号的标题", "摘要四", "Title Four"],
    ]
    items = _table(lines, fmt, tmp_path)
    assert [getattr(i, "title", None) and i.title.text for i in items[:3]] == [  # type: ignore[union-attr]
        "真正的标题",
        "中文标题",
        "只在第二列的标题",
    ]
    quarantined = items[3]
    assert isinstance(quarantined, Quarantined)
    assert "publication_number" in quarantined.reason
    raw = quarantined.raw
    assert "缺公开号的标题" in raw
    assert "Title Four" in raw
    assert raw.index("缺公开号的标题") < raw.index("摘要四") < raw.index("Title Four")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_rows_of_empty_cells_are_no_rows(fmt: str, tmp_path: Path, xlsx_reader: str) -> None:
    """Excel writes a blank row of a sheet saved as CSV as delimiters alone (``,,,``): each was
    read as a row and quarantined for want of a publication number, as a row of spaces was (in
    a workbook too). They are passed over as blank lines are, and in a CSV take no position."""
    lines: list[list[str | None]] = [
        ["申请号", "公开（公告）号", "名称"],
        [None, None, None],
        ["CN202110123451.4", "CN114123451A", "一种锂电池"],
        [" ", None, "  "],
        [None, None, None],
        ["CN202110123452.9", "CN114123452A", "一种电机"],
        [None, None, None],
    ]
    items = _table(lines, fmt, tmp_path)
    assert [getattr(i, "id", type(i).__name__) for i in items] == ["CN114123451A", "CN114123452A"]
    if fmt == "csv":
        text = "".join(",".join(v or "" for v in line) + "\n" for line in lines)
        rows = list(tabular.split(io.BytesIO(f"{text}\n".encode()), fmt="csv"))
        assert [position for position, _ in rows] == ["row 2", "row 3"]


def test_mapping_file_for_other_headers(tmp_path: Path) -> None:
    mapping = tmp_path / "cols.json"
    mapping.write_text(json.dumps({"Pub No": "publication_number", "Appl No": "application_number",
                                   "Subject": "title"}))  # fmt: skip
    data = b"Pub No\tAppl No\tSubject\nCN114123456A\tCN202110123456.7\tA battery\n"
    (p,) = list(tabular.parse(io.BytesIO(data), fmt="csv", mapping=load_mapping(mapping)))
    assert isinstance(p, Patent)
    assert (p.id, p.title.text) == ("CN114123456A", "A battery")


def test_jsonl_and_json() -> None:
    row = dict(zip(HEADER.split(","), ROW.split(","), strict=True))
    line = json.dumps(row, ensure_ascii=False)
    items = list(tabular.parse(io.BytesIO(f"{line}\n{{broken\n[1]\n".encode()), fmt="jsonl"))
    check(items[0])
    assert isinstance(items[1], Quarantined)
    assert items[1].position == "line 2"
    assert items[1].reason.startswith("JSON 格式错误 / invalid JSON: ")
    assert isinstance(items[2], Quarantined)
    assert items[2].reason == "不是 JSON 对象 / not a JSON object (a row)"
    (p,) = list(tabular.parse(io.BytesIO(f"[{line}]".encode()), fmt="json"))
    check(p)


def test_a_json_array_broken_after_its_rows_loads_them_and_says_where_it_broke() -> None:
    """A JSON array that breaks after its first rows (a trailing comma, a cut file): the rows
    before the break load, and the break is quarantined where it came, for the rest of the
    file, as cn-json does; the file was said not loaded, with yajl's message as bytes. One
    that breaks before any row is still not loaded, as a whole."""
    row = {"申请号": "CN202110123456.7", "公开（公告）号": "CN114123456A", "名称": "一种锂电池"}
    data = f"[{json.dumps(row, ensure_ascii=False)},]".encode()
    patent, rest = list(tabular.parse(io.BytesIO(data), fmt="json"))
    assert isinstance(patent, Patent)
    assert patent.id == "CN114123456A"
    assert isinstance(rest, Quarantined)
    assert (rest.position, rest.reason) == (
        "item 2",
        "JSON 格式错误，其后未读 / invalid JSON (the rest of the file): parse error: unallowed"
        ' token at this point in JSON text near \'"名称": "一种锂电池"},]\'',
    )
    (whole,) = list(tabular.parse(io.BytesIO(b"[,]"), fmt="json"))
    assert isinstance(whole, Quarantined)
    assert whole.position == "file"
    assert whole.reason.startswith("无法读取 json / unreadable json: ValueError: JSON 格式错误")


@pytest.mark.parametrize("indent", [None, 2])
def test_a_wrapper_object_of_rows_is_json_written_on_one_line_or_many(indent: int | None) -> None:
    """``{"Result": [rows], "Paging": {…}}`` written minified, on one line, was sniffed as JSON
    lines, read as one record and quarantined for want of a publication number."""
    row = dict(zip(HEADER.split(","), ROW.split(","), strict=True))
    other = row | {"公开（公告）号": "CN114123457A", "申请号": "CN202110123457.1"}
    wrapper = {"Status": "200", "Result": [row, other], "Paging": {"PageSize": 2, "Total": 2}}
    data = json.dumps(wrapper, ensure_ascii=False, indent=indent).encode()
    fmt = formats.sniff(data[:8192], "export.json")
    assert fmt == "json"
    p, q = list(formats.parser(fmt)(io.BytesIO(data), 0))
    check(p)
    assert isinstance(q, Patent)
    assert q.id == "CN114123457A"


@pytest.mark.parametrize("shape", ["one object", "objects one after another", "JSON lines"])
def test_json_records_not_in_an_array_are_rows(shape: str) -> None:
    """A JSON file of one record object (its applicants a list), of pretty-printed objects one
    after another, or JSON lines read as ``json``: each object is a row. The first list in an
    object was taken for the rows: the applicants came as two rows, "not an object", and the
    record was lost."""
    row = dict(zip(HEADER.split(","), ROW.split(","), strict=True))
    row["申请（专利权）人"] = ["广州电池有限公司", "广州大学"]  # type: ignore[assignment]
    other = row | {"公开（公告）号": "CN114123457A", "申请号": "CN202110123457.1"}
    rows = [row] if shape == "one object" else [row, other]
    indent = None if shape == "JSON lines" else 1
    text = "\n".join(json.dumps(r, ensure_ascii=False, indent=indent) for r in rows)
    items = list(tabular.parse(io.BytesIO(text.encode()), fmt="json"))
    assert len(items) == len(rows)
    check(items[0])
    assert [p.id for p in items if isinstance(p, Patent)] == [r["公开（公告）号"] for r in rows]


def test_a_one_line_json_lines_record_holding_objects_stays_json_lines() -> None:
    """A record of JSON lines may hold an array of objects (iphub's own export: applicants);
    its keys are a record's columns, so it is no wrapper."""
    record = {"publication_number": "CN114123456A", "applicants": [{"name": "广州大学"}]}
    data = json.dumps(record, ensure_ascii=False).encode() + b"\n"
    assert formats.sniff(data, "export.jsonl") == "jsonl"


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_csv_with_commas_tabs_or_semicolons(delimiter: str) -> None:
    """Excel saves CSV with semicolons where the decimal mark is a comma: such a file was read
    as one column and quarantined whole for want of the required ones. Values holding the
    delimiter (applicants, classes joined by ';') are quoted, as the csv writer does."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(HEADER.split(","))
    writer.writerow(ROW.split(","))
    data = out.getvalue().encode("utf-8")
    assert formats.sniff(data[:8192], "export.csv") == "csv"
    (p,) = list(tabular.parse(io.BytesIO(data), fmt="csv"))
    check(p)
    assert [a.name for a in p.applicants] == ["广州电池有限公司", "广州大学"]  # type: ignore[union-attr]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_utf16_exports_are_sniffed_and_read(fmt: str) -> None:
    """Windows tools save "Unicode" text as UTF-16 after a byte-order mark: a JSON array so
    saved was quarantined whole (its reader took UTF-8 only)."""
    row = dict(zip(HEADER.split(","), ROW.split(","), strict=True))
    line = json.dumps(row, ensure_ascii=False)
    text = {"json": f"[{line}]", "jsonl": f"{line}\n", "csv": f"{HEADER}\n{ROW}\n"}[fmt]
    data = text.encode("utf-16")
    assert formats.sniff(data[:8192], f"export.{fmt}") == fmt
    (p,) = list(formats.parser(fmt)(io.BytesIO(data), 0))
    check(p)


def test_xlsx(tmp_path: Path, xlsx_reader: str) -> None:
    """A date cell, and a date left as Excel's serial day number in a cell not formatted as a
    date (44228 is 2021-02-01; 20210201 is past any serial day and read as text)."""
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    for date in (dt.datetime(2021, 2, 1), 44228, 20210201):
        values: list[object] = ROW.split(",")
        values[1] = date
        sheet.append(values)
    path = tmp_path / "export.xlsx"
    book.save(path)
    with path.open("rb") as f:
        patents = list(tabular.parse(f, fmt="xlsx"))
    assert len(patents) == 3
    for p in patents:
        check(p)


class _Unseekable(io.RawIOBase):
    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        return self._data.readinto(buffer)


def test_xlsx_on_disk_is_read_in_place_and_an_unseekable_one_in_memory(
    tmp_path: Path, xlsx_reader: str
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(ROW.split(","))
    path = tmp_path / "export.xlsx"
    book.save(path)
    with path.open("rb") as f:
        (on_disk,) = list(tabular.parse(f, fmt="xlsx"))
    (streamed,) = list(tabular.parse(io.BufferedReader(_Unseekable(path.read_bytes())), fmt="xlsx"))
    check(on_disk)
    check(streamed)


def test_a_bare_publication_number_without_a_kind_column_says_so() -> None:
    """CN114123456 could be the application's publication (A) or the grant's (B): without a
    kind code or a 专利类型 column the row is quarantined with what is missing."""
    data = f"{HEADER}\n{ROW.replace('CN114123456A', 'CN114123456')}\n".encode()
    (item,) = list(tabular.parse(io.BytesIO(data), fmt="csv"))
    assert isinstance(item, Quarantined)
    assert "the publication number has no kind code (A, B, U, S)" in item.reason
    with_kind = f"{HEADER},专利类型\n{ROW.replace('CN114123456A', 'CN114123456')},发明公布\n"
    (patent,) = list(tabular.parse(io.BytesIO(with_kind.encode()), fmt="csv"))
    assert isinstance(patent, Patent)
    assert (patent.id, patent.kind) == ("CN114123456A", PatentKind.INVENTION_APPLICATION)


def test_a_row_without_a_required_value_says_which() -> None:
    """An empty 申请号, 公开（公告）号 or 名称 is named in the reason, Chinese first."""
    cells = ROW.split(",")
    for column, reason in ((0, "缺少申请号 / missing application_number"),
                           (2, "缺少公开（公告）号 / missing publication_number"),
                           (3, "缺少名称 / missing title")):  # fmt: skip
        row = ",".join(" " if i == column else c for i, c in enumerate(cells))
        (item,) = list(tabular.parse(io.BytesIO(f"{HEADER}\n{row}\n".encode()), fmt="csv"))
        assert isinstance(item, Quarantined)
        assert (item.position, item.reason) == ("row 2", reason)


def test_an_excel_serial_day_written_in_a_csv_is_a_date() -> None:
    """A sheet saved as CSV writes a date cell not formatted as one as its serial day: 44228
    loaded from .xlsx as 2021-02-01 and was refused from CSV. Five digits, 1950 to 2100."""
    (p,) = list(
        tabular.parse(
            io.BytesIO(f"{HEADER}\n{ROW}\n".replace("2021-02-01", "44228").encode()), fmt="csv"
        )
    )
    check(p)
    (q,) = list(
        tabular.parse(
            io.BytesIO(f"{HEADER}\n{ROW}\n".replace("2021-02-01", "99999").encode()), fmt="csv"
        )
    )
    assert isinstance(q, Quarantined)
    assert "无法识别的日期 / unrecognised date: '99999'" in q.reason


@pytest.mark.parametrize("value", ["2021-13-40", "2021-02-30"])
def test_a_date_that_is_no_date_is_refused_naming_field_and_value(value: str) -> None:
    """Such a row said only "ValueError: month must be in 1..12", in English, without the
    column or the value to look for."""
    data = f"{HEADER}\n{ROW}\n".replace("2021-02-01", value).encode()
    (q,) = list(tabular.parse(io.BytesIO(data), fmt="csv"))
    assert isinstance(q, Quarantined)
    assert q.reason == f"申请日 / application_date: 日期不存在 / no such date: {value!r}"


def test_a_table_without_a_required_column_is_quarantined_whole(
    tmp_path: Path, xlsx_reader: str
) -> None:
    """Every row would fail alike: one reason for the file, naming the columns it lacks and the
    header it has, instead of a quarantined row per row (or a file half loaded)."""
    header = HEADER.replace("公开（公告）号", "公开日")  # a date column where the number belongs
    text = f"专利检索结果\n{header}\n{ROW}\n{ROW}\n"  # the reason shows the header, not the title
    book = Workbook()
    sheet = book.active
    for line in (header, ROW, ROW):
        sheet.append(line.split(","))
    path = tmp_path / "export.xlsx"
    book.save(path)
    with path.open("rb") as f:
        from_xlsx = list(tabular.parse(f, fmt="xlsx"))
    for items in (list(tabular.parse(io.BytesIO(text.encode("gbk")), fmt="csv")), from_xlsx):
        (item,) = items
        assert isinstance(item, Quarantined)
        assert item.position == "file"
        assert item.reason.startswith(
            "缺少必填列 / missing required columns: 公开（公告）号 (publication_number) (商标表需"
            " 注册号 与 商标名称 或 国际分类，著作权表需 登记号 与 软件全称 或 作品名称 /"
            " a trademark table needs 注册号 and 商标名称 or 国际分类, a copyright table 登记号"
            " and 软件全称 or 作品名称) — 表头 / header: 申请号, 申请日, 公开日, 名称,"
        )
        assert "--mapping" in item.reason
    (empty,) = list(tabular.parse(io.BytesIO(b""), fmt="csv"))
    assert isinstance(empty, Quarantined)
    assert "申请号 (application_number); 名称 (title)" in empty.reason
    assert empty.reason.endswith(
        "header: (empty); 用 --mapping 文件映射列名 / map the columns with --mapping FILE"
    )


def test_the_header_is_found_below_a_title_and_on_the_sheets_that_hold_data(
    tmp_path: Path, xlsx_reader: str
) -> None:
    """Exports open with a title or their search query, put a notes sheet first or split rows
    over sheets, and name columns as the commercial databases do (标题, 当前申请(专利权)人)."""
    banner = "专利检索结果（共 1 条）,,,\n检索式：TI=锂电池,,,\n"
    csv_text = f"{banner}{HEADER}\n{ROW}\n"
    (p,) = list(tabular.parse(io.BytesIO(csv_text.encode("gbk")), fmt="csv"))
    check(p)
    rows = list(tabular.split(io.BytesIO(csv_text.encode()), fmt="csv"))
    assert [position for position, _ in rows] == ["row 4"]

    aliases = (HEADER.replace("名称", "标题").replace("申请（专利权）人", "当前申请(专利权)人")
               .replace("主分类号", "IPC主分类号"))  # fmt: skip
    book = Workbook()
    notes = book.active
    notes.title = "说明"
    notes.append(["本文件由检索系统导出"])
    for title in ("专利列表", "专利列表 2"):
        sheet = book.create_sheet(title)
        sheet.append([f"{title}（导出于 2026-11-26）"])
        sheet.append(aliases.split(","))
        sheet.append(ROW.split(","))
    path = tmp_path / "export.xlsx"
    book.save(path)
    with path.open("rb") as f:
        rows = list(tabular.split(f, fmt="xlsx"))
    assert [position for position, _ in rows] == ["专利列表 row 3", "专利列表 2 row 3"]
    with path.open("rb") as f:
        patents = list(tabular.parse(f, fmt="xlsx"))
    assert len(patents) == 2
    for patent in patents:
        check(patent)


def test_xls_workbook_from_the_older_excel_format() -> None:
    """An Excel 97–2003 workbook (``export.xls``: a notes sheet, then 专利列表 with a title row;
    written once with xlwt 1.3.0): the same header search and rows as .xlsx; the second row's
    application number is a number cell, which Excel keeps as the double 2021101234571.0."""
    path = FIXTURES / "export.xls"
    assert formats.sniff(path.read_bytes()[:8192], path.name) == "xls"
    with path.open("rb") as f:
        first, second = list(tabular.parse(f, fmt="xls"))
    check(first)
    assert isinstance(second, Patent)
    assert (second.id, second.application_number) == ("CN114123457A", "CN202110123457.1")
    with path.open("rb") as f:
        assert [p for p, _ in tabular.split(f, fmt="xls")] == ["专利列表 row 3", "专利列表 row 4"]
    (broken,) = list(tabular.parse(io.BytesIO(path.read_bytes()[:3000]), fmt="xls"))
    assert isinstance(broken, Quarantined)
    assert (broken.position, broken.reason.split(":")[0]) == (
        "file",
        "无法读取 xls / unreadable xls",
    )


def test_excel_unicode_text_and_formula_quoted_numbers() -> None:
    """Excel's "Unicode text" export is UTF-16 and tab-separated; some systems write numbers as
    ``="…"`` so that Excel keeps them as text. Both load as the plain export does."""
    tsv = f"{HEADER}\n{ROW}\n".replace(",", "\t").replace("\n", "\r\n").encode("utf-16")
    assert formats.sniff(tsv[:8192], "export.txt") == "csv"
    (p,) = list(tabular.parse(io.BytesIO(tsv), fmt="csv"))
    check(p)
    cells = ROW.split(",")
    cells[0], cells[2] = f'"=""{cells[0]}"""', f'"=""{cells[2]}"""'  # the CSV quoting of ="…"
    (quoted,) = list(
        tabular.parse(io.BytesIO(f"{HEADER}\n{','.join(cells)}\n".encode()), fmt="csv")
    )
    check(quoted)


TM_HEADER = (
    "注册号,商标名称,国际分类,商品/服务,申请人,申请人地址,申请日期,注册公告日期,专用权期限,"
    "商标状态,代理机构"
)
TM_ROW = (
    '12345678,云山,第9类,"计算机程序（可下载软件）；智能手机、耳机",广州云山科技有限公司,'
    "广东省广州市白云区,2013-01-05,2015-03-14,2015年03月14日 至 2025年03月13日,注册商标,"
    "广州华进联合专利商标代理有限公司"
)


def check_mark(t: object) -> None:
    assert isinstance(t, Trademark)
    assert (t.id, t.application_number, t.mark_text) == ("CN-TM-12345678", "12345678", "云山")
    assert (t.nice_classes, t.goods_services) == (
        [9],
        ["计算机程序（可下载软件）", "智能手机", "耳机"],
    )
    assert [(a.name, a.address) for a in t.applicants] == [
        ("广州云山科技有限公司", "广东省广州市白云区")
    ]
    assert (t.application_date, t.registration_date, t.expiry_date) == (
        dt.date(2013, 1, 5), dt.date(2015, 3, 14), dt.date(2025, 3, 13),
    )  # fmt: skip
    assert t.status is TrademarkStatus.REGISTERED
    assert t.agency is not None
    assert t.agency.name == "广州华进联合专利商标代理有限公司"


def test_trademark_tables_in_every_tabular_format(tmp_path: Path, xlsx_reader: str) -> None:
    """A trademark agency's lists (注册号, 商标名称, 国际分类 …) load as trademarks from CSV,
    a workbook and JSON lines; a row with no number says so; 申请号 alone stays a patent's."""
    text = f"{TM_HEADER}\n{TM_ROW}\n,无号,第35类,,,,,,,,\n"
    mark, no_number = list(tabular.parse(io.BytesIO(text.encode("gbk")), fmt="csv"))
    check_mark(mark)
    assert isinstance(no_number, Quarantined)
    assert "缺少注册号 / missing the trademark number" in no_number.reason

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(TM_HEADER.split(","))
    sheet.append(next(csv.reader([TM_ROW])))
    path = tmp_path / "marks.xlsx"
    book.save(path)
    with path.open("rb") as f:
        (from_xlsx,) = list(tabular.parse(f, fmt="xlsx"))
    check_mark(from_xlsx)

    row = dict(zip(TM_HEADER.split(","), next(csv.reader([TM_ROW])), strict=True))
    line = json.dumps(row, ensure_ascii=False)
    (from_jsonl,) = list(tabular.parse(io.BytesIO(line.encode()), fmt="jsonl"))
    check_mark(from_jsonl)

    with_gazette = f"{TM_HEADER},公告号\n{TM_ROW},1436\n"  # a gazette issue is no patent number
    (from_gazette_table,) = list(tabular.parse(io.BytesIO(with_gazette.encode()), fmt="csv"))
    check_mark(from_gazette_table)

    patent_like = "申请号,名称\nCN202110123456.7,一种电池\n"
    (refused,) = list(tabular.parse(io.BytesIO(patent_like.encode()), fmt="csv"))
    assert isinstance(refused, Quarantined)
    assert "a trademark table needs 注册号 and 商标名称 or 国际分类" in refused.reason


def test_a_class_past_45_is_refused_on_one_line_naming_the_field() -> None:
    """pydantic's own text took three lines and a link to its documentation; its one line
    named neither the column nor the cell."""
    table = "注册号,商标名称,国际分类,申请人\n34567890,珠江,46,某公司\n"
    (item,) = list(tabular.parse(io.BytesIO(table.encode()), fmt="csv"))
    assert isinstance(item, Quarantined)
    assert item.reason == (
        "国际分类 / nice_classes: 46 不是 1–45 的类号 / class 46 is no Nice class (1 to 45) in '46'"
    )


def test_copyright_tables() -> None:
    """Software and works registrations listed in a table (登记号, 软件全称, 著作权人 …) load as
    copyright registrations, so officials can count them from the copyright centre's lists."""
    header = "登记号,软件全称,软件简称,版本号,著作权人,开发完成日期,首次发表日期,登记日期"
    rows = [
        "2016SR309930,云山智能仓储管理系统,云山仓储,V1.0,广州云山科技有限公司,2016-05-01,"
        "2016-06-01,2016-10-28",
        "国作登字-2016-F-00269796,云山吉祥物,,,广州云山科技有限公司,2016-01-10,,2016-08-02",
    ]
    software, works = list(
        tabular.parse(io.BytesIO("\n".join([header, *rows]).encode()), fmt="csv")
    )
    assert isinstance(software, Copyright)
    assert (software.id, software.copyright_type, software.title, software.version) == (
        "CN-SC-2016SR309930", CopyrightType.SOFTWARE, "云山智能仓储管理系统", "V1.0",
    )  # fmt: skip
    assert [a.name for a in software.applicants] == ["广州云山科技有限公司"]
    assert software.registration_date == dt.date(2016, 10, 28)
    assert isinstance(works, Copyright)
    assert (works.id, works.copyright_type, works.title) == (
        "CN-WC-2016-F-00269796", CopyrightType.WORKS, "云山吉祥物",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("pn", "kind", "published", "expected"),
    [
        ("CN114123456", "发明公开", "2022-03-01", "CN114123456A"),
        ("CN1234567", "发明申请", "1999-05-01", "CN1234567A"),  # an application is always A
        ("CN114123456", "发明授权", "2023-06-01", "CN114123456B"),
        ("CN214123456", "实用新型", "2021-08-03", "CN214123456U"),
        ("CN306123456", "外观设计", "2020-12-01", "CN306123456S"),
        ("CN114123456", "invention_grant", "2011-01-01", "CN114123456B"),
        ("CN1234567", "发明授权", "2008-05-01", "CN1234567"),  # then C: left bare
        ("CN201234567", "实用新型", "2010-06-01", "CN201234567"),  # Y or U: left bare
        ("CN114123456", "发明授权", "", "CN114123456"),  # no date: left bare
        ("CN114123456", "发明专利", "2022-03-01", "CN114123456"),  # application or grant
        ("CN114123456B", "发明公开", "2022-03-01", "CN114123456B"),  # the number's own code
    ],
)
def test_a_bare_cn_number_takes_the_kind_code_its_kind_and_date_tell(
    pn: str, kind: str, published: str, expected: str
) -> None:
    """Exports that write CN numbers bare gave ids no other source gives: the record did not
    merge with the office's or DOCDB's, and ``pn=CN114123456A`` did not find it."""
    header = "申请号,公开（公告）号,公开（公告）日,名称,专利类型"
    row = f"CN202110123456.7,{pn},{published},一种锂电池,{kind}"
    (p,) = list(tabular.parse(io.BytesIO(f"{header}\n{row}\n".encode()), fmt="csv"))
    assert isinstance(p, Patent)
    assert (p.id, p.publication_number) == (expected, expected)
    assert p.kind_code == (expected.lstrip("CN0123456789") or None)


def test_without_a_kind_column_the_application_number_tells_utility_models_and_designs() -> None:
    """The type digit of a CN application number (2 and 9 utility models, 3 designs) tells the
    kind an export without 专利类型 leaves out; an invention's (1) could be A or B: quarantined."""
    header = "申请号,公开（公告）号,公开（公告）日,名称,分类号"
    rows = [
        "CN202120123452.4,CN214123452,2021-08-03,一种电池盒,H01M 50/20",
        "CN202190123454.1,CN215123454,2022-01-04,一种充电桩,B60L 53/31",  # PCT, entering China
        "CN202130123453.4,CN306123453,2021-12-01,电池包,13-02",
        "CN98201234.9,CN2345678,1999-05-01,一种电池夹,H01M 2/10",  # Y then: no code, known kind
        "CN202110123451.4,CN114123451,2022-03-01,一种锂电池,H01M 10/0525",
    ]
    data = "\n".join([header, *rows]) + "\n"
    items = list(tabular.parse(io.BytesIO(data.encode()), fmt="csv"))
    patents = [i for i in items if isinstance(i, Patent)]
    assert [(p.id, p.kind) for p in patents] == [
        ("CN214123452U", PatentKind.UTILITY_MODEL),
        ("CN215123454U", PatentKind.UTILITY_MODEL),
        ("CN306123453S", PatentKind.DESIGN),
        ("CN2345678", PatentKind.UTILITY_MODEL),
    ]
    assert (patents[2].locarno, patents[2].ipc) == (["13-02"], [])
    assert isinstance(items[4], Quarantined)
    assert "the publication number has no kind code (A, B, U, S)" in items[4].reason


def test_other_offices_documents_in_an_export_keep_their_numbers_and_kinds() -> None:
    """Exports of commercial databases hold other offices' documents too: numbers with letters
    (JP's era, TW's I) were quarantined as unrecognised, and a US reissue's kind came from the
    first letter after the office code (``USRE…E`` read as a utility model)."""
    out = io.StringIO()
    csv.writer(out).writerows(
        [
            ["申请号", "公开（公告）号", "名称"],
            ["JPH11-123456", "JPH11123456A", "電池"],
            ["TW093123456", "TWI250000B", "電池"],
            ["US13/123,456", "USRE45000E", "Battery"],
            ["29/123,456", "USD500000S", "Battery case"],
            ["CN202110123456.3", "CN114123456A", "电池"],  # a wrong CN check digit: refused
        ]
    )
    items = list(tabular.parse(io.BytesIO(out.getvalue().encode()), fmt="csv"))
    got = [(i.id, i.application_number, i.kind) for i in items if isinstance(i, Patent)]
    assert got == [
        ("JPH11123456A", "JPH11123456", PatentKind.INVENTION_APPLICATION),
        ("TWI250000B", "TW093123456", PatentKind.INVENTION_GRANT),
        ("USRE45000E", "US13123456", PatentKind.INVENTION_GRANT),
        ("USD500000S", "US29123456", PatentKind.DESIGN),
    ]
    (bad,) = [i for i in items if isinstance(i, Quarantined)]
    assert "check digit" in bad.reason


def test_a_us_patent_granted_before_2001_is_a_grant() -> None:
    """Kind A at the USPTO before 2001 is the patent (no application was published then)."""
    data = "公开（公告）号,申请号,名称\nUS5793966A,US08512345,Widget\n"
    data += "US20010001234A1,US09712345,Gadget\n"
    old, new = list(tabular.parse(io.BytesIO(data.encode()), fmt="csv"))
    assert isinstance(old, Patent)
    assert isinstance(new, Patent)
    assert (old.kind, new.kind) == (PatentKind.INVENTION_GRANT, PatentKind.INVENTION_APPLICATION)


GRANTS = "申请号,公开（公告）号,公开（公告）日,授权公告号,授权公告日,名称"
GRANTED = "CN202110123456.7,CN114123456A,2021-05-11,CN114123456B,2022-09-13,一种锂电池正极材料"
PENDING = "CN202110234567.5,CN114000123A,2021-06-08,,,一种锂电池散热装置"


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_a_row_that_names_its_grant_is_one_fragment_and_one_record(fmt: str) -> None:
    """A row that names its grant (授权公告号) gave a second fragment and record, the grant's:
    each row is one position, one record, so a resumed load skips as many rows as it loaded."""
    if fmt == "csv":
        data = f"{GRANTS}\n{GRANTED}\n{PENDING}\n".encode()
    else:
        header = GRANTS.split(",")
        data = "".join(
            json.dumps(dict(zip(header, row.split(","), strict=True)), ensure_ascii=False) + "\n"
            for row in (GRANTED, PENDING)
        ).encode()
    positions = ["row 2", "row 3"] if fmt == "csv" else ["line 1", "line 2"]
    assert [position for position, _ in tabular.split(io.BytesIO(data), fmt=fmt)] == positions
    items = list(tabular.parse(io.BytesIO(data), fmt=fmt))
    assert [i.id for i in items if isinstance(i, Patent)] == ["CN114123456A", "CN114000123A"]
    resumed = list(tabular.parse(io.BytesIO(data), 1, fmt=fmt))
    assert [i.id for i in resumed if isinstance(i, Patent)] == ["CN114000123A"]


def test_a_gbk_export_whose_first_rows_are_ascii_is_read_as_gbk() -> None:
    """An export with English column names and, for its first ≈70 KB, English titles, then
    Chinese ones: its encoding was told from the first 64 KiB alone (ASCII: read as UTF-8),
    and every Chinese row after them was quarantined for bytes not valid UTF-8. It is told
    now from the first text beyond ASCII."""
    header = "application_number,publication_number,title,applicants\n"
    rows = [
        f"CN2021100{i:05d},CN1130{i:05d}A,Heat sink assembly number {i:05d},ACME Corp\n"
        for i in range(1, 1200)
    ]
    chinese = "CN202110001200,CN113001200A,一种散热装置,广州测试科技有限公司\n"
    data = (header + "".join(rows)).encode("ascii") + chinese.encode("gbk")
    assert len(header + "".join(rows)) > 65536
    items = list(tabular.parse(io.BytesIO(data), fmt="csv"))
    assert not [i for i in items if isinstance(i, Quarantined)]
    assert items[-1].title.text == "一种散热装置"
    assert [p.name for p in items[-1].applicants] == ["广州测试科技有限公司"]


@pytest.mark.parametrize("end", ["", "\n", "\r\n"])
def test_a_gbk_export_whose_only_chinese_ends_it_is_read_as_gbk(end: str) -> None:
    """A GBK export of ASCII rows whose one Chinese character is its last (before a line
    break or none): the character was taken for one of UTF-8 cut by the end of the block read,
    the file read as UTF-8 and its last row quarantined for bytes not valid UTF-8."""
    rows = "application_number,publication_number,title,applicants\n"
    rows += "CN202110000001,CN113000001A,Heat sink,ACME Corp\n"
    rows += "CN202110000002,CN113000002A,Heat pipe,ACME 甲" + end
    items = list(tabular.parse(io.BytesIO(rows.encode("gbk")), fmt="csv"))
    assert not [i for i in items if isinstance(i, Quarantined)]
    assert [a.name for a in items[-1].applicants] == ["ACME 甲"]
