"""EPO DOCDB / OPS exchange documents (``http://www.epo.org/exchange``, OPS 3.2 responses).

Reads, record by record (cut out by their tags, ``base.element_format``):

- ``exchange-documents/exchange-document`` (DOCDB bibliographic data, any office, CN included):
  ``publication-reference`` and ``application-reference`` in the docdb form (OPS: a
  ``document-id`` of ``document-id-type="docdb"``; DOCDB's weekly files: the reference of
  ``data-format="docdb"``, its ``document-id`` untyped; the publication date else from
  ``date-publ``), ``classification-ipc`` where there is no IPCR, CPC as OPS's parts or DOCDB's
  ``classification-symbol``,
  ``invention-title`` and ``abstract`` per ``lang``, ``classifications-ipcr/…/text``,
  ``patent-classifications`` (CPC; another scheme's classes, as OPS's US national class
  ``UC``, left out), ``parties`` (names in the ``data-format`` original, else
  docdba, docdb or epodoc — DOCDB's weekly files give docdb and docdba, OPS epodoc and
  original; the country from docdb's ``residence`` or epodoc's ``[CC]``), ``priority-claims``,
  ``references-cited``, ``family-id``;
- OPS family responses: ``ops:patent-family/ops:family-member`` (``family-id``), with the
  member's ``exchange-document`` when the response includes biblio;
- OPS legal-status (INPADOC) responses: ``ops:legal`` events (``code``, ``desc``, gazette date
  ``L007EP``; the state ``L501EP``, effective date ``L525EP`` and free text ``L510EP`` or
  national code ``L502EP`` of their ``L500EP``) on each family member.

A document with a one-letter DOCDB ``status`` (a delivery's new or amended documents) loads
as any other, except ``D`` (deleted), which withdraws it (``base.Withdrawn``: the loader deletes
the copy EPO's deliveries gave); one with an OPS status (``not found``) is quarantined as such.
A member without bibliographic data becomes a partial ``Patent`` (empty title, numbers, family
id, legal events) that merges into the full record by id (``ingest.merge``), in either order.
Elements are found by local name below the first level: DOCDB's weekly files leave those
inside ``exch:`` elements without a namespace. One position per exchange-document or family
member.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ingest.parsers.base import (
    Withdrawal,
    along,
    below,
    child,
    children,
    document_id,
    edition_7_ipc,
    element_format,
    first_of,
    grouped,
    ipcr_symbol,
    local,
    parse_date,
    required,
    text_of,
)
from ingest.parsers.mapped import granted_on, patent_kind
from iphub.numbers import (
    NumberError,
    normalize_application_number,
    publication_number_of,
)
from iphub.records import LegalEvent, LocalizedText, Party, Patent, PatentKind, Priority
from nlp.nfkc import ascii_letters

NAME = "epo"
LEGAL = "epo-legal"  # legal-status-only members
X = "{http://www.epo.org/exchange}"
OPS = "{http://ops.epo.org}"
_CC = re.compile(r"\s*\[([A-Z]{2})\]\s*$")


TAGS = (f"{X}exchange-document", f"{OPS}family-member")


def _standalone(elem: Any) -> bool:
    """A family member's own exchange-document is read with the member, not on its own."""
    return not (
        local(elem.tag) == "exchange-document" and local(elem.getparent().tag) == "family-member"
    )


def _convert(elem: Any) -> Patent:
    if local(elem.tag) == "family-member":
        return _member(elem)
    return _document(elem, elem.get("family-id"))


# a family member's exchange-document comes inside the member, and is read with it
parse, split, parse_document = element_format(TAGS, _convert, keep=_standalone)


def _docdb(*refs: Any) -> tuple[str, str, str, str]:
    return document_id(_document_id(refs, "docdb"))


def _document_id(refs: Iterable[Any], kind: str) -> Any:
    """The first ``document-id`` in the form ``kind`` under one of ``refs`` (None if none).
    OPS gives each form as a ``document-id`` of that ``document-id-type`` in one reference;
    DOCDB's weekly files a reference per form, with the form as its ``data-format`` and a
    ``document-id`` without a type (and, unlike the reference, without the ``exch:``
    namespace). A loop over the few children, where a ``find`` with a predicate took ≈3 µs."""
    for ref in refs:
        if ref is None:
            continue
        form = ref.get("data-format")
        for sub in ref:
            tag = sub.tag
            if not isinstance(tag, str) or not tag.endswith("document-id"):
                continue
            typed = sub.get("document-id-type")
            if typed == kind or (typed is None and form in (kind, None)):
                return sub
    return None


def _numbers(elem: Any, parts: dict[str, list[Any]]) -> tuple[str, str, str, str, str]:
    """(publication number, kind, application number, application date, publication date) of a
    document (``elem``, with ``parts``, its bibliographic data grouped) or a family member."""
    country, number, kind, p_date = _docdb(*parts.get("publication-reference", ()))
    country = country or elem.get("country", "")
    number, kind = number or elem.get("doc-number", ""), kind or elem.get("kind", "")
    p_date = p_date or elem.get("date-publ", "")  # DOCDB's weekly files: on the document
    pn = publication_number_of(country, number, kind)
    apps = parts.get("application-reference", [])
    a_country, a_number, _, a_date = _docdb(*apps)
    if not a_date and apps:
        a_date = text_of(child(apps[0], "document-id", "date"))
    try:
        an = normalize_application_number(f"{a_country or country}{a_number}")
    except NumberError:
        an = f"{a_country or country}{a_number}"
    return pn, kind, an, a_date, p_date


def _texts(elems: list[Any]) -> list[LocalizedText]:
    out = []
    for e in elems:
        if text := text_of(e):
            out.append(LocalizedText(text=text, lang=(e.get("lang") or "en").lower()))
    return sorted(out, key=lambda t: {"zh": 0, "en": 1}.get(t.lang, 2))


def _no_country(text: str) -> str:
    """``text`` without a trailing ``[CC]`` (``text_of`` leaves no trailing space)."""
    return _CC.sub("", text) if text.endswith("]") else text


#: the forms a party's name comes in, the one shown first: as filed in its own script (OPS and
#: DOCDB), as printed (DOCDB ``docdba``), normalised upper-case (DOCDB ``docdb``, with the
#: country of residence), upper-case with ``[CC]`` (OPS ``epodoc``)
_NAME_FORMS = ("original", "docdba", "docdb", "epodoc")


def _parties(parent: Any, tag: str) -> list[Party]:
    """Applicants or inventors, in the document's order: each named in the first form of
    :data:`_NAME_FORMS` the document gives, with the country its ``docdb`` form's residence or
    its ``epodoc`` form's ``[CC]`` gives."""
    if parent is None:
        return []
    forms: dict[str, list[Any]] = {}
    wanted = X + tag
    for e in parent:
        if e.tag != wanted:
            continue
        forms.setdefault(e.get("data-format") or "", []).append(e)
    shown = next((forms[f] for f in _NAME_FORMS if f in forms), [])
    countries: dict[str | None, str] = {}
    for form in ("docdb", "epodoc"):
        for e in forms.get(form, ()):
            if (country := _party_name(e)[1]) is not None:
                countries.setdefault(e.get("sequence"), country)
    out: list[Party] = []
    seen: dict[str, Party] = {}  # by :func:`_same_name`
    for e in shown:
        name = _no_country(_party_name(e)[0]).strip(" ,")
        if not name:
            continue
        country = countries.get(e.get("sequence"))
        same = seen.get(key := _same_name(name))
        if same is None:
            seen[key] = party = Party(name=name, country=country)
            out.append(party)
            continue
        if _better_spelled(name, same.name):
            same.name = name
        same.country = same.country or country
    return out


_NOT_LETTERS = re.compile(r"[\W_]+")


def _same_name(name: str) -> str:
    """What two spellings of one party share: OPS's ``original`` form lists many a party twice,
    as the office's upper-case ASCII (``KYLMAENEN JARI,``) and as filed (``Kylmänen Jari,``)."""
    return _NOT_LETTERS.sub(" ", ascii_letters(name).upper()).strip()


def _better_spelled(name: str, than: str) -> bool:
    """Whether ``name`` is the fuller spelling of the same party: in mixed case where ``than``
    is all capitals, else with letters beyond ASCII where ``than`` has none."""
    return (name != name.upper(), not name.isascii()) > (than != than.upper(), not than.isascii())


def _party_name(party: Any) -> tuple[str, str | None]:
    """A party element's name (its ``…-name/name``, else its text) and the country it states:
    ``residence/country`` (DOCDB's ``docdb`` form) or a trailing ``[CC]`` (OPS's ``epodoc``)."""
    if len(party) <= 1:  # its name alone (OPS's forms, DOCDB's docdba): as fast as it comes
        name = text_of(party)
        cc = _CC.search(name) if name.endswith("]") else None
        return name, cc.group(1) if cc else None
    name, country = "", None
    for sub in party:
        tag = sub.tag
        if not isinstance(tag, str):  # a comment
            continue
        if tag.endswith("name"):  # {…}applicant-name, {…}inventor-name, name
            name = text_of(sub)
        elif tag.endswith("residence"):
            country = text_of(sub) or None  # <residence><country>SE</country></residence>
    if country is None and name.endswith("]") and (cc := _CC.search(name)):
        country = cc.group(1)
    return name, country


def _cpc(c: Any) -> str | None:
    """A CPC symbol: DOCDB's ``classification-symbol`` (``H04B 7/18515``), or OPS's parts;
    None for a class of another scheme than CPC's (``CPC``, ``CPCI``, ``CPCNO`` …, or none
    named): OPS lists a US member's national class among them, ``scheme="UC"``, ``370/315``."""
    parts = children(c)
    scheme = parts.get("classification-scheme")
    if scheme is not None and not (scheme.get("scheme") or "CPC").startswith("CPC"):
        return None
    f = {name: text_of(e) for name, e in parts.items()}
    if symbol := f.get("classification-symbol"):
        return " ".join(symbol.split())
    head = f.get("section", "") + f.get("class", "") + f.get("subclass", "")
    return f"{head} {f.get('main-group', '')}/{f.get('subgroup', '')}" if head else None


def _kind(kind: str, country: str) -> PatentKind:
    """The kind of a document by its kind code (``A`` when it gives none): S (S1, S2 …) a
    design, at any office; else as :func:`mapped.patent_kind` reads the code at ``country``'s
    office (DOCDB's US kind ``A``: a patent granted before 2001)."""
    if kind.startswith("S"):
        return PatentKind.DESIGN
    return patent_kind(None, kind, country) if kind else patent_kind(None, "A")


def _document(doc: Any, family_id: str | None) -> Patent:
    status = doc.get("status")
    if status == "D":  # DOCDB's delivery of a deleted document: withdrawn from the store
        given = (doc.get("country", ""), doc.get("doc-number", ""), doc.get("kind", ""))
        number = "".join(given)
        raise Withdrawal(
            publication_number_of(*given),
            (NAME, LEGAL),
            f"DOCDB 标为删除 / DOCDB status D (a deleted document): {number}",
        )
    if status and len(status) > 1:  # OPS: "not found", "invalid" … no document
        asked = "".join((doc.get("country", ""), doc.get("doc-number", ""), doc.get("kind", "")))
        raise ValueError(f"OPS 未给出文献（状态 {status!r}） / OPS status {status!r} for {asked}")
    bib = required(doc, f"{X}bibliographic-data")
    parts = grouped(bib)
    pn, kind, an, a_date, p_date = _numbers(doc, parts)
    titles = _texts(parts.get("invention-title", []))
    abstracts = _texts(along(doc, "abstract"))
    # DOCDB's weekly files leave the elements inside exch: ones without a namespace: "{*}"
    ipc = [
        symbol
        for e in below(parts, "classifications-ipcr", "classification-ipcr", "text", ns="{*}")
        if (symbol := ipcr_symbol(text_of(e)))
    ]
    if not ipc:  # a document from before the IPC reform of 2006
        ipc = edition_7_ipc(first_of(parts, "classification-ipc"))
    patent_classes = below(parts, "patent-classifications", "patent-classification", ns="{*}")
    cpc = [symbol for c in patent_classes if (symbol := _cpc(c))]
    cited = []
    for cit in below(parts, "references-cited", "citation", "patcit", ns="{*}"):
        c_country, c_number, c_kind, _ = _docdb(cit)
        try:
            cited.append(publication_number_of(c_country, c_number, c_kind))
        except NumberError:
            continue
    priorities = _priorities(below(parts, "priority-claims", "priority-claim", ns="{*}"))
    groups = children(first_of(parts, "parties"))
    patent, published = _kind(kind, pn[:2]), parse_date(p_date)
    return Patent(
        id=pn, source=NAME, sources=[NAME], jurisdiction=pn[:2], kind=patent,
        kind_code=kind or None, application_number=an, application_date=parse_date(a_date),
        publication_number=pn, publication_date=published,
        grant_date=granted_on(patent, published),
        title=titles[0] if titles else LocalizedText(text="", lang="en"), titles=titles[1:],
        abstract=abstracts[0] if abstracts else None, abstracts=abstracts[1:],
        applicants=_parties(groups.get("applicants"), "applicant"),
        inventors=_parties(groups.get("inventors"), "inventor"),
        ipc_main=ipc[0] if ipc else None, ipc=list(dict.fromkeys(ipc)),
        cpc=list(dict.fromkeys(cpc)),
        priorities=priorities, cited_documents=list(dict.fromkeys(cited)), family_id=family_id,
    )  # fmt: skip


def _priorities(claims: list[Any]) -> list[Priority]:
    """The priorities claimed, in the document's order: each claim (by its ``sequence``) in its
    epodoc form (``JP20190999999``), or, when the document gives no epodoc form of it, in its
    docdb form (country, number and date apart: ``JP``, ``2019999999``). DOCDB's weekly files
    and OPS give a claim in one form or several — an element each, or typed ``document-id``s in
    one — and a claim given in the docdb form alone (OPS's family members, weekly files) was
    dropped. Where both are given the epodoc form is kept, as before (a limitation on record in
    docs/loading.md: that number is not in the form other sources give)."""
    epodoc = [text_of(children(_document_id([pc], "epodoc")).get("doc-number")) for pc in claims]
    # the claims given in the epodoc form, by sequence: a claim without one is a claim apart
    in_epodoc = {
        seq
        for pc, number in zip(claims, epodoc, strict=True)
        if number and (seq := pc.get("sequence")) is not None
    }
    out = []
    for pc, number in zip(claims, epodoc, strict=True):
        if number:
            date = text_of(child(pc, "document-id", "date"))
            out.append(Priority(country=number[:2], number=number[2:], date=parse_date(date)))
        elif pc.get("sequence") is None or pc.get("sequence") not in in_epodoc:
            country, docdb, _, date = _docdb(pc)
            if docdb:
                out.append(Priority(country=country, number=docdb, date=parse_date(date)))
    return out


def _member(member: Any) -> Patent:
    family_id = member.get("family-id")
    doc = member.find(f"{X}exchange-document")
    if doc is not None:
        patent = _document(doc, family_id)
    else:
        parts = grouped(member)  # an OPS family or legal-status member: numbers, priorities
        pn, kind, an, a_date, p_date = _numbers(member, parts)
        category, published = _kind(kind, pn[:2]), parse_date(p_date)
        patent = Patent(
            id=pn, source=NAME, sources=[NAME], jurisdiction=pn[:2], kind=category,
            kind_code=kind or None, application_number=an, application_date=parse_date(a_date),
            publication_number=pn, publication_date=published,
            grant_date=granted_on(category, published),
            title=LocalizedText(text="", lang="en"), family_id=family_id,
            priorities=_priorities(parts.get("priority-claim", [])),
        )  # fmt: skip
        if member.find(f"{OPS}legal") is not None:  # a distinct source, so it merges, not replaces
            patent.source, patent.sources = LEGAL, [LEGAL]
    patent.legal_events = [_legal_event(e) for e in member.iterfind(f"{OPS}legal")]
    return patent


def _legal_event(event: Any) -> LegalEvent:
    """An INPADOC event: its code, words and gazette date (``L007EP``), and from its details
    (``L500EP``) the state it concerns (``L501EP``), when it took effect (``L525EP``) and what
    the office adds (free text ``L510EP``, else the national code ``L502EP`` and its words;
    a renewal's year ``L520EP``)."""
    details = event.find(f"{OPS}L500EP")

    def detail_text(tag: str) -> str:
        return text_of(details.find(f"{OPS}{tag}")) if details is not None else ""

    national = details.find(f"{OPS}L502EP") if details is not None else None
    said = detail_text("L510EP")
    if not said and national is not None:
        said = " ".join(filter(None, (text_of(national), (national.get("descData") or "").strip())))
    if year := detail_text("L520EP"):
        said = "; ".join(filter(None, (said, f"年费年度 / fee year {year}")))
    return LegalEvent(
        date=parse_date(text_of(event.find(f"{OPS}L007EP"))),
        code=(event.get("code") or "").strip() or None,
        description=(event.get("desc") or "").strip(),
        country=detail_text("L501EP").upper() or None,
        effective_date=parse_date(detail_text("L525EP")),
        detail=said or None,
    )
