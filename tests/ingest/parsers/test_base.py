"""The shared parser helpers: ``text_of`` gives what ``itertext`` gives, its whitespace collapsed
exactly as the ``\\s+`` regex did; whatever goes wrong in one record quarantines it alone."""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from lxml import etree

from ingest.parsers.base import (
    Quarantined,
    along,
    child,
    element_format,
    guarded,
    parse_date,
    parties,
    safe_fromstring,
    safe_parser,
    split_names,
    text_of,
    without_controls,
)
from iphub.records import Patent
from tests.utils.factories import make_patent

CASES = [
    ("<t>  Lithium\n\tbattery  </t>", "Lithium battery"),
    ("<t>A<i> nested </i>title<!-- note -->\u00a0end\u3000</t>", "A nested title end"),
    ("<t><sub>2</sub>O\u2028x\u0085y</t>", "2O x y"),
    ("<t/>", ""),
    ("<t>\u200b零宽\u200b</t>", "\u200b零宽\u200b"),  # zero-width space is not whitespace
    # the parts of an element with children: comments, instructions, CDATA, character and
    # predefined references, tails
    (
        "<t>a<b>b1<!-- c --><?pi d?>b2</b><![CDATA[<cd>]]>tail<c/>x &#x4e2d; &amp; z</t>",
        "ab1b2<cd>tailx 中 & z",
    ),
    ("<t><p>Claim <b>1</b>.</p>\n  <p>A battery</p></t>", "Claim 1. A battery"),
    # the parser expands no entity; a short plain text the document declares is read in place
    # of its reference, however deep (``_declared``), one of markup or references is not
    ('<!DOCTYPE t [<!ENTITY e "x">]><t>a&e;b</t>', "axb"),
    ('<!DOCTYPE t [<!ENTITY e "x">]><t><n>a <i>&e;</i></n> b</t>', "a x b"),
    ('<!DOCTYPE t [<!ENTITY e "x"><!ENTITY f "&e;&e;">]><t>a&f;b</t>', "a&f;b"),
    # but a name of the HTML/ISO entity sets the offices' DTDs use is read as its character
    ("<!DOCTYPE t SYSTEM 'x.dtd'><t><n>&lsquo;q&rsquo; &alpha;&deg;</n></t>", "‘q’ α°"),
    ("<!DOCTYPE t SYSTEM 'x.dtd'><t>&nosuchname;</t>", "&nosuchname;"),
]


@pytest.mark.parametrize(("xml", "expected"), CASES)
def test_text_of_collapses_whitespace(xml: str, expected: str) -> None:
    elem = safe_fromstring(xml.encode())
    assert text_of(elem) == expected
    if "SYSTEM" not in xml and "ENTITY" not in xml:  # entity names read as their texts
        assert text_of(elem) == re.sub(r"\s+", " ", "".join(elem.itertext())).strip()


def test_text_of_none_is_empty() -> None:
    assert text_of(None) == ""


@pytest.mark.parametrize(
    ("text", "symbol"),
    [
        ("G06F  16/00   A I", "G06F 16/00"),  # DOCDB: version, level and source after it
        ("H01M  10/0525        20100101AFI20211101BHCN", "H01M 10/0525"),
        ("G06F 16/0", "G06F 16/00"),  # written as a table's IPC column is
        ("not a symbol", None),
    ],
)
def test_ipcr_symbol_is_written_as_every_other_ipc_symbol(text: str, symbol: str | None) -> None:
    from ingest.parsers.base import ipcr_symbol
    from iphub.ipc import normalised

    assert ipcr_symbol(text) == symbol
    if symbol is not None:
        assert normalised(symbol) == symbol  # the one canonical form


def _convert_or_fail(elem: object) -> Patent:
    """A converter with a bug that only one odd record meets (an empty list indexed)."""
    number = text_of(elem)
    if number.endswith("2"):
        return [][0]  # type: ignore[no-any-return]
    return make_patent(id=f"CN{number}A", publication_number=f"CN{number}A")


def test_any_error_converting_one_record_quarantines_that_record_alone() -> None:
    parse, _, _ = element_format(("doc",), _convert_or_fail)
    data = b"<docs><doc>114000001</doc><doc>114000002</doc><doc>114000003</doc></docs>"
    items = list(parse(io.BytesIO(data), 0))
    assert [type(i).__name__ for i in items] == ["Patent", "Quarantined", "Patent"]
    bad = items[1]
    assert isinstance(bad, Quarantined)
    assert bad.reason.startswith("IndexError")
    assert "114000002" in bad.raw


def test_guarded_quarantines_whatever_a_build_raises() -> None:
    (item,) = guarded("row 7", lambda: "申请号,名称", lambda: 1 / 0)
    assert isinstance(item, Quarantined)
    assert (item.position, item.reason, item.raw) == (
        "row 7",
        "ZeroDivisionError: division by zero",
        "申请号,名称",
    )


@pytest.mark.parametrize(
    ("xml", "text", "attribute"),
    [
        (b'<t a="1">Smart \x01 bottle</t>', "Smart bottle", "1"),
        (b'<t a="x\x0cy">form\x0cfeed\x00nul\x1fend</t>', "form feed nul end", "x y"),
        (b'<t a="1">ref &#1;, &#x1F;, &#0011; and &#x0c; gone</t>', "ref , , and gone", "1"),
        # references XML allows stay what they are
        (b'<t a="1">tab&#9;line&#10;&#x4e2d;\x01</t>', "tab line 中", "1"),
        (
            '<?xml version="1.0" encoding="GBK"?><t a="1">锂\x0b电池</t>'.encode("gbk"),
            "锂 电池",
            "1",
        ),
    ],
)
def test_control_characters_xml_forbids_are_read_as_spaces(
    xml: bytes, text: str, attribute: str
) -> None:
    root = safe_fromstring(xml)
    assert text_of(root) == text
    assert root.get("a") == attribute


@pytest.mark.parametrize(
    ("xml", "reason"),
    [
        (b"<t>a \x01 &amp b</t>", "PCDATA invalid Char value 1"),  # a bare & besides
        (b"<t>a \x01</u>", "PCDATA invalid Char value 1"),
        (b"<t>a & b</t>", "xmlParseEntityRef"),  # no control character: the first try's error
    ],
)
def test_a_document_broken_otherwise_keeps_its_first_error(xml: bytes, reason: str) -> None:
    with pytest.raises(etree.XMLSyntaxError, match=reason):
        safe_fromstring(xml)


def test_without_controls_reads_only_the_controls_as_spaces() -> None:
    assert without_controls("一种\x01锂电池\x1f") == "一种 锂电池 "
    # not printable, yet no control a text need not hold: kept as they are
    for kept in ("正极\t材料\r\n", "广州\u3000天河", "a\xa0b", "plain"):
        assert without_controls(kept) == kept
    assert split_names("广州\x01电池有限公司;\x1f广州大学") == ["广州 电池有限公司", "广州大学"]


def test_each_thread_parses_with_its_own_parser() -> None:
    """``safe_fromstring`` reuses a parser, one a thread (lxml's parsers must not be shared):
    documents parsed at once in several threads, good and broken ones mixed, each come out as
    parsed alone."""
    docs = [f"<r><n>{i}</n><t>{'x' * (i % 50)}</t></r>".encode() for i in range(400)]

    def parse_all(offset: int) -> list[str]:
        out = []
        for i, doc in enumerate(docs[offset:] + docs[:offset]):
            if i % 7 == 0:  # a broken document between good ones
                with pytest.raises(etree.XMLSyntaxError):
                    safe_fromstring(doc[:-3])
            out.append(safe_fromstring(doc).findtext("n"))
        return out

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(parse_all, [0, 100, 200, 300]))
    for offset, got in zip([0, 100, 200, 300], results, strict=True):
        assert got == [str((i + offset) % 400) for i in range(400)]
    assert safe_parser() is safe_parser()  # reused in a thread
    barrier, seen = threading.Barrier(2), []

    def one() -> None:
        barrier.wait()  # both threads alive at once
        seen.append(safe_parser())

    threads = [threading.Thread(target=one) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(p) for p in seen}) == 2
    assert safe_parser() not in seen


def test_along_finds_what_iterfind_finds_by_local_name() -> None:
    doc = etree.fromstring(
        b'<d xmlns:b="urn:b"><p><b:a n="1"><x>1</x></b:a><!-- c --><a n="2"/><?pi?></p>'
        b'<p><a n="3"><x>2</x><x>3</x></a></p><q><a n="4"/></q></d>'
    )
    for path in (("p", "a"), ("p", "a", "x"), ("q", "a"), ("p",), ("nothing", "a")):
        expected = list(doc.iterfind("/".join("{*}" + name for name in path)))
        assert along(doc, *path) == expected
        assert child(doc, *path) is doc.find("/".join("{*}" + name for name in path))
    assert [e.get("n") for e in along(doc, "p", "a")] == ["1", "2", "3"]  # namespaced or not
    assert along(None, "p") == []
    assert child(None, "p") is None


@pytest.mark.parametrize(
    ("xml", "said"),
    [
        (b"<r><p>cut", "XML 格式错误 / malformed XML: Premature end of data in tag p"),
        (b"<r>&alpha;</r>", "XML 格式错误 / malformed XML: Entity 'alpha' not defined"),
        (b"<r a=1/>", "XML 格式错误 / malformed XML: AttValue: \" or ' expected"),
    ],
)
def test_malformed_xml_is_said_in_chinese_and_english(xml: bytes, said: str) -> None:
    """lxml's message alone ("XMLSyntaxError: Premature end of data in tag p") was the reason
    of every malformed XML record."""
    _, _, parse_document = element_format(("r",), lambda root: make_patent())
    (item,) = parse_document("r 1", xml)
    assert isinstance(item, Quarantined)
    assert item.reason.startswith(said)
    assert item.raw == xml.decode()


def test_a_pydantic_error_is_one_line_without_its_link() -> None:
    """A record pydantic refuses: each field and its message, on one line (a reason is a line of
    the summary). pydantic's text took three lines a field, ending with "For further
    information visit https://…"."""

    def build() -> Patent:
        return Patent.model_validate({"id": "X", "title": 5, "application_date": "never"})

    (item,) = guarded("row 2", lambda: "{}", build)
    assert isinstance(item, Quarantined)
    assert "\n" not in item.reason
    assert item.reason.startswith("字段值无效 / invalid value: ")
    fields = item.reason.removeprefix("字段值无效 / invalid value: ").split("; ")
    assert len(fields) > 2  # every field pydantic named, each with its message
    assert all(": " in f and f.split(":")[0] for f in fields)
    assert any(f.startswith("application_date: ") for f in fields)
    assert "pydantic.dev" not in item.reason
    assert "type=" not in item.reason


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("20150106", dt.date(2015, 1, 6)),
        ("2015-01-06", dt.date(2015, 1, 6)),
        ("2015/3/4 0:00:00", dt.date(2015, 3, 4)),
        ("2015/3/4 12:00:00 AM", dt.date(2015, 3, 4)),
        ("2016-05-27T00:00:00+08:00", dt.date(2016, 5, 27)),
        ("2016-05-27T00:00:00.000Z", dt.date(2016, 5, 27)),
        ("2015-01-06+01:00", dt.date(2015, 1, 6)),  # an XML Schema date with its zone
        ("2015.01.06", dt.date(2015, 1, 6)),
        ("2021年1月5日", dt.date(2021, 1, 5)),
        ("2021年01月05日 00:00", dt.date(2021, 1, 5)),
        (" 2021-01-05 ", dt.date(2021, 1, 5)),
    ],
)
def test_the_forms_a_date_is_written_in(text: str, date: dt.date) -> None:
    assert parse_date(text) == date


@pytest.mark.parametrize(
    "text",
    ["未发表", "-", "--", "—", "/", "无", "暂无", "null", "NULL", "none", "N/A", "NaN", "NaT"],
)
def test_a_placeholder_in_a_date_field_is_no_date(text: str) -> None:
    """Exports write these where a record has no date (未发表: a work not yet published): each
    was "无法识别的日期", and its whole record was quarantined."""
    assert parse_date(text) is None


@pytest.mark.parametrize("text", ["0001-01-01T00:00:00", "0001-01-01", "00000000", "0000-00-00"])
def test_a_null_date_of_net_or_zeros_is_no_date(text: str) -> None:
    """``0001-01-01`` is .NET's ``DateTime.MinValue``, the null date Chinese data APIs write:
    it passed, and the index then refused the record in English only."""
    assert parse_date(text) is None


@pytest.mark.parametrize(
    "text", ["202101051", "44228.5", "44228.0", "2021-01-05x", "20210105 123", "明天", "2015-0106"]
)
def test_a_date_is_the_whole_text_or_none(text: str) -> None:
    """The prefix was enough: ``202101051`` read as 2021-01-05, an Excel serial ``44228.5`` as
    4422-08-05, and ``44228.0`` as no date at all (its day "0")."""
    with pytest.raises(
        ValueError, match=re.escape(f"无法识别的日期 / unrecognised date: {text!r}")
    ):
        parse_date(text)


@pytest.mark.parametrize("text", ["1600-01-01", "1677-09-21", "2262-04-11", "9999-12-31"])
def test_a_date_no_store_can_hold_is_refused_naming_it(text: str) -> None:
    """Such a date passed, and the store refused the record with an English OverflowError,
    without its row or raw text: refused here, it is quarantined as any bad value is."""
    with pytest.raises(ValueError, match="date out of the range stores hold") as exc:
        parse_date(text)
    assert str(exc.value) == (
        "日期超出可存储的范围 / date out of the range stores hold (1677-09-22 – 2262-04-10):"
        f" {text!r}"
    )


def test_the_first_and_last_days_every_store_holds_are_dates() -> None:
    assert parse_date("1677-09-22") == dt.date(1677, 9, 22)
    assert parse_date("2262-04-10") == dt.date(2262, 4, 10)
    assert parse_date("1900-01-01") == dt.date(1900, 1, 1)  # no placeholder any export documents


def test_objects_and_nested_lists_in_a_list_of_names() -> None:
    """JSON exports list applicants as objects and classes as lists of lists: each was stored
    as its Python form (``"{'name': '广州甲科技有限公司', …}"``, ``"['H01M10/42']"``)."""
    raw = [
        {"name": "广州甲科技有限公司", "address": "广州市黄埔区", "country": "cn"},
        {"Name": "甲公司", "KeyNo": "x"},  # the commercial data APIs' shape
        [["广州乙大学"], {"名称": "丙研究院", "地址": "广州市天河区", "国家": "中国"}],
        {"name": "广州甲科技有限公司"},
        {},
    ]
    assert split_names(raw) == ["广州甲科技有限公司", "甲公司", "广州乙大学", "丙研究院"]
    assert [(p.name, p.address, p.country) for p in parties(raw, "广东省")] == [
        ("广州甲科技有限公司", "广州市黄埔区", "CN"),
        ("甲公司", "广东省", None),
        ("广州乙大学", "广东省", None),
        ("丙研究院", "广州市天河区", None),  # a country that is no ISO code is left out
    ]
    assert split_names([["H01M10/42"], ["G06F16/00"]]) == ["H01M10/42", "G06F16/00"]
    assert split_names({"Name": "甲公司"}) == ["甲公司"]


def test_an_object_without_a_name_is_refused_showing_it() -> None:
    with pytest.raises(ValueError, match="名单中的对象没有名称 / an object in a list of names has"):
        split_names([{"KeyNo": "x1", "Tel": "020"}])
