"""Streamed JSON: every shape the exports use, broken JSON, and memory that does not grow."""

from __future__ import annotations

import codecs
import io
import json
import tracemalloc
from collections.abc import Iterator

import pytest

from ingest.parsers import cn_json, json_stream, tabular
from ingest.parsers.base import Quarantined
from iphub.records import Trademark


def records(text: str, wrappers: tuple[str, ...] = json_stream.WRAPPERS) -> list[object]:
    return list(json_stream.records(io.BytesIO(text.encode()), wrappers))


def test_shapes() -> None:
    items = [{"a": 1, "b": [1, {"c": [2, 3]}], "d": {"e": None}}, {"a": 2.5}, [1, 2], "x", 7]
    assert records(json.dumps(items)) == items
    wrapped = {"Status": 200, "Result": items[:2], "Paging": {"Total": 2}}
    assert records(json.dumps(wrapped), ("Result",)) == items[:2]
    assert records(json.dumps(wrapped)) == items[:2]  # a key named as a wrapper: any case
    assert records(json.dumps({"rows": items[:2]})) == items[:2]
    assert records(json.dumps({"Status": 200, "Other": [1]}), ("Result",)) == [
        {"Status": 200, "Other": [1]}  # no wrapper key: the object is the record
    ]
    assert records('{"a": 1}\n{"a": 2}\n') == [{"a": 1}, {"a": 2}]  # values one after another
    assert records("[]") == []
    with pytest.raises(json_stream.JSONError):  # an empty file is not JSON: quarantined whole
        records("  ")


def test_byte_order_mark_and_unicode() -> None:
    data = codecs.BOM_UTF8 + json.dumps([{"名称": "锂电池"}], ensure_ascii=False).encode()
    assert list(json_stream.records(io.BytesIO(data))) == [{"名称": "锂电池"}]


def test_broken_json_gives_what_came_before_then_raises() -> None:
    stream = json_stream.records(io.BytesIO(b'[{"a": 1}, {"a": 2}, {"a": '))
    assert [next(stream), next(stream)] == [{"a": 1}, {"a": 2}]
    with pytest.raises(json_stream.JSONError):
        next(stream)


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (
            b'[{"a": 1}, {"b": x}]',
            'lexical error: invalid char in json text. near \'[{"a": 1}, {"b": x\'',
        ),
        (b'[{"a": 1}, {"b": ', "parse error: premature EOF"),
        (b"[1,2,,3]", "parse error: unallowed token at this point in JSON text near '[1,2,,'"),
    ],
)
def test_a_json_error_is_told_on_one_line_with_the_text_before_it(data: bytes, said: str) -> None:
    with pytest.raises(json_stream.JSONError) as caught:
        list(json_stream.records(io.BytesIO(data)))
    assert "\n" in str(caught.value)  # yajl's own message: three lines
    assert json_stream.reason(caught.value) == said


def test_a_json_error_cut_inside_a_character_is_told_as_text() -> None:
    """yajl shows the bytes around an error, and where they cut a character in two its message
    came as bytes: the reason was their Python form (``b'parse error: …\\xe5\\xb9\\xbf…'``). It
    is text now, the cut character left out; the place is told in bytes, as yajl counts."""
    data = '[{"申请（专利权）人": "广州甲公司"},]'.encode()
    with pytest.raises(json_stream.JSONError) as caught:
        list(json_stream.records(io.BytesIO(data)))
    assert isinstance(caught.value.args[0], bytes)  # yajl's message, as it gives it
    assert json_stream.reason(caught.value) == (
        'parse error: unallowed token at this point in JSON text near \'）人": "广州甲公司"},]\''
    )
    said = json_stream.reason(_error(b'[{"a": 1}, {"\xe5\xb9\xbf\xe5\xb7\x9e": x}]'))
    assert said == 'lexical error: invalid char in json text. near \'[{"a": 1}, {"广州": x\''


def _error(data: bytes) -> Exception:
    try:
        list(json_stream.records(io.BytesIO(data)))
    except json_stream.JSONError as exc:
        return exc
    raise AssertionError("no error")


def test_truncated_cn_json_loads_the_records_before_the_break() -> None:
    record = {"RegNo": "123", "IntCls": 9, "Name": "好", "AppDate": "2020-01-02"}
    text = json.dumps({"Result": [record, record | {"RegNo": "124"}]}, ensure_ascii=False)
    items = list(cn_json.parse(io.BytesIO(text[:-20].encode())))
    assert isinstance(items[0], Trademark)
    assert isinstance(items[-1], Quarantined)
    assert items[-1].position == "item 2"  # where it broke: the record before it loads
    assert items[-1].reason.startswith(
        "JSON 格式错误，其后未读 / invalid JSON (the rest of the file): "
    )


def _around(bad: str, name: str = "好") -> list[object]:
    """cn-json lines: a good trademark named ``name``, the line ``bad``, another good one."""
    good = f'{{"RegNo": "123", "IntCls": 9, "Name": "{name}", "AppDate": "2020-01-02"}}'
    text = "\n".join([good, bad, good.replace("123", "125")])
    return list(cn_json.parse(io.BytesIO(text.encode())))


def test_json_lines_bad_line_is_quarantined_alone() -> None:
    items = _around('{"RegNo": ')
    assert [type(i).__name__ for i in items] == ["Trademark", "Quarantined", "Trademark"]
    assert getattr(items[1], "position", None) == "line 2"
    assert getattr(items[1], "reason", "").startswith("JSON 格式错误 / invalid JSON: Expecting")


class _Generated(io.RawIOBase):
    """A JSON array of ``n`` records made on the fly: a big file that never exists whole."""

    def __init__(self, n: int, opening: bytes = b'{"Result": [', closing: bytes = b"]}") -> None:
        self._parts = self._make(n, opening, closing)
        self._left = b""

    @staticmethod
    def _make(n: int, opening: bytes, closing: bytes) -> Iterator[bytes]:
        yield opening
        for i in range(n):
            row = {"申请号": f"2021{i:08d}", "名称": "一种锂电池" * 5, "摘要": "正极材料" * 40}
            yield (b"," if i else b"") + json.dumps(row, ensure_ascii=False).encode()
        yield closing

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._left:
            self._left = next(self._parts, b"")
            if not self._left:
                return 0
        n = min(len(buffer), len(self._left))
        buffer[:n] = self._left[:n]
        self._left = self._left[n:]
        return n


def test_memory_does_not_grow_with_the_file() -> None:
    """30,000 records (≈17 MB of JSON): the reader holds one record, not the file."""
    tracemalloc.start()
    try:
        count = sum(1 for _ in tabular.split(io.BufferedReader(_Generated(30_000)), fmt="json"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 30_000
    assert peak < 2 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB while streaming"


def test_records_are_found_in_every_wrapper_shape() -> None:
    items = [{"a": i, "b": [i, {"c": "文字"}], "d": None} for i in range(50)]
    shapes = [
        json.dumps(items),
        json.dumps({"Status": 200, "Result": items}),
        json.dumps({"Status": {"Code": [200]}, "Result": items}),  # an array before the wrapper
        json.dumps({"Paging": {"x": 1}, "data": items, "Result": [1]}),  # the first wrapper's
    ]
    for text in shapes:
        assert records(text, ("Result", "data")) == items
    assert records(json.dumps({"Status": 200, "Other": [1, 2]}), ("Result",)) == [
        {"Status": 200, "Other": [1, 2]}  # no wrapper: the object is the record
    ]


def test_a_records_own_lists_are_no_wrapper() -> None:
    """Only a key named as a wrapper, holding objects, wraps the records: a record object's list
    of applicants was read as the records (two "not an object" rows, the record lost)."""
    record = {"申请号": "CN202110123456.7", "申请（专利权）人": ["广州电池有限公司", "华南大学"]}
    assert records(json.dumps(record, ensure_ascii=False, indent=1)) == [record]
    exported = {"publication_number": "CN114123456A", "applicants": [{"name": "广州大学"}]}
    assert records(json.dumps(exported)) == [exported]
    scalars = {"data": ["广州电池有限公司"], "名称": "一种锂电池"}  # a wrapper holds objects
    assert records(json.dumps(scalars, ensure_ascii=False)) == [scalars]
    assert records('{"Result": [], "Paging": {"Total": 0}}') == []  # an empty page: no record
    pretty = "\n".join(json.dumps(r, indent=2) for r in [record, exported])
    assert records(pretty) == [record, exported]  # objects one after another: one record each


def test_a_record_nested_too_deep_is_quarantined_alone_in_bounded_memory() -> None:
    """ijson's prefixed events cost memory quadratic in the depth: a 400 KB array nested 200,000
    deep took 24 GB and the loader was killed. Records are built from plain events, with the
    depth counted: the deep one is quarantined, those after it load."""
    deep = "[" * 200_000 + "]" * 200_000
    text = f'[{{"a": 1}}, {{"deep": {deep}}}, {{"a": 3}}]'
    tracemalloc.start()
    try:
        items = list(cn_json.split(io.BytesIO(text.encode())))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    assert [p for p, _ in items] == ["item 1", "item 2", "item 3"]
    assert (items[0][1], items[2][1]) == ({"a": 1}, {"a": 3})
    quarantined = items[1][1]
    assert isinstance(quarantined, Quarantined)
    assert quarantined.position == "item 2"
    assert f"nested deeper than {json_stream.MAX_DEPTH} levels" in quarantined.reason
    nested = {"a": 1}
    for _ in range(json_stream.MAX_DEPTH - 1):
        nested = {"a": nested}
    assert records(json.dumps([nested])) == [nested]  # as deep as allowed: loaded


def test_a_json_line_nested_too_deep_is_quarantined_alone() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    text = f'{{"a": 1}}\n{{"deep": {deep}}}\n{{"a": 3}}\n'
    items = list(json_stream.lines(io.TextIOWrapper(io.BytesIO(text.encode()), "utf-8")))
    assert [p for p, _ in items] == ["line 1", "line 2", "line 3"]
    assert items[2][1] == {"a": 3}
    assert isinstance(items[1][1], Quarantined)
    assert items[1][1].reason == "嵌套过深 / nested too deep"


def test_control_characters_left_raw_in_strings_are_read_as_spaces() -> None:
    """JSON wants them escaped; exports paste tabs and line breaks into an abstract as they are.
    yajl stopped at the first, and the loader quarantined the rest of the file with it."""
    data = b'[{"a": "x\ty"}, {"a": "p\x01q\r\nr", "b": [1,\x0b2]}, {"a": "ok"}]'
    assert list(json_stream.records(io.BytesIO(data))) == [
        {"a": "x y"},
        {"a": "p q  r", "b": [1, 2]},
        {"a": "ok"},
    ]
    escaped = json.dumps([{"a": "x\ty\n\x01"}]).encode()  # escaped, they stay what they are
    assert list(json_stream.records(io.BytesIO(escaped))) == [{"a": "x\ty\n\x01"}]


def test_a_json_line_with_raw_control_characters_loads() -> None:
    items = _around('{"RegNo": \x01', name="好\t品\x01牌")
    assert [type(i).__name__ for i in items] == ["Trademark", "Quarantined", "Trademark"]
    assert getattr(items[0], "mark_text", None) == "好 品 牌"
    assert "Expecting value" in getattr(items[1], "reason", "")  # the first error, as it was


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_line_break_left_raw_in_a_json_lines_string_is_read_as_a_space(newline: str) -> None:
    """A line break pasted into a title split its record into two lines, each quarantined as
    "Unterminated string": the line is joined with the next, and the record loads."""
    text = "\n".join(
        [
            '{"RegNo": "123", "IntCls": 9, "Name": "好", "AppDate": "2020-01-02"}',
            f'{{"RegNo": "124", "IntCls": 9, "Name": "好{newline}品\t牌{newline}", "AppDate": ""}}',
            '{"RegNo": "125", "IntCls": 9, "Name": "好", "AppDate": "2020-01-02"}',
        ]
    )
    items = list(cn_json.split(io.BytesIO(text.encode())))
    assert [p for p, _ in items] == ["line 1", "line 2", "line 5"]  # \r\n: one line break
    space = " " * len(newline)  # a control character a space, as in a JSON array
    assert items[1][1]["Name"] == f"好{space}品 牌{space}"
    assert items[2][1]["RegNo"] == "125"
    marks = [i for i in cn_json.parse(io.BytesIO(text.encode())) if isinstance(i, Trademark)]
    assert [m.mark_text for m in marks] == ["好", f"好{space}品 牌", "好"]


def test_a_json_line_cut_in_a_string_joins_only_a_few_lines() -> None:
    """A line that ends inside a string and that no line after it closes (a record cut short)
    is quarantined alone, as before, and the lines after it are read on their own."""
    good = '{"RegNo": "125", "IntCls": 9, "Name": "好", "AppDate": "2020-01-02"}'
    prose = ["正文"] * (json_stream.JOIN_LINES + 2)
    items = list(json_stream.lines(_text('{"a": "cut\n' + "\n".join([*prose, good]))))
    assert [p for p, _ in items][0::11] == ["line 1", "line 12"]
    assert items[-1][1]["RegNo"] == "125"
    first = items[0][1]
    assert isinstance(first, Quarantined)
    assert first.raw == '{"a": "cut\n'
    assert "Unterminated string" in first.reason
    assert all(isinstance(item, Quarantined) for _, item in items[1:-1])
    items = list(json_stream.lines(_text('{"RegNo": "12\n' + good)))  # a record after a cut one
    assert [(p, type(item).__name__) for p, item in items] == [
        ("line 1", "Quarantined"),
        ("line 2", "dict"),
    ]


def _text(text: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(text.encode()), "utf-8", newline="")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_json_with_byte_order_mark_is_read(encoding: str) -> None:
    """What Windows tools save as "Unicode" JSON: UTF-16 after a byte-order mark. yajl read
    only UTF-8, stopped at the first byte, and the whole file was quarantined."""
    items = [{"名称": "锂电池", "n": i} for i in range(3)]
    text = json.dumps({"Result": items}, ensure_ascii=False)
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(encoding, b"")
    data = bom + text.encode(encoding)  # "utf-16" writes the machine's mark itself
    assert list(json_stream.records(io.BytesIO(data))) == items


def test_a_lone_surrogate_in_utf16_json_costs_its_record_alone() -> None:
    good = json.dumps({"名称": "锂电池"}, ensure_ascii=False).encode("utf-16-le")
    bad = json.dumps({"名称": "锂X池"}, ensure_ascii=False).encode("utf-16-le")
    bad = bad.replace("X".encode("utf-16-le"), b"\x00\xd8")  # a high surrogate, no low one
    comma = ",".encode("utf-16-le")
    data = codecs.BOM_UTF16_LE + "[".encode("utf-16-le") + good + comma + bad + comma + good
    data += "]".encode("utf-16-le")
    items = list(json_stream.records(io.BytesIO(data)))
    assert items[0] == items[2] == {"名称": "锂电池"}
    assert isinstance(items[1], Quarantined)
    assert "UTF-16" in items[1].reason


def test_utf16_json_lines_are_told_from_an_array() -> None:
    """cn-json gives a JSON-lines file positions by line: in UTF-16 too."""
    good = '{"RegNo": "123", "IntCls": 9, "Name": "好", "AppDate": "2020-01-02"}'
    text = "\n".join([good, '{"RegNo": ', good.replace("123", "125")])
    items = list(cn_json.parse(io.BytesIO(text.encode("utf-16"))))
    assert [type(i).__name__ for i in items] == ["Trademark", "Quarantined", "Trademark"]
    assert [getattr(i, "position", None) for i in items][1] == "line 2"


def _reader(text: str) -> io.BufferedReader:
    return io.BufferedReader(io.BytesIO(text.encode()))  # type: ignore[arg-type]


def test_json_lines_are_only_told_by_a_whole_value_on_the_first_line() -> None:
    """A line break before ``{`` is no sign of JSON lines: ``jq '.[]'`` output (pretty-printed
    records one after another) and an envelope written one record a line were read line by line,
    their records lost or quarantined."""
    record = {"RegNo": "123", "IntCls": 9}
    assert json_stream.is_json_lines(_reader(f"{json.dumps(record)}\n{json.dumps(record)}\n"))
    assert json_stream.is_json_lines(_reader(f"\n\n  {json.dumps(record)}\n"))
    pretty = "\n".join(json.dumps(r, indent=2) for r in [record, record])
    envelope = '{"Status":"200","Result":[\n{"RegNo": "1"},\n{"RegNo": "2"}\n]}'
    for text in (pretty, envelope, json.dumps([record], indent=1)):
        assert not json_stream.is_json_lines(_reader(text))


def test_records_nested_in_an_envelopes_object_are_streamed() -> None:
    """``{"code": 0, "data": {"total": n, "items": [...]}}``: read as they come, memory bounded."""
    text = json.dumps({"code": 0, "data": {"total": 2, "items": [{"a": 1}, {"a": 2}]}})
    assert records(text) == [{"a": 1}, {"a": 2}]
    big = _Generated(30_000, b'{"code": 0, "data": {"total": 30000, "items": [', b"]}}")
    tracemalloc.start()
    try:
        count = sum(1 for _ in json_stream.records(io.BufferedReader(big)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 30_000
    assert peak < 2 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB while streaming"
    nested = {"x": {"y": 1}}  # a record's own object under no wrapper key is kept
    assert records(json.dumps(nested)) == [nested]


def test_an_empty_or_detail_page_of_an_api_is_told_by_its_keys() -> None:
    """Without a reader's own test of a record, an object of a wrapper key and an envelope's
    keys alone (status, message, paging …) is an envelope: an empty page was one record,
    quarantined as missing its publication number."""
    assert records('{"Status": "201", "Message": "查询无结果", "Result": null}') == []
    assert records('{"code": 0, "msg": "ok", "data": {"total": 0, "items": null}}') == []
    row = {"申请号": "CN202110123456.7", "名称": "一种锂电池"}
    detail = json.dumps({"Status": "200", "Result": row}, ensure_ascii=False)
    assert records(detail) == [row]
    assert list(json_stream.unwrapped(json.loads(detail))) == [row]
    own = {"名称": "一种锂电池", "Data": None}  # a record's own key named as a wrapper
    assert records(json.dumps(own, ensure_ascii=False)) == [own]


def test_a_page_is_told_by_its_wrapper_and_no_column_whatever_its_envelopes_keys() -> None:
    """An envelope with keys of the API's own (``reason``, ``error_code``, ``OrderNumber``,
    ``size``, ``current``) made its page a record: on one line of JSON lines, one record of
    unknown shape. A page has a wrapper holding records and no key a record's column; one
    holding none is told by an envelope's key beside it (a status, a message, paging)."""
    rows = [{"注册号": "30000001", "商标名称": "甲"}, {"注册号": "G1300002", "商标名称": "乙"}]
    tianyancha = {"result": {"total": 2, "items": rows}, "reason": "ok", "error_code": 0}
    mybatis = {"code": 200, "msg": "操作成功", "data": {"records": rows, "size": 10, "current": 1}}
    none = {"Status": "201", "Message": "查询无结果", "OrderNumber": "ECI1", "Result": None}
    for page, held in ((tianyancha, rows), (mybatis, rows), (none, [])):
        line = json.dumps(page, ensure_ascii=False)
        assert list(json_stream.unwrapped(page)) == held
        assert records(line) == records(json.dumps(page, indent=2)) == held
        lines = list(json_stream.paged_lines(io.TextIOWrapper(io.BytesIO(line.encode()))))
        assert [item for _, item in lines] == held
    record = {"注册号": "30000001", "data": [{"name": "广州甲有限公司"}]}  # its own list
    assert list(json_stream.unwrapped(record)) == [record]
    assert records(json.dumps(record, ensure_ascii=False, indent=1)) == [record]
    mapped = {"Reg No": "30000001", "Mark": "甲", "Data": None}  # a mapping file's columns
    assert list(json_stream.unwrapped(mapped)) == [mapped]


def test_an_array_of_pages_gives_their_records_and_a_lines_array_its_items() -> None:
    """Pages in an array were each one record; an array on a line of JSON lines one row."""
    rows = [{"a": 1}, {"a": 2}, {"a": 3}]
    pages = [{"Result": rows[:2]}, {"Status": "201", "Result": None}, {"Result": rows[2:]}]
    assert records(json.dumps(pages)) == rows
    assert records(json.dumps([{"Result": []}, {"Result": []}])) == []
    assert records(json.dumps([rows[0], {"Result": rows[1:]}])) == [rows[0], {"Result": rows[1:]}]
    text = f"{json.dumps(rows[0])}\n{json.dumps(rows[1:])}\n{json.dumps(pages[:1])}\n"
    lines = list(json_stream.paged_lines(io.TextIOWrapper(io.BytesIO(text.encode()))))
    assert lines == [
        ("line 1", rows[0]),
        ("line 2 item 1", rows[1]),
        ("line 2 item 2", rows[2]),
        ("line 3 item 1", rows[0]),
        ("line 3 item 2", rows[1]),
    ]


def test_every_wrapper_keys_records_are_read() -> None:
    """The first wrapper key's array alone was read, and an empty one ended the page."""
    rows = [{"a": 1}, {"a": 2}]
    for page in ({"list": [], "data": rows}, {"data": {"list": rows[:1], "rows": rows[1:]}}):
        assert records(json.dumps(page)) == records(json.dumps(page, indent=1)) == rows
        assert list(json_stream.unwrapped(page)) == rows


def test_a_records_list_before_its_columns_stays_its_own() -> None:
    """A record whose list under a wrapper's name came before its columns was split up: the
    list's items streamed as a page's records (quarantined, "missing publication_number"), the
    record after them without its list. Such a list is held until the object ends."""
    late = {"data": [{"name": "甲公司"}, {"name": "乙公司"}], "注册号": "52000061", "国际分类": "9"}
    for text in (
        json.dumps(late, ensure_ascii=False),
        json.dumps(late, ensure_ascii=False, indent=1),
    ):
        assert records(text) == [late]
    both = {"list": [{"name": "甲"}], "rows": [{"name": "乙"}], "商标名称": "列一"}
    assert records(json.dumps(both, ensure_ascii=False, indent=1)) == [both]
    rows = [{"a": 1}, {"a": 2}, {"a": 3}]
    page = {"list": rows[:2], "Paging": {"Total": 3}, "data": rows[2:], "msg": "ok"}
    assert records(json.dumps(page, indent=1)) == rows  # a page: every wrapper's, in turn
    inner = {"list": rows[:1], "data": {"items": rows[1:]}}  # records of an object stream
    assert records(json.dumps(inner, indent=1)) == rows


def test_a_list_past_the_bound_is_a_pages_records_streamed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory stays bounded: past :data:`json_stream.HOLD_ITEMS` items (or HOLD_CHARS of text)
    the list is taken for a page's records and streamed, a column after it notwithstanding."""
    monkeypatch.setattr(json_stream, "HOLD_ITEMS", 2)
    rows = [{"a": 1}, {"a": 2}, {"a": 3}]
    assert records(json.dumps({"data": rows[:2], "名称": "甲"}, ensure_ascii=False)) == [
        {"data": rows[:2], "名称": "甲"}  # within the bound: the record's own
    ]
    assert records(json.dumps({"data": rows, "名称": "甲"}, ensure_ascii=False)) == [
        *rows,  # past it: a page's records, as before
        {"data": [], "名称": "甲"},  # and the record, not lost
    ]
    monkeypatch.setattr(json_stream, "HOLD_CHARS", 3)
    assert records(json.dumps({"data": [{"a": "长文本"}, {"a": "b"}], "名称": "甲"})) == [
        {"a": "长文本"},
        {"a": "b"},
        {"data": [], "名称": "甲"},
    ]
