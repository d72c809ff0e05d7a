"""Record pages and gazette listings parsed into the record schema's fields.

Record pages carry bibliographic data as schema.org microdata (``itemprop`` attributes, as public
patent search sites publish it) with Dublin Core / Highwire ``citation_*`` ``<meta>`` tags as the
fallback. Listings are schema.org ``ItemList`` pages: each ``itemListElement`` has a ``url``, an
``identifier`` (the office number) and a ``dateModified``; the next page is ``<a rel="next">``.

The functions return plain field dicts with numbers normalised by ``iphub.numbers``; the item
pipeline validates them into :class:`~iphub.records.Patent` / ``Trademark``. A number that does
not parse raises :class:`~iphub.numbers.NumberError`, which the spider reports as a failed page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from parsel import Selector

from iphub.numbers import (
    normalize_application_number,
    parse_publication_number,
    trademark_id,
)
from iphub.records import PatentKind

_DATE = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})")
_KINDS = {
    "A": PatentKind.INVENTION_APPLICATION,
    "B": PatentKind.INVENTION_GRANT,
    "C": PatentKind.INVENTION_GRANT,  # CN grants before 2010
    "U": PatentKind.UTILITY_MODEL,
    "Y": PatentKind.UTILITY_MODEL,
    "S": PatentKind.DESIGN,
}


@dataclass(frozen=True)
class Entry:
    """One line of a listing: where its record page is, its number and when it last changed."""

    url: str
    number: str
    modified: str


def iso_date(text: str | None) -> str | None:
    """``2024-05-10``, ``2024.5.10``, ``2024年5月10日`` → ``2024-05-10``; anything else → None."""
    m = _DATE.search(text or "")
    return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}" if m else None


def _clean(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return value or None


def props(sel: Selector, name: str) -> list[str]:
    """Values of ``[itemprop=name]``: ``content``, ``datetime`` or ``href``, else the text."""
    out = []
    for node in sel.css(f'[itemprop="{name}"]'):
        value = node.attrib.get("content") or node.attrib.get("datetime")
        if value is None:
            value = (
                node.attrib.get("href") if name == "url" else " ".join(node.css("::text").getall())
            )
        if cleaned := _clean(value):
            out.append(cleaned)
    return out


def metas(sel: Selector, name: str, scheme: str | None = None) -> list[str]:
    query = f'meta[name="{name}"]' + (f'[scheme="{scheme}"]' if scheme else "")
    return [v for v in (_clean(m.attrib.get("content")) for m in sel.css(query)) if v]


def _one(sel: Selector, prop: str, meta: str, scheme: str | None = None) -> str | None:
    found = props(sel, prop) or metas(sel, meta, scheme) or (scheme and metas(sel, meta)) or []
    return found[0] if found else None


def _parties(names: list[str], addresses: list[str] | None = None) -> list[dict[str, Any]]:
    addresses = addresses or []
    return [
        {"name": n, **({"address": addresses[i]} if i < len(addresses) else {})}
        for i, n in enumerate(names)
    ]


def patent_fields(sel: Selector) -> dict[str, Any]:
    """The fields of a :class:`~iphub.records.Patent` from its record page."""
    raw_pn = _one(sel, "publicationNumber", "citation_patent_publication_number") or ""
    pn = parse_publication_number(raw_pn.replace(":", ""), default_country="CN")
    raw_an = _one(sel, "applicationNumber", "citation_patent_application_number") or ""
    title = _one(sel, "title", "DC.title")
    abstract = _one(sel, "abstract", "DC.description")
    kind = _KINDS.get((pn.kind or "")[:1])
    return {
        "id": str(pn),
        "jurisdiction": pn.country,
        "kind": kind,
        "kind_code": pn.kind,
        "publication_number": str(pn),
        "application_number": normalize_application_number(raw_an.replace(":", ""), pn.country),
        "publication_date": iso_date(_one(sel, "publicationDate", "DC.date", "issue")),
        "application_date": iso_date(_one(sel, "filingDate", "citation_date")),
        "title": {"text": title, "lang": "zh"} if title else None,
        "abstract": {"text": abstract, "lang": "zh"} if abstract else None,
        "claims": props(sel, "claim"),
        "applicants": _parties(
            props(sel, "assigneeOriginal") or metas(sel, "DC.contributor", "assignee"),
            props(sel, "assigneeAddress"),
        ),
        "inventors": _parties(props(sel, "inventor") or metas(sel, "DC.contributor", "inventor")),
        "ipc": props(sel, "ipc"),
        "ipc_main": next(iter(props(sel, "ipc")), None),
    }


def trademark_fields(sel: Selector) -> dict[str, Any]:
    """The fields of a :class:`~iphub.records.Trademark` from its announcement page."""
    number = _one(sel, "applicationNumber", "tm:application_number") or ""
    classes = [int(c) for c in props(sel, "niceClass") if c.isdigit()]
    return {
        "id": trademark_id(number),
        "application_number": number,
        "mark_text": _one(sel, "name", "DC.title"),
        "nice_classes": classes,
        "goods_services": props(sel, "goodsServices"),
        "applicants": _parties(props(sel, "applicant"), props(sel, "applicantAddress")),
        "application_date": iso_date(_one(sel, "filingDate", "citation_date")),
        "preliminary_publication_date": iso_date(_one(sel, "announcementDate", "DC.date")),
        "status": "preliminary",
    }


def listing(sel: Selector) -> tuple[list[Entry], str | None]:
    """The entries of a listing page and the (relative) URL of the next page, if any."""
    entries = []
    for item in sel.css('[itemprop="itemListElement"]'):
        url, number = props(item, "url"), props(item, "identifier")
        if url and number:
            modified = props(item, "dateModified")
            entries.append(Entry(url[0], number[0], modified[0] if modified else ""))
    return entries, sel.css('a[rel~="next"]::attr(href)').get()


def record_id(kind: str, number: str) -> str:
    """The record id a listing's number will have once its page is parsed."""
    if kind == "trademark":
        return trademark_id(number)
    return str(parse_publication_number(number.replace(":", ""), default_country="CN"))
