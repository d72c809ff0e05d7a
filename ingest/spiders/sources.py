"""The crawl source registry: every site iphub may crawl, its spider, rate and terms-of-use stance.

A source is crawled only when its stance allows it: ``allowed`` sources are crawled as they are,
``licensed`` ones only when the operator states that they hold a licence (``--licensed`` /
``-a licensed=yes``), and ``forbidden`` ones never; their data comes through the bulk loaders
(``iphub ingest``). The stance records what the site's own terms say; change it only with a
reference to those terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Terms(StrEnum):
    ALLOWED = "allowed"
    LICENSED = "licensed"  # licensed access only
    FORBIDDEN = "forbidden"


@dataclass(frozen=True)
class Source:
    name: str
    base_url: str
    spider: str
    rate: float  # requests per second at most (the floor of AutoThrottle's delay is 1 / rate)
    terms: Terms
    concurrency: int = 1  # simultaneous requests to the domain
    #: listing paths under ``base_url`` a crawl starts from, as ``kind:path``
    listings: tuple[str, ...] = ()
    note: str = ""


SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source(
            "mirror",
            "http://127.0.0.1:8088",
            "gazette",
            rate=5.0,
            terms=Terms.ALLOWED,
            concurrency=2,
            listings=("patent:/gazette/patent/", "trademark:/gazette/trademark/"),
            note="a gazette mirror run by the operator (and the test fixture site); "
            "point it elsewhere with -a base_url=",
        ),
        Source(
            "mirror-pages",
            "http://127.0.0.1:8088",
            "patent_pages",
            rate=5.0,
            terms=Terms.ALLOWED,
            concurrency=2,
            listings=("patent:/patents/",),
            note="patent record pages on a mirror run by the operator",
        ),
        Source(
            "cnipa-gazette",
            "http://epub.cnipa.gov.cn",
            "gazette",
            rate=0.2,
            terms=Terms.LICENSED,
            note="中国专利公布公告; bulk data is licensed through CNIPA's data resource service",
        ),
        Source(
            "ctmo-gazette",
            "https://sbj.cnipa.gov.cn",
            "gazette",
            rate=0.2,
            terms=Terms.LICENSED,
            note="商标公告 (preliminary approvals); bulk data is licensed through CNIPA",
        ),
        Source(
            "espacenet",
            "https://worldwide.espacenet.com",
            "patent_pages",
            rate=0.1,
            terms=Terms.FORBIDDEN,
            note="EPO fair-use rules forbid automated Espacenet queries; use OPS or DOCDB bulk",
        ),
        Source(
            "google-patents",
            "https://patents.google.com",
            "patent_pages",
            rate=0.1,
            terms=Terms.FORBIDDEN,
            note="Google's terms forbid automated queries; the bulk data is a public dataset",
        ),
    )
}


class SourceRefused(PermissionError):
    """The source's terms of use do not allow this crawl."""


def check(name: str, spider: str, *, licensed: bool = False) -> Source:
    """The registered source ``name`` for ``spider``, or :class:`SourceRefused` / KeyError."""
    source = SOURCES.get(name)
    if source is None:
        raise KeyError(f"未登记的数据源 / unknown source {name!r}; known: {', '.join(SOURCES)}")
    if source.spider != spider:
        raise SourceRefused(
            f"source {name!r} is crawled by spider {source.spider!r}, not {spider!r}"
        )
    if source.terms is Terms.FORBIDDEN:
        raise SourceRefused(
            f"数据源 {name} 禁止自动抓取 / the terms of {name} forbid automated access"
            f" ({source.note}). Load its bulk data with `iphub ingest FILES` instead."
        )
    if source.terms is Terms.LICENSED and not licensed:
        raise SourceRefused(
            f"数据源 {name} 仅限授权访问 / {name} allows licensed access only ({source.note})."
            " Crawl it with --licensed (-a licensed=yes) only if you hold that licence;"
            " otherwise load its bulk data with `iphub ingest FILES`."
        )
    return source
