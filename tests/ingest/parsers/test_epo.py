"""EPO OPS exchange documents, family and legal-status responses."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from lxml import etree

from ingest.parsers import epo
from ingest.parsers.base import Quarantined, Withdrawn
from iphub.records import Patent, PatentKind
from tests.ingest.conftest import FIXTURES, shared


def parse_file(path: Path) -> list[Patent | Quarantined]:
    with path.open("rb") as f:
        return list(epo.parse(f))  # type: ignore[arg-type]


def test_biblio_exchange_documents() -> None:
    records = parse_file(shared("epo-ops", "biblio-3-EP.xml"))
    assert [r.id for r in records if isinstance(r, Patent)] == [
        "EP2400812A1",
        "EP2533477A1",
        "EP2533477B1",
    ]
    first = records[0]
    assert isinstance(first, Patent)
    assert first.title.text == "BLUETOOTH NETWORKING"
    assert first.title.lang == "en"
    assert [t.lang for t in first.titles] == ["de", "fr"]
    assert first.application_number == "EP10167109"
    assert first.application_date == dt.date(2010, 6, 24)
    assert first.publication_date == dt.date(2011, 12, 28)
    assert first.family_id == "43088294"
    # each party once, spelled as filed (the upper-case copy of the name dropped)
    assert [(a.name, a.country) for a in first.applicants] == [("9Solutions Oy", "FI")]
    assert [i.name for i in first.inventors] == ["Herrala, Sami", "Kylmänen, Jari", "Niemi, Jaakko"]
    assert first.ipc == ["H04W 84/20"]
    assert first.cpc == ["H04W 84/20", "H04W 88/04"]
    assert first.cited_documents[0] == "WO2002054790A2"
    assert first.abstract is not None
    assert first.abstract.text.startswith("An apparatus enabling establishment")
    assert first.grant_date is None
    grant = records[2]
    assert isinstance(grant, Patent)
    assert grant.kind is PatentKind.INVENTION_GRANT
    assert grant.publication_date is not None
    assert grant.grant_date == grant.publication_date


def test_family_response_carries_family_id_across_offices() -> None:
    records = parse_file(shared("epo-ops", "family-with-biblio-CA-EP-US.xml"))
    assert [r.id for r in records if isinstance(r, Patent)] == [
        "EP2400812A1",
        "EP2400812B1",
        "CA2744162A1",
        "US20120057518A1",
        "US9648662B2",
    ]
    assert {r.family_id for r in records if isinstance(r, Patent)} == {"43088294"}


def test_a_us_application_number_is_the_usptos() -> None:
    """DOCDB writes a US application number with the year of filing first (``201113167395``):
    kept so, ``ap=US13167395``, the number the USPTO's own XML gives, missed it."""
    records = {r.id: r for r in parse_file(shared("epo-ops", "family-with-biblio-CA-EP-US.xml"))}
    assert {
        pn: getattr(records[pn], "application_number", None)
        for pn in ("US20120057518A1", "US9648662B2", "CA2744162A1", "EP2400812B1")
    } == {
        "US20120057518A1": "US13167395",
        "US9648662B2": "US13167395",
        "CA2744162A1": "CA2744162",
        "EP2400812B1": "EP10167109",
    }


def test_only_cpc_classes_are_cpc() -> None:
    """OPS lists a US member's national class (``scheme="UC"``) among its CPC classes: it was
    stored as a CPC symbol, ``370/315``."""
    records = {r.id: r for r in parse_file(shared("epo-ops", "family-with-biblio-CA-EP-US.xml"))}
    assert {pn: getattr(r, "cpc", None) for pn, r in records.items()} == dict.fromkeys(
        records, ["H04W 84/20", "H04W 88/04"]
    )


def test_a_party_listed_in_two_spellings_is_one_party() -> None:
    """OPS's ``original`` form names the US members' parties twice, in the office's upper-case
    ASCII (``KYLMAENEN JARI,``) and as filed (``Kylmänen Jari,``): each party once, spelled as
    filed, with the country its ``epodoc`` form gives; the EP members' single form unchanged."""
    records = {r.id: r for r in parse_file(shared("epo-ops", "family-with-biblio-CA-EP-US.xml"))}
    us = records["US9648662B2"]
    assert isinstance(us, Patent)
    assert [(a.name, a.country) for a in us.applicants] == [
        ("Herrala Sami", "FI"),
        ("Kylmänen Jari", "FI"),
        ("Niemi Jaakko", "FI"),
        ("9Solutions Oy", "FI"),
    ]
    assert [i.name for i in us.inventors] == ["Herrala Sami", "Kylmänen Jari", "Niemi Jaakko"]
    ep = records["EP2400812A1"]
    assert isinstance(ep, Patent)
    assert [(a.name, a.country) for a in ep.applicants] == [("9Solutions Oy", "FI")]


def test_two_spellings_are_one_party_only_when_their_letters_agree() -> None:
    xml = """<exchange-documents xmlns="http://www.epo.org/exchange"><exchange-document
      country="EP" doc-number="1000001" kind="A1"><bibliographic-data>
      <publication-reference><document-id document-id-type="docdb"><country>EP</country>
      <doc-number>1000001</doc-number><kind>A1</kind><date>20200101</date></document-id>
      </publication-reference><application-reference><document-id document-id-type="docdb">
      <country>EP</country><doc-number>19000001</doc-number></document-id>
      </application-reference><invention-title lang="en">A widget</invention-title>
      <parties><applicants>
      <applicant sequence="1" data-format="original"><applicant-name><name>MUELLER, HANS</name>
      </applicant-name></applicant>
      <applicant sequence="2" data-format="original"><applicant-name><name>MULLER, HANS</name>
      </applicant-name></applicant>
      <applicant sequence="3" data-format="original"><applicant-name><name>Müller, Hans</name>
      </applicant-name></applicant>
      <applicant sequence="4" data-format="original"><applicant-name><name>Société Générale</name>
      </applicant-name></applicant>
      <applicant sequence="5" data-format="original"><applicant-name><name>SOCIETE GENERALE</name>
      </applicant-name></applicant>
      </applicants></parties></bibliographic-data></exchange-document></exchange-documents>"""
    (record,) = list(epo.parse(io.BytesIO(xml.encode())))
    assert isinstance(record, Patent)
    assert [a.name for a in record.applicants] == [
        "Müller, Hans",  # MUELLER's fuller spelling, in MUELLER's place
        "MULLER, HANS",  # another spelling of the letters: not taken for the same
        "Société Générale",
    ]


def test_legal_status_response_gives_events() -> None:
    (member,) = parse_file(shared("epo-ops", "legal-status.xml"))
    assert isinstance(member, Patent)
    assert member.id == "EP2400812A1"
    assert member.title.text == ""  # partial: merges into the bibliographic record
    assert len(member.legal_events) == 69
    first = member.legal_events[0]
    assert (first.code, first.description) == ("AK", "DESIGNATED CONTRACTING STATES")
    assert first.date == dt.date(2011, 12, 28)
    assert first.country is None  # about the European patent as a whole
    # a lapse names its state, when it took effect and why: seven lapses are not one
    lapses = [e for e in member.legal_events if e.code == "PG25"]
    lu = next(e for e in lapses if e.country == "LU")
    assert (lu.date, lu.effective_date) == (dt.date(2021, 3, 31), dt.date(2020, 6, 24))
    assert lu.detail == "LAPSE BECAUSE OF NON-PAYMENT OF DUE FEES"
    assert len({e.country for e in lapses}) == len(lapses) > 1
    # a national code and its words, where there is no free text; a renewal's year
    swiss = [e.detail for e in member.legal_events if e.country == "CH" and e.code == "REG"]
    assert "PL PATENT CEASED" in swiss
    fees = [e for e in member.legal_events if e.detail and "fee year 16" in e.detail]
    assert {e.country for e in fees} >= {"FI", "DE", "GB", "SE"}


def test_docdb_cn_fixture_prefers_chinese_and_quarantines_not_found() -> None:
    cn, missing = parse_file(FIXTURES / "epo-docdb-cn.xml")
    assert isinstance(cn, Patent)
    assert cn.id == "CN114123456A"
    assert cn.application_number == "CN202110123456.7"
    assert cn.application_date == dt.date(2021, 2, 1)
    assert (cn.title.text, cn.title.lang) == ("一种锂电池正极材料", "zh")
    assert cn.titles[0].text == "Lithium battery positive electrode"
    assert cn.abstract is not None
    assert cn.abstract.text == "本发明公开了一种锂电池正极材料。"
    assert [(a.text, a.lang) for a in cn.abstracts] == [("A positive electrode material.", "en")]
    assert [(a.name, a.country) for a in cn.applicants] == [("广州电池有限公司", "CN")]
    assert [i.name for i in cn.inventors] == ["李伟"]
    assert (cn.ipc, cn.cpc) == (["H01M 10/0525"], ["Y02E 60/10"])
    assert cn.priorities[0].country == "CN"
    assert cn.cited_documents == ["CN103000001A"]
    assert isinstance(missing, Quarantined)
    assert missing.reason == (
        "OPS 未给出文献（状态 'not found'） / OPS status 'not found' for CN999A"
    )
    assert missing.position.startswith("exchange-document 2")


def test_a_docdb_status_of_one_letter_loads_and_d_withdraws_the_document() -> None:
    """DOCDB deliveries mark documents with a one-letter status; only OPS answers with words
    ("not found"). Every document with a status was quarantined as an OPS error. ``D`` (a
    deleted document) withdraws it: the loader removes the copy DOCDB gave."""
    xml = (FIXTURES / "epo-docdb-cn.xml").read_text(encoding="utf-8")
    opening = 'doc-number="114123456" kind="A"'
    for status in ("C", "A"):
        marked = xml.replace(opening, f'{opening} status="{status}"', 1)
        loaded, _ = list(epo.parse(io.BytesIO(marked.encode())))
        assert isinstance(loaded, Patent)
        assert loaded.id == "CN114123456A"
    deleted = xml.replace(opening, f'{opening} status="D"', 1)
    gone, _ = list(epo.parse(io.BytesIO(deleted.encode())))
    assert isinstance(gone, Withdrawn)
    assert (gone.id, gone.sources) == ("CN114123456A", ("epo", "epo-legal"))
    assert gone.reason == "DOCDB 标为删除 / DOCDB status D (a deleted document): CN114123456A"
    assert gone.position.startswith("exchange-document 1 ")


def test_a_document_without_bibliographic_data_is_named_in_the_reason(tmp_path: Path) -> None:
    xml = (FIXTURES / "epo-docdb-cn.xml").read_text(encoding="utf-8")
    start = xml.index("<bibliographic-data>")
    end = xml.index("</bibliographic-data>") + len("</bibliographic-data>")
    path = tmp_path / "no-biblio.xml"
    path.write_text(xml[:start] + xml[end:], encoding="utf-8")
    first = parse_file(path)[0]
    assert isinstance(first, Quarantined)
    assert first.reason == (
        "缺少元素 / missing element <bibliographic-data> in <exchange-document>"
    )


#: a DOCDB weekly file as EPO delivers it (written from its structure): a DOCTYPE naming the
#: entity DTD, which is never loaded; ``exch:`` elements holding elements without a namespace;
#: a reference per data format, with untyped ``document-id``s; parties in the docdb and docdba
#: forms; the publication date on the document; edition-7 IPC; CPC as a symbol
_DOCDB_BULK = (FIXTURES / "docdb-weekly.xml").read_text(encoding="utf-8")


def test_docdb_weekly_file_as_delivered() -> None:
    """DOCDB's weekly files differ from OPS's answers, on which the parser was written: a
    reference per data format with untyped document ids (application number and publication
    date were lost), elements without a namespace inside ``exch:`` ones (IPC, CPC, citations
    and priorities were lost), parties in the ``docdb``/``docdba`` forms (lost), the DTD's
    entities (``&Uuml;``: the record was quarantined), edition-7 IPC and CPC as a symbol."""
    (p,) = list(epo.parse(io.BytesIO(_DOCDB_BULK.encode())))
    assert isinstance(p, Patent)
    assert (p.id, p.kind_code, p.publication_date) == ("EP0003543A1", "A1", dt.date(1979, 8, 22))
    assert (p.application_number, p.application_date) == ("EP79100245", dt.date(1979, 1, 29))
    assert [(a.name, a.country) for a in p.applicants] == [
        ("Licentia Patent-Verwaltungs-GmbH", "DE")
    ]
    assert [(i.name, i.country) for i in p.inventors] == [("SEIDENSTICKER KLAUS", "DE")]
    assert (p.ipc_main, p.ipc) == ("H04B 7/185", ["H04B 7/185", "H04B 7/15"])
    assert p.cpc == ["H04B 7/18515"]
    assert p.cited_documents == ["US3048794A"]
    assert [(x.country, x.number, x.date) for x in p.priorities] == [
        ("DE", "19782804439", dt.date(1978, 2, 2))
    ]
    assert p.title.text == "Transmission device for mono- or multichannel systems"  # en first
    assert [t.text for t in p.titles] == ["Übertragungsanordnung in Ein- und Mehrkanalsystemen"]
    assert p.abstract is not None
    assert p.abstract.text == "A transmission device."


@pytest.mark.parametrize(
    ("number", "kind", "expected"),
    [
        ("CN1186789", "C", PatentKind.INVENTION_GRANT),  # CNIPA's grants of 1993–2010
        ("CN2456789", "Y", PatentKind.UTILITY_MODEL),
        ("CN3345678", "D", PatentKind.DESIGN),  # CNIPA's designs of 1993–2010
        ("DE102004001234", "C1", PatentKind.INVENTION_GRANT),
        ("DE202004001234", "U1", PatentKind.UTILITY_MODEL),
        ("US45000", "E", PatentKind.INVENTION_GRANT),  # a reissue
        ("US12345", "P2", PatentKind.INVENTION_GRANT),  # a plant patent
        ("US20010001234", "P1", PatentKind.INVENTION_APPLICATION),
        ("US5793966", "A", PatentKind.INVENTION_GRANT),  # granted before 2001: DOCDB's A
        ("US20010001235", "A1", PatentKind.INVENTION_APPLICATION),
        ("DE602004001234", "T2", PatentKind.INVENTION_GRANT),  # an EP patent, translated
        ("ES2250000", "T3", PatentKind.INVENTION_GRANT),
        ("DE602004001235", "T1", PatentKind.INVENTION_APPLICATION),  # an EP application's claims
        ("RU2250000", "H", PatentKind.INVENTION_APPLICATION),  # a group not named
        # numbers with letters, and offices whose number forms iphub does not know
        ("JPH11123456", "A", PatentKind.INVENTION_APPLICATION),  # the Heisei era's H
        ("TWI250000", "B", PatentKind.INVENTION_GRANT),
        ("IN24CHN2014", "A", PatentKind.INVENTION_APPLICATION),
        ("BRPI0512345", "A", PatentKind.INVENTION_APPLICATION),
        ("GR1004567", "B", PatentKind.INVENTION_GRANT),
    ],
)
def test_a_delivery_of_all_countries_loads_every_kind_code(
    number: str, kind: str, expected: PatentKind
) -> None:
    """DOCDB holds every office's kind codes: those beyond A, B, U, Y and S (CNIPA's C and D of
    1993–2010, DE's C1, a US reissue's E or plant patent's P2) were quarantined as "unknown
    patent kind", and the documents lost; so were numbers with letters (JP's era, TW's I) and
    those of offices outside iphub's list."""
    country, digits = number[:2], number[2:]
    xml = (
        _DOCDB_BULK.replace('country="EP" doc-number="0003543" kind="A1"',
                            f'country="{country}" doc-number="{digits}" kind="{kind}"')
        .replace("<country>EP</country><doc-number>0003543</doc-number><kind>A1</kind>",
                 f"<country>{country}</country><doc-number>{digits}</doc-number><kind>{kind}</kind>")
    )  # fmt: skip
    (p,) = list(epo.parse(io.BytesIO(xml.encode())))
    assert isinstance(p, Patent), p
    assert (p.id, p.kind_code, p.kind) == (f"{number}{kind}", kind, expected)
    # a publication of a granted kind is the grant: its date the grant date
    granted = expected is not PatentKind.INVENTION_APPLICATION
    assert p.grant_date == (dt.date(1979, 8, 22) if granted else None)


@pytest.mark.parametrize(
    ("kind", "granted"),
    [("A1", False), ("A2", False), ("B1", True), ("B2", True), ("B3", True), ("B8", True),
     ("B9", True)],
)  # fmt: skip
def test_an_ep_grant_is_dated_as_granted(kind: str, granted: bool) -> None:
    """EP B1, B2, B3 (a patent, amended, limited) and B8, B9 (corrected): the publication of
    the grant, dated as such so that ``gd=`` finds it; an application's A1 or A2 not."""
    xml = _DOCDB_BULK.replace('kind="A1"', f'kind="{kind}"').replace(
        "<kind>A1</kind>", f"<kind>{kind}</kind>"
    )
    (p,) = list(epo.parse(io.BytesIO(xml.encode())))
    assert isinstance(p, Patent), p
    assert p.id == f"EP0003543{kind}"
    assert p.grant_date == (dt.date(1979, 8, 22) if granted else None)


def test_a_family_member_without_its_bibliography_is_dated_as_granted() -> None:
    xml = b"""<ops:world-patent-data xmlns:ops="http://ops.epo.org"
      xmlns="http://www.epo.org/exchange"><ops:patent-family>
      <ops:family-member family-id="43088294"><publication-reference>
      <document-id document-id-type="docdb"><country>EP</country><doc-number>2400812</doc-number>
      <kind>B1</kind><date>20160803</date></document-id></publication-reference>
      </ops:family-member></ops:patent-family></ops:world-patent-data>"""
    (p,) = list(epo.parse(io.BytesIO(xml)))
    assert isinstance(p, Patent), p
    assert (p.id, p.grant_date) == ("EP2400812B1", dt.date(2016, 8, 3))


def test_a_family_members_own_priority_claims_are_read() -> None:
    """OPS's family and legal-status members give their priorities directly under the member,
    in the docdb form, where no bibliography is given: they were not read."""
    xml = b"""<ops:world-patent-data xmlns:ops="http://ops.epo.org"
      xmlns="http://www.epo.org/exchange"><ops:patent-family>
      <ops:family-member family-id="43088294"><publication-reference>
      <document-id document-id-type="docdb"><country>EP</country><doc-number>2400812</doc-number>
      <kind>A1</kind><date>20111228</date></document-id></publication-reference>
      <priority-claim sequence="1" kind="regional"><document-id document-id-type="docdb">
      <country>EP</country><doc-number>10167109</doc-number><kind>A</kind><date>20100624</date>
      </document-id><priority-active-indicator>YES</priority-active-indicator></priority-claim>
      </ops:family-member></ops:patent-family></ops:world-patent-data>"""
    (p,) = list(epo.parse(io.BytesIO(xml)))
    assert isinstance(p, Patent), p
    assert [(c.country, c.number, c.date) for c in p.priorities] == [
        ("EP", "10167109", dt.date(2010, 6, 24))
    ]


@pytest.mark.parametrize(
    ("scheme", "kept"),
    [('scheme="CPC"', True), ('scheme="CPCI"', True), ('scheme="CPCNO"', True), ("", True),
     ('scheme="UC"', False), ('scheme="EC"', False), ('scheme="FI"', False)],
)  # fmt: skip
def test_a_class_is_cpc_by_its_scheme(scheme: str, kept: bool) -> None:
    xml = _DOCDB_BULK.replace('<classification-scheme office="EP" scheme="CPC"/>', "").replace(
        "<classification-symbol>H04B 7/18515</classification-symbol>",
        f'<classification-scheme office="US" {scheme}/>'
        "<classification-symbol>H04B 7/18515</classification-symbol>",
    )
    assert xml.count("<classification-scheme") == 1
    (p,) = list(epo.parse(io.BytesIO(xml.encode())))
    assert isinstance(p, Patent), p
    assert p.cpc == (["H04B 7/18515"] if kept else [])


def test_what_is_no_kind_code_is_still_refused() -> None:
    xml = _DOCDB_BULK.replace("<kind>A1</kind>", "<kind>7</kind>").replace('kind="A1"', 'kind="7"')
    (q,) = list(epo.parse(io.BytesIO(xml.encode())))
    assert isinstance(q, Quarantined)


def test_a_priority_given_only_in_the_docdb_form_is_kept() -> None:
    """A priority claim DOCDB or OPS gives in the docdb form alone (country, number, date) was
    dropped: only the epodoc form was read. Where the epodoc form is given it stays the one
    kept (``JP20190999999``, not the docdb ``2019999999`` beside it); a claim of another
    sequence without it still comes in its docdb form."""
    ep, jp, ca = parse_file(FIXTURES / "epo-priority-forms.xml")
    assert isinstance(ep, Patent)
    assert isinstance(jp, Patent)
    assert isinstance(ca, Patent)
    assert [(x.country, x.number, x.date) for x in ep.priorities] == [
        ("CN", "202111234567", dt.date(2021, 12, 22))
    ]
    assert [(x.country, x.number, x.date) for x in jp.priorities] == [
        ("JP", "20190999999", dt.date(2019, 7, 2)),
        ("US", "202062123456", dt.date(2020, 1, 15)),
    ]
    assert [(x.country, x.number, x.date) for x in ca.priorities] == [  # OPS: a typed id
        ("EP", "10167109", dt.date(2010, 6, 24))
    ]


def test_a_malformed_documents_reason_names_the_files_line() -> None:
    """Each record is parsed alone, wrapped, and lxml's message counted the wrapper's lines: a
    document at line 13 of the file was "malformed XML: …, line 5, column 103". The lines are
    the file's, as the position's and as lxml reading the whole file gives them; on a record's
    first line, where the wrapper stands before it, the column is left out."""
    path = FIXTURES / "epo-broken.xml"
    first, second, third, fourth, last = parse_file(path)
    assert isinstance(first, Patent)
    assert isinstance(last, Patent)
    assert isinstance(second, Quarantined)
    assert isinstance(third, Quarantined)
    assert isinstance(fourth, Quarantined)
    said = {
        q.position: re.findall(r"line \d+(?:, column \d+)?", q.reason)
        for q in (second, third, fourth)
    }
    assert said == {
        "exchange-document 2 (line 13)": ["line 13"],
        "exchange-document 3 (line 18)": ["line 21, column 41"],  # "SALT & PEPPER"
        "exchange-document 4 (line 24)": ["line 28", "line 29, column 31"],  # <p> not closed
    }
    with pytest.raises(etree.XMLSyntaxError) as whole:
        etree.parse(path)
    assert whole.value.lineno == 13
    assert second.reason.startswith("XML 格式错误 / malformed XML: ")
    assert "<string>" not in second.reason


def test_claims_without_a_sequence_are_each_a_claim_of_their_own() -> None:
    """Forms of one claim are told by their ``sequence``; claims that give none all shared the
    key "none", so one in the epodoc form dropped every other claim given in the docdb form."""
    xml = (FIXTURES / "epo-priority-forms.xml").read_text(encoding="utf-8")
    xml = xml.replace(' sequence="1" data-format="epodoc"', ' data-format="epodoc"')
    xml = xml.replace(' sequence="2" data-format="docdb"', ' data-format="docdb"')
    _, jp, _ = list(epo.parse(io.BytesIO(xml.encode())))
    assert isinstance(jp, Patent)
    assert ("US", "202062123456", dt.date(2020, 1, 15)) in [
        (x.country, x.number, x.date) for x in jp.priorities
    ]
