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


def test_uspto_owner_of_record_first_after_an_assignment() -> None:
    """A mark filed by one owner and assigned after registration (``party-type`` 31, the
    first new owner entered after registration) names its owner of record first: a clearance
    search shows who holds the mark now; the applicant stays among the owners."""
    xml = (FIXTURES / "uspto-tm-daily.xml").read_text(encoding="utf-8")
    owner = (
        "<case-file-owner><party-type>{}</party-type><party-name>{}</party-name>"
        "<nationality><country>{}</country></nationality></case-file-owner>"
    )
    start = xml.index("<case-file-owners>") + len("<case-file-owners>")
    end = xml.index("</case-file-owners>")
    entries = [(10, "Canton Cloud Inc.", "CN"), (30, "Canton Cloud Inc.", "CN")]
    entries += [(31, "Pearl Holdings LLC", "US"), (99, "No Type Ltd.", "GB")]
    listed = "".join(owner.format(*e) for e in entries).replace("<party-type>99</party-type>", "")
    mark = next(iter(uspto_tm.parse(io.BytesIO((xml[:start] + listed + xml[end:]).encode()))))
    assert isinstance(mark, Trademark)
    assert [(a.name, a.country) for a in mark.applicants] == [
        ("Pearl Holdings LLC", "US"),
        ("Canton Cloud Inc.", "CN"),
        ("No Type Ltd.", "GB"),
    ]


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
