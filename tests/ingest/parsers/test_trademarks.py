"""WIPO ST.96 trademark XML and USPTO trademark case files (fixtures written from the schemas)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from ingest.parsers import st96, uspto_tm
from ingest.parsers.base import Quarantined
from iphub.records import Trademark, TrademarkStatus
from tests.ingest.conftest import FIXTURES


def test_st96_trademark_elements() -> None:
    with (FIXTURES / "st96-trademarks.xml").open("rb") as f:
        mark, bad = list(st96.parse(f))
    assert isinstance(mark, Trademark)
    assert (mark.id, mark.application_number, mark.registration_number) == (
        "CN-TM-45678901",
        "45678901",
        "45678901",
    )
    assert (mark.mark_text, mark.mark_type, mark.nice_classes) == ("羊城智造", "word", [9, 42])
    assert mark.goods_services == ["计算机软件", "软件开发"]
    assert mark.application_date == dt.date(2020, 5, 6)
    assert mark.preliminary_publication_date == dt.date(2020, 11, 13)
    assert mark.registration_date == dt.date(2021, 2, 14)
    assert mark.expiry_date == dt.date(2031, 2, 13)
    assert mark.status is TrademarkStatus.REGISTERED
    assert mark.vienna_codes == ["26.04.01"]
    assert [(a.name, a.country) for a in mark.applicants] == [("广州羊城智造科技有限公司", "CN")]
    assert mark.agency is not None
    assert mark.agency.name == "广州知识产权代理有限公司"
    assert isinstance(bad, Quarantined)
    assert bad.position == "Trademark 2 (line 27)"
    assert "12-AB" in bad.reason


@pytest.mark.parametrize(
    ("languages", "expected"),
    [
        (("en", "fr", "de"), ["Computer software", "Software development"]),
        (("fr", "de"), ["Logiciels", "Développement de logiciels"]),
        (("de", "zh", "en"), ["计算机软件", "软件开发"]),
    ],
)
def test_st96_goods_of_a_multilingual_office_in_one_language(
    languages: tuple[str, ...], expected: list[str]
) -> None:
    """EUIPO describes each class in several languages: all of them were listed together."""
    words = {
        "9": {"en": "Computer software", "fr": "Logiciels", "de": "Computersoftware",
              "zh": "计算机软件"},
        "42": {"en": "Software development", "fr": "Développement de logiciels",
               "de": "Softwareentwicklung", "zh": "软件开发"},
    }  # fmt: skip
    xml = (FIXTURES / "st96-trademarks.xml").read_text(encoding="utf-8")
    for cls, old in (("9", "计算机软件"), ("42", "软件开发")):
        given = "".join(
            f'<tmk:GoodsServicesDescriptionText com:languageCode="{lang}">{words[cls][lang]}'
            "</tmk:GoodsServicesDescriptionText>"
            for lang in languages
        )
        xml = xml.replace(
            f'<tmk:GoodsServicesDescriptionText com:languageCode="zh">{old}'
            "</tmk:GoodsServicesDescriptionText>",
            given,
        )
    mark = next(iter(st96.parse(io.BytesIO(xml.encode()))))
    assert isinstance(mark, Trademark)
    assert mark.goods_services == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("<com:OrganizationName><com:OrganizationStandardName>Nike, Inc."
         "</com:OrganizationStandardName></com:OrganizationName>", "Nike, Inc."),
        ("<com:PersonName><com:PersonFullName>张伟</com:PersonFullName></com:PersonName>", "张伟"),
        ("<com:PersonName><com:PersonStructuredName><com:FirstName>Wei</com:FirstName>"
         "<com:LastName>Zhang</com:LastName></com:PersonStructuredName></com:PersonName>",
         "Wei Zhang"),
    ],
)  # fmt: skip
def test_st96_applicant_names_in_every_form_of_the_common_components(
    name: str, expected: str
) -> None:
    """ST.96 names an organisation in ``com:OrganizationStandardName`` (most applicants of a
    real file are companies) and a person in a full or a structured name: only
    ``com:EntityName`` and ``com:PersonFullName`` were read, and such marks loaded without
    their applicants."""
    xml = (FIXTURES / "st96-trademarks.xml").read_text(encoding="utf-8")
    xml = xml.replace("<com:EntityName>广州羊城智造科技有限公司</com:EntityName>", name, 1)
    mark = next(iter(st96.parse(io.BytesIO(xml.encode()))))
    assert isinstance(mark, Trademark)
    assert [(a.name, a.country) for a in mark.applicants] == [(expected, "CN")]


def test_st96_legal_entity_name_of_the_party() -> None:
    xml = (FIXTURES / "st96-trademarks.xml").read_text(encoding="utf-8")
    xml = xml.replace(
        "<tmk:Applicant><com:Contact><com:Name><com:EntityName>广州羊城智造科技有限公司</com:EntityName>",
        "<tmk:Applicant><com:LegalEntityName>广州羊城智造科技有限公司</com:LegalEntityName>"
        "<com:Contact><com:Name><com:EntityName></com:EntityName>",
        1,
    )
    mark = next(iter(st96.parse(io.BytesIO(xml.encode()))))
    assert [a.name for a in mark.applicants] == ["广州羊城智造科技有限公司"]  # type: ignore[union-attr]


def test_st96_status_words() -> None:
    assert st96.status("Application filed") is TrademarkStatus.APPLIED
    assert st96.status("Published for opposition") is TrademarkStatus.PRELIMINARY
    assert st96.status("Expired") is TrademarkStatus.INVALID


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("Registered", TrademarkStatus.REGISTERED),
        ("Registration surrendered", TrademarkStatus.INVALID),  # was registered ("regist")
        ("Registration cancelled", TrademarkStatus.INVALID),
        ("Registration cancellation pending", TrademarkStatus.REGISTERED),  # was invalid
        ("Invalidity proceeding pending", TrademarkStatus.REGISTERED),
        ("Revocation proceeding pending", TrademarkStatus.REGISTERED),  # was an application
        ("Registration pending", TrademarkStatus.APPLIED),  # not registered yet
        ("Filing date accorded", TrademarkStatus.APPLIED),  # was unknown
        ("Classification checked", TrademarkStatus.APPLIED),
        ("Opposition pending", TrademarkStatus.PRELIMINARY),
        ("Application refused", TrademarkStatus.INVALID),
    ],
)
def test_st96_status_words_of_euipo(words: str, expected: TrademarkStatus) -> None:
    assert st96.status(words) is expected


def _st96_uspto(xml: str | None = None) -> Trademark:
    """The mark of ``st96-uspto.xml`` (a TSDR ST.96 file's structure), or of ``xml`` changed
    from it."""
    xml = xml or (FIXTURES / "st96-uspto.xml").read_text(encoding="utf-8")
    (mark,) = list(st96.parse(io.BytesIO(xml.encode())))
    assert isinstance(mark, Trademark)
    return mark


def test_st96_of_the_uspto_current_owner_named_not_its_legal_form() -> None:
    """TSDR's ST.96 gives an applicant's legal form as ``com:LegalEntityName`` (CORPORATION)
    and its name in the contact, and lists every owner the mark has had, each in its role:
    every US company's mark was applied for by "CORPORATION", the first applicant among them.
    Its status is a TSDR number (800, registered and renewed), which read as unknown, and its
    agency is its attorney of record's firm (:func:`st96._attorney`), which was read past."""
    mark = _st96_uspto()
    assert (mark.id, mark.jurisdiction, mark.registration_number) == (
        "US-TM-86123456",
        "US",
        "4567890",
    )
    assert [(a.name, a.country, a.address) for a in mark.applicants] == [
        ("Contoso Ltd.", "GB", "1 Harbour Row")
    ]
    assert mark.status is TrademarkStatus.REGISTERED
    assert mark.agency is not None
    assert (mark.agency.name, mark.agency.agents) == ("Harbour & Pier LLP", ["Dana Smith"])
    assert (mark.mark_text, mark.nice_classes) == ("NORTHWIND", [9])
    assert mark.preliminary_publication_date == dt.date(2014, 4, 29)


_ATTORNEY = (FIXTURES / "st96-uspto-attorney.xml").read_text(encoding="utf-8")
_ATTORNEY_NAME = (
    "<ns1:Name><ns1:PersonName><ns1:PersonFullName>Jordan A. Lee</ns1:PersonFullName>"
    "</ns1:PersonName></ns1:Name>"
)
_CORRESPONDENT_FIRM = (
    "<ns1:OrganizationName><ns1:OrganizationStandardName>LEE &amp; MORENO LLP"
    "</ns1:OrganizationStandardName></ns1:OrganizationName>"
)


def test_st96_of_the_uspto_agency_is_the_attorney_of_records_firm() -> None:
    """TSDR names a US owner's attorney in ``tmk:RecordAttorney`` and the firm the office writes
    to in ``tmk:NationalCorrespondent``, and most US marks have no representative besides: both
    were read past, and such marks loaded without an agency."""
    mark = _st96_uspto(_ATTORNEY)
    assert (mark.id, mark.mark_text, mark.status) == (
        "US-TM-97654321",
        "PEARL RIVER LABS",
        TrademarkStatus.PRELIMINARY,
    )
    assert [a.name for a in mark.applicants] == ["Pearl River Labs, Inc."]
    assert mark.agency is not None
    assert (mark.agency.name, mark.agency.agents) == ("LEE & MORENO LLP", ["Jordan A. Lee"])


@pytest.mark.parametrize(
    ("attorney", "correspondent_firm", "expected"),
    [
        # the attorney of record's own firm first
        ("<ns1:Name><ns1:PersonName><ns1:PersonFullName>Jordan A. Lee</ns1:PersonFullName>"
         "</ns1:PersonName><ns1:OrganizationName><ns1:OrganizationStandardName>Lee IP Group PC"
         "</ns1:OrganizationStandardName></ns1:OrganizationName></ns1:Name>",
         _CORRESPONDENT_FIRM, ("Lee IP Group PC", ["Jordan A. Lee"])),
        # no firm given: the attorney stands for it
        (_ATTORNEY_NAME, "", ("Jordan A. Lee", [])),
        ("<ns1:Name><ns1:PersonName><ns1:PersonStructuredName><ns1:FirstName>Jordan</ns1:FirstName>"
         "<ns1:LastName>Lee</ns1:LastName></ns1:PersonStructuredName></ns1:PersonName></ns1:Name>",
         "", ("Jordan Lee", [])),
        # a firm without the attorney's name
        ("<ns1:Name/>", _CORRESPONDENT_FIRM, ("LEE & MORENO LLP", [])),
    ],
)  # fmt: skip
def test_st96_of_the_uspto_attorney_of_record_as_the_agency(
    attorney: str, correspondent_firm: str, expected: tuple[str, list[str]]
) -> None:
    """The agency is the attorney of record's firm (its own contact's organisation, else the
    correspondent's), the attorney among its agents; the attorney's name where no firm is
    given."""
    xml = _ATTORNEY.replace(_ATTORNEY_NAME, attorney).replace(
        _CORRESPONDENT_FIRM, correspondent_firm
    )
    agency = _st96_uspto(xml).agency
    assert agency is not None
    assert (agency.name, agency.agents) == expected


def test_st96_of_the_uspto_correspondent_without_an_attorney_is_no_agency() -> None:
    """An owner who files without an attorney is its own correspondent: with no
    ``tmk:RecordAttorney`` the correspondent names no agency."""
    start = _ATTORNEY.index("<ns2:RecordAttorney>")
    end = _ATTORNEY.index("</ns2:RecordAttorney>") + len("</ns2:RecordAttorney>")
    xml = _ATTORNEY[:start] + _ATTORNEY[end:]
    xml = xml.replace("LEE &amp; MORENO LLP", "Pearl River Labs, Inc.")
    assert _st96_uspto(xml).agency is None


def test_st96_legal_form_beside_the_contacts_name() -> None:
    """Another office's applicant with a legal form and a name is named by its name."""
    xml = (FIXTURES / "st96-trademarks.xml").read_text(encoding="utf-8")
    xml = xml.replace(
        "<tmk:Applicant><com:Contact>",
        "<tmk:Applicant><com:LegalEntityName>LIMITED LIABILITY COMPANY</com:LegalEntityName>"
        "<com:Contact>",
        1,
    )
    mark = next(iter(st96.parse(io.BytesIO(xml.encode()))))
    assert isinstance(mark, Trademark)
    assert [a.name for a in mark.applicants] == ["广州羊城智造科技有限公司"]


_APPLICANT = (
    '<ns2:Applicant ns1:sequenceNumber="{}"><ns1:LegalEntityName>CORPORATION</ns1:LegalEntityName>'
    "{}<ns1:Contact><ns1:Name><ns1:EntityName>{}</ns1:EntityName></ns1:Name></ns1:Contact>"
    "</ns2:Applicant>"
)
_AFTER_REGISTRATION = "SUBSEQUENT OWNER AFTER REGISTRATION"
_BEFORE_PUBLICATION = "SUBSEQUENT OWNER BEFORE PUBLICATION"


@pytest.mark.parametrize(
    ("listed", "expected"),
    [
        ([(10, "ORIGINAL APPLICANT", "A"), (20, "OWNER AT PUBLICATION", "A"),
          (21, "SUBSEQUENT OWNER AFTER PUBLICATION", "B")], ["B"]),
        ([(30, "ORIGINAL REGISTRANT", "A"), (31, _AFTER_REGISTRATION, "B"),
          (31, _AFTER_REGISTRATION, "C")], ["B", "C"]),  # joint owners of record
        ([(10, "ORIGINAL APPLICANT", "A"), (13, _BEFORE_PUBLICATION, "C"),
          (11, _BEFORE_PUBLICATION, "B")], ["C"]),  # the owners entered in turn: 11, 12, 13 …
        ([(1, "ORIGINAL APPLICANT", "A"), (2, "ORIGINAL APPLICANT", "B")],
         ["A", "B"]),  # numbered in order, not by party type: joint applicants
        ([(1, "", "A"), (2, "", "B"), (3, "", "A")], ["A", "B"]),  # no roles: all, once each
        ([(10, "ORIGINAL APPLICANT", "A"), (31, "", "B")], ["A", "B"]),  # one without a role
        ([(10, "ORIGINAL APPLICANT", "A"), (40, "ASSIGNEE", "B")], ["A", "B"]),  # unknown role
    ],
)  # fmt: skip
def test_st96_of_the_uspto_owners_in_the_latest_role(
    listed: list[tuple[int, str, str]], expected: list[str]
) -> None:
    """The owners in the latest role the file states (the USPTO's party types, in words, and
    in the sequence numbers within a role), joint owners all; every applicant, each once,
    where any states no role the parser knows: it does not guess who holds the mark."""
    xml = (FIXTURES / "st96-uspto.xml").read_text(encoding="utf-8")
    start = xml.index("<ns2:ApplicantBag>") + len("<ns2:ApplicantBag>")
    end = xml.index("</ns2:ApplicantBag>")
    comment = "<ns1:CommentText>{}</ns1:CommentText>"
    bag = "".join(
        _APPLICANT.format(n, comment.format(role) if role else "", name) for n, role, name in listed
    )
    mark = _st96_uspto(xml[:start] + bag + xml[end:])
    assert [a.name for a in mark.applicants] == expected


def test_st96_of_the_uspto_national_representative_without_an_attorney_of_record() -> None:
    """Without an attorney of record the ``NationalRepresentative`` (the domestic representative
    of an owner abroad) is the agency; without either, there is none."""
    xml = (FIXTURES / "st96-uspto.xml").read_text(encoding="utf-8")
    start = xml.index("<ns2:RecordAttorney>")
    end = xml.index("</ns2:RecordAttorney>") + len("</ns2:RecordAttorney>")
    xml = xml[:start] + xml[end:]
    agency = _st96_uspto(xml).agency
    assert agency is not None
    assert (agency.name, agency.agents) == ("HARBOUR & PIER LLP", [])
    xml = xml.replace(
        "<ns1:PersonName><ns1:PersonFullName>HARBOUR &amp; PIER LLP</ns1:PersonFullName>"
        "</ns1:PersonName>",
        "<ns1:PersonName/>",
    )
    assert _st96_uspto(xml).agency is None


@pytest.mark.parametrize(
    ("code", "office", "expected"),
    [
        ("800", "US", TrademarkStatus.REGISTERED),  # registered and renewed
        ("602", "US", TrademarkStatus.INVALID),  # abandoned
        ("630", "US", TrademarkStatus.APPLIED),
        ("686", "US", TrademarkStatus.PRELIMINARY),  # published for opposition
        ("790", "US", TrademarkStatus.REGISTERED),  # cancellation pending
        ("800", "EM", TrademarkStatus.UNKNOWN),  # another office's number: not the USPTO's
        ("Registered", "US", TrademarkStatus.REGISTERED),  # words as any office's
    ],
)
def test_st96_status_numbers_of_the_uspto(
    code: str, office: str, expected: TrademarkStatus
) -> None:
    """TSDR's ST.96 gives the status as the USPTO's number, read by the TSDR table's ranges
    as in its case files (:func:`uspto_tm.status`): it read as unknown."""
    xml = (FIXTURES / "st96-uspto.xml").read_text(encoding="utf-8")
    xml = xml.replace(">800<", f">{code}<")
    for element in ("RegistrationOfficeCode", "IPOfficeCode"):
        xml = xml.replace(f">US</ns1:{element}>", f">{office}</ns1:{element}>")
    assert _st96_uspto(xml).status is expected


def test_st96_of_the_uspto_application_is_a_us_mark() -> None:
    """TSDR's ST.96 of an application has no ``RegistrationOfficeCode``, only the application
    number's ``IPOfficeCode``: the mark was taken for a Chinese one (``CN-TM-…``), its status
    number unread."""
    xml = (FIXTURES / "st96-uspto.xml").read_text(encoding="utf-8")
    xml = xml.replace("<ns1:RegistrationOfficeCode>US</ns1:RegistrationOfficeCode>", "")
    xml = xml.replace(">800<", ">686<")
    mark = _st96_uspto(xml)
    assert (mark.id, mark.jurisdiction) == ("US-TM-86123456", "US")
    assert mark.status is TrademarkStatus.PRELIMINARY


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("Stylized characters", "combined"),  # was "stylized characters"
        ("Word", "word"),
        ("Three dimensional", "3d"),
        ("TYPESET WORD(S) /LETTER(S) /NUMBER(S)", "word"),  # the USPTO's older ST.96
        ("STANDARD CHARACTER MARK", "word"),
        ("WORD(S)/LETTER(S)/NUMBER(S) IN STYLIZED FORM", "combined"),
        ("AN ILLUSTRATION DRAWING WHICH INCLUDES WORD(S)/ LETTER(S)/NUMBER(S)", "combined"),
        ("AN ILLUSTRATION DRAWING WITHOUT ANY WORD(S)/LETTER(S)/ NUMBER(S)", "figurative"),
    ],
)
def test_st96_mark_feature_categories(category: str, expected: str) -> None:
    """``MarkFeatureCategory`` in ``MarkRepresentation``, where ST.96 and the USPTO put it (it
    was read only beside it): "Stylized characters" and the USPTO's drawing types came out as
    their words, no mark type."""
    xml = (FIXTURES / "st96-uspto.xml").read_text(encoding="utf-8")
    xml = xml.replace(
        "<ns2:MarkRepresentation>",
        f"<ns2:MarkRepresentation><ns2:MarkFeatureCategory>{category}</ns2:MarkFeatureCategory>",
    )
    assert _st96_uspto(xml).mark_type == expected


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        # every other category ST.96 lists, a type word each, as "3d" and "colour" are
        ("Hologram", "hologram"),
        ("Motion", "motion"),
        ("Position", "position"),
        ("Pattern", "pattern"),
        ("Multimedia", "multimedia"),
        ("Olfactory", "olfactory"),
        ("Colour", "colour"),
        ("Sound", "sound"),
        ("Other", "other"),
        # the same categories as offices word them: free text became types of their own
        ("Sound mark", "sound"),
        ("Colour combination", "colour"),
        ("Color", "colour"),
        ("Shape 3D", "3d"),
        ("Positional", "position"),
        ("MOTION MARK", "motion"),
        ("Smell", "olfactory"),
        # a category iphub does not know: another kind of mark, not a new word in the facet
        ("Tracer", "other"),
        # words matched at their start, not inside another word: "promotional" holds no
        # motion mark, "three-dimensional" is 3-D; figurative with words is a combined mark,
        # a colour claimed for a figure no colour mark
        ("Promotional slogan", "other"),
        ("Three-dimensional", "3d"),
        ("Semi-figurative", "combined"),
        ("Word and figurative", "combined"),
        ("Figurative mark containing word elements", "combined"),
        ("Figurative with colour claim", "figurative"),
        # ST.96's "Undefined" tells no type: the USPTO's drawing code does (4, standard
        # characters)
        ("Undefined", "word"),
    ],
)
def test_st96_every_mark_category_has_a_type(category: str, expected: str) -> None:
    """ST.96's categories besides word, figurative, combined, 3-D, colour and sound got no
    type iphub has, and any other wording of a category came out as its own words ("sound
    mark", "colour combination"): one kind of mark under several facet values, or none."""
    xml = (FIXTURES / "st96-uspto.xml").read_text(encoding="utf-8")
    xml = xml.replace(
        "<ns2:MarkRepresentation>",
        f"<ns2:MarkRepresentation><ns2:MarkFeatureCategory>{category}</ns2:MarkFeatureCategory>",
    )
    assert _st96_uspto(xml).mark_type == expected


def test_st96_stylized_characters_beside_the_representation() -> None:
    """A mark of "Stylized characters" beside ``MarkRepresentation`` is a combined one too."""
    xml = (FIXTURES / "st96-trademarks.xml").read_text(encoding="utf-8")
    xml = xml.replace(
        ">Word</tmk:MarkFeatureCategory>", ">Stylized characters</tmk:MarkFeatureCategory>"
    )
    mark = next(iter(st96.parse(io.BytesIO(xml.encode()))))
    assert isinstance(mark, Trademark)
    assert mark.mark_type == "combined"


def test_uspto_case_file_elements() -> None:
    with (FIXTURES / "uspto-tm-daily.xml").open("rb") as f:
        mark, bad = list(uspto_tm.parse(f))
    assert isinstance(mark, Trademark)
    assert (mark.id, mark.jurisdiction, mark.registration_number) == (
        "US-TM-86123456",
        "US",
        "4712345",
    )
    assert (mark.mark_text, mark.mark_type, mark.nice_classes) == ("CANTON CLOUD", "word", [9])
    assert mark.goods_services == ["Computer software for data storage"]
    assert mark.application_date == dt.date(2013, 12, 1)
    assert mark.preliminary_publication_date == dt.date(2014, 7, 15)
    assert mark.registration_date == dt.date(2015, 3, 31)
    assert mark.status is TrademarkStatus.REGISTERED
    assert mark.vienna_codes == ["26.04.01"]
    assert [(o.name, o.country, o.address) for o in mark.applicants] == [
        ("Canton Cloud Inc.", "CN", "Guangzhou")
    ]
    assert mark.agency is not None
    assert mark.agency.name == "Jane Doe"
    assert isinstance(bad, Quarantined)
    assert bad.position == "case-file 2 (line 26)"


def test_uspto_owners_listed_in_several_roles_once_with_their_address_country() -> None:
    """A case file lists an owner again in each of its roles (original applicant, owner at
    publication, registrant: ``party-type`` 10, 20, 30), and gives the address's country as
    ``country`` beside the citizenship's ``nationality``: the owner came once a role, and
    without a country where only the address had one."""
    xml = (FIXTURES / "uspto-tm-daily.xml").read_text(encoding="utf-8")
    owner = (
        "<case-file-owner><entry-number>1</entry-number><party-type>{}</party-type>"
        "<party-name>Canton Cloud Inc.</party-name><address-1>1 Road</address-1>"
        "<city>Guangzhou</city><country>CN</country></case-file-owner>"
    )
    start = xml.index("<case-file-owners>") + len("<case-file-owners>")
    end = xml.index("</case-file-owners>")
    xml = xml[:start] + owner.format(10) + owner.format(20) + owner.format(30) + xml[end:]
    mark = next(iter(uspto_tm.parse(io.BytesIO(xml.encode()))))
    assert isinstance(mark, Trademark)
    assert [(a.name, a.country, a.address) for a in mark.applicants] == [
        ("Canton Cloud Inc.", "CN", "Guangzhou")
    ]


_OWNER = (
    "<case-file-owner>{}<party-name>{}</party-name>"
    "<nationality><country>{}</country></nationality></case-file-owner>"
)


def _case_file_owned_by(entries: list[tuple[int | None, str, str]]) -> Trademark:
    """The case file of ``uspto-tm-daily.xml`` with ``entries`` (party type, name, country) as
    its owners, in that order; a party type of None is left out."""
    xml = (FIXTURES / "uspto-tm-daily.xml").read_text(encoding="utf-8")
    start = xml.index("<case-file-owners>") + len("<case-file-owners>")
    end = xml.index("</case-file-owners>")
    listed = "".join(
        _OWNER.format("" if t is None else f"<party-type>{t}</party-type>", name, country)
        for t, name, country in entries
    )
    mark = next(iter(uspto_tm.parse(io.BytesIO((xml[:start] + listed + xml[end:]).encode()))))
    assert isinstance(mark, Trademark)
    return mark


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ([(10, "Canton Cloud Inc.", "CN"), (30, "Canton Cloud Inc.", "CN"),
          (31, "Pearl Holdings LLC", "US")], [("Pearl Holdings LLC", "US")]),
        ([(10, "A", "CN"), (20, "A", "CN"), (21, "B", "US"), (30, "B", "US")],
         [("B", "US")]),
        ([(30, "A", "CN"), (31, "B", "US"), (31, "C", "GB")],
         [("B", "US"), ("C", "GB")]),  # joint owners of record: one party type
        ([(10, "A", "CN"), (13, "C", "GB"), (11, "B", "US")],
         [("C", "GB")]),  # the owners entered in turn: 11, 12, 13 …
        ([(10, "A", "CN"), (10, "B", "US")], [("A", "CN"), ("B", "US")]),  # joint applicants
    ],
)  # fmt: skip
def test_uspto_owners_of_record_are_those_of_the_latest_party_type(
    entries: list[tuple[int | None, str, str]], expected: list[tuple[str, str]]
) -> None:
    """A case file lists every owner a mark has had, each entry with its ``party-type`` (10
    original applicant, 20 owner at publication, 30 original registrant, and 11 …, 21 …, 31 …
    the new owners entered after each stage): the owners of record are the entries of the
    latest party type, joint owners all, as the ST.96 parser keeps the owners in the latest
    role. Every past owner was kept (latest first), so the same US mark from TSDR's ST.96 and
    from the case files merged to two applicant lists."""
    assert [(a.name, a.country) for a in _case_file_owned_by(entries).applicants] == expected


def test_uspto_owners_without_a_party_type_are_all_kept() -> None:
    """Where an entry has no party type the file does not say who holds the mark now: every
    owner is kept, each once, the latest party type first, as the ST.96 parser keeps every
    applicant where one states no role."""
    entries: list[tuple[int | None, str, str]] = [(10, "Canton Cloud Inc.", "CN")]
    entries += [(30, "Canton Cloud Inc.", "CN"), (31, "Pearl Holdings LLC", "US")]
    entries += [(None, "No Type Ltd.", "GB")]
    assert [(a.name, a.country) for a in _case_file_owned_by(entries).applicants] == [
        ("Pearl Holdings LLC", "US"),
        ("Canton Cloud Inc.", "CN"),
        ("No Type Ltd.", "GB"),
    ]


def test_a_us_mark_names_the_same_owners_from_tsdr_and_from_the_case_files() -> None:
    """``st96-uspto.xml``'s mark, its owners entered as a case file enters them: one owner of
    record from either source, so the merged record names it once."""
    tsdr = _st96_uspto()
    case_file = _case_file_owned_by(
        [(10, "Northwind Software Corp.", "US"), (11, "Northwind Traders, Inc.", "US"),
         (20, "Northwind Traders, Inc.", "US"), (30, "Northwind Traders, Inc.", "US"),
         (31, "Contoso Ltd.", "GB")]
    )  # fmt: skip
    assert [(a.name, a.country) for a in case_file.applicants] == [
        (a.name, a.country) for a in tsdr.applicants
    ]
    assert [a.name for a in tsdr.applicants] == ["Contoso Ltd."]


def test_uspto_status_codes() -> None:
    codes = {"602": "invalid", "630": "applied", "686": "preliminary", "800": "registered"}
    assert {c: uspto_tm.status(c).value for c in codes} == codes
    assert uspto_tm.status("710") is TrademarkStatus.INVALID


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("624", "registered"),  # registered (backfile): was applied
        ("731", "preliminary"),  # second extension granted: was invalid
        ("745", "preliminary"),  # statement of use: was invalid
        ("774", "preliminary"),  # opposition pending: was invalid
        ("790", "registered"),  # cancellation pending: was invalid
        ("801", "preliminary"),  # opposition papers filed: was registered
        ("806", "preliminary"),  # statement of use, non-final action: was registered
        ("973", "unknown"),  # a petition pending: was invalid
        ("900", "invalid"),
        ("740", "unknown"),  # a code of no range listed is not guessed
    ],
)
def test_uspto_status_codes_between_allowance_and_registration(code: str, expected: str) -> None:
    assert uspto_tm.status(code).value == expected


def test_uspto_us_owner_by_state_and_madrid_registration() -> None:
    """A US owner comes with its state and no country (``<nationality><state>CA</state>``):
    it had none; a Madrid extension's international registration number was read past, so
    searching the number found nothing."""
    xml = (FIXTURES / "uspto-tm-daily.xml").read_text(encoding="utf-8")
    start = xml.index("<case-file-owners>") + len("<case-file-owners>")
    end = xml.index("</case-file-owners>")
    owner = (
        "<case-file-owner><party-type>10</party-type><party-name>Pearl Holdings LLC</party-name>"
        "<nationality><state>CA</state></nationality><city>Fremont</city><state>CA</state>"
        "</case-file-owner>"
    )
    madrid = (
        "<international-registration><international-registration-number>1654321"
        "</international-registration-number></international-registration>"
    )
    xml = xml[:start] + owner + xml[end:]
    xml = xml.replace("</case-file-owners>", "</case-file-owners>" + madrid, 1)
    mark = next(iter(uspto_tm.parse(io.BytesIO(xml.encode()))))
    assert isinstance(mark, Trademark)
    assert [(a.name, a.country, a.address) for a in mark.applicants] == [
        ("Pearl Holdings LLC", "US", "Fremont, CA")
    ]
    assert mark.international_registration_number == "1654321"


@pytest.mark.parametrize(
    ("code", "expected"), [("4", "word"), ("2", "figurative"), ("3", "combined")]
)
def test_st96_of_the_uspto_types_a_mark_by_its_drawing_code(code: str, expected: str) -> None:
    """The USPTO's newer ST.96 files give no ``MarkFeatureCategory``, only the drawing code its
    case files give (``NationalMarkDescription/MarkFeatureCode``): read through the same table."""
    xml = (FIXTURES / "st96-uspto.xml").read_text(encoding="utf-8")
    assert "MarkFeatureCategory" not in xml
    xml = xml.replace("<ns2:MarkFeatureCode>4<", f"<ns2:MarkFeatureCode>{code}<")
    assert _st96_uspto(xml).mark_type == expected


def test_st96_correspondent_names_the_firm_only_when_it_is_the_attorney() -> None:
    """TSDR's correspondent gives the attorney's firm when the attorney is the correspondent;
    an owner corresponding for itself was taken for the agency (the applicant its own
    agency), and another person's firm credited with the attorney."""
    person = "<ns1:PersonFullName>JORDAN A. LEE</ns1:PersonFullName>"
    firm = "<ns1:OrganizationStandardName>LEE &amp; MORENO LLP</ns1:OrganizationStandardName>"
    assert person in _ATTORNEY
    assert firm in _ATTORNEY

    def corresponding(name: str, organisation: str) -> str:
        return _ATTORNEY.replace(
            person, f"<ns1:PersonFullName>{name}</ns1:PersonFullName>"
        ).replace(
            firm, f"<ns1:OrganizationStandardName>{organisation}</ns1:OrganizationStandardName>"
        )

    owner = corresponding("Ada Chen", "Pearl River Labs, Inc.")
    other = corresponding("Sam Roe", "Roe Legal LLC")
    for xml in (owner, other):
        agency = _st96_uspto(xml).agency
        assert agency is not None
        assert (agency.name, agency.agents) == ("Jordan A. Lee", [])


def test_a_us_registration_number_reads_alike_from_both_formats() -> None:
    """TSDR's ST.96 and the case files pad a US registration number with zeros (``0986543``):
    the case files' parser dropped them and ST.96's kept them, so the same mark had two
    numbers, and after a merge ``pn=986543`` found nothing."""
    xml = (FIXTURES / "st96-uspto.xml").read_text(encoding="utf-8")
    xml = xml.replace(">4567890<", ">0986543<")
    assert _st96_uspto(xml).registration_number == "986543"
    assert uspto_tm.registration_number(" 0986543 ") == "986543"
