"""CNIPA Chinese patent publication XML, the ST.36-based ``cn-patent-document`` format.

Written from the published element structure of CNIPA's patent data XML (中国专利数据 XML,
CN-ST.36 as distributed by the CNIPA data service, version 2.x; no public sample was at hand):
``cn-patent-document`` (attributes ``country``, ``doc-number``, ``kind``, ``date-publ``) →
``cn-bibliographic-data`` → ``cn-publication-reference/document-id``,
``application-reference/document-id``, ``classifications-ipcr/classification-ipcr/text``
(``H01M 10/0525(2010.01)I``), ``classification-locarno/main-classification`` (designs),
``invention-title``, ``cn-parties`` (``cn-applicants/cn-applicant/name`` + ``address/text``,
``cn-inventors/cn-inventor/name``, ``cn-agents/cn-agent/cn-agency/name`` and agent ``name``),
``priority-claims/priority-claim``, ``pct-or-regional-filing-data`` and
``pct-or-regional-publishing-data``, ``abstract``; then ``claims/claim``. Elements are matched
by local name, so the namespaced ``business:`` variant reads the same. GBK- or GB18030-declared
files are decoded by the parser from their XML declaration.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.parsers.base import element_format, first, parse_date, text_of
from ingest.parsers.mapped import patent_kind
from iphub.numbers import NumberError, normalize_application_number, normalize_publication_number
from iphub.records import Agency, LocalizedText, Party, Patent, Priority

NAME = "cnipa"
_IPC = re.compile(r"^\s*([A-H]\d\d[A-Z])\s*(\d+)\s*/\s*(\d+)")


TAGS = ("{*}cn-patent-document",)


def _ipc(text: str) -> str | None:
    m = _IPC.match(text)
    return f"{m[1]} {int(m[2])}/{m[3]}" if m else None


def _number(raw: str, default: str) -> str:
    try:
        return normalize_application_number(raw, default)
    except NumberError:
        return raw


def _patent(doc: Any) -> Patent:
    bib = doc.find("{*}cn-bibliographic-data")
    pub = bib.find("{*}cn-publication-reference/{*}document-id")
    country = first(pub, "{*}country") or doc.get("country") or "CN"
    number = first(pub, "{*}doc-number") or doc.get("doc-number", "")
    kind = first(pub, "{*}kind") or doc.get("kind", "")
    pn = normalize_publication_number(f"{country}{number}{kind}")
    app = bib.find("{*}application-reference/{*}document-id")
    ipc = [c for e in bib.iterfind(".//{*}classification-ipcr/{*}text") if (c := _ipc(text_of(e)))]
    locarno = [text_of(e) for e in bib.iterfind(".//{*}classification-locarno/*") if text_of(e)]
    parties = bib.find("{*}cn-parties")
    applicants = [
        Party(name=first(a, "{*}name"), address=first(a, "{*}address/{*}text") or None)
        for a in parties.iterfind("{*}cn-applicants/{*}cn-applicant")
        if first(a, "{*}name")
    ]
    inventors = [
        Party(name=first(i, "{*}name"))
        for i in parties.iterfind("{*}cn-inventors/{*}cn-inventor")
        if first(i, "{*}name")
    ]
    agent = parties.find("{*}cn-agents/{*}cn-agent")
    agency = None
    if agent is not None and first(agent, "{*}cn-agency/{*}name"):
        names = [text_of(n) for n in agent.iterfind("{*}name") if text_of(n)]
        agency = Agency(name=first(agent, "{*}cn-agency/{*}name"), agents=names)
    abstract = text_of(bib.find("{*}abstract")) or text_of(doc.find("{*}abstract"))
    kind_code = kind or None
    pct_app = first(bib, "{*}pct-or-regional-filing-data/{*}document-id/{*}doc-number")
    pct_pub = first(bib, "{*}pct-or-regional-publishing-data/{*}document-id/{*}doc-number")
    return Patent(
        id=pn,
        source=NAME,
        sources=[NAME],
        jurisdiction=pn[:2],
        kind=patent_kind(None, kind_code),
        kind_code=kind_code,
        application_number=_number(first(app, "{*}doc-number"), country),
        application_date=parse_date(first(app, "{*}date")),
        publication_number=pn,
        publication_date=parse_date(first(pub, "{*}date") or doc.get("date-publ")),
        title=LocalizedText(text=first(bib, "{*}invention-title"), lang="zh"),
        abstract=LocalizedText(text=abstract) if abstract else None,
        claims=[t for c in doc.iterfind("{*}claims/{*}claim") if (t := text_of(c))],
        applicants=applicants,
        inventors=inventors,
        agency=agency,
        ipc_main=ipc[0] if ipc else None,
        ipc=list(dict.fromkeys(ipc)),
        locarno=locarno,
        priorities=[
            Priority(
                country=first(p, "{*}country"),
                number=first(p, "{*}doc-number"),
                date=parse_date(first(p, "{*}date")),
            )
            for p in bib.iterfind("{*}priority-claims/{*}priority-claim")
        ],
        pct_application_number=pct_app or None,
        pct_publication_number=pct_pub or None,
    )


parse, split, parse_document = element_format(TAGS, _patent)
