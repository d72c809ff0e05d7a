"""``GET /api/v1/ipc``: the titles of IPC codes, section down to subgroup (the record page's
"IPC with titles", the facet panel's tooltips)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

from iphub import ipc

router = APIRouter(tags=["classifications"])

MAX_CODES = 50


class IpcLevelOut(BaseModel):
    level: ipc.Level
    code: str
    title: str
    title_zh: str | None = None


class IpcOut(BaseModel):
    code: str = Field(description="the code as asked")
    normalised: str | None = Field(description="as written in publications; null: not IPC")
    levels: list[IpcLevelOut] = Field(description="section first; only levels with a title")


class IpcTitles(BaseModel):
    edition: str
    source: str
    codes: list[IpcOut]


Codes = Annotated[
    str,
    Query(
        min_length=1,
        max_length=2000,
        description=f"逗号分隔的 IPC 分类号，至多 {MAX_CODES} 个 / up to {MAX_CODES} IPC codes, "
        "comma-separated (H01M 10/0525, H01M10/0525 and H01M0010052500 all work)",
        examples=["H01M 10/0525,G06N"],
    ),
]


@router.get("/ipc", operation_id="ipc_titles")
def ipc_titles(codes: Codes) -> IpcTitles:
    """IPC 分类名称 / Titles of IPC codes, from section to subgroup."""
    wanted = list(dict.fromkeys(c.strip() for c in codes.split(",") if c.strip()))
    if not wanted:
        raise HTTPException(400, "请给出至少一个 IPC 分类号 / give at least one IPC code")
    if len(wanted) > MAX_CODES:
        raise HTTPException(
            400, f"一次至多 {MAX_CODES} 个分类号 / at most {MAX_CODES} codes per request"
        )
    return IpcTitles(
        edition=ipc.EDITION,
        source=ipc.SOURCE,
        codes=[
            IpcOut(
                code=code,
                normalised=ipc.normalised(code),
                levels=[
                    IpcLevelOut.model_validate(level, from_attributes=True)
                    for level in ipc.levels(code)
                ],
            )
            for code in wanted
        ],
    )
