"""WIPO ST.96 trademark XML (Trademark schema V4_0 / V5_0, ``tmk:`` and ``com:`` namespaces).

Each ``tmk:Trademark`` (in ``TrademarkBag`` of a ``TrademarkTransaction``, or standalone) is one
record: ``com:ApplicationNumber/com:ApplicationNumberText``, ``tmk:RegistrationOfficeCode`` (else
the application number's ``com:IPOfficeCode``), ``com:ApplicationDate``,
``com:RegistrationNumber``, ``com:RegistrationDate``, ``tmk:ExpiryDate``,
``tmk:PublicationBag/tmk:Publication/com:PublicationDate``, ``tmk:MarkCurrentStatusCode`` (words,
or a US office's TSDR number read by :func:`ingest.parsers.uspto_tm.status`),
``tmk:MarkFeatureCategory`` (in ``tmk:MarkRepresentation``, or beside it: a mark type each,
:func:`_mark_type`; where it is not given or "Undefined", the USPTO's drawing code,
``tmk:NationalMarkDescription/tmk:MarkFeatureCode``),
``tmk:WordMarkSpecification/tmk:MarkVerbalElementText``, ``tmk:ClassDescription``
(``tmk:ClassNumber``, ``tmk:GoodsServicesDescriptionText``), ``tmk:ApplicantBag`` and
``tmk:RepresentativeBag`` (the contact's ``com:EntityName``, ``com:OrganizationStandardName``,
``com:PersonFullName`` or ``com:PersonStructuredName``, else ``com:LegalEntityName``;
``com:CountryCode``), else for the agency the USPTO's attorney of record
(``tmk:RecordAttorney``: its firm, or the ``tmk:NationalCorrespondent``'s, the attorney among
its agents), else its ``tmk:NationalRepresentative``; ``tmk:MarkImageCategory//tmk:CategoryCode``
(Vienna). Elements are matched by local name (``{*}``), so schema versions with other namespace
URIs (the first schemas' ``…/XMLSchema/Trademark/1``, root ``tmk:Transaction``) read alike.
Streaming ``iterparse``.

The USPTO's ST.96 (TSDR's) lists every owner a mark has had as an applicant, each with its role
in words (``com:CommentText``: ORIGINAL APPLICANT, OWNER AT PUBLICATION, ORIGINAL REGISTRANT,
SUBSEQUENT OWNER AFTER REGISTRATION …) and its party type as sequence number (:data:`_ROLES`):
the applicants are then the owners in the latest role, as in the USPTO's own records.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.parsers import uspto_tm
from ingest.parsers.base import element_format, first, local, of_latest_role, parse_date, text_of
from iphub.numbers import trademark_id
from iphub.records import Agency, Party, Trademark, TrademarkStatus

NAME = "st96"
#: ``MarkFeatureCategory`` words and the mark types (``Trademark.mark_type``) they are: the six
#: the record page names (文字, 图形, 组合, 立体, 颜色, 声音: word … sound, the types of the
#: USPTO's drawing codes too, :func:`ingest.parsers.uspto_tm.drawing_type`), and a type of its
#: own for each other category ST.96 lists, "other" among them
_FEATURES = {
    "word": "word",
    "figurative": "figurative",
    "stylized characters": "combined",  # words drawn as a figure, a combined mark
    "combined": "combined",
    "three dimensional": "3d",
    "colour": "colour",
    "sound": "sound",
    "hologram": "hologram",
    "motion": "motion",
    "position": "position",
    "pattern": "pattern",
    "multimedia": "multimedia",
    "olfactory": "olfactory",
    "other": "other",
}
#: the words that tell a category written otherwise (an office's own, the USPTO's older ST.96
#: with its drawing types in words, "TYPESET WORD(S) /LETTER(S) /NUMBER(S)"), the first found
#: wins: the kinds of mark a drawing type never names first, then the drawing types (mark
#: drawing codes, as a case file's ``mark-drawing-code``); then :func:`_common_type`. Words are
#: matched at the start of the category's words ("positional" is a position mark, a
#: "promotional slogan" no motion mark), a phrase's words one after another
_CATEGORY_WORDS: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    (tuple(words.split()), kind)
    for words, kind in (
        ("hologram", "hologram"),
        ("holographic", "hologram"),
        ("motion", "motion"),
        ("multimedia", "multimedia"),
        ("olfactory", "olfactory"),
        ("smell", "olfactory"),
        ("scent", "olfactory"),
        ("position", "position"),
        ("pattern", "pattern"),
        ("sound", "sound"),
        ("three dimensional", "3d"),
        ("3 d", "3d"),
        ("3d", "3d"),
        ("shape", "3d"),
        ("stylized", "combined"),  # 5: words, letters or numbers in stylised form
        ("stylised", "combined"),
        ("typeset", "word"),  # 1: a typed drawing
        ("standard character", "word"),  # 4
        ("without", "figurative"),  # 2: an illustration without words
        ("design only", "figurative"),  # 2
        ("illustration", "combined"),  # 3: an illustration that includes words
        ("design plus", "combined"),  # 3
        ("combined", "combined"),
        ("semi figurative", "combined"),
    )
)
_WORDS = re.compile(r"[a-z0-9]+")


def _holds(words: list[str], phrase: tuple[str, ...]) -> bool:
    """Whether ``phrase`` stands in ``words``, each of its words starting one of them."""
    n = len(phrase)
    return any(
        all(words[i + j].startswith(w) for j, w in enumerate(phrase))
        for i in range(len(words) - n + 1)
    )


def _common_type(words: list[str]) -> str:
    """The type of a category of the common words: figurative with words is a combined mark
    ("Word and figurative", "figurative mark containing word elements"); a colour claimed for a
    figure or words no colour mark; else "other"."""
    figurative, word = _holds(words, ("figurative",)), _holds(words, ("word",))
    if figurative and word:
        return "combined"
    if figurative or word:
        return "figurative" if figurative else "word"
    if _holds(words, ("colour",)) or _holds(words, ("color",)):
        return "colour"
    return "other"


#: ST.96's category of a mark whose kind the office does not state
_UNDEFINED = "undefined"


TAGS = ("{*}Trademark",)
#: ST.96's common components namespace, where ``languageCode`` is defined
_LANGUAGE = "{http://www.wipo.int/standards/XMLSchema/ST96/Common}languageCode"


#: words of a status that ends a mark's rights (an office's words, EUIPO's among them)
_ENDED = ("expired", "refused", "withdrawn", "cancel", "invalid", "ended", "surrender",
          "revoked", "lapsed", "rejected", "abandon", "removed")  # fmt: skip
#: proceedings that may end a registration, pending: the mark is registered until they do
_AGAINST = ("cancel", "invalid", "revocation", "surrender")


def status(code: str) -> TrademarkStatus:
    """A mark's status from its ``MarkCurrentStatusCode`` words: "Registration cancellation
    pending" is still registered, "Registration surrendered" ended, "Registration pending" an
    application, "Filing date accorded" an application."""
    text = code.lower()
    if "pending" in text and any(w in text for w in _AGAINST):
        return TrademarkStatus.REGISTERED
    if any(w in text for w in _ENDED):
        return TrademarkStatus.INVALID
    if "regist" in text and "pending" not in text:
        return TrademarkStatus.REGISTERED
    if "publi" in text or "opposition" in text:
        return TrademarkStatus.PRELIMINARY
    words = ("filed", "filing", "application", "examination", "pending", "classification")
    if any(w in text for w in words):
        return TrademarkStatus.APPLIED
    return TrademarkStatus.UNKNOWN


def _party(party: Any) -> Party | None:
    """One applicant or representative: its contact's name (:func:`_name`), else its
    ``com:LegalEntityName``, with the contact's country and first address line. The USPTO gives
    the legal form there (CORPORATION, LIMITED LIABILITY COMPANY) and the name in the contact:
    read first, the form named every US company's mark."""
    contact = party.find("{*}Contact")
    name = _name(contact) or first(party, "{*}LegalEntityName")
    if not name:
        return None
    country = first(contact, ".//{*}CountryCode") or None
    address = first(contact, ".//{*}AddressLineText") or None
    return Party(name=name, country=country, address=address)


def _contacts(elem: Any, bag: str) -> list[Party]:
    """The applicants or representatives in ``bag`` that have a name (:func:`_party`)."""
    out = []
    for party in elem.iterfind(f"{{*}}{bag}/*"):
        found = _party(party)
        if found is not None:
            out.append(found)
    return out


#: the USPTO's owner roles, in the words its ST.96 comments on each applicant with, and the party
#: types (a case file's ``party-type``: :mod:`ingest.parsers.uspto_tm`) each stands for; a
#: later role, a higher type: the owners entered before publication are 11 … 19 in turn
_ROLES = (
    ("original applicant", 10, 10),
    ("before publication", 11, 19),
    ("at publication", 20, 20),
    ("after publication", 21, 29),
    ("original registrant", 30, 30),
    ("after registration", 31, 99),
)


def _role(party: Any) -> int | None:
    """Where an applicant stands among the owners, by the role it is listed in
    (``com:CommentText``, or ``com:Version/com:CommentText``): the party type of its role, its
    sequence number where that is one of them (the USPTO numbers each entry with its type);
    None when it states no role :data:`_ROLES` knows."""
    comments = [*party.iterfind("{*}CommentText"), *party.iterfind("{*}Version/{*}CommentText")]
    words = " ".join(text_of(c) for c in comments).lower()
    for phrase, lowest, highest in _ROLES:
        if phrase in words:
            number = _sequence_number(party)
            return number if lowest <= number <= highest else lowest
    return None


def _sequence_number(party: Any) -> int:
    for name, value in party.attrib.items():
        if local(name) == "sequenceNumber" and value.isdigit():
            return int(value)
    return 0


def _applicants(tm: Any) -> list[Party]:
    """The applicants, each name once: the owners of record where each applicant states its role
    (:func:`_role`: the USPTO's ST.96 lists every past owner too, and a mark assigned after
    registration named its first applicant, long gone, with the owner of record), every one
    listed where any does not (the file does not say who holds the mark now)."""
    listed = []
    for party in tm.iterfind("{*}ApplicantBag/*"):
        found = _party(party)
        if found is not None:
            listed.append((_role(party), found))
    named: dict[str, Party] = {}
    for p in of_latest_role(listed):
        named.setdefault(p.name, p)
    return list(named.values())


def _agency(tm: Any) -> Agency | None:
    """The first representative's name; else the USPTO's attorney of record
    (:func:`_attorney`); else the ``tmk:NationalRepresentative``'s name (where the USPTO names
    the domestic representative of an applicant abroad), if it names one."""
    reps = _contacts(tm, "RepresentativeBag")
    if reps:
        return Agency(name=reps[0].name)
    attorney = _attorney(tm)
    if attorney is not None:
        return attorney
    name = _name(tm.find("{*}NationalRepresentative/{*}Contact"))
    return Agency(name=name) if name else None


def _attorney(tm: Any) -> Agency | None:
    """The agency of the USPTO's attorney of record (TSDR's ``tmk:RecordAttorney``): the firm
    its contact names, else the firm of the ``tmk:NationalCorrespondent`` where the office
    writes to the attorney there (the same person; for an unnamed attorney, a correspondent
    that is not the owner), with the attorney among its agents; the attorney's name
    where no firm is given. None without an attorney of record: an owner who has none is its own
    correspondent."""
    contact = tm.find("{*}RecordAttorney/{*}Contact")
    if contact is None:
        return None
    person = _person(contact) or first(contact, ".//{*}EntityName")
    firm = _firm(contact)
    correspondent = tm.find("{*}NationalCorrespondent/{*}Contact")
    if not firm and correspondent is not None:
        # the correspondent's firm where the correspondent is the attorney (TSDR's usual way
        # of giving the firm) or the attorney is unnamed: never the owner corresponding for
        # itself, nor another person's firm
        if not person or _same_person(_person(correspondent), person):
            owners = {a.name.casefold() for a in _contacts(tm, "ApplicantBag")}
            if (candidate := _firm(correspondent)).casefold() not in owners:
                firm = candidate
    if firm:
        return Agency(name=firm, agents=[person] if person and person != firm else [])
    return Agency(name=person) if person else None


def _same_person(name: str, other: str) -> bool:
    """Whether two contacts' person names are one name (case and spacing aside)."""
    return bool(name) and name.casefold().split() == other.casefold().split()


def _mark_type(feature: str) -> str | None:
    """A ``MarkFeatureCategory``'s mark type: ST.96's word for it (:data:`_FEATURES`), else the
    first type whose words it holds (:data:`_CATEGORY_WORDS`, then :func:`_common_type`:
    "other" for a kind of mark iphub has no type for, not a type of its own words); None for
    none stated (empty, "Undefined")."""
    text = " ".join(feature.lower().split())
    if text in _FEATURES:
        return _FEATURES[text]
    if not text or text == _UNDEFINED:
        return None
    words = _WORDS.findall(text)
    kind = next((kind for phrase, kind in _CATEGORY_WORDS if _holds(words, phrase)), None)
    return kind or _common_type(words)


_NAME_PARTS = ("FirstName", "MiddleName", "LastName")


def _name(contact: Any) -> str:
    """A contact's name, in ST.96's common components: an entity's name
    (``com:EntityName``), an organisation's (:func:`_firm`) or a person's (:func:`_person`)."""
    if contact is None:
        return ""
    return first(contact, ".//{*}EntityName") or _firm(contact) or _person(contact)


def _firm(contact: Any) -> str:
    """A contact's organisation name (``com:OrganizationStandardName``), '' for none."""
    return first(contact, ".//{*}OrganizationStandardName") if contact is not None else ""


def _person(contact: Any) -> str:
    """A contact's person's name: the full name, or the structured name (``com:FirstName``,
    ``com:MiddleName``, ``com:LastName``) joined; '' for none."""
    if contact is None:
        return ""
    if name := first(contact, ".//{*}PersonFullName"):
        return name
    structured = contact.find(".//{*}PersonStructuredName")
    if structured is None:
        return ""
    parts = [text_of(e) for e in structured if local(e.tag) in _NAME_PARTS]
    return " ".join(p for p in parts if p)


def _goods(tm: Any) -> list[str]:
    """The goods and services in one language: a multilingual office (EUIPO) describes each
    class in several (``com:languageCode``), which listed together could no longer be told
    apart. Chinese where given, else English, else the language of the first description; a
    description without a language code is kept."""
    given = [
        ((g.get(_LANGUAGE) or "").lower(), text)
        for g in tm.iterfind(".//{*}GoodsServicesDescriptionText")
        if (text := text_of(g))
    ]
    languages = {lang for lang, _ in given if lang}
    chosen = next((lang for lang in ("zh", "en") if lang in languages), None)
    chosen = chosen or next((lang for lang, _ in given if lang), "")
    return [text for lang, text in given if not lang or lang == chosen]


def _trademark(tm: Any) -> Trademark:
    number = first(tm, "{*}ApplicationNumber/{*}ApplicationNumberText")
    office = (
        first(tm, "{*}RegistrationOfficeCode")
        or first(tm, "{*}ApplicationNumber/{*}IPOfficeCode")  # the USPTO's, for an application
        or "CN"
    )
    feature = first(tm, "{*}MarkRepresentation/{*}MarkFeatureCategory") or first(
        tm, "{*}MarkFeatureCategory"
    )
    # the USPTO's newer files give no category, only its drawing code (1-6, as in its case files)
    drawing = first(
        tm,
        "{*}MarkRepresentation/{*}MarkDescriptionBag/{*}NationalMarkDescription/{*}MarkFeatureCode",
    )
    code = first(tm, "{*}MarkCurrentStatusCode")
    registration = first(tm, "{*}RegistrationNumber")
    classes = [
        int(text_of(c))
        for c in tm.iterfind(".//{*}ClassDescription/{*}ClassNumber")
        if text_of(c).isdigit()
    ]
    return Trademark(
        id=trademark_id(number, office),
        source=NAME,
        sources=[NAME],
        jurisdiction=office,
        application_number=number,
        registration_number=(
            uspto_tm.registration_number(registration) if office == "US" else registration
        )
        or None,
        mark_text=first(tm, ".//{*}MarkVerbalElementText") or None,
        mark_type=_mark_type(feature) or uspto_tm.drawing_type(drawing),
        nice_classes=list(dict.fromkeys(classes)),
        goods_services=_goods(tm),
        application_date=parse_date(first(tm, "{*}ApplicationDate")),
        preliminary_publication_date=parse_date(first(tm, ".//{*}Publication/{*}PublicationDate")),
        registration_date=parse_date(first(tm, "{*}RegistrationDate")),
        expiry_date=parse_date(first(tm, "{*}ExpiryDate")),
        # the USPTO's TSDR writes its status numbers, the same as in its case files
        status=uspto_tm.status(code) if office == "US" and code.isdigit() else status(code),
        vienna_codes=[text_of(c) for c in tm.iterfind(".//{*}MarkImageCategory//{*}CategoryCode")],
        applicants=_applicants(tm),
        agency=_agency(tm),
    )


parse, split, parse_document = element_format(TAGS, _trademark)
