"""``GET /api/v1/patents/search``, ``…/trademarks/search`` and ``…/copyrights/search``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import Field

from iphub.describe import DEFAULT_TERMS, MAX_TERMS, MAX_TEXT, DescribedQuery, query_from_text
from iphub.search import MAX_PAGE_SIZE, MAX_RESULT_WINDOW, SearchResponse, search_async
from iphub.store.base import MAX_FACET_SIZE
from iphub.store.fields import FACETS, RecordKind
from search_api.bodies import RequestBody
from search_api.deps import ReaderDep

router = APIRouter(tags=["search"])

Q = Annotated[
    str,
    Query(
        description="检索式 / query in the iphub query language (see /api/v1/query-language)",
        max_length=10_000,
    ),
]
Page = Annotated[
    int,
    Query(
        ge=1, le=MAX_RESULT_WINDOW, description=f"page × size ≤ {MAX_RESULT_WINDOW}; deeper: export"
    ),
]
Size = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]
SortParam = Annotated[Literal["relevance", "date_desc", "date_asc"], Query()]
FacetSize = Annotated[int, Query(ge=1, le=MAX_FACET_SIZE)]


#: OpenAPI links: a hit's id leads to its record (clients and the stateful API tests follow it).
HIT_LINKS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Successful Response",
        "links": {
            "FirstHitRecord": {
                "operationId": "get_record",
                "parameters": {"record_id": "$response.body#/hits/0/id"},
            }
        },
    }
}


def _facets(kind: RecordKind, text: str) -> tuple[str, ...]:
    if text.strip() == "all":
        return tuple(FACETS[kind])
    return tuple(f.strip() for f in text.split(",") if f.strip())


def _facets_param(kind: RecordKind) -> object:
    names = ", ".join(FACETS[kind])
    return Query(description=f"comma-separated facets, or 'all'; of: {names}", max_length=500)


def _search_route(kind: RecordKind, summary: str) -> Callable[..., Awaitable[SearchResponse]]:
    """The GET handler of one record kind (the facet list in its docs is the kind's own)."""

    async def handler(
        reader: ReaderDep,
        q: Q = "",
        page: Page = 1,
        size: Size = 20,
        sort: SortParam = "relevance",
        facets: str = "",
        facet_size: FacetSize = 10,
    ) -> SearchResponse:
        return await search_async(
            reader,
            kind,
            q,
            page=page,
            size=size,
            sort=sort,
            facets=_facets(kind, facets),
            facet_size=facet_size,
        )

    handler.__doc__ = summary
    # set as an object, not a string: the annotation depends on this call's ``kind``
    handler.__annotations__["facets"] = Annotated[str, _facets_param(kind)]
    return handler


for _kind, _summary in (
    ("patent", "专利检索 / Search patents."),
    ("trademark", "商标检索 / Search trademarks."),
    ("copyright", "著作权登记检索 / Search copyright registrations (software and works)."),
):
    router.add_api_route(
        f"/{_kind}s/search",
        _search_route(_kind, _summary),  # type: ignore[arg-type]
        methods=["GET"],
        responses=HIT_LINKS,
        operation_id=f"search_{_kind}s",
    )


class Description(RequestBody):
    text: str = Field(
        min_length=1,
        max_length=MAX_TEXT,
        description="技术描述 / what the invention does, a draft claim, an abstract …",
    )
    terms: int = Field(default=DEFAULT_TERMS, ge=1, le=MAX_TERMS, description="key terms to use")


@router.post("/patents/query-from-text", operation_id="patent_query_from_text")
def patent_query_from_text(body: Description) -> DescribedQuery:
    """按技术描述检索 / A description's key terms as a patent query (title and abstract, any
    term, best ranked first): run it with ``GET /api/v1/patents/search?q=…``."""
    return query_from_text(body.text, body.terms)
