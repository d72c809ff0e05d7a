"""Search as a user asks it: query text → parsed, compiled, run on a store, highlighted.

:func:`prepare` (limits, parse, plan) and :func:`respond` (highlights, response) do no I/O, and
:func:`answered` decides, as a flow of requests and results, whether the words' answer stands or
their exact strings are asked; so :func:`search` (a sync store: the CLI, a saved query) and
:func:`search_async` (an async reader: the API) differ only in the store call and answer
alike. Limits that protect a free public service live here: page size, result window, facet
list and bucket count.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from dataclasses import dataclass, replace
from typing import NamedTuple, TypedDict, Unpack, cast

from pydantic import BaseModel, Field

from iphub import query as q
from iphub.highlight import highlight
from iphub.records import Copyright, Patent, Trademark
from iphub.store.base import MAX_FACET_SIZE, SearchRequest, SearchResult, Sort, Store
from iphub.store.fields import FACET_QUERY_CODES, RecordKind
from iphub.store.plan import Plan, compile_query, positive_terms, understand
from iphub.store.reader import AsyncReader

MAX_PAGE_SIZE = 100
#: ``page × size`` may not reach past this many hits; the export endpoint streams deeper sets.
MAX_RESULT_WINDOW = 10_000


class ResultWindowError(ValueError):
    def __init__(self, page: int, size: int) -> None:
        self.message_zh = (
            f"翻页超出前 {MAX_RESULT_WINDOW} 条结果（page × size = {page * size}），"
            "请缩小检索范围或使用导出接口"
        )
        self.message_en = (
            f"page × size = {page * size} is past the first {MAX_RESULT_WINDOW} results: "
            "narrow the query or use /api/v1/export"
        )
        super().__init__(f"{self.message_zh} / {self.message_en}")


class FacetBucketOut(BaseModel):
    key: str
    count: int
    query: str = Field(description="the filter in the query language, to AND onto q")


class HitOut(BaseModel):
    id: str
    score: float | None
    highlights: dict[str, str] = Field(default_factory=dict)
    record: Patent | Trademark | Copyright = Field(discriminator="record_type")


class SearchResponse(BaseModel):
    kind: RecordKind
    query: str = Field(description="the query as understood, in canonical form")
    as_strings: bool = Field(
        False,
        description="the words found nothing, so the Chinese ones were searched as exact "
        'strings (phrases): `query` shows them quoted ("企查")',
    )
    total: int
    page: int
    size: int
    sort: str
    took_ms: float
    hits: list[HitOut]
    facets: dict[str, list[FacetBucketOut]] = Field(default_factory=dict)


def _facet_query(name: str, key: str) -> str:
    code = FACET_QUERY_CODES[name]
    value = key if key.replace("-", "").replace("/", "").isalnum() else f'"{key}"'
    return f"{code}={value}"


Marked = dict[str, tuple[set[str], set[str]]]  # text field stem → (words, phrases) to mark


def _highlights(record: Patent | Trademark | Copyright, marked: Marked) -> dict[str, str]:
    """Each text shown with the terms searched in it (``marked``: by field stem)."""
    if isinstance(record, Patent):
        out = {"title": highlight(record.title.text, *marked["ti"])}
        abstracts = [a.text for a in ([record.abstract] if record.abstract else [])]
        abstracts += [a.text for a in record.abstracts]
        shown = [highlight(text, *marked["ab"], width=160) for text in abstracts]
        if shown:  # the abstract in the language the query matched (DOCDB: Chinese, English)
            out["abstract"] = next((m for m in shown if "<em>" in m), shown[0])
        return out
    if isinstance(record, Copyright):
        return {"title": highlight(record.title, *marked["ti"])}
    return {"mark": highlight(record.mark_text or "", *marked["tm"])}


class SearchOptions(TypedDict, total=False):
    page: int
    size: int
    sort: Sort
    facets: tuple[str, ...]
    facet_size: int


@dataclass(frozen=True)
class PreparedSearch:
    """A search ready for a store: the request, and what the response needs besides hits."""

    request: SearchRequest
    ast: q.Node
    page: int
    started: float
    as_strings: bool = False

    def strings(self) -> PreparedSearch | None:
        """The same search with its Chinese words as exact strings (``query.as_strings``), to
        run when this one finds nothing; None when it has no such word."""
        if self.as_strings or (ast := q.as_strings(self.ast)) is None:
            return None
        request = replace(self.request, plan=compile_query(ast, self.request.kind))
        return replace(self, request=request, ast=ast, as_strings=True)


def prepare(
    kind: RecordKind,
    text: str,
    *,
    page: int = 1,
    size: int = 20,
    sort: Sort = "relevance",
    facets: tuple[str, ...] = (),
    facet_size: int = 10,
) -> PreparedSearch:
    """Check the limits, parse and compile ``text``: no I/O. Raises ``QuerySyntaxError``,
    ``ResultWindowError``, ``UnknownFacet`` or ``ValueError``."""
    started = time.perf_counter()
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValueError(f"size 应在 1–{MAX_PAGE_SIZE} 之间 / size must be 1-{MAX_PAGE_SIZE}")
    if page < 1:
        raise ValueError("page 从 1 开始 / page starts at 1")
    if page * size > MAX_RESULT_WINDOW:
        raise ResultWindowError(page, size)
    if not 1 <= facet_size <= MAX_FACET_SIZE:
        raise ValueError(f"facet_size 应在 1–{MAX_FACET_SIZE} 之间 / must be 1-{MAX_FACET_SIZE}")
    ast, plan = understand(text, kind)
    request = SearchRequest(
        kind=kind,
        plan=plan,
        offset=(page - 1) * size,
        size=size,
        sort=sort,
        facets=tuple(dict.fromkeys(facets)),
        facet_size=facet_size,
    )
    return PreparedSearch(request, ast, page, started)


def respond(prepared: PreparedSearch, result: SearchResult) -> SearchResponse:
    """The store's result highlighted and shaped for the user: no I/O."""
    request = prepared.request
    marked: Marked = {stem: positive_terms(request.plan, stem) for stem in ("ti", "ab", "tm")}
    return SearchResponse(
        kind=request.kind,
        query=q.to_text(prepared.ast),
        as_strings=prepared.as_strings,
        total=result.total,
        page=prepared.page,
        size=request.size,
        sort=request.sort,
        took_ms=round((time.perf_counter() - prepared.started) * 1000, 2),
        hits=[
            HitOut(
                id=h.id,
                score=h.score,
                record=h.record,
                highlights=_highlights(h.record, marked),
            )
            for h in result.hits
        ],
        facets={
            name: [
                FacetBucketOut(key=b.key, count=b.count, query=_facet_query(name, b.key))
                for b in buckets
            ]
            for name, buckets in result.facets.items()
        },
    )


def search(
    store: Store, kind: RecordKind, text: str, **options: Unpack[SearchOptions]
) -> SearchResponse:
    """Search a sync store (CLI, tests); errors as :func:`prepare`. A search that finds
    nothing by its words is tried again with its Chinese words as exact strings."""
    flow = answered(prepare(kind, text, **options))
    try:
        request = next(flow)
        while True:
            request = flow.send(store.search(request))
    except StopIteration as done:
        return cast(SearchResponse, done.value)


def answered(prepared: PreparedSearch) -> Generator[SearchRequest, SearchResult, SearchResponse]:
    """How a search is answered, as a flow the caller drives with its store (sync or async):
    it yields the requests to run, is sent their results, and returns the response — the
    words' answer, or, when they found nothing and the Chinese words as exact strings find
    something, that answer (the one place the retry is decided)."""
    result = yield prepared.request
    if not result.total and (strings := prepared.strings()) is not None:
        found = yield strings.request
        if found.total:
            return respond(strings, found)
    return respond(prepared, result)


class AsSearched(NamedTuple):
    """The query a search of some text runs: its AST, its compiled plan, and whether its
    Chinese words are there as exact strings (its words found nothing)."""

    ast: q.Node
    plan: Plan
    as_strings: bool


def query_as_searched(store: Store, kind: RecordKind, text: str) -> AsSearched:
    """The query a search of ``text`` runs: fields guessed, and its Chinese words as exact
    strings when its words find nothing (one count). An export, a scan or a statistic of "what
    the search found" runs this, so it holds the records the search showed."""
    prepared = prepare(kind, text, size=1)
    strings = prepared.strings()
    if strings is None or store.search(prepared.request).total:
        return AsSearched(prepared.ast, prepared.request.plan, False)
    return AsSearched(strings.ast, strings.request.plan, True)


async def search_async(
    reader: AsyncReader, kind: RecordKind, text: str, **options: Unpack[SearchOptions]
) -> SearchResponse:
    """Search through an async reader (the API); errors and retry as :func:`search`."""
    flow = answered(prepare(kind, text, **options))
    try:
        request = next(flow)
        while True:
            request = flow.send(await reader.search(request))
    except StopIteration as done:
        return cast(SearchResponse, done.value)
