"""``GET /api/v1/trademarks/similar``: marks a proposed mark may conflict with (近似商标查询)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from iphub.clearance import MAX_MARK, MAX_SIZE, SimilarMarksOut, similar_marks_async
from search_api.deps import ReaderDep

router = APIRouter(prefix="/trademarks", tags=["search"])

#: OpenAPI links: a hit's id leads to its record
_LINKS: dict[int | str, dict[str, object]] = {
    200: {
        "description": "Successful Response",
        "links": {
            "FirstSimilarMark": {
                "operationId": "get_record",
                "parameters": {"record_id": "$response.body#/hits/0/id"},
            }
        },
    }
}


@router.get("/similar", operation_id="similar_marks", responses=_LINKS)
async def similar_marks(
    reader: ReaderDep,
    mark: Annotated[
        str,
        Query(
            description=f"拟申请的商标文字 / the proposed mark's words (at most {MAX_MARK})",
            max_length=1000,  # past MAX_MARK: the search's own 400, mark_too_long
        ),
    ],
    nc: Annotated[
        list[int],
        Query(
            description="尼斯分类 / Nice classes, repeated (nc=30&nc=43); their similarity groups "
            "are searched too; none: every class",
            max_length=45,
        ),
    ] = [],  # noqa: B006 - FastAPI copies a list default per request
    live_only: Annotated[
        bool, Query(description="只查有效及在审商标 / leave out invalid (dead) marks")
    ] = False,
    size: Annotated[int, Query(ge=1, le=MAX_SIZE)] = 20,
) -> SimilarMarksOut:
    """近似商标查询 / Marks that look, sound or mean like a proposed one in the same or related
    Nice classes, scored as the trademark watch scores them, with the reasons, best first."""
    return await similar_marks_async(reader, mark, nc, live_only=live_only, size=size)
