"""What every store indexes, and what each field code of the query language searches.

Both stores index the document :func:`index_document` builds, under the same field names, so the
compiled queries (``iphub.store.plan``) mean the same thing in each. Text is segmented here, in
Python, and stored as whitespace-separated tokens: word fields ``*_w`` (jieba search mode, English
stemmed) and character fields ``*_c`` (one token per CJK character) for exact phrases.
Keyword fields hold exact values; ``facet_*`` fields are the facet columns.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from iphub.records import (
    Copyright,
    LegalStatus,
    Party,
    Patent,
    PatentKind,
    Trademark,
    TrademarkStatus,
)
from iphub.records import RecordKind as RecordKind  # every kind is searched: re-exported
from nlp.segment import index_texts_of

IndexDocument = dict[str, object]

#: The platform's city: ``facet_district`` holds the districts of its applicants only.
HOME_CITY = "广州市"
HOME_DISTRICTS = frozenset(
    {"越秀区", "海珠区", "荔湾区", "天河区", "白云区", "黄埔区"}
    | {"番禺区", "花都区", "南沙区", "从化区", "增城区"}
)


@dataclass(frozen=True)
class TextField:
    """A field code over segmented text: ``(index field stem, boost)`` pairs."""

    parts: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class KeywordField:
    field: str
    normaliser: str  # name of a function in iphub.store.plan that maps user text to terms


@dataclass(frozen=True)
class DateField:
    field: str


FieldSpec = TextField | KeywordField | DateField

_PATENT_TEXT = TextField((("ti", 3.0), ("ab", 1.0), ("cl", 0.5)))
_COMMON: dict[str, FieldSpec] = {
    "pa": TextField((("pa", 1.0),)),
    "ag": TextField((("ag", 1.0),)),
    "ind": KeywordField("ind", "exact"),
    "dist": KeywordField("dist", "district"),
    "ctry": KeywordField("ctry", "country"),
    "pak": KeywordField("pak", "applicant_key"),
    "city": KeywordField("city", "city"),
    "type": KeywordField("type", "applicant_type"),
    "pn": KeywordField("pn", "number"),
    "ap": KeywordField("ap", "number"),
    "ad": DateField("ad"),
}
FIELDS: dict[RecordKind, dict[str, FieldSpec]] = {
    "patent": _COMMON
    | {
        "": _PATENT_TEXT,
        "txt": _PATENT_TEXT,
        "ti": TextField((("ti", 1.0),)),
        "ab": TextField((("ab", 1.0),)),
        "cl": TextField((("cl", 1.0),)),
        "ta": TextField((("ti", 2.0), ("ab", 1.0))),
        "in": TextField((("in", 1.0),)),
        "ipc": KeywordField("ipc", "ipc"),
        "fam": KeywordField("fam", "exact"),
        "rel": KeywordField("rel", "number"),
        "cpc": KeywordField("cpc", "ipc"),
        "kind": KeywordField("kind", "patent_kind"),
        "status": KeywordField("status", "patent_status"),
        "flag": KeywordField("flag", "patent_flag"),
        "pd": DateField("pd"),
        "gd": DateField("gd"),
    },
    "trademark": _COMMON
    | {
        "": TextField((("tm", 2.0),)),
        "txt": TextField((("tm", 2.0), ("gs", 1.0))),
        "tm": TextField((("tm", 1.0),)),
        "gs": TextField((("gs", 1.0),)),
        "nc": KeywordField("nc", "nice"),
        "status": KeywordField("status", "trademark_status"),
        "flag": KeywordField("flag", "trademark_flag"),
        "pd": DateField("pd"),
        "rd": DateField("rd"),
    },
    # registrations of software and works: the title (and a software's short name), the owners
    # (著作权人, enriched as applicants are), the registration number, the type
    "copyright": {
        code: _COMMON[code] for code in ("pa", "dist", "ctry", "pak", "city", "type", "ad")
    }
    | {
        "flag": KeywordField("flag", "copyright_flag"),
        "pn": KeywordField("pn", "copyright_number"),
        "": TextField((("ti", 1.0),)),
        "txt": TextField((("ti", 1.0),)),
        "ti": TextField((("ti", 1.0),)),
        "kind": KeywordField("kind", "copyright_kind"),
        "rd": DateField("rd"),
    },
}

TEXT_STEMS = ("ti", "ab", "cl", "pa", "in", "ag", "tm", "gs")
_TEXT_FIELDS = tuple((stem, f"{stem}_w", f"{stem}_c") for stem in TEXT_STEMS)
KEYWORD_FIELDS = (
    "id",
    "record_type",
    "pn",
    "ap",
    "rel",
    "ipc",
    "cpc",
    "ind",
    "dist",
    "ctry",
    "city",
    "prov",
    "flag",
    "pak",
    "type",
    "status",
    "kind",
    "nc",
    "batch",
    "fam",
)
DATE_FIELDS = ("pd", "ad", "gd", "rd", "sort_date")

#: Facet name → index column. A fixed list: anything else is a 400.
FACETS: dict[RecordKind, dict[str, str]] = {
    "patent": {
        "applicant": "facet_applicant",
        "ipc_section": "facet_ipc_section",
        "ipc_class": "facet_ipc_class",
        "ipc_subclass": "facet_ipc_subclass",
        "year": "facet_year",
        "kind": "kind",
        "country": "ctry",
        "district": "dist",
        "industry": "ind",
        "status": "status",
    },
    "trademark": {
        "applicant": "facet_applicant",
        "nice_class": "nc",
        "year": "facet_year",
        "country": "ctry",
        "district": "dist",
        "industry": "ind",
        "status": "status",
    },
    "copyright": {
        "applicant": "facet_applicant",
        "kind": "kind",
        "year": "facet_year",
        "country": "ctry",
        "district": "dist",
    },
}
FACET_COLUMNS = (
    "facet_applicant",
    "facet_ipc_section",
    "facet_ipc_class",
    "facet_ipc_subclass",
    "facet_ipc_group",
    "facet_year",
    "facet_grant_year",
    "facet_district",
    "facet_keyword",
    "facet_right",
)
#: How a facet bucket is written back into the query language (so a URL holds any filter).
FACET_QUERY_CODES = {
    "applicant": "pak",
    "ipc_section": "ipc",
    "ipc_class": "ipc",
    "ipc_subclass": "ipc",
    "year": "ad",
    "kind": "kind",
    "country": "ctry",
    "district": "dist",
    "industry": "ind",
    "status": "status",
    "nice_class": "nc",
}

_IPC_RE = re.compile(r"^([A-H])(\d{2})?([A-Z])?(\d{1,4})?(?:/(\d{1,6}))?$")


def ipc_terms(code: str) -> list[str]:
    """``H01M 10/0525`` → ``H, H01, H01M, H01M10, H01M10/0525`` (each level searchable)."""
    m = _IPC_RE.match(re.sub(r"\s+", "", code.upper()))
    if not m:
        return [re.sub(r"\s+", "", code.upper())] if code.strip() else []
    sec, cls, sub, group, subgroup = m.groups()
    out = [sec]
    if cls:
        out.append(sec + cls)
    if cls and sub:
        out.append(sec + cls + sub)
    if cls and sub and group:
        out.append(f"{sec}{cls}{sub}{int(group)}")
        if subgroup:
            out.append(f"{sec}{cls}{sub}{int(group)}/{subgroup}")
    return out


_KIND_CODE = re.compile(r"(?<=\d)[A-Z]\d?$")
_COUNTRY = re.compile(r"^[A-Z]{2}(?:-TM-)?")


def _number_terms(*numbers: str | None) -> list[str]:
    """A number and its forms without kind code / check digit / country, upper-cased."""
    out: list[str] = []
    for n in dict.fromkeys(numbers):  # a record's id is mostly its publication number
        if not n:
            continue
        n = n.upper().replace(" ", "")
        whole = n.split(".")[0]
        base = _KIND_CODE.sub("", whole)
        forms = {n, whole, base, _COUNTRY.sub("", base)}
        out.extend(sorted(f for f in forms if f))
    return list(dict.fromkeys(out))


def _home_district(party: Party) -> str | None:
    """The party's district when it lies in the home city (city unknown: a home district name)."""
    if party.district and party.city in (HOME_CITY, None) and party.district in HOME_DISTRICTS:
        return party.district
    return None


def _flags(record: Patent | Trademark | Copyright) -> list[str]:
    """Markers the statistics filter on: ``pct``, ``madrid``, ``state_owned``."""
    flags = []
    if isinstance(record, Patent) and (
        record.pct_application_number or record.pct_publication_number
    ):
        flags.append("pct")
    if isinstance(record, Trademark) and record.international_registration_number:
        flags.append("madrid")
    if any(p.state_owned for p in record.applicants):
        flags.append("state_owned")
    return flags


def _rights(record: Patent | Trademark | Copyright) -> list[str]:
    """``granted`` (ever: a grant/registration date, or a kind granted on publication: B, U, S)
    and ``valid`` (in force now: legal status valid, trademark registered; a copyright
    registration is both once registered)."""
    if isinstance(record, Patent):
        granted = record.grant_date is not None or record.kind != PatentKind.INVENTION_APPLICATION
        valid = record.legal_status == LegalStatus.VALID
    elif isinstance(record, Copyright):
        granted = valid = record.registration_date is not None
    else:
        granted = (
            record.registration_date is not None or record.status == TrademarkStatus.REGISTERED
        )
        valid = record.status == TrademarkStatus.REGISTERED
    return [name for name, yes in (("granted", granted), ("valid", valid)) if yes]


def _party_fields(parties: list[Party]) -> dict[str, list[str]]:
    """The applicants' keyword and facet fields, in one pass over the applicants."""
    dist, ctry, city, prov, home, types = set(), set(), set(), set(), set(), set()
    keys: dict[str, None] = {}  # in order, once each
    for p in parties:
        if p.district:
            dist.add(p.district)
            if district := _home_district(p):
                home.add(district)
        if p.country:
            ctry.add(p.country)
        if p.city:
            city.add(p.city)
        if p.province:
            prov.add(p.province)
        if p.type:
            types.add(p.type.value)
        keys[p.key or p.normalized_name or p.name] = None
    return {
        "dist": sorted(dist),
        "ctry": sorted(ctry),
        "city": sorted(city),
        "prov": sorted(prov),
        "facet_district": sorted(home),
        "pak": sorted(keys),
        "type": sorted(types),
        "facet_applicant": list(keys),
    }


def index_document(record: Patent | Trademark | Copyright) -> dict[str, object]:
    """The flat document both stores index; lists of strings are multi-valued."""
    parties = record.applicants
    doc: dict[str, object] = {
        "id": record.id,
        "record_type": record.record_type,
        # a normalised name is mostly the name itself: indexed once, a phrase cannot run from
        # one copy into the next, and the name's words are not counted twice
        "pa": tuple(
            dict.fromkeys([*(p.name for p in parties), *(p.normalized_name or "" for p in parties)])
        ),
        "ag": (record.agency.name,) if record.agency else (),
        "ind": list(record.industries),
        "flag": _flags(record),
        **_party_fields(parties),
        # internal, no field code: the matcher restricts a subscription to one ingest batch
        "batch": [record.batch_id] if record.batch_id else [],
    }
    if isinstance(record, Patent):
        ipcs = [
            t
            for code in record.ipc or ([record.ipc_main] if record.ipc_main else [])
            for t in ipc_terms(code)
        ]
        doc |= {
            "ti": (record.title.text, *(t.text for t in record.titles)),
            "ab": (
                record.abstract.text if record.abstract else "",
                *(a.text for a in record.abstracts),
            ),
            "cl": tuple(record.claims),
            "in": tuple(p.name for p in record.inventors),
            "pn": _number_terms(record.publication_number, record.id),
            "ap": _number_terms(record.application_number),
            # the related applications' and publications' numbers (a divisional's parent, a
            # grant's earlier publication): a number search finds the documents that name it
            "rel": _number_terms(
                *(r.number for r in record.related), *(r.patent for r in record.related)
            ),
            "ipc": sorted(set(ipcs)),
            "cpc": sorted({t for code in record.cpc for t in ipc_terms(code)}),
            "kind": [record.kind.value],
            "fam": [record.family_id] if record.family_id else [],
            "status": [record.legal_status.value],
            "pd": record.publication_date,
            "ad": record.application_date,
            "gd": record.grant_date,
            "sort_date": record.publication_date or record.application_date,
            "facet_ipc_section": sorted({t for t in ipcs if len(t) == 1}),
            "facet_ipc_class": sorted({t for t in ipcs if len(t) == 3}),
            "facet_ipc_subclass": sorted({t for t in ipcs if len(t) == 4}),
            "facet_ipc_group": sorted({t for t in ipcs if len(t) > 4 and "/" not in t}),
            "facet_keyword": list(dict.fromkeys(record.keywords)),
        }
    elif isinstance(record, Trademark):
        doc |= {
            "tm": (record.mark_text, record.mark_pinyin),
            "gs": tuple(record.goods_services),
            "pn": _number_terms(record.registration_number, record.application_number, record.id),
            "ap": _number_terms(record.application_number),
            "nc": [str(c) for c in record.nice_classes],
            "status": [record.status.value],
            "pd": record.preliminary_publication_date,
            "ad": record.application_date,
            "rd": record.registration_date,
            "sort_date": record.application_date,
        }
    else:  # copyright registrations
        doc |= {
            "ti": (record.title, record.short_name),
            "pn": _number_terms(record.registration_number, record.id),
            "kind": [record.copyright_type.value],
            "ad": record.application_date or record.registration_date,
            "rd": record.registration_date,
            "sort_date": record.registration_date,
        }
    ad = doc.get("ad")
    doc["facet_year"] = [str(ad.year)] if isinstance(ad, dt.date) else []
    granted = record.grant_date if isinstance(record, Patent) else record.registration_date
    doc["facet_grant_year"] = [str(granted.year)] if granted else []
    doc["facet_right"] = _rights(record)
    for stem, words, chars in _TEXT_FIELDS:
        # the texts of a field (titles in two languages, names) are segmented one by one
        texts: tuple[str | None, ...] = doc.pop(stem, ())  # type: ignore[assignment]
        doc[words], doc[chars] = index_texts_of([t for t in texts if t])
    return doc
