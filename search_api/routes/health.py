"""``GET /api/v1/health`` and ``GET /api/v1/sources`` (data freshness)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter
from pydantic import BaseModel

from search_api.deps import StoreDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    patents: int
    trademarks: int
    copyrights: int


class SourceOut(BaseModel):
    source: str
    kind: str
    records: int
    latest_date: dt.date | None


@router.get("/health")
def health(store: StoreDep) -> Health:
    """服务状态 / Service health and record counts."""
    return Health(
        status="ok",
        patents=store.count("patent"),
        trademarks=store.count("trademark"),
        copyrights=store.count("copyright"),
    )


@router.get("/sources")
def sources(store: StoreDep) -> list[SourceOut]:
    """数据来源与更新日期 / Records per source and the latest date loaded."""
    return [
        SourceOut(source=s.source, kind=s.kind, records=s.records, latest_date=s.latest_date)
        for s in store.sources()
    ]
