"""WIPO ST.96 trademark XML (Trademark schema V4_0 / V5_0, ``tmk:`` and ``com:`` namespaces).

Each ``tmk:Trademark`` (in ``TrademarkBag`` of a ``TrademarkTransaction``, or standalone) is one
record: ``com:ApplicationNumber/com:ApplicationNumberText``, ``tmk:RegistrationOfficeCode``,
``com:ApplicationDate``, ``com:RegistrationNumber``, ``com:RegistrationDate``,
``tmk:ExpiryDate``, ``tmk:PublicationBag/tmk:Publication/com:PublicationDate``,
``tmk:MarkCurrentStatusCode``, ``tmk:MarkFeatureCategory``,
``tmk:WordMarkSpecification/tmk:MarkVerbalElementText``, ``tmk:ClassDescription``
(``tmk:ClassNumber``, ``tmk:GoodsServicesDescriptionText``), ``tmk:ApplicantBag`` and
``tmk:RepresentativeBag`` (``com:LegalEntityName``, or the contact's ``com:EntityName``,
``com:OrganizationStandardName``, ``com:PersonFullName`` or ``com:PersonStructuredName``;
``com:CountryCode``),
``tmk:MarkImageCategory//tmk:CategoryCode`` (Vienna). Elements are matched by local name
(``{*}``), so schema versions with other namespace URIs read alike. Streaming ``iterparse``.
"""

from __future__ import annotations

from typing import Any

from ingest.parsers.base import element_format, first, local, parse_date, text_of
from iphub.numbers import trademark_id
from iphub.records import Agency, Party, Trademark, TrademarkStatus

NAME = "st96"
_FEATURES = {
    "word": "word",
    "figurative": "figurative",
    "stylized": "combined",
    "combined": "combined",
}
_FEATURES |= {"sound": "sound", "3-d": "3d", "three dimensional": "3d", "colour": "colour"}


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


def _contacts(elem: Any, bag: str) -> list[Party]:
    """The applicants or representatives in ``bag``: each one's ``com:LegalEntityName``, or its
    ``com:Contact``'s name (:func:`_name`), country and first address line."""
    out = []
    for party in elem.iterfind(f"{{*}}{bag}/*"):
        contact = party.find("{*}Contact")
        name = first(party, "{*}LegalEntityName") or _name(contact)
        if name:
            country = first(contact, ".//{*}CountryCode") or None
            address = first(contact, ".//{*}AddressLineText") or None
            out.append(Party(name=name, country=country, address=address))
    return out


#: the forms of a contact's ``com:Name`` that hold the whole name, in ST.96's common components
_NAMES = (".//{*}EntityName", ".//{*}OrganizationStandardName", ".//{*}PersonFullName")
_NAME_PARTS = ("FirstName", "MiddleName", "LastName")


def _name(contact: Any) -> str:
    """A contact's name: an entity's or organisation's name, a person's full name, or a person's
    structured name (``com:FirstName``, ``com:MiddleName``, ``com:LastName``) joined."""
    if contact is None:
        return ""
    for path in _NAMES:
        if name := first(contact, path):
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
    office = first(tm, "{*}RegistrationOfficeCode") or "CN"
    feature = first(tm, "{*}MarkFeatureCategory").lower()
    reps = _contacts(tm, "RepresentativeBag")
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
        registration_number=first(tm, "{*}RegistrationNumber") or None,
        mark_text=first(tm, ".//{*}MarkVerbalElementText") or None,
        mark_type=_FEATURES.get(feature, feature or None),
        nice_classes=list(dict.fromkeys(classes)),
        goods_services=_goods(tm),
        application_date=parse_date(first(tm, "{*}ApplicationDate")),
        preliminary_publication_date=parse_date(first(tm, ".//{*}Publication/{*}PublicationDate")),
        registration_date=parse_date(first(tm, "{*}RegistrationDate")),
        expiry_date=parse_date(first(tm, "{*}ExpiryDate")),
        status=status(first(tm, "{*}MarkCurrentStatusCode")),
        vienna_codes=[text_of(c) for c in tm.iterfind(".//{*}MarkImageCategory//{*}CategoryCode")],
        applicants=_contacts(tm, "ApplicantBag"),
        agency=Agency(name=reps[0].name) if reps else None,
    )


parse, split, parse_document = element_format(TAGS, _trademark)
