"""USPTO trademark case files: the Trademark Daily XML (TDXF, ``trademark-applications-daily``
DTD v2.x) and its annual backfile, one ``case-file`` per application.

Reads ``serial-number``, ``registration-number``, ``case-file-header`` (``filing-date``,
``registration-date``, ``published-for-opposition-date``, ``status-code``,
``mark-identification``, ``mark-drawing-code``, ``attorney-name``), ``case-file-statements``
(``GS…`` type codes: goods and services), ``classifications`` (``international-code``),
``international-registration/international-registration-number`` (a Madrid extension),
``case-file-owners`` (``party-name``, ``country`` else ``nationality/country``, else US for an
owner with only a ``state`` — the files give a US owner's state and no country —, ``city``; an
owner listed in several roles — ``party-type`` 10 original applicant, 20 owner at publication,
30 original registrant, and the owners entered after each stage, 11…, 21…, 31… — once, in
its latest role; the owners in the order of their latest role, latest first, so a mark
assigned since it was filed names its owner of record first and its applicant after) and
``design-searches/code`` (US design codes, kept as
Vienna-style ``26.04.01``). Status codes follow the USPTO TSDR table: 600–619 abandoned, 620–679
pending, 680–699 published / allowed, 700–709 and 800–899 registered, 710–799 cancelled, 900+
expired.
"""

from __future__ import annotations

from typing import Any

from ingest.parsers.base import element_format, first, parse_date, text_of
from iphub.numbers import trademark_id
from iphub.records import Agency, Party, Trademark, TrademarkStatus

NAME = "uspto-tm"
_DRAWING = {"1": "word", "2": "figurative", "3": "combined", "4": "word", "5": "combined"}
_DRAWING |= {"6": "sound"}


TAGS = ("case-file",)


def status(code: str) -> TrademarkStatus:
    if not code.isdigit():
        return TrademarkStatus.UNKNOWN
    n = int(code)
    if 600 <= n < 620 or 710 <= n < 800 or n >= 900:
        return TrademarkStatus.INVALID
    if 620 <= n < 680:
        return TrademarkStatus.APPLIED
    if 680 <= n < 700:
        return TrademarkStatus.PRELIMINARY
    if 700 <= n < 710 or 800 <= n < 900:
        return TrademarkStatus.REGISTERED
    return TrademarkStatus.UNKNOWN


def _vienna(code: str) -> str:
    return f"{code[:2]}.{code[2:4]}.{code[4:6]}" if len(code) == 6 and code.isdigit() else code


def _role(owner: Any) -> int:
    """An owner entry's ``party-type``: its stage (10 application, 20 publication, 30
    registration) and the entries after it (21, 22 … the new owners after publication); 0 when
    it has none."""
    code = first(owner, "party-type")
    return int(code) if code.isdigit() else 0


def _trademark(case: Any) -> Trademark:
    serial = first(case, "serial-number")
    header = case.find("case-file-header")
    registration = first(case, "registration-number").lstrip("0")
    attorney = first(header, "attorney-name")
    owners: dict[str, Party] = {}  # by name: an owner is listed again in each of its roles
    listed = case.iterfind("case-file-owners/case-file-owner")
    for o in sorted(listed, key=_role, reverse=True):  # stable: the file's order within a role
        if (name := first(o, "party-name")) and name not in owners:
            owners[name] = Party(
                name=name,
                # the address's country, else the citizenship's (a person's, or where a
                # company is organised)
                country=first(o, "country")
                or first(o, "nationality/country")
                or ("US" if first(o, "state") or first(o, "nationality/state") else None),
                address=", ".join(p for p in (first(o, "city"), first(o, "state")) if p) or None,
            )
    classes = [
        int(text_of(c))
        for c in case.iterfind("classifications/classification/international-code")
        if text_of(c).isdigit() and 1 <= int(text_of(c)) <= 45
    ]
    goods = [
        first(s, "text")
        for s in case.iterfind("case-file-statements/case-file-statement")
        if first(s, "type-code").startswith("GS") and first(s, "text")
    ]
    return Trademark(
        id=trademark_id(serial, "US"),
        source=NAME,
        sources=[NAME],
        jurisdiction="US",
        application_number=serial,
        registration_number=registration or None,
        mark_text=first(header, "mark-identification") or None,
        mark_type=_DRAWING.get(first(header, "mark-drawing-code")[:1]),
        nice_classes=list(dict.fromkeys(classes)),
        goods_services=goods,
        application_date=parse_date(first(header, "filing-date")),
        preliminary_publication_date=parse_date(first(header, "published-for-opposition-date")),
        registration_date=parse_date(first(header, "registration-date")),
        status=status(first(header, "status-code")),
        vienna_codes=[
            _vienna(text_of(c)) for c in case.iterfind("design-searches/design-search/code")
        ],
        international_registration_number=first(
            case, "international-registration/international-registration-number"
        )
        or None,
        applicants=list(owners.values()),
        agency=Agency(name=attorney) if attorney else None,
    )


parse, split, parse_document = element_format(TAGS, _trademark)
