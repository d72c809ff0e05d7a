"""USPTO grant/application XML 4.x: real samples of each DTD version and a written weekly file."""

from __future__ import annotations

import datetime as dt
import io
import re
import socket
import unittest.mock
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from ingest.parsers import uspto
from ingest.parsers.base import Quarantined
from iphub.records import Patent, PatentKind
from tests.ingest.conftest import FIXTURES, shared


def parse_file(path: Path) -> list[Patent | Quarantined]:
    with path.open("rb") as f:
        return list(uspto.parse(f))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "pn", "an", "pd", "title", "applicant", "ipc"),
    [
        ("US06859910.xml", "US6859910B2", "US09832323", "2005-02-22",
         "Methods and systems for transactional tunneling", "Bluestreak.com", "G06F 15/00"),
        ("US07272630B2.xml", "US7272630B2", "US10991571", "2007-09-18",
         "Locating potentially identical objects", "Microsoft Corporation", "G06F 15/13"),
        ("US08926509.xml", "US8926509B2", "US12134151", "2015-01-06",
         "Wireless physiological sensor patches and systems", "Hmicro, Inc.", "A61B 5/00"),
        ("US08930553.xml", "US8930553B2", "US13648029", "2015-01-06",
         "Managing mid-dialog session initiation protocol (SIP) messages",
         "International Business Machines Corporation", "G06F 15/16"),
        ("US20050004437A1.xml", "US20050004437A1", "US10830857", "2005-01-06",
         "Simulation device for playful evaluation", "Heiner Kaufmann", "A61B 5/00"),
    ],
)  # fmt: skip
def test_shared_samples(
    name: str, pn: str, an: str, pd: str, title: str, applicant: str, ipc: str
) -> None:
    (record,) = parse_file(shared("uspto", name))
    assert isinstance(record, Patent), record
    assert (record.id, record.publication_number, record.application_number) == (pn, pn, an)
    assert record.publication_date == dt.date.fromisoformat(pd)
    assert record.title.text.startswith(title)
    assert record.title.lang == "en"
    assert applicant in [a.name for a in record.applicants]
    assert record.ipc_main == ipc
    assert record.abstract is not None
    assert len(record.abstract.text) > 50
    assert record.claims
    assert record.sources == ["uspto"]


def test_v45_inventors_agents_cpc_and_citations() -> None:
    (record,) = parse_file(shared("uspto", "US08926509.xml"))
    assert isinstance(record, Patent)
    assert record.inventors[0].name == "Surendar Magar"
    assert record.agency is not None
    assert record.agency.name == "Wilson Sonsini Goodrich & Rosati"
    assert record.cpc[:2] == ["A61B 5/0205", "A61B 5/0024"]
    assert record.cited_documents[:2] == ["US4313443A", "US4784162A"]
    assert len(record.claims) == 31
    assert record.kind is PatentKind.INVENTION_GRANT
    assert record.grant_date == record.publication_date


def test_weekly_file_splits_and_quarantines_the_broken_document() -> None:
    grant, broken, app = parse_file(FIXTURES / "uspto-weekly.xml")
    assert isinstance(grant, Patent)
    assert isinstance(app, Patent)
    assert isinstance(broken, Quarantined)
    assert broken.position.startswith("document 2 at byte ")
    assert broken.reason.startswith("XML 格式错误 / malformed XML: ")
    assert "09000002" in broken.raw
    assert grant.id == "US9000001B2"
    assert grant.application_date == dt.date(2012, 3, 1)
    assert grant.title.text == "Lithium battery cathode with graphene coating"
    assert grant.abstract is not None
    assert "graphene — improving" in grant.abstract.text
    assert [(a.name, a.country, a.address) for a in grant.applicants] == [
        ("Guangzhou Battery Co., Ltd.", "CN", "Guangzhou")
    ]
    assert [i.name for i in grant.inventors] == ["Wei Li"]
    assert grant.agency is not None
    assert grant.agency.name == "Smith & Partners LLP"
    assert (grant.ipc, grant.cpc) == (["H01M 10/0525"], ["H01M 10/052"])
    assert grant.priorities[0].number == "201110012345.6"
    assert grant.priorities[0].date == dt.date(2011, 3, 15)
    assert grant.cited_documents == ["US5793966A"]
    assert grant.claims == ["1. A cathode comprising a graphene coating."]
    assert app.id == "US20050000003A1"
    assert app.kind is PatentKind.INVENTION_APPLICATION
    assert app.ipc == ["A61B 5/00", "G06F 17/21"]
    assert (
        [p.name for p in app.inventors] == [p.name for p in app.applicants] == ["Heiner Kaufmann"]
    )


def _line_of(text: str, needle: str, start: int = 0) -> int:
    """The line (from 1) of ``text`` on which ``needle`` first stands after ``start``."""
    return text.count("\n", 0, text.index(needle, start)) + 1


def test_a_broken_documents_reason_names_the_lines_of_the_weekly_file() -> None:
    """A malformed document of a weekly file said its lines within itself, then lxml's
    "(<string>, line 6)": line 6 of which document, in a file of thousands of lines? Its
    reason names the file's lines, as the element formats' reasons do."""
    weekly = (FIXTURES / "uspto-weekly.xml").read_text(encoding="utf-8")
    (broken,) = [i for i in parse_file(FIXTURES / "uspto-weekly.xml") if isinstance(i, Quarantined)]
    cut = _line_of(weekly, "<doc-number>09000002")  # the last line of the cut document
    assert broken.reason == (
        "XML 格式错误 / malformed XML: Premature end of data in tag document-id"
        f" line {cut}, line {cut + 1}, column 1"  # where the next document's declaration is
    )
    start = weekly.index("<?xml", 10)
    assert broken.raw == weekly[start : weekly.index("<?xml", start + 10)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_lines_and_columns_of_a_document_within_the_file(encoding: str) -> None:
    """A mismatched tag in the third document of a file: the lines lxml names, the tag's own
    and where the error stands (with its column), are the file's, in UTF-16 as in UTF-8; a
    column on a document's first line, which the file's line may share with the document
    before it, is left out."""
    docs = _weekly_documents()
    third = docs[2].decode().replace("</invention-title>", "</title>", 1)
    text = "".join(d.decode() for d in docs[:2]) + third
    (item,) = [
        i
        for i in uspto.parse(io.BytesIO(text.encode(encoding)))  # type: ignore[arg-type]
        if isinstance(i, Quarantined) and i.position.startswith("document 3 ")
    ]
    opened = _line_of(text, "<invention-title", text.index("US20050000003A1"))
    closed = _line_of(text, "</title>")
    with pytest.raises(etree.XMLSyntaxError) as alone:  # the column, as lxml counts it
        etree.fromstring(third.encode(), etree.XMLParser(load_dtd=False, no_network=True))
    column = re.search(r", column \d+$", alone.value.msg)
    assert column is not None
    assert item.reason == (
        "XML 格式错误 / malformed XML: Opening and ending tag mismatch: invention-title"
        f" line {opened} and title, line {closed}{column[0]}"
    )
    last = b"<?xml version='1.0'?><r><p></r>\n"
    joined = docs[0] + docs[1].rstrip() + last  # the last two documents on one line
    (_, _, bad) = list(uspto.parse(io.BytesIO(joined)))  # type: ignore[arg-type]
    assert isinstance(bad, Quarantined)
    line = joined.count(b"\n", 0, joined.index(last)) + 1
    assert bad.reason.endswith(f"Opening and ending tag mismatch: p line {line} and r, line {line}")


def test_skip_resumes_after_whole_documents() -> None:
    with (FIXTURES / "uspto-weekly.xml").open("rb") as f:
        items = list(uspto.parse(f, skip=2))
    assert [getattr(i, "id", None) for i in items] == ["US20050000003A1"]


#: the fixture's documents in UTF-16 as Windows tools write them: a byte order mark first, or
#: none (little- or big-endian), or one before each document (files written one after another)
_UTF16_FORMS = {
    "bom": lambda docs: [docs[0].encode("utf-16"), *(d.encode("utf-16-le") for d in docs[1:])],
    "le": lambda docs: [d.encode("utf-16-le") for d in docs],
    "be": lambda docs: [d.encode("utf-16-be") for d in docs],
    "bom each": lambda docs: [d.encode("utf-16") for d in docs],
}


@pytest.mark.parametrize("form", _UTF16_FORMS)
def test_a_weekly_file_in_utf16_is_cut_document_by_document(form: str) -> None:
    """A weekly file in UTF-16 was searched for ``<?xml`` as ASCII bytes, found none, and went
    to lxml whole: one quarantine entry ("XML declaration allowed only at the start of the
    document") and every document lost. It is read as UTF-8 and cut as any weekly file, so the
    broken second document costs only itself; positions name the bytes of the file as it is
    (characters beyond the BMP four bytes, byte order marks two), skipped documents too."""
    text = (FIXTURES / "uspto-weekly-utf16.xml").read_bytes().decode("utf-16")
    docs = ["<?xml" + d for d in text.split("<?xml")[1:]]
    encoded = _UTF16_FORMS[form](docs)
    at = [sum(map(len, encoded[:i])) for i in range(len(encoded))]
    data = b"".join(encoded)
    grant, broken, app = list(uspto.parse(io.BytesIO(data)))  # type: ignore[arg-type]
    assert isinstance(grant, Patent), grant
    assert (grant.id, grant.title.text) == ("US9000011B2", "Café battery for 𠀀 cells")
    assert [i.address for i in grant.inventors] == ["广州"]
    assert isinstance(broken, Quarantined)
    assert broken.position.startswith(f"document 2 at byte {at[1]}, line ")
    assert broken.reason.startswith("XML 格式错误 / malformed XML: ")
    assert "Broken &amp; cut 𠀁 short" in broken.raw  # as text, not UTF-16 bytes
    assert isinstance(app, Patent), app
    assert (app.id, app.title.text) == ("US20050000013A1", "Smart water bottle — 智能水杯")
    assert [p.address for p in app.applicants] == ["Zürich"]
    (resumed,) = list(uspto.split(io.BytesIO(data), 2))  # type: ignore[arg-type]
    assert resumed[0].startswith(f"document 3 at byte {at[2]}, line ")


def test_external_entities_are_not_resolved_or_fetched(tmp_path: Path) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        server.settimeout(0.2)
        port = server.getsockname()[1]
        text = (FIXTURES / "xxe-uspto.xml").read_text().replace("127.0.0.1:9", f"127.0.0.1:{port}")
        (tmp_path / "x.xml").write_text(text)
        (record,) = parse_file(tmp_path / "x.xml")
        with pytest.raises(TimeoutError):
            server.accept()  # nobody connected
    assert isinstance(record, Patent)
    assert "root:" not in record.title.text
    assert record.title.text.endswith("end")


def test_billion_laughs_does_not_expand() -> None:
    (item,) = parse_file(FIXTURES / "billion-laughs.xml")
    assert isinstance(item, Quarantined)
    assert "amplification" in item.reason or "entity" in item.reason.lower()
    assert len(item.raw) <= 2000


def test_a_missing_part_is_named_in_the_reason(tmp_path: Path) -> None:
    """The quarantine says which element a document lacks, not that ``None`` has no ``find``."""
    weekly = (FIXTURES / "uspto-weekly.xml").read_text(encoding="utf-8")
    first = weekly[: weekly.index("<?xml", 10)]
    for element, parent in (
        ("application-reference", "us-bibliographic-data-grant"),
        ("us-bibliographic-data-grant", "us-patent-grant"),
    ):
        start = first.index(f"<{element}")
        end = first.index(f"</{element}>") + len(f"</{element}>")
        path = tmp_path / f"without-{element}.xml"
        path.write_text(first[:start] + first[end:], encoding="utf-8")
        (item,) = parse_file(path)
        assert isinstance(item, Quarantined)
        assert item.reason == f"缺少元素 / missing element <{element}> in <{parent}>"


def _documents(data: bytes, skip: int = 0) -> list[tuple[str, bytes]]:
    return list(uspto.split(io.BytesIO(data), skip))


def _weekly_documents() -> list[bytes]:
    weekly = (FIXTURES / "uspto-weekly.xml").read_bytes()
    starts = [m.start() for m in re.finditer(rb"<\?xml ", weekly)]
    return [weekly[a:b] for a, b in zip(starts, [*starts[1:], len(weekly)], strict=True)]


@pytest.mark.parametrize("block", [7, 64, 1 << 18])
def test_documents_and_positions_do_not_depend_on_the_block_size(
    block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A declaration, a line or a document cut by a block's end is found whole, with the
    file's line it starts on."""
    docs = _weekly_documents()
    monkeypatch.setattr(uspto, "BLOCK", block)
    got = _documents(b"".join(docs))
    starts = [sum(len(d) for d in docs[:i]) for i in range(len(docs))]
    lines = [sum(d.count(b"\n") for d in docs[:i]) + 1 for i in range(len(docs))]
    assert got == [
        (f"document {i + 1} at byte {s}, line {line}", d)
        for i, (s, d, line) in enumerate(zip(starts, docs, lines, strict=True))
    ]
    assert [uspto.start_line(p) for p, _ in got] == lines
    assert _documents(b"".join(docs), skip=2) == got[2:]


def test_blank_lines_and_byte_order_marks_are_no_document() -> None:
    """A file opening with a blank line or a byte order mark gave a first "document" of that
    alone, quarantined as broken XML; blanks before a declaration on its line made the
    document itself broken."""
    grant = _weekly_documents()[0]
    for data in (
        b"\n" + grant,
        b"\xef\xbb\xbf" + grant,
        b"  \r\n\n" + grant + b"\n \n",
        b"   " + grant,  # libxml2 takes nothing but a byte order mark before a declaration
    ):
        ((position, document),) = _documents(data)
        assert isinstance(uspto.parse_document(position, document)[0], Patent)
    assert _documents(b"") == _documents(b"\n \n") == []


def test_documents_written_without_a_line_break_between_them_are_cut() -> None:
    docs = [d.rstrip() for d in _weekly_documents()]
    items = [uspto.parse_document(p, d)[0] for p, d in _documents(b"".join(docs))]
    assert [type(i) for i in items] == [Patent, Quarantined, Patent]


def test_a_processing_instruction_named_xml_something_is_not_a_declaration() -> None:
    grant = _weekly_documents()[0]
    head, body = grant.split(b"<us-patent-grant ", 1)
    data = head + b'<?xml-stylesheet type="text/xsl" href="grant.xsl"?>\n<us-patent-grant ' + body
    ((position, document),) = _documents(data)
    assert isinstance(uspto.parse_document(position, document)[0], Patent)


def test_an_over_long_document_is_quarantined_and_the_next_loads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    docs = _weekly_documents()
    monkeypatch.setattr(uspto, "MAX_DOCUMENT", 2000)
    monkeypatch.setattr(uspto, "BLOCK", 300)
    long_one = docs[0].replace(
        b"</us-patent-grant>", b"<x>" + b"y" * 5000 + b"</x></us-patent-grant>"
    )
    assert len(docs[2]) < 2000
    (position, cut), (last_position, last) = _documents(long_one + docs[2])
    assert len(cut) == 2001  # kept no further than needed to say so
    (item,) = uspto.parse_document(position, cut)
    assert isinstance(item, Quarantined)
    assert item.reason == "document larger than 2000 bytes"
    assert last == docs[2]
    assert uspto.start_line(position) == 1
    assert uspto.start_line(last_position) == long_one.count(b"\n") + 1


def test_a_statutory_invention_registration_loads_as_a_publication() -> None:
    """A SIR (``H0002260``, kind ``H1``) in a grant file: its number was refused and the
    document quarantined; it grants no right, so it is not counted as a grant."""
    grant = _weekly_documents()[0]
    sir = grant.replace(
        b"<doc-number>09000001</doc-number><kind>B2</kind>",
        b"<doc-number>H0002260</doc-number><kind>H1</kind>",
    )
    assert sir != grant
    (record,) = uspto.parse_document("document 1", sir)
    assert isinstance(record, Patent), record
    assert (record.id, record.kind_code) == ("USH2260H1", "H1")
    assert record.kind is PatentKind.INVENTION_APPLICATION
    assert record.grant_date is None
    assert record.publication_date == dt.date(2015, 4, 7)


@pytest.mark.parametrize(
    ("name", "related"),
    [
        ("US06859910.xml", [("us-provisional-application", "US60195933", "2000-04-10", None),
                            ("related-publication", "US20010037361A1", "2001-11-01", None)]),
        ("US07272630B2.xml", [("division", "US09876376", "2001-06-06", "PENDING"),
                              ("related-publication", "US20050097148A1", "2005-05-05", None)]),
        ("US20050004437A1.xml", [("continuation", "PCT/CH2002/000573", "2002-10-21", "UNKNOWN")]),
    ],
)  # fmt: skip
def test_related_documents_of_the_shared_samples(
    name: str, related: list[tuple[str, str, str, str | None]]
) -> None:
    """The parent of a division or continuation, a provisional application, and the grant's
    own earlier publication (the link from a B2 to its A1) were read past."""
    (record,) = parse_file(shared("uspto", name))
    assert isinstance(record, Patent)
    assert [
        (r.relation, r.number, r.date.isoformat() if r.date else None, r.status)
        for r in record.related
    ] == related


def test_an_assignee_written_without_an_addressbook() -> None:
    """The v4.0 DTD lets a party write its name and address directly in its element: such an
    assignee was read past, and the applicant-inventor stood in for it."""
    (record,) = parse_file(shared("uspto", "US06859910.xml"))
    assert isinstance(record, Patent)
    assert [(a.name, a.country) for a in record.applicants] == [("Bluestreak.com", None)]
    assert [(i.name, i.country, i.address) for i in record.inventors] == [
        ("John Charles Croy", "US", "Middletown, RI")
    ]


def test_parties_written_without_an_addressbook() -> None:
    grant = _weekly_documents()[0]
    assignees = grant[grant.index(b"<assignees>") : grant.index(b"</assignees>")]
    doc = grant.replace(
        assignees,
        b"<assignees><assignee><orgname>Bluestreak.com</orgname><role>02</role>"
        b"<address><city>Boston</city><state>MA</state><country>US</country></address>"
        b"</assignee><assignee><last-name>Doe</last-name><first-name>Jane</first-name>"
        b"<role>04</role></assignee>",
    )
    (record,) = uspto.parse_document("document 1", doc)
    assert isinstance(record, Patent), record
    assert [(a.name, a.country, a.address) for a in record.applicants] == [
        ("Bluestreak.com", "US", "Boston, MA"),
        ("Jane Doe", None, None),
    ]
    assert [i.name for i in record.inventors] == ["Wei Li"]


def test_the_agency_is_the_firm_and_the_attorneys_its_agents() -> None:
    """An attorney listed before the firm was taken for the agency, the firm for its agent."""
    (record,) = parse_file(shared("uspto", "US06859910.xml"))
    assert isinstance(record, Patent)
    assert record.agency is not None
    assert (record.agency.name, record.agency.agents) == ("Foley Hoag LLP", ["Joseph H. Born"])


@pytest.mark.parametrize(
    ("agents", "name", "others"),
    [
        (["Born/Joseph H.", "Foley Hoag LLP", "Smith/Ann"], "Foley Hoag LLP",
         ["Joseph H. Born", "Ann Smith"]),
        (["Foley Hoag LLP", "Other & Co."], "Foley Hoag LLP", ["Other & Co."]),
        (["Born/Joseph H.", "Smith/Ann"], "Joseph H. Born", ["Ann Smith"]),  # no firm
    ],
)  # fmt: skip
def test_the_agency_of_attorneys_and_firms_in_any_order(
    agents: list[str], name: str, others: list[str]
) -> None:
    def agent(written: str) -> str:
        last, _, given = written.partition("/")
        who = (
            f"<last-name>{last}</last-name><first-name>{given}</first-name>"
            if given
            else f"<orgname>{written.replace('&', '&amp;')}</orgname>"
        )
        return f'<agent rep-type="attorney"><addressbook>{who}</addressbook></agent>'

    grant = _weekly_documents()[0]
    listed = grant[grant.index(b"<agents>") : grant.index(b"</agents>")]
    doc = grant.replace(listed, ("<agents>" + "".join(agent(a) for a in agents)).encode())
    (record,) = uspto.parse_document("document 1", doc)
    assert isinstance(record, Patent), record
    assert record.agency is not None
    assert (record.agency.name, record.agency.agents) == (name, others)


def test_a_granted_parent_and_its_patent_number() -> None:
    grant = _weekly_documents()[0]
    related = (
        b"<us-related-documents><continuation-in-part><relation><parent-doc><document-id>"
        b"<country>US</country><doc-number>12000001</doc-number><date>20090115</date>"
        b"</document-id><parent-status>GRANTED</parent-status><parent-grant-document>"
        b"<document-id><country>US</country><doc-number>8000001</doc-number><kind>B2</kind>"
        b"</document-id></parent-grant-document></parent-doc><child-doc><document-id>"
        b"<country>US</country><doc-number>13123456</doc-number></document-id></child-doc>"
        b"</relation></continuation-in-part></us-related-documents>"
    )
    doc = grant.replace(b"</application-reference>", b"</application-reference>" + related, 1)
    (record,) = uspto.parse_document("document 1", doc)
    assert isinstance(record, Patent), record
    (parent,) = record.related
    assert (parent.relation, parent.number, parent.date, parent.status, parent.patent) == (
        "continuation-in-part",
        "US12000001",
        dt.date(2009, 1, 15),
        "GRANTED",
        "US8000001B2",
    )


@settings(max_examples=60, deadline=None)
@given(
    picks=st.lists(st.integers(0, 2), min_size=0, max_size=8),
    gaps=st.lists(
        st.sampled_from([b"", b"\n", b"\r\n", b"\n\n  \n", b"\xef\xbb\xbf"]), min_size=9, max_size=9
    ),
    block=st.integers(1, 4096),
)
def test_any_concatenation_comes_back_document_by_document(
    picks: list[int], gaps: list[bytes], block: int
) -> None:
    """Documents written one after another, with or without line breaks, blank lines or byte
    order marks between them, read in blocks of any size: each comes back whole, in order, at
    the byte where it starts."""
    docs = [d.rstrip() for d in _weekly_documents()]
    data, expected = b"", []
    for i, pick in enumerate(picks):
        data += gaps[i]
        bom = gaps[i] == b"\xef\xbb\xbf"
        start = len(data) - (3 if bom else 0)  # a BOM before a declaration is the document's
        expected.append((start if bom else len(data), docs[pick]))
        data += docs[pick]
    data += gaps[-1] if gaps[-1] != b"\xef\xbb\xbf" else b""
    with unittest.mock.patch.object(uspto, "BLOCK", block):
        got = _documents(data)
    assert [d.strip().removeprefix(b"\xef\xbb\xbf") for _, d in got] == [d for _, d in expected]
    assert [p.split(", line ")[0] for p, _ in got] == [
        f"document {i + 1} at byte {s}" for i, (s, _) in enumerate(expected)
    ]
    assert [uspto.start_line(p) for p, _ in got] == [data[:s].count(b"\n") + 1 for s, _ in expected]
    parsed = [uspto.parse_document(p, d)[0] for p, d in got]  # the blanks kept
    assert [type(i) for i in parsed] == [Quarantined if p == 1 else Patent for p in picks]


def test_a_citation_whose_number_repeats_its_office_is_normalised() -> None:
    """``<country>WO</country><doc-number>WO 89/02682</doc-number><kind>A1</kind>``: the office
    was doubled (``WOWO 89/02682A1``) and the number left as written."""
    (record,) = parse_file(shared("uspto", "US08926509.xml"))
    assert isinstance(record, Patent)
    assert "WO1989002682A1" in record.cited_documents
    assert not [n for n in record.cited_documents if n.startswith("WOWO") or " " in n]


def test_a_national_stage_entry_names_its_pct_application_and_publication() -> None:
    """``pct-or-regional-filing-data`` and ``…-publishing-data`` were read past: a national
    stage entry had no PCT numbers, so the statistics' PCT flag missed every US one."""
    xml = shared("uspto", "US08930553.xml").read_text(encoding="utf-8")
    pct = (
        "<pct-or-regional-filing-data><document-id><country>WO</country>"
        "<doc-number>PCT/US2012/059999</doc-number><kind>00</kind><date>20121012</date>"
        "</document-id><us-371c124-date><date>20140410</date></us-371c124-date>"
        "</pct-or-regional-filing-data><pct-or-regional-publishing-data><document-id>"
        "<country>WO</country><doc-number>2013/055555</doc-number><kind>A1</kind>"
        "<date>20130418</date></document-id></pct-or-regional-publishing-data>"
    )
    xml = xml.replace("</us-bibliographic-data-grant>", pct + "</us-bibliographic-data-grant>")
    (record,) = list(uspto.parse(io.BytesIO(xml.encode())))  # type: ignore[arg-type]
    assert isinstance(record, Patent)
    assert record.pct_application_number == "PCT/US2012/059999"
    assert record.pct_publication_number == "WO2013055555A1"
    (plain,) = parse_file(shared("uspto", "US08930553.xml"))
    assert isinstance(plain, Patent)
    assert (plain.pct_application_number, plain.pct_publication_number) == (None, None)


def test_a_document_cut_off_mid_line_costs_itself_alone() -> None:
    """A weekly file with a document cut off mid-line, the next declaration right after it on
    the same line: the next document was taken as part of the cut one and lost with it. And
    a stray byte between two documents (a Ctrl-Z, a non-breaking space) cost both."""
    first, _, third = _weekly_documents()
    grant = first.replace(b"09000001", b"09000009")  # a well-formed second grant
    cut = first.replace(b"09000001", b"09000008")
    cut = cut[: cut.index(b"</invention-title>") - 5]  # no line break: cut mid-line
    items = list(uspto.parse(io.BytesIO(first + cut + third)))  # type: ignore[arg-type]
    assert [type(i) for i in items] == [Patent, Quarantined, Patent]
    assert [i.id for i in items if isinstance(i, Patent)] == ["US9000001B2", "US20050000003A1"]
    for stray in (b"\x1a", b"\xc2\xa0", b"\x00\n"):
        items = list(uspto.parse(io.BytesIO(first + stray + grant + third)))  # type: ignore[arg-type]
        assert [getattr(i, "id", i) for i in items] == [
            "US9000001B2", "US9000009B2", "US20050000003A1",
        ]  # fmt: skip


def test_a_declaration_quoted_in_a_comment_does_not_cut_the_document() -> None:
    """A declaration written inside a comment or a CDATA section, after other text on its line,
    is part of the document, not the start of another: the document was cut in two there."""
    first, _, third = _weekly_documents()
    for quoted in (
        b'<!-- copied from <?xml version="1.0"?> header -->',
        b'<![CDATA[see <?xml version="1.0" encoding="UTF-8"?> above]]>',
    ):
        doc = first.replace(b"</us-patent-grant>", quoted + b"\n</us-patent-grant>")
        items = list(uspto.parse(io.BytesIO(doc + third)))  # type: ignore[arg-type]
        assert [getattr(i, "id", i) for i in items] == ["US9000001B2", "US20050000003A1"]
