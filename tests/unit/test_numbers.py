"""iphub.numbers: every accepted form of each office's numbers, and what is refused.

CN check digits below were computed with the CNIPA algorithm and agree with published numbers
(201710601862.3, 97101765.4, ZL95115608.X).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iphub.numbers import (
    ApplicationNumber,
    NumberError,
    PublicationNumber,
    application_number_as_written,
    cn_check_digit,
    kind_code_of,
    looks_like_number,
    madrid_registration,
    normalize_application_number,
    normalize_publication_number,
    parse_application_number,
    parse_publication_number,
    publication_number_as_written,
    publication_number_of,
    trademark_id,
    whole_number,
)

PUBLICATIONS = [
    ("CN 1234567 A", None, "CN1234567A"),
    ("CN1234567A", None, "CN1234567A"),
    ("cn114123456a", None, "CN114123456A"),
    ("CN 114123456 B", None, "CN114123456B"),
    ("114123456A", "CN", "CN114123456A"),
    ("114123456A", "cn", "CN114123456A"),
    ("CN1234567C", None, "CN1234567C"),
    ("CN306123456S", None, "CN306123456S"),
    ("CN 213456789 U", None, "CN213456789U"),
    ("ＣＮ１１４１２３４５６Ａ", None, "CN114123456A"),
    ("CN114123456", None, "CN114123456"),
    ("US 11,234,567 B2", None, "US11234567B2"),
    ("US11234567B2", "CN", "US11234567B2"),
    ("US 2021/0123456 A1", None, "US20210123456A1"),
    ("US2021123456A1", None, "US20210123456A1"),
    ("US 6,859,910 B1", None, "US6859910B1"),
    ("US06859910", None, "US6859910"),
    ("US D912,345 S", None, "USD912345S"),
    ("USD0912345S", None, "USD912345S"),
    ("RE48,123", None, "USRE48123"),
    ("US RE48,123 E", None, "USRE48123E"),
    ("US PP32,123 P3", None, "USPP32123P3"),
    ("USH0002260H1", None, "USH2260H1"),  # a statutory invention registration
    ("US H2,000 H", None, "USH2000H"),
    ("UST100001I4", None, "UST100001I4"),  # a defensive publication
    ("EP 1 234 567 A1", None, "EP1234567A1"),
    ("EP1234567B1", None, "EP1234567B1"),
    ("EP 123 456 B1", None, "EP0123456B1"),
    ("WO 2021/123456 A1", None, "WO2021123456A1"),
    ("WO2021123456A1", None, "WO2021123456A1"),
    ("WO 03/012345", None, "WO2003012345"),
    ("WO 99/12345 A1", None, "WO1999012345A1"),
    ("WO 2004/12345", None, "WO2004012345"),
    ("JP 2021-123456 A", None, "JP2021123456A"),
    ("JP6543210B2", None, "JP6543210B2"),
    ("KR 10-2021-0012345 A", None, "KR1020210012345A"),
    ("KR102345678B1", None, "KR102345678B1"),
    ("DE 10 2019 123 456 A1", None, "DE102019123456A1"),
]

BAD_PUBLICATIONS = [
    "",
    "abc",
    "CN",
    "12",
    "114123456A",  # no office and no default
    "CN202320123456U",  # an application number with a kind code: not a CN publication
    "CN12345",
    "ZL1234567A",
    "CN1234567AB",
    "US123456789012",
    "WO12345",
    "CN0000000A",
    "FR D912345",
    "H2260",  # SIR and defensive publication letters only after "US": bare, a word or a model
    "T1000",
    "CNH2260",
    "٣٣٣٣٣٣٣",  # Arabic-Indic digits are not document numbers
]

APPLICATIONS = [
    ("ZL202110123456.7", None, "CN202110123456.7"),
    ("ZL 2021 1 0123456.7", None, "CN202110123456.7"),
    ("zl202110123456.7", None, "CN202110123456.7"),
    ("202110123456.7", None, "CN202110123456.7"),
    ("CN202110123456.7", None, "CN202110123456.7"),
    ("2021101234567", None, "CN202110123456.7"),
    ("202110123456", None, "CN202110123456.7"),
    ("２０２１１０１２３４５６。７", None, "CN202110123456.7"),
    ("201710601862.3", None, "CN201710601862.3"),
    ("200410012346.X", None, "CN200410012346.X"),
    ("200410012346x", None, "CN200410012346.X"),
    ("98123450.X", None, "CN98123450.X"),
    ("ZL95115608.X", None, "CN95115608.X"),
    ("97101765.4", None, "CN97101765.4"),
    ("01123456.3", None, "CN01123456.3"),
    ("01123456", "CN", "CN01123456.3"),
    ("17/123,456", None, "US17123456"),
    ("US 17/123,456", None, "US17123456"),
    ("17123456", "US", "US17123456"),
    ("US201113167395", None, "US13167395"),  # EPO's docdb and epodoc forms: the year first
    ("201113167395", "US", "US13167395"),
    ("US199908123456", None, "US08123456"),
    ("EP20123456.7", None, "EP20123456"),
    ("EP 20 123 456", None, "EP20123456"),
    ("PCT/CN2021/123456", None, "PCT/CN2021/123456"),
    ("PCT/CN21/12345", None, "PCT/CN2021/012345"),
    ("pct/us99/01234", None, "PCT/US1999/001234"),
    ("JP 2021-123456", None, "JP2021123456"),
    ("KR 10-2021-0012345", None, "KR1020210012345"),
]

BAD_APPLICATIONS = [
    "",
    "abc",
    "CN",
    "12",
    "200410012345.X",  # the check digit of 200410012345 is 5
    "98123456.X",  # ... of 98123456 is 9
    "01123456.7",  # ... of 01123456 is 3
    "ZL202110123456.8",
    "2021101234561",
    "12345678",  # 8 digits with no office, default or check digit
    "US1712345",
    "US211113167395",  # 12 digits, but no year of filing before the eight
    "US2011131673951",
    "JP2021123456.7",
    "PCT/XX2021/123456",
    "CN2021101234.5",
]


@pytest.mark.parametrize(("raw", "default", "expected"), PUBLICATIONS)
def test_normalize_publication_number(raw: str, default: str | None, expected: str) -> None:
    assert normalize_publication_number(raw, default) == expected
    assert normalize_publication_number(expected) == expected


@pytest.mark.parametrize("raw", BAD_PUBLICATIONS)
def test_unrecognised_publication_number(raw: str) -> None:
    with pytest.raises(NumberError, match="公开号 / unrecognised publication number"):
        parse_publication_number(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("US 2021/0123456 A1", PublicationNumber("US", "20210123456", "A1")),
        ("US D912,345 S", PublicationNumber("US", "D912345", "S")),
        ("CN 1234567", PublicationNumber("CN", "1234567", None)),
    ],
)
def test_parse_publication_number(raw: str, expected: PublicationNumber) -> None:
    assert parse_publication_number(raw) == expected


@pytest.mark.parametrize(("raw", "default", "expected"), APPLICATIONS)
def test_normalize_application_number(raw: str, default: str | None, expected: str) -> None:
    assert normalize_application_number(raw, default) == expected
    assert normalize_application_number(expected) == expected


@pytest.mark.parametrize("raw", BAD_APPLICATIONS)
def test_unrecognised_application_number(raw: str) -> None:
    with pytest.raises(NumberError, match="unrecognised|check digit mismatch"):
        parse_application_number(raw)


def test_check_digit_mismatch_names_the_expected_digit() -> None:
    with pytest.raises(NumberError, match=r"校验位不符 / check digit mismatch.*expected 5"):
        parse_application_number("ZL200410012345.X")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ZL 2021 1 0123456.7", ApplicationNumber("CN", "202110123456", "7")),
        ("EP20123456.7", ApplicationNumber("EP", "20123456", None)),
        ("PCT/CN21/12345", ApplicationNumber("CN", "2021012345", None, pct=True)),
    ],
)
def test_parse_application_number(raw: str, expected: ApplicationNumber) -> None:
    assert parse_application_number(raw) == expected


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("202110123456", "7"),
        ("201710601862", "3"),
        ("200410012345", "5"),
        ("200410012346", "X"),
        ("97101765", "4"),
        ("95115608", "X"),
        ("981234567", "1"),  # 9*2+8*3+1*4+2*5+3*6+4*7+5*8+6*9+7*2 = 210
    ],
)
def test_cn_check_digit(number: str, expected: str) -> None:
    assert cn_check_digit(number) == expected


@pytest.mark.parametrize("number", ["", "2021.1", "ZL2021"])
def test_cn_check_digit_refuses_non_digits(number: str) -> None:
    with pytest.raises(NumberError):
        cn_check_digit(number)


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("12345678", "CN", "CN-TM-12345678"),
        (" 0123 4567 ", "CN", "CN-TM-01234567"),
        ("１２３４５６７８", "cn", "CN-TM-12345678"),
        ("4012345", "US", "US-TM-4012345"),
    ],
)
def test_trademark_id(raw: str, country: str, expected: str) -> None:
    assert trademark_id(raw, country) == expected


@pytest.mark.parametrize(
    ("raw", "country"), [("", "CN"), ("商标", "CN"), ("12A45", "CN"), ("1", "C")]
)
def test_trademark_id_refuses(raw: str, country: str) -> None:
    with pytest.raises(NumberError):
        trademark_id(raw, country)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CN114123456A", True),
        ("114123456A", True),
        ("ZL 2021 1 0123456.7", True),
        ("PCT/CN2021/123456", True),
        ("US 2021/0123456 A1", True),
        ("17/123,456", True),
        ("锂电池", False),
        ("2021", False),
        ("5G", False),
        ("Huawei", False),
        ("H600", False),
        ("T1000", False),
        ("USH2260H1", True),
        ("", False),
    ],
)
def test_looks_like_number(text: str, expected: bool) -> None:
    assert looks_like_number(text) is expected


JUNK = st.text(alphabet="CNUSEPWOJKRZLDXTAB0123456789 ./-,。ＣＮ１", max_size=24) | st.text()
KINDS = st.sampled_from(["", "A", "B", "U", "S", "A1", "B2"])


@st.composite
def publications(draw: st.DrawFn) -> str:
    country = draw(st.sampled_from(["CN", "US", "EP", "WO", "JP", "KR"]))
    digits = draw(st.from_regex(r"[1-9][0-9]{6,9}", fullmatch=True))
    return f"{country} {digits} {draw(KINDS)}"


@st.composite
def applications(draw: st.DrawFn) -> str:
    digits = draw(st.from_regex(r"(19|20)[0-9]{10}|[0-9]{8}", fullmatch=True))
    return draw(st.sampled_from(["ZL", "CN", ""])) + digits


@given(JUNK | publications())
def test_normalized_publication_is_a_fixed_point(raw: str) -> None:
    try:
        once = normalize_publication_number(raw, "CN")
    except NumberError:
        return
    assert normalize_publication_number(once) == once
    assert looks_like_number(once)


@given(JUNK | applications())
def test_normalized_application_is_a_fixed_point(raw: str) -> None:
    try:
        once = normalize_application_number(raw)
    except NumberError:
        return
    assert normalize_application_number(once) == once
    assert looks_like_number(once)


@given(st.text())
def test_looks_like_number_never_raises(text: str) -> None:
    assert looks_like_number(text) in (True, False)


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("CN", "114123456", "A"), "CN114123456A"),  # the known forms, as normalised
        (("US", "2021/0123456", "A1"), "US20210123456A1"),
        (("EP", "03543", "A1"), "EP0003543A1"),
        (("US", "H0002260", "H1"), "USH2260H1"),  # a SIR, as the USPTO's grant XML gives it
        (("JP", "H11123456", "A"), "JPH11123456A"),  # letters in the number, kept
        (("TW", "I250000", "B"), "TWI250000B"),
        (("IN", "24CHN2014", "A"), "IN24CHN2014A"),
        (("GR", "1004567", "B"), "GR1004567B"),  # an office outside iphub's list
        (("jp", "h11-123456", "a"), "JPH11123456A"),
    ],
)
def test_a_publication_number_from_its_parts(parts: tuple[str, str, str], expected: str) -> None:
    assert publication_number_of(*parts) == expected


@pytest.mark.parametrize(
    "parts",
    [
        ("CN", "12", "A"),  # a CN number of no CN form
        ("US", "X0000001", ""),  # a letter the USPTO does not put before its numbers
        ("JP", "", "A"),  # no number
        ("JP", "H-", "A"),  # no digit
        ("JPN", "2005123456", "A"),  # no ST.3 code
        ("JP", "2005123456", "A12"),  # no kind code
    ],
)
def test_a_publication_number_from_parts_that_make_none(parts: tuple[str, str, str]) -> None:
    with pytest.raises(NumberError):
        publication_number_of(*parts)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("CN 114123456 A", "CN114123456A"),  # the normal form first
        ("JPH11-123456A", "JPH11123456A"),
        ("TWI250000B", "TWI250000B"),
        ("JPH11123456A1", "JPH11123456A1"),
    ],
)
def test_a_publication_number_as_written(raw: str, expected: str) -> None:
    assert publication_number_as_written(raw, "CN") == expected


@pytest.mark.parametrize("raw", ["ZL2005100123456", "INTEL", "XXH1234A"])
def test_a_number_as_written_still_needs_a_listed_office(raw: str) -> None:
    with pytest.raises(NumberError):
        publication_number_as_written(raw, "CN")


def test_an_application_number_as_written() -> None:
    assert application_number_as_written("JPH11-123456", "JP") == "JPH11123456"
    assert application_number_as_written("H11-123456", "JP") == "JPH11123456"
    assert application_number_as_written("2021101234567", "CN") == "CN202110123456.7"
    with pytest.raises(NumberError):  # CNIPA's check digit is still checked
        application_number_as_written("CN202110123456.3", "CN")


@pytest.mark.parametrize(
    ("number", "kind"),
    [("CN114123456A", "A"), ("US20210123456A1", "A1"), ("USRE45000E", "E"),
     ("USD500000S", "S"), ("JPH11123456A", "A"), ("CN114123456", None)],
)  # fmt: skip
def test_kind_code_of(number: str, kind: str | None) -> None:
    assert kind_code_of(number) == kind


def test_a_number_that_repeats_its_office_is_read_once() -> None:
    """USPTO citations of WO documents: ``<country>WO</country><doc-number>WO 89/02682``."""
    assert publication_number_of("WO", "WO 89/02682", "A1") == "WO1989002682A1"
    assert publication_number_of("US", "US5793966", "A") == "US5793966A"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("16435657.0", "16435657"),
        (" 9.00 ", "9"),
        ("１６４３５６５７.０", "16435657"),
        ("202110000001.5", "202110000001.5"),  # a fraction: not a whole number, left as it is
        ("CN114123456A", "CN114123456A"),
        ("16435657", "16435657"),
    ],
)
def test_a_whole_number_written_as_a_float(text: str, expected: str) -> None:
    assert whole_number(text) == expected


@pytest.mark.parametrize(
    ("raw", "expected", "international"),
    [
        ("G1234567", "CN-TM-G1234567", "1234567"),
        ("G123456", "CN-TM-G123456", "123456"),  # WIPO's numbers below 1,000,000
        ("g 1234568", "CN-TM-G1234568", "1234568"),
        ("G-1234569", "CN-TM-G1234569", "1234569"),
        ("Ｇ１２３４５７０", "CN-TM-G1234570", "1234570"),
        ("G1234567.0", "CN-TM-G1234567", "1234567"),  # was CN-TM-G12345670
    ],
)
def test_a_madrid_designations_number(raw: str, expected: str, international: str) -> None:
    assert (trademark_id(raw), madrid_registration(raw)) == (expected, international)


@pytest.mark.parametrize("raw", ["G0", "G7", "G2000", "G12345", "G12345678", "G" + "1" * 17])
def test_a_g_and_digits_of_no_wipo_number_is_no_madrid_designation(raw: str) -> None:
    """WIPO's international registrations have 6 or 7 digits: ``G7`` or ``G2000`` is a
    mark's name (read as a Madrid number, a search for it found only the number), and G0 or
    a G and 17 digits no register number."""
    assert madrid_registration(raw) is None
    with pytest.raises(NumberError):
        trademark_id(raw)


def test_a_trademark_number_written_as_a_float_is_the_whole_number() -> None:
    """pandas and JSON tools write a column of numbers as floats: ``16435657.0`` gave the id
    CN-TM-164356570, a second record beside the mark's own."""
    assert trademark_id("16435657.0") == trademark_id("16435657") == "CN-TM-16435657"


@pytest.mark.parametrize(
    ("raw", "default", "expected"),
    [
        # .0 is no check digit of 202110000001 (6): the float form of the whole number
        ("202110000001.0", None, "CN202110000001.6"),
        ("202110000001.00", "CN", "CN202110000001.6"),
        ("2021100000016.0", None, "CN202110000001.6"),  # check digit and all, as a float
        # .0 is the check digit of 202110000002: read as one, the same number
        ("202110000002.0", None, "CN202110000002.0"),
        ("98201234.0", "CN", "CN98201234.9"),
        ("17123456.0", "US", "US17123456"),  # no check digit at the USPTO
    ],
)
def test_an_application_number_written_as_a_float(
    raw: str, default: str | None, expected: str
) -> None:
    assert normalize_application_number(raw, default) == expected


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        ("202110000001.5", "校验位不符 / check digit mismatch: '202110000001.5' (expected 6)"),
        ("202110000001.06", "无法识别的申请号 / unrecognised application number"),
        ("12345.0", "无法识别的申请号 / unrecognised application number: '12345.0'"),
    ],
)
def test_a_check_digit_that_is_no_float_zero_is_still_verified(raw: str, said: str) -> None:
    with pytest.raises(NumberError, match=re.escape(said)):
        parse_application_number(raw)
