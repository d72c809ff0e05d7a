"""Office document numbers: the one place where they are parsed and normalised.

Standards followed:

- WIPO ST.3 two-letter office codes (``CN``, ``US``, ``EP``, ``WO``, ``JP``, ``KR`` ...).
- WIPO ST.16 kind codes (``A``, ``B``, ``U``, ``S``, ``A1``, ``B2`` ...), kept as printed.
- CNIPA application numbering: 12 digits since October 2003 (``YYYY`` + type + 7-digit
  serial), 8 or 9 digits before, plus a check character (digits weighted 2..9 cyclically from
  the left, sum mod 11, 10 written ``X``). The ``ZL`` prefix of a granted patent is dropped.

A number a spreadsheet or JSON tool wrote as a float (``16435657.0``, ``202110000001.0``) is
read as the whole number it holds (:func:`whole_number`), except where ``.0`` is a CN application
number's valid check digit (then it is one, and reads the same).

Canonical forms are docids without separators (``CN114123456A``, ``US20210123456A1``,
``WO2003012345``) and, for applications, ``CN202110123456.7``, ``US17123456``, ``EP20123456``
and ``PCT/CN2021/012345``. EP application check digits (after the dot) are dropped, not verified.
A number given in parts (an office's XML: country, doc-number, kind) goes through
:func:`publication_number_of`, which keeps the number of an office or form not listed here as
the office writes it (``JPH11123456A``). Input is folded with Unicode NFKC first; ``。`` and
``、`` (which NFKC keeps) count as ``.`` and ``,``. Two-digit WO/PCT years from 78 are 19xx,
below are 20xx.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.nfkc import nfkc

__all__ = [
    "ApplicationNumber",
    "KIND_CODE",
    "NumberError",
    "PublicationNumber",
    "application_number_as_written",
    "cn_check_digit",
    "copyright_id",
    "kind_code_of",
    "looks_like_number",
    "madrid_registration",
    "normalize_application_number",
    "normalize_publication_number",
    "parse_application_number",
    "parse_publication_number",
    "publication_number_as_written",
    "publication_number_of",
    "trademark_id",
    "trademark_number",
    "whole_number",
]

# ST.3 codes accepted as a prefix; a closed list so that "ZL" or "RE" is never read as an office.
COUNTRIES = frozenset(
    "CN US EP WO JP KR TW HK MO DE GB FR CA AU RU IN BR CH AT ES IT NL SE DK FI NO BE IE PT PL CZ"
    " HU TR UA MX SG IL NZ ZA MY TH VN ID PH SA AE EA AP OA GC SU DD".split()
)
US_PREFIXES = ("RE", "PP", "D")  # reissue, plant, design: kept in the number
#: statutory invention registrations (``USH2260H1``, in the USPTO's grant files until 2013) and
#: defensive publications (``UST100001I4``): kept in the number too, but read as such only after
#: ``US`` — bare, ``H600`` or ``T1000`` is likelier a word or a model than a document
US_PREFIXES_AFTER_US = ("H", "T")

_FOLD = str.maketrans({"。": ".", "、": ","})
_SEP = re.compile(r"[\s.,/\-_·–—]+")
_PUB = re.compile(r"(?P<head>[A-Z]*)(?P<digits>[0-9]+)(?P<kind>[A-Z][0-9]?)?")
_APP = re.compile(r"(?P<head>[A-Z]*)(?P<digits>[0-9]+)(?P<x>X)?")
_CHECK = re.compile(r"[.]\s*(?P<check>[0-9X])\s*$")
_PCT = re.compile(r"PCT(?P<cc>[A-Z]{2})(?P<digits>[0-9]{7,10})")
_US_SERIES = re.compile(r"(?:US)?\s*(?P<series>[0-9]{2})\s*/\s*(?P<serial>[0-9]{3},?[0-9]{3})")


#: a whole number written as a float, as pandas and JSON tools write the numbers of a column
#: they read as floats (``16435657.0``, ``202110000001.0``)
_WHOLE_FLOAT = re.compile(r"(?P<whole>[0-9]+)\.0+")


def whole_number(text: str) -> str:
    """``16435657.0`` → ``16435657``: the whole number a float form writes (stripped, folded);
    any other text as it is."""
    m = _WHOLE_FLOAT.fullmatch(_fold(text))
    return m["whole"] if m else text


class NumberError(ValueError):
    """A number that no accepted form matches; the message is in Chinese and English."""


def _error(what_zh: str, what_en: str, raw: object) -> NumberError:
    return NumberError(f"无法识别的{what_zh} / unrecognised {what_en}: {raw!r}")


def _fold(raw: str) -> str:
    return nfkc(raw).translate(_FOLD).upper().strip()


def _country(code: str) -> str:
    folded = _fold(code)
    if folded not in COUNTRIES:
        raise _error("国家代码", "ST.3 country code", code)
    return folded


def _year(two_or_four: str) -> str:
    if len(two_or_four) == 4:
        return two_or_four
    return ("19" if int(two_or_four) >= 78 else "20") + two_or_four


@dataclass(frozen=True)
class PublicationNumber:
    country: str
    number: str  # digits; US keeps a D/RE/PP/H/T prefix; WO is YYYY + 6 digits
    kind: str | None

    def __str__(self) -> str:
        return f"{self.country}{self.number}{self.kind or ''}"


def _publication_digits(country: str, prefix: str, digits: str) -> str | None:
    """The canonical number part, or None when ``digits`` has no valid length for the office."""
    if prefix:
        digits = digits.lstrip("0")
        return prefix + digits if 1 <= len(digits) <= 7 else None
    if country == "US":
        if len(digits) == 11 and digits[:2] in ("19", "20"):  # pre-grant publication
            return digits
        if len(digits) == 10 and digits.startswith("20"):  # YYYY + 6-digit serial, unpadded
            return digits[:4] + "0" + digits[4:]
        digits = digits.lstrip("0")
        return digits if 4 <= len(digits) <= 8 else None
    if country == "CN":
        return digits if 7 <= len(digits) <= 9 else None
    if country == "EP":
        return digits.zfill(7) if 5 <= len(digits) <= 7 else None
    if country == "WO":
        if len(digits) in (9, 10):
            return digits[:4] + digits[4:].zfill(6)
        if len(digits) in (7, 8):
            return _year(digits[:2]) + digits[2:].zfill(6)
        return None
    return digits if 4 <= len(digits) <= 13 else None


def parse_publication_number(raw: str, default_country: str | None = None) -> PublicationNumber:
    """Parse ``CN 114123456 A``, ``US 2021/0123456 A1``, ``WO 03/012345`` ... into parts."""
    m = _PUB.fullmatch(_SEP.sub("", _fold(raw)))
    if m is None:
        raise _error("公开号", "publication number", raw)
    head = m["head"]
    country, prefix = (head[:2], head[2:]) if head[:2] in COUNTRIES else (None, head)
    if prefix:
        if not (prefix in US_PREFIXES and country in (None, "US")) and not (
            prefix in US_PREFIXES_AFTER_US and country == "US"
        ):
            raise _error("公开号", "publication number", raw)
        country = "US"  # these prefixes only exist at the USPTO
    if country is None and default_country is not None:
        country = _country(default_country)
    number = _publication_digits(country, prefix, m["digits"]) if country else None
    if country is None or number is None or not m["digits"].strip("0"):
        raise _error("公开号", "publication number", raw)
    return PublicationNumber(country, number, m["kind"])


def normalize_publication_number(raw: str, default_country: str | None = None) -> str:
    return str(parse_publication_number(raw, default_country))


#: offices whose numbers :func:`parse_publication_number` knows the form of: a number of theirs
#: it refuses is wrong, not merely unfamiliar
_KNOWN_FORMS = frozenset({"CN", "US", "EP", "WO"})
_OFFICE = re.compile(r"[A-Z]{2}")
_OFFICE_NUMBER = re.compile(r"[A-Z0-9]*[0-9][A-Z0-9]*")
#: an ST.16 kind code: a letter, maybe a digit (``A``, ``B2``, ``S``)
KIND_CODE = re.compile(r"[A-Z][0-9]?")
_WRITTEN = re.compile(
    rf"(?P<cc>[A-Z]{{2}})(?P<number>[A-Z0-9]*?[0-9])(?P<kind>{KIND_CODE.pattern})?"
)
_TRAILING_KIND = re.compile(rf"(?<=[0-9]){KIND_CODE.pattern}$")


def publication_number_as_written(raw: str, default_country: str | None = None) -> str:
    """:func:`normalize_publication_number`, or, for a number that starts with a listed office
    code and has letters inside (``JPH11123456A``, ``TWI250000B``: a table of another office's
    documents), :func:`publication_number_of` of its parts. Not for free text, where "INTEL8080"
    must not read as an Indian number (``looks_like_number``)."""
    try:
        return normalize_publication_number(raw, default_country)
    except NumberError:
        m = _WRITTEN.fullmatch(_SEP.sub("", _fold(raw)))
        if m is None or m["cc"] not in COUNTRIES:
            raise
        return _as_the_office_writes_it(m["cc"], m["number"], m["kind"] or "")


def application_number_as_written(raw: str, country: str) -> str:
    """:func:`normalize_application_number`, or, for another office than CNIPA (whose numbers
    carry a check digit worth refusing a wrong one for), the number as the office writes it,
    separators dropped and prefixed with ``country`` (``JPH11-123456`` → ``JPH11123456``)."""
    try:
        return normalize_application_number(raw, country)
    except NumberError:
        written = _SEP.sub("", _fold(raw))
        cc = _fold(country)
        if cc == "CN" or not _OFFICE.fullmatch(cc):
            raise
        if not written.startswith(cc):
            written = cc + written
        if not _OFFICE_NUMBER.fullmatch(written[2:]):
            raise
        return written


def kind_code_of(number: str) -> str | None:
    """The ST.16 kind code that ends a normalised publication number (``A``, ``B2``, ``S``),
    or None: ``CN114123456A`` → ``A``, ``USRE45000E`` → ``E``, ``CN114123456`` → None."""
    m = _TRAILING_KIND.search(number)
    return m.group() if m else None


def publication_number_of(country: str, number: str, kind: str | None = None) -> str:
    """A publication's number from the parts an office's XML gives it in (``country``,
    ``doc-number``, ``kind``): as :func:`normalize_publication_number` gives it, or, for an
    office whose numbers that does not know — any ST.3 code, letters in the number as JP's
    era (``H11123456``), TW's ``I250000``, IN's ``24CHN2014``, BR's ``PI0512345`` — as the
    office writes it, separators dropped (DOCDB holds every office's documents: refused, they
    were lost). A CN, US, EP or WO number of no known form is still refused. A number that
    repeats its office (``WO`` and ``WO 89/02682``, as USPTO citations write WO documents) is
    read once."""
    written = _SEP.sub("", _fold(number))
    if country and written.startswith(_fold(country)):
        number = written[len(_fold(country)) :]
    try:
        return normalize_publication_number(f"{country}{number}{kind or ''}")
    except NumberError:
        cc, digits, code = _fold(country), _SEP.sub("", _fold(number)), _fold(kind or "")
        return _as_the_office_writes_it(cc, digits, code)


def _as_the_office_writes_it(cc: str, digits: str, code: str) -> str:
    """``cc + digits + code`` (folded, separators dropped) for an office whose numbers
    :func:`parse_publication_number` does not know; a NumberError for a CN, US, EP or WO number
    (of no known form, so wrong) or parts that make no number."""
    if (
        cc not in _KNOWN_FORMS
        and _OFFICE.fullmatch(cc)
        and _OFFICE_NUMBER.fullmatch(digits)
        and (not code or KIND_CODE.fullmatch(code))
    ):
        return f"{cc}{digits}{code}"
    raise _error("公开号", "publication number", f"{cc}{digits}{code}")


@dataclass(frozen=True)
class ApplicationNumber:
    country: str
    number: str  # digits only; for PCT: YYYY + 6-digit serial
    check_digit: str | None  # CN only: "0"-"9" or "X"
    pct: bool = False  # an international application filed with ``country`` as receiving office

    def __str__(self) -> str:
        if self.pct:
            return f"PCT/{self.country}{self.number[:4]}/{self.number[4:]}"
        check = f".{self.check_digit}" if self.check_digit else ""
        return f"{self.country}{self.number}{check}"


def cn_check_digit(number: str) -> str:
    """The CNIPA check character of an 8, 9 or 12-digit application number."""
    if not re.fullmatch(r"[0-9]+", number):
        raise _error("申请号", "application number", number)
    total = sum(int(d) * (2 + i % 8) for i, d in enumerate(number))
    return "X" if total % 11 == 10 else str(total % 11)


def _cn_application(digits: str, check: str | None, raw: str) -> ApplicationNumber:
    if check is None and len(digits) == 13:
        digits, check = digits[:12], digits[12]
    if len(digits) not in (8, 9, 12):
        raise _error("申请号", "application number", raw)
    expected = cn_check_digit(digits)
    if check is not None and check != expected:
        raise NumberError(f"校验位不符 / check digit mismatch: {raw!r} (expected {expected})")
    return ApplicationNumber("CN", digits, expected)


def parse_application_number(raw: str, default_country: str | None = None) -> ApplicationNumber:
    """Parse ``ZL 2021 1 0123456.7``, ``17/123,456``, ``PCT/CN21/12345`` ... into parts.

    A bare number is CN when it has a check digit or 12 (13 with check) digits; a CN check
    digit is verified when given and computed when not. A US number as EPO's DOCDB and epodoc
    forms write it, the year of filing before the USPTO's eight digits (``US201113167395``),
    is the USPTO's (``US13167395``).

    A number written as a float (``202110000001.0``, a spreadsheet column read as numbers) that
    reads as no number so — ``.0`` not its check digit, or no check digit at all for the
    office — is the whole number (:func:`whole_number`). Where ``.0`` is the valid check digit
    both readings give the same number; a check digit other than ``0`` is verified as ever.
    """
    try:
        return _parse_application_number(raw, default_country)
    except NumberError as exc:
        whole = whole_number(raw)
        if whole == raw:
            raise
        try:
            return _parse_application_number(whole, default_country)
        except NumberError:
            raise exc from None  # the float form's own reason: its check digit, its length


def _parse_application_number(raw: str, default_country: str | None) -> ApplicationNumber:
    folded = _fold(raw)
    if m := _US_SERIES.fullmatch(folded):
        return ApplicationNumber("US", m["series"] + m["serial"].replace(",", ""), None)
    check = None
    if m := _CHECK.search(folded):
        folded, check = folded[: m.start()], m["check"]
    compact = _SEP.sub("", folded)
    if check is None and (m := _PCT.fullmatch(compact)):
        cc, digits = _country(m["cc"]), m["digits"]
        split = 2 if len(digits) in (7, 8) else 4
        return ApplicationNumber(cc, _year(digits[:split]) + digits[split:].zfill(6), None, True)
    m = _APP.fullmatch(compact)
    if m is None or (m["x"] and check):
        raise _error("申请号", "application number", raw)
    head, digits, check = m["head"], m["digits"], check or m["x"]
    if head in ("ZL", "CNZL"):
        country: str | None = "CN"
    elif head:
        country = head if head in COUNTRIES else None
    elif default_country is not None:
        country = _country(default_country)
    else:
        country = "CN" if check or len(digits) in (12, 13) else None
    if country == "CN":
        return _cn_application(digits, check, raw)
    if country == "EP" and len(digits) == 8:
        return ApplicationNumber("EP", digits, None)  # EP check digit dropped
    if country == "US" and len(digits) == 12 and digits[:2] in ("19", "20"):
        digits = digits[4:]  # DOCDB's and epodoc's form: the year of filing, then the number
    valid = len(digits) == 8 if country == "US" else 4 <= len(digits) <= 13
    if country is None or check or not valid or not digits.strip("0"):
        raise _error("申请号", "application number", raw)
    return ApplicationNumber(country, digits, None)


def normalize_application_number(raw: str, default_country: str | None = None) -> str:
    return str(parse_application_number(raw, default_country))


#: a mark of a Madrid international registration designating China, as China's register
#: numbers it: ``G`` and WIPO's registration number (``G1234567``), of 6 or 7 digits (WIPO's
#: numbers passed 1,000,000 in 2009, and were past 500,000 when China joined in 1989): ``G0``,
#: ``G7`` or a G and 17 digits is no such number
_MADRID = re.compile(r"G([0-9]{6,7})")
#: … written as a float by a tool that read the column's numbers so (``G1234567.0``)
_MADRID_FLOAT = re.compile(r"(?P<whole>G.*[0-9])\.0+")


def trademark_number(number: str) -> str:
    """A mark's number as its id is made of it: its digits (``１２３４５６７１`` →
    ``12345671``, ``0123 4567`` → ``01234567``, ``16435657.0`` → ``16435657``), or a Madrid
    designation's ``G`` and WIPO's number (``g 1234568``, ``G-1234569``, ``Ｇ１２３４５７０`` →
    ``G1234570``; ``G1234567.0`` → ``G1234567``, not ``G12345670``). :class:`NumberError` for
    any other text."""
    folded = _fold(whole_number(number))
    m = _MADRID_FLOAT.fullmatch(folded)
    digits = _SEP.sub("", m["whole"] if m else folded)
    if not (re.fullmatch(r"[0-9]+", digits) or _MADRID.fullmatch(digits)):
        raise _error("商标号", "trademark number", number)
    return digits


def trademark_id(application_number: str, country: str = "CN") -> str:
    """Stable trademark record id, e.g. ``CN-TM-12345678`` (a Madrid designation
    ``CN-TM-G1234567``), of the number as :func:`trademark_number` reads it."""
    digits = trademark_number(application_number)
    cc = _fold(country)
    if not re.fullmatch(r"[A-Z]{2}", cc):
        raise _error("商标号", "trademark number", application_number)
    return f"{cc}-TM-{digits}"


def madrid_registration(number: str) -> str | None:
    """WIPO's international registration number of a mark China's register numbers as a
    Madrid designation (``G1234567`` → ``1234567``), else None (``G7`` is a word)."""
    try:
        m = _MADRID.fullmatch(trademark_number(number))
    except NumberError:
        return None
    return m.group(1) if m else None


def looks_like_number(text: str) -> bool:
    """Whether bare query text is a publication (CN by default) or application number."""
    try:
        parse_publication_number(text, default_country="CN")
    except NumberError:
        try:
            parse_application_number(text)
        except NumberError:
            return False
    return True


_SOFTWARE_REG = re.compile(r"(?P<year>(?:19|20)[0-9]{2})SR(?P<serial>[0-9]{4,8})")
_WORKS_REG = re.compile(
    r"(?P<prefix>[^0-9]*?)(?P<year>(?:19|20)[0-9]{2})(?P<rest>[A-Z][0-9]{4,10})"
)


def copyright_id(registration_number: str) -> str:
    """Stable copyright registration id: ``2016SR309930`` → ``CN-SC-2016SR309930`` (software);
    ``国作登字-2016-F-00269796`` → ``CN-WC-2016-F-00269796`` (works; the prefix names the
    registering office and is kept only when it is not the national 国作登字)."""
    folded = _SEP.sub("", _fold(registration_number))
    if m := _SOFTWARE_REG.fullmatch(folded):
        return f"CN-SC-{m['year']}SR{m['serial']}"
    if m := _WORKS_REG.fullmatch(folded):
        rest = f"{m['year']}-{m['rest'][0]}-{m['rest'][1:]}"
        prefix = m["prefix"].removeprefix("国作登字")
        return f"CN-WC-{prefix + '-' if prefix else ''}{rest}"
    raise _error("著作权登记号", "copyright registration number", registration_number)
