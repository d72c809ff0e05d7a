"""CNIPA ST.36-based cn-patent-document XML (fixtures written from the element structure)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from ingest.parsers import cnipa, uspto
from ingest.parsers.base import Quarantined
from iphub.records import Patent, PatentKind
from tests.ingest.conftest import FIXTURES, shared


def test_gbk_invention_publication() -> None:
    with (FIXTURES / "cnipa-invention-gbk.xml").open("rb") as f:
        (p,) = list(cnipa.parse(f))
    assert isinstance(p, Patent)
    assert (p.id, p.kind, p.kind_code) == ("CN114123456A", PatentKind.INVENTION_APPLICATION, "A")
    assert p.application_number == "CN202110123456.7"
    assert (p.application_date, p.publication_date) == (dt.date(2021, 2, 1), dt.date(2022, 3, 1))
    assert p.title.text == "一种石墨烯包覆的锂电池正极材料"
    assert p.abstract is not None
    assert p.abstract.text.startswith("本发明公开了一种石墨烯包覆")
    assert p.claims == ["1.一种锂电池正极材料，其特征在于表面包覆石墨烯。"]
    assert [(a.name, a.address) for a in p.applicants] == [
        ("广州电池有限公司", "510000 广东省广州市天河区科韵路1号")
    ]
    assert [i.name for i in p.inventors] == ["李伟", "王芳"]
    assert p.agency is not None
    assert (p.agency.name, p.agency.agents) == ("广州华进联合专利商标代理有限公司", ["张三"])
    assert (p.ipc_main, p.ipc) == ("H01M 10/0525", ["H01M 10/0525", "H01M 4/62"])
    assert (p.priorities[0].country, p.priorities[0].number) == ("JP", "2020-123456")


def test_ipc_of_edition_7_before_the_reform() -> None:
    """A document from before the IPC reform of 2006 gives its classes in ST.36's
    ``classification-ipc`` (main and further): they were dropped, and with them the record's
    industries."""
    xml = (FIXTURES / "cnipa-invention-gbk.xml").read_bytes()
    start, end = xml.index(b"<classifications-ipcr>"), xml.index(b"</classifications-ipcr>")
    old = (
        b"<classification-ipc><edition>7</edition><main-classification>H01M10/40"
        b"</main-classification><further-classification>H01M 4/58</further-classification>"
        b"</classification-ipc>"
    )
    xml = xml[:start] + old + xml[end + len(b"</classifications-ipcr>") :]
    (p,) = list(cnipa.parse(io.BytesIO(xml)))
    assert isinstance(p, Patent)
    assert (p.ipc_main, p.ipc) == ("H01M 10/40", ["H01M 10/40", "H01M 4/58"])


def test_full_text_document_with_its_body() -> None:
    """CNIPA's full-text documents hold the claims and the description in ``application-body``;
    the claims were read only beside the bibliography, and were lost. The description's title
    stands for one the bibliography lacks."""
    xml = (FIXTURES / "cnipa-invention-gbk.xml").read_bytes()
    claims = xml[xml.index(b"<claims") : xml.index(b"</claims>") + len(b"</claims>")]
    title = xml[xml.index(b"<invention-title") : xml.index(b"</invention-title>") + 18]
    body = b"<application-body><description>" + title + b"<p>x</p></description>" + claims
    xml = xml.replace(claims, body + b"</application-body>").replace(title, b"", 1)
    (p,) = list(cnipa.parse(io.BytesIO(xml)))
    assert isinstance(p, Patent)
    assert p.claims == ["1.一种锂电池正极材料，其特征在于表面包覆石墨烯。"]
    assert p.title.text == "一种石墨烯包覆的锂电池正极材料"


def _gbk_fixture() -> bytes:
    return (FIXTURES / "cnipa-invention-gbk.xml").read_bytes()


def _with_after_priorities(xml: str) -> Patent:
    """The GBK fixture's document with ``xml`` after its ``priority-claims``, parsed."""
    fixture = _gbk_fixture().decode("gbk")
    data = fixture.replace("</priority-claims>", "</priority-claims>" + xml).encode("gbk")
    (p,) = list(cnipa.parse(io.BytesIO(data)))
    assert isinstance(p, Patent), p
    return p


def test_a_domestic_priority_follows_those_claimed_abroad() -> None:
    """A priority claimed from an earlier Chinese application (本国优先权) comes in
    ``cn-domestic-priority-claim``, not ``priority-claims``: it was left out, and with it the
    date a prior-art search counts from."""
    domestic = (
        "<cn-related-documents><cn-domestic-priority-claim><substitution><relation><parent-doc>"
        "<document-id><country>CN</country><doc-number>202020123456.X</doc-number>"
        "<date>20200715</date></document-id></parent-doc></relation></substitution>"
        "</cn-domestic-priority-claim><cn-domestic-priority-claim><substitution><relation>"
        "<parent-doc><document-id><doc-number>202010654321.0</doc-number><date>20200720</date>"
        "</document-id></parent-doc></relation></substitution></cn-domestic-priority-claim>"
        "<cn-domestic-priority-claim/></cn-related-documents>"
    )
    p = _with_after_priorities(domestic)
    assert [(x.country, x.number, x.date) for x in p.priorities] == [
        ("JP", "2020-123456", dt.date(2020, 8, 1)),
        ("CN", "202020123456.X", dt.date(2020, 7, 15)),
        ("CN", "202010654321.0", dt.date(2020, 7, 20)),  # its country not given: at home
    ]
    assert p.related == []  # a domestic priority is a priority, not a related application


def test_a_divisional_application_names_its_parent() -> None:
    """A divisional (分案申请) lists its parent in ``cn-related-documents/division``: the
    application whose filing date it keeps."""
    division = (
        "<cn-related-documents><division><relation><parent-doc><document-id><country>CN</country>"
        "<doc-number>201910000011.2</doc-number><date>20190305</date></document-id></parent-doc>"
        "</relation></division><division><relation><parent-doc><document-id>"
        "<doc-number>201910000012</doc-number><date>2019-13-45</date></document-id></parent-doc>"
        "</relation></division><division/></cn-related-documents>"
    )
    p = _with_after_priorities(division)
    assert [(r.relation, r.number, r.date) for r in p.related] == [
        ("division", "CN201910000011.2", dt.date(2019, 3, 5)),
        # no country: at home, the check digit worked out; a date that is none: left out
        ("division", "CN201910000012.7", None),
    ]


def test_a_grant_of_1993_to_2010_with_kind_code_c() -> None:
    """CNIPA published invention grants as C until 2010 (and designs as D): those documents
    were quarantined as of an unknown kind."""
    xml = _gbk_fixture().decode("gbk").replace("114123456", "1186789")
    xml = xml.replace('kind="A"', 'kind="C"').replace("<kind>A</kind>", "<kind>C</kind>")
    (p,) = list(cnipa.parse(io.BytesIO(xml.encode("gbk"))))
    assert isinstance(p, Patent), p
    assert (p.id, p.kind, p.kind_code) == ("CN1186789C", PatentKind.INVENTION_GRANT, "C")


def test_parties_in_an_addressbook_and_a_grants_patentees() -> None:
    """CNIPA's documents give an applicant's name and address in ST.36's ``addressbook``: read
    directly under the applicant only, every such record loaded without applicants (no
    holder, no district in the statistics). A grant may name its patentees in ``assignees``."""
    xml = _gbk_fixture().decode("gbk")
    start, end = xml.index("<cn-applicant "), xml.index("</cn-applicant>")
    inner = xml[xml.index(">", start) + 1 : end]
    booked = xml.replace(inner, f"<addressbook>{inner}</addressbook>")
    (p,) = list(cnipa.parse(io.BytesIO(booked.encode("gbk"))))
    assert isinstance(p, Patent)
    assert [(a.name, a.address) for a in p.applicants] == [
        ("广州电池有限公司", "510000 广东省广州市天河区科韵路1号")
    ]
    applicants = xml[xml.index("<cn-applicants>") : xml.index("</cn-applicants>") + 16]
    assignees = f"<assignees><assignee><addressbook>{inner}</addressbook></assignee></assignees>"
    granted = xml.replace(applicants, "").replace("<cn-parties>", assignees + "<cn-parties>")
    (g,) = list(cnipa.parse(io.BytesIO(granted.encode("gbk"))))
    assert [(a.name, a.address) for a in g.applicants] == [  # type: ignore[union-attr]
        ("广州电池有限公司", "510000 广东省广州市天河区科韵路1号")
    ]


def test_entities_of_the_office_dtd_do_not_cost_the_record() -> None:
    """CNIPA's documents name their DTD (never loaded) and use its ISO entities (``&alpha;``).
    Cut out of the file, a document lost that declaration and such a reference failed it as
    undefined; the whole file, parsed at once, kept it. Now the reference is read as its
    character, and a name the entity sets lack stays as written."""
    xml = (FIXTURES / "cnipa-design.xml").read_text(encoding="utf-8")
    head, rest = xml.split("\n", 1)
    dtd = '<!DOCTYPE cn-patent-document SYSTEM "dtd/cn-patent-document-06-10-27.dtd">'
    pi = '<?xml-stylesheet type="text/xsl" href="xsl/XSL0117new.xsl"?>'
    doc = f"{head}\n{dtd}\n{pi}\n{rest}".replace("智能音箱", "智能音箱&alpha;&nosuchname;")
    (p,) = list(cnipa.parse(io.BytesIO(doc.encode())))
    assert isinstance(p, Patent)
    assert p.title.text == "智能音箱α&nosuchname;"


def test_design_with_locarno() -> None:
    with (FIXTURES / "cnipa-design.xml").open("rb") as f:
        (p,) = list(cnipa.parse(f))
    assert isinstance(p, Patent)
    assert (p.id, p.kind, p.locarno, p.ipc) == ("CN306123456S", PatentKind.DESIGN, ["14-02"], [])
    assert p.application_number == "CN202030123456.3"


@pytest.mark.parametrize(
    ("kind", "expected", "granted"),
    [
        ("A", PatentKind.INVENTION_APPLICATION, False),
        ("B", PatentKind.INVENTION_GRANT, True),
        ("C", PatentKind.INVENTION_GRANT, True),  # CNIPA's grants of 1993–2010
        ("U", PatentKind.UTILITY_MODEL, True),  # granted as it is published
        ("Y", PatentKind.UTILITY_MODEL, True),
        ("S", PatentKind.DESIGN, True),
        ("D", PatentKind.DESIGN, True),
    ],
)
def test_a_grant_publication_is_dated_as_granted(
    kind: str, expected: PatentKind, granted: bool
) -> None:
    """A grant's publication date is its grant date: only the USPTO's parser set it, so
    ``gd=`` missed CNIPA's grants, utility models and designs."""
    xml = _gbk_fixture().replace(b'kind="A"', f'kind="{kind}"'.encode())
    xml = xml.replace(b"<kind>A</kind>", f"<kind>{kind}</kind>".encode())
    (p,) = list(cnipa.parse(io.BytesIO(xml)))
    assert isinstance(p, Patent), p
    assert (p.id, p.kind) == (f"CN114123456{kind}", expected)
    assert p.publication_date == dt.date(2022, 3, 1)
    assert p.grant_date == (dt.date(2022, 3, 1) if granted else None)


def test_bad_document_quarantined() -> None:
    xml = b"<cn-patent-document><cn-bibliographic-data/></cn-patent-document>"
    (item,) = list(cnipa.parse(io.BytesIO(xml)))
    assert isinstance(item, Quarantined)
    assert item.position == "cn-patent-document 1 (line 1)"


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("202110123456.8", "校验位不符 / check digit mismatch: '202110123456.8'"
         " (expected 7)"),
        ("2021101234", "无法识别的申请号 / unrecognised application number:"
         " '2021101234'"),
    ],
)  # fmt: skip
def test_a_wrong_application_number_quarantines_the_document(number: str, reason: str) -> None:
    """The record loaded with the number as written, without its CN; a table's row with the
    same number is quarantined, and so is the document now, with the reason."""
    xml = _gbk_fixture().replace(b"202110123456.7", number.encode())
    (item,) = list(cnipa.parse(io.BytesIO(xml)))
    assert isinstance(item, Quarantined), item
    assert item.reason == reason
    assert number in item.raw


def test_a_missing_bibliography_is_named_and_missing_parties_load_as_none() -> None:
    design = (FIXTURES / "cnipa-design.xml").read_bytes()
    start, end = design.index(b"<cn-bibliographic-data>"), design.index(b"</cn-patent-document>")
    (item,) = list(cnipa.parse(io.BytesIO(design[:start] + design[end:])))
    assert isinstance(item, Quarantined)
    assert item.reason == (
        "缺少元素 / missing element <cn-bibliographic-data> in <cn-patent-document>"
    )
    start, end = design.index(b"<cn-parties>"), design.index(b"</cn-parties>")
    (p,) = list(cnipa.parse(io.BytesIO(design[:start] + design[end + len(b"</cn-parties>") :])))
    assert isinstance(p, Patent)
    assert (p.id, p.title.text, p.applicants, p.inventors) == ("CN306123456S", "智能音箱", [], [])


def test_namespaced_variant_with_pct_comments_and_abstract_outside_the_bibliography() -> None:
    """The ``business:`` namespaced variant reads the same: elements matched by local name,
    comments among the children skipped, the first child of a name taken, every applicant."""
    xml = """<?xml version="1.0" encoding="UTF-8"?>
<business:PatentDocumentAndRelated xmlns:business="http://www.sipo.gov.cn/XMLSchema/business">
<business:cn-patent-document country="CN" doc-number="115000001" kind="B" date-publ="20230105">
 <business:cn-bibliographic-data>
  <!-- publication --><business:cn-publication-reference><business:document-id>
   <business:country>CN</business:country><!-- number -->
   <business:doc-number>115000001</business:doc-number>
   <business:kind>B</business:kind><business:date>20230105</business:date>
  </business:document-id></business:cn-publication-reference>
  <business:application-reference><business:document-id><business:doc-number>202210000001.0</business:doc-number>
   <business:date>20220110</business:date></business:document-id></business:application-reference>
  <business:invention-title>一种电池管理系统</business:invention-title>
  <business:invention-title>（重复的第二个标题不读）</business:invention-title>
  <business:cn-parties>
   <business:cn-applicants>
    <business:cn-applicant><business:name>广州甲科技有限公司</business:name>
     <business:address><business:text>广州市黄埔区开创大道1号</business:text></business:address></business:cn-applicant>
    <business:cn-applicant><business:name>乙大学</business:name></business:cn-applicant>
    <business:cn-applicant><business:name> </business:name></business:cn-applicant>
   </business:cn-applicants>
   <business:cn-inventors><business:cn-inventor><business:name>陈明</business:name></business:cn-inventor></business:cn-inventors>
  </business:cn-parties>
  <business:priority-claims><business:priority-claim><business:country>US</business:country>
   <business:doc-number>63/000,001</business:doc-number><business:date>20210110</business:date></business:priority-claim>
  </business:priority-claims>
  <business:pct-or-regional-filing-data><business:document-id><business:doc-number>PCT/CN2022/070001</business:doc-number></business:document-id></business:pct-or-regional-filing-data>
  <business:pct-or-regional-publishing-data><business:document-id><business:doc-number>WO2023/000001</business:doc-number></business:document-id></business:pct-or-regional-publishing-data>
 </business:cn-bibliographic-data>
 <business:abstract><business:p>一种电池管理系统，包括采集模块。</business:p></business:abstract>
</business:cn-patent-document>
</business:PatentDocumentAndRelated>""".encode()
    (p,) = list(cnipa.parse(io.BytesIO(xml)))
    assert isinstance(p, Patent), p
    assert (p.id, p.kind, p.application_number) == (
        "CN115000001B",
        PatentKind.INVENTION_GRANT,
        "CN202210000001.0",
    )
    assert (p.application_date, p.publication_date) == (dt.date(2022, 1, 10), dt.date(2023, 1, 5))
    assert p.title.text == "一种电池管理系统"
    assert p.abstract is not None
    assert p.abstract.text == "一种电池管理系统，包括采集模块。"
    assert [(a.name, a.address) for a in p.applicants] == [
        ("广州甲科技有限公司", "广州市黄埔区开创大道1号"),
        ("乙大学", None),
    ]
    assert [i.name for i in p.inventors] == ["陈明"]
    assert [(x.country, x.number, x.date) for x in p.priorities] == [
        ("US", "63/000,001", dt.date(2021, 1, 10))
    ]
    assert (p.pct_application_number, p.pct_publication_number) == (
        "PCT/CN2022/070001",
        "WO2023000001",
    )


_GRANT_PCT = (FIXTURES / "cnipa-grant-pct.xml").read_text(encoding="utf-8")


def test_every_agent_is_read_under_the_first_agency_given() -> None:
    """CNIPA lists each agent in a ``cn-agent`` of its own, only the first naming the agency:
    the agents after the first were lost. The agency is the first ``cn-agency`` given, where it
    is not the first agent's."""
    (p,) = list(cnipa.parse(io.BytesIO(_GRANT_PCT.encode())))
    assert isinstance(p, Patent), p
    assert p.agency is not None
    assert (p.agency.name, p.agency.agents) == ("北京三友知识产权代理有限公司", ["王五", "赵六"])
    agency = "<cn-agency><name>北京三友知识产权代理有限公司</name></cn-agency>"
    second = "<name>赵六</name>"
    moved = _GRANT_PCT.replace(agency, "").replace(second, agency + second)
    (p,) = list(cnipa.parse(io.BytesIO(moved.encode())))
    assert isinstance(p, Patent), p
    assert p.agency is not None
    assert (p.agency.name, p.agency.agents) == ("北京三友知识产权代理有限公司", ["王五", "赵六"])


@pytest.mark.parametrize(
    ("filed", "published", "expected"),
    [
        ("PCT/CN2021/104567", "WO2022/007777", ("PCT/CN2021/104567", "WO2022007777")),
        ("PCT/CN03/00123", "WO03/012345", ("PCT/CN2003/000123", "WO2003012345")),
        # of no form iphub knows: kept as written
        ("PCT/CN2021/10456789012", "WO2022/0077777777", (
            "PCT/CN2021/10456789012", "WO2022/0077777777"
        )),
    ],
)  # fmt: skip
def test_pct_numbers_are_normalised_as_the_usptos_are(
    filed: str, published: str, expected: tuple[str, str]
) -> None:
    """CNIPA writes a national-stage entry's PCT publication ``WO2022/007777``, and it was kept
    so, where the USPTO's parser normalises it (``WO2013055555A1``): one document in two forms
    across sources. Both numbers go through ``iphub.numbers``; one of no form it knows stays as
    written."""
    xml = _GRANT_PCT.replace("PCT/CN2021/104567", filed).replace("WO2022/007777", published)
    (p,) = list(cnipa.parse(io.BytesIO(xml.encode())))
    assert isinstance(p, Patent), p
    assert (p.pct_application_number, p.pct_publication_number) == expected


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("<country>WO</country><doc-number>WO2022/007777</doc-number><kind>A1</kind>",
         "WO2022007777A1"),
        ("<country>WO</country><doc-number>2022/007777</doc-number><kind>A3</kind>",
         "WO2022007777A3"),
        ("<doc-number>WO2022/007777</doc-number><kind>A1</kind>", "WO2022007777A1"),
        # of no form iphub knows: kept as written, the office and the kind with it
        ("<country>WO</country><doc-number>2022/0077777777</doc-number><kind>A1</kind>",
         "WO2022/0077777777A1"),
        ("<doc-number>2022/0077777777</doc-number><kind>A1</kind>", "WO2022/0077777777A1"),
        # the receiving office named beside an international publication: still WIPO's
        # (CNWO2022/007777A1 was stored)
        ("<country>CN</country><doc-number>WO2022/007777</doc-number><kind>A1</kind>",
         "WO2022007777A1"),
    ],
)  # fmt: skip
def test_the_pct_publications_kind_is_kept_where_the_document_gives_it(
    published: str, expected: str
) -> None:
    """A PCT publication whose ``document-id`` gives its kind (ST.36 ``kind``) keeps it, as the
    USPTO's parser keeps it: ``WO2022007777A1`` from either office's data, one record's number
    to find. A number of no form iphub knows, kept as written, keeps the office WIPO too when
    the document leaves out its ``country``: it was ``2022/0077777777A1``."""
    xml = _GRANT_PCT.replace(
        "<country>WO</country><doc-number>WO2022/007777</doc-number>", published
    )
    (p,) = list(cnipa.parse(io.BytesIO(xml.encode())))
    assert isinstance(p, Patent), p
    assert p.pct_publication_number == expected


def test_a_pct_publication_reads_the_same_from_cnipa_and_the_uspto() -> None:
    """The same international publication, as CNIPA's national-stage entry gives it and as the
    USPTO's does (``WO`` ``2013/055555`` ``A1``), is one number."""
    pct = (
        "<pct-or-regional-publishing-data><document-id><country>WO</country>"
        "<doc-number>2013/055555</doc-number><kind>A1</kind><date>20130418</date></document-id>"
        "</pct-or-regional-publishing-data>"
    )
    grant = shared("uspto", "US08930553.xml").read_text(encoding="utf-8")
    grant = grant.replace("</us-bibliographic-data-grant>", pct + "</us-bibliographic-data-grant>")
    (us,) = list(uspto.parse(io.BytesIO(grant.encode())))  # type: ignore[arg-type]
    start = _GRANT_PCT.index("<pct-or-regional-publishing-data>")
    end = _GRANT_PCT.index("</pct-or-regional-publishing-data>") + len(
        "</pct-or-regional-publishing-data>"
    )
    (cn,) = list(cnipa.parse(io.BytesIO((_GRANT_PCT[:start] + pct + _GRANT_PCT[end:]).encode())))
    assert isinstance(us, Patent), us
    assert isinstance(cn, Patent), cn
    assert cn.pct_publication_number == us.pct_publication_number == "WO2013055555A1"
