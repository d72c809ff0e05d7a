"""CNIPA Chinese patent publication XML, the ST.36-based ``cn-patent-document`` format.

Written from the published element structure of CNIPA's patent data XML (中国专利数据 XML, CN-ST.36
as distributed by the CNIPA data service, version 2.x; no public sample was at hand):
``cn-patent-document`` (attributes ``country``, ``doc-number``, ``kind``, ``date-publ``) →
``cn-bibliographic-data`` → ``cn-publication-reference/document-id``,
``application-reference/document-id``, ``classifications-ipcr/classification-ipcr/text``
(``H01M 10/0525(2010.01)I``; in documents from before the IPC reform of 2006,
``classification-ipc`` with ``main-classification``, ``further-classification`` or ``text``,
``H01M10/40``), ``classification-locarno/main-classification`` (designs), ``invention-title``,
``cn-parties`` (``cn-applicants/cn-applicant/addressbook/name`` + ``address/text``, or without
the ``addressbook``; a grant without them names its patentees in ``assignees/assignee``),
``cn-inventors/cn-inventor/name``, ``cn-agents/cn-agent/cn-agency/name`` and agent ``name``),
``priority-claims/priority-claim`` and the domestic ``cn-domestic-priority-claim``
(``substitution/relation/parent-doc/document-id``), ``cn-related-documents`` (a divisional
application's parent: ``division/relation/parent-doc/document-id``),
``pct-or-regional-filing-data`` and ``pct-or-regional-publishing-data``, ``abstract``; then
``claims/claim``, in the full-text documents inside ``application-body`` (whose
``description/invention-title`` stands for a title the bibliography lacks). Elements are
matched by local name, so the namespaced ``business:`` variant reads the same. GBK- or
GB18030-declared files are decoded by the parser from their XML declaration.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lxml import etree

from ingest.parsers.base import (
    along,
    child,
    children,
    document_id,
    edition_7_ipc,
    element_format,
    first,
    ipcr_symbol,
    leaves,
    parse_date,
    pct_numbers,
    related_documents,
    required,
    text_of,
)
from ingest.parsers.mapped import granted_on, patent_kind
from iphub.numbers import application_number_as_written, normalize_publication_number
from iphub.records import Agency, LocalizedText, Party, Patent, Priority

NAME = "cnipa"


TAGS = ("{*}cn-patent-document",)


def _parties(elements: Iterable[Any], addresses: bool = True) -> list[Party]:
    """Applicants, patentees or inventors: a ``name`` and an ``address/text``, each directly in
    the party's element or in its ``addressbook`` (as ST.36 has it, and CNIPA's documents)."""
    out = []
    for element in elements:
        fields = children(element)
        if (book := fields.get("addressbook")) is not None:
            fields = children(book)
        if name := text_of(fields.get("name")):
            address = text_of(child(fields.get("address"), "text")) if addresses else ""
            out.append(Party(name=name, address=address or None))
    return out


def _agency(agents: list[Any]) -> Agency | None:
    """The agency named in a document's ``cn-agent`` elements, with every agent's name in order.
    CNIPA gives each agent a ``cn-agent`` of its own, the agency named in the first (the next
    holds a ``name`` alone): only the first was read, and the agents after it were lost. The
    agency is the first ``cn-agency`` given; None when none is (an agency needs a name)."""
    name = next((t for a in agents if (t := text_of(child(a, "cn-agency", "name")))), "")
    if not name:
        return None
    return Agency(
        name=name, agents=[t for a in agents for n in along(a, "name") if (t := text_of(n))]
    )


def _patent(doc: Any) -> Patent:
    # lookups go child by child (``along``, ``child``, ``iter``): ElementPath's ``find`` cost
    # ≈1.5–3 µs each, a third of a record's parse
    bib_element = child(doc, "cn-bibliographic-data")
    if bib_element is None:
        required(doc, "{*}cn-bibliographic-data")  # the reason it is quarantined with
    bib = children(bib_element)  # the singletons, by name; lists are found below
    country, number, kind, pub_date = document_id(
        children(bib.get("cn-publication-reference")).get("document-id")
    )
    country = country or doc.get("country") or "CN"
    number = number or doc.get("doc-number", "")
    kind = kind or doc.get("kind", "")
    pn = normalize_publication_number(f"{country}{number}{kind}")
    _, app_number, _, app_date = document_id(
        children(bib.get("application-reference")).get("document-id")
    )
    ipc = [
        c
        for e in bib_element.iter("{*}classification-ipcr")
        for t in along(e, "text")
        if (c := ipcr_symbol(text_of(t)))
    ]
    if not ipc:  # a document from before the IPC reform of 2006
        ipc = edition_7_ipc(bib.get("classification-ipc"))
    locarno = [
        t
        for e in bib_element.iter("{*}classification-locarno")
        for c in e.iterchildren(tag=etree.Element)
        if (t := text_of(c))
    ]
    # a publication without its parties still loads, with none
    parties = bib.get("cn-parties")
    applicants = _parties(along(parties, "cn-applicants", "cn-applicant"))
    if not applicants:  # a grant's patentees
        applicants = _parties(along(bib.get("assignees"), "assignee"))
    inventors = _parties(along(parties, "cn-inventors", "cn-inventor"), addresses=False)
    agency = _agency(along(parties, "cn-agents", "cn-agent"))
    abstract = text_of(bib.get("abstract")) or text_of(doc.find("{*}abstract"))
    # a full-text document's description repeats the title
    title = text_of(bib.get("invention-title")) or first(doc, _DESCRIPTION_TITLE)
    kind_code = kind or None
    patent = patent_kind(None, kind_code)
    published = parse_date(pub_date or doc.get("date-publ"))
    pct_application, pct_publication = pct_numbers(
        child(bib.get("pct-or-regional-filing-data"), "document-id"),
        child(bib.get("pct-or-regional-publishing-data"), "document-id"),
    )
    return Patent(
        id=pn,
        source=NAME,
        sources=[NAME],
        jurisdiction=pn[:2],
        kind=patent,
        kind_code=kind_code,
        # a CN number with a wrong check digit, or of no CN form, raises: the record is
        # quarantined with the reason, as a table's row is
        application_number=application_number_as_written(app_number, country),
        application_date=parse_date(app_date),
        publication_number=pn,
        publication_date=published,
        grant_date=granted_on(patent, published),
        title=LocalizedText(text=title, lang="zh"),
        abstract=LocalizedText(text=abstract) if abstract else None,
        claims=[t for path in _CLAIMS for c in along(doc, *path) if (t := text_of(c))],
        applicants=applicants,
        inventors=inventors,
        agency=agency,
        ipc_main=ipc[0] if ipc else None,
        ipc=list(dict.fromkeys(ipc)),
        locarno=locarno,
        priorities=_priorities(bib_element),
        related=related_documents(
            country, bib.get("cn-related-documents"), bib.get("related-documents")
        ),
        pct_application_number=pct_application,
        pct_publication_number=pct_publication,
    )


def _priorities(bib: Any) -> list[Priority]:
    """Priorities claimed abroad (``priority-claims/priority-claim``), then at home (本国优先权,
    ``cn-domestic-priority-claim``: the earlier Chinese application in
    ``substitution/relation/parent-doc/document-id``, its country CN when not given); the
    publication shows both under 优先权."""
    out = [
        Priority(
            country=(fields := leaves(p)).get("country", ""),
            number=fields.get("doc-number", ""),
            date=parse_date(fields.get("date")),
        )
        for p in along(bib, "priority-claims", "priority-claim")
    ]
    for claim in bib.iter("{*}cn-domestic-priority-claim"):
        parent = claim.find(".//{*}parent-doc/{*}document-id")
        if parent is None:
            continue
        country = first(parent, ".//{*}country") or "CN"
        if number := first(parent, ".//{*}doc-number"):
            date = parse_date(first(parent, "{*}date"))
            out.append(Priority(country=country, number=number, date=date))
    return out


#: claims as the full-text documents hold them (``application-body``), or beside the bibliography
_CLAIMS = (("application-body", "claims", "claim"), ("claims", "claim"))
_DESCRIPTION_TITLE = "{*}application-body/{*}description/{*}invention-title"

parse, split, parse_document = element_format(TAGS, _patent)
