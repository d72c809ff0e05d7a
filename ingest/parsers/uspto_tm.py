"""USPTO trademark case files: the Trademark Daily XML (TDXF, ``trademark-applications-daily``
DTD v2.x) and its annual backfile, one ``case-file`` per application.

Reads ``serial-number``, ``registration-number``, ``case-file-header`` (``filing-date``,
``registration-date``, ``published-for-opposition-date``, ``status-code``,
``mark-identification``, ``mark-drawing-code``, ``attorney-name``), ``case-file-statements``
(``GS…`` type codes: goods and services), ``classifications`` (``international-code``),
``international-registration/international-registration-number`` (a Madrid extension),
``case-file-owners`` (``party-name``, ``country`` else ``nationality/country``, else US for an
owner with only a ``state`` — the files give a US owner's state and no country —, ``city``) and
``design-searches/code`` (US design codes, kept as Vienna-style ``26.04.01``).

A case file lists every owner a mark has had, each entry with its ``party-type``: 10 original
applicant, 20 owner at publication, 30 original registrant, and the new owners entered after
each stage, 11, 12 …, 21 …, 31 …. The applicants are the owners of record, the entries of the
latest party type (joint owners share it), each name once, as :mod:`ingest.parsers.st96` keeps
the owners in the latest role TSDR states: the same US mark from both sources names the same
owners. Where an entry has no party type, the file does not say who holds the mark now: every
owner is kept, each once, the latest party type first.

Status codes follow the USPTO TSDR table by range (:data:`_STATUS_RANGES`): abandoned, pending,
published or allowed, registered, cancelled, expired; the steps between allowance and
registration (extensions, statements of use, oppositions) are published marks, a pending
cancellation a registered one, and a code of a range not listed is unknown rather than guessed.
"""

from __future__ import annotations

from typing import Any

from ingest.parsers.base import element_format, first, of_latest_role, parse_date, text_of
from iphub.numbers import trademark_id
from iphub.records import Agency, Party, Trademark, TrademarkStatus

NAME = "uspto-tm"
_DRAWING = {"1": "word", "2": "figurative", "3": "combined", "4": "word", "5": "combined"}
_DRAWING |= {"6": "sound"}


TAGS = ("case-file",)


def drawing_type(code: str) -> str | None:
    """The mark type of a USPTO mark drawing code (``4000``: standard characters, a word
    mark; its first digit says the type), None for none; the ST.96 files of the USPTO give
    it as their ``MarkFeatureCode``."""
    return _DRAWING.get(code.strip()[:1])


_A, _P, _R, _I = (TrademarkStatus.APPLIED, TrademarkStatus.PRELIMINARY,
                  TrademarkStatus.REGISTERED, TrademarkStatus.INVALID)  # fmt: skip
#: TSDR status codes by range, (first, last, status): a code no range holds is unknown
_STATUS_RANGES = (
    (600, 619, _I),  # abandoned
    (620, 623, _A), (624, 624, _R), (625, 679, _A),  # pending; 624 registered (backfile)
    (680, 699, _P),  # approved for publication, published, allowed
    (700, 709, _R),  # registered; sections 8, 15, 71 accepted
    (710, 716, _I),  # cancelled
    (718, 734, _P),  # extensions of time for the statement of use, after allowance
    (744, 757, _P),  # statement of use filed and examined
    (760, 764, _A),  # ex parte appeal
    (771, 777, _P),  # opposition, after publication
    (790, 790, _R),  # cancellation pending: the registration stands until it ends
    (800, 800, _R),  # registered and renewed
    (801, 825, _P),  # opposition papers, extensions to oppose, statement-of-use actions
    (900, 972, _I), (974, 999, _I),  # expired, and dead after petition; 973 a petition pending
)  # fmt: skip


def status(code: str) -> TrademarkStatus:
    """A case file's ``status-code`` by the TSDR table's ranges (:data:`_STATUS_RANGES`); the
    USPTO's ST.96 files give the same numbers (:mod:`ingest.parsers.st96` reads them here)."""
    if not code.isdigit():
        return TrademarkStatus.UNKNOWN
    n = int(code)
    return next((kind for lo, hi, kind in _STATUS_RANGES if lo <= n <= hi),
                TrademarkStatus.UNKNOWN)  # fmt: skip


def _vienna(code: str) -> str:
    return f"{code[:2]}.{code[2:4]}.{code[4:6]}" if len(code) == 6 and code.isdigit() else code


def registration_number(written: str) -> str:
    """A US registration number as the USPTO gives it, without the zeros its files pad it with
    (case files ``0986543``, TSDR's ST.96 likewise): the same mark from either names one
    number, which ``pn=`` finds."""
    return written.strip().lstrip("0")


def _role(owner: Any) -> int | None:
    """An owner entry's ``party-type``: its stage (10 application, 20 publication, 30
    registration) and the entries after it (21, 22 … the new owners after publication); None
    when it has none."""
    code = first(owner, "party-type")
    return int(code) if code.isdigit() else None


def _owners(case: Any) -> list[Party]:
    """The owners of record: the named entries of the latest party type, in the file's order
    (joint owners share it); every named entry, the latest party type first, where one has no
    party type. Each name once: an owner is listed again in each of its roles."""
    listed = [
        (_role(o), (name, o))
        for o in case.iterfind("case-file-owners/case-file-owner")
        if (name := first(o, "party-name"))
    ]
    owners: dict[str, Party] = {}
    for name, o in of_latest_role(listed, latest_first=True):
        if name not in owners:
            owners[name] = Party(
                name=name,
                # the address's country, else the citizenship's (a person's, or where a
                # company is organised)
                country=first(o, "country")
                or first(o, "nationality/country")
                or ("US" if first(o, "state") or first(o, "nationality/state") else None),
                address=", ".join(p for p in (first(o, "city"), first(o, "state")) if p) or None,
            )
    return list(owners.values())


def _trademark(case: Any) -> Trademark:
    serial = first(case, "serial-number")
    header = case.find("case-file-header")
    registration = registration_number(first(case, "registration-number"))
    attorney = first(header, "attorney-name")
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
        mark_type=drawing_type(first(header, "mark-drawing-code")),
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
        applicants=_owners(case),
        agency=Agency(name=attorney) if attorney else None,
    )


parse, split, parse_document = element_format(TAGS, _trademark)
