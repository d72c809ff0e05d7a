"""``GET /api/v1/records/{id}``: one record, every field; ``…/{id}/similar``: records like it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query
from pydantic import BaseModel, Field

from iphub.records import Copyright, Patent, Trademark
from iphub.search import HitOut
from iphub.store.similar import MAX_SIZE
from search_api.deps import ReaderDep

router = APIRouter(prefix="/records", tags=["records"])


class RecordOut(BaseModel):
    record: Patent | Trademark | Copyright = Field(discriminator="record_type")


class SimilarOut(BaseModel):
    id: str
    hits: list[HitOut] = Field(description="records of the same kind, most similar first")


RecordId = Annotated[str, Path(min_length=1, max_length=64)]


@router.get("/{record_id}", operation_id="get_record")
async def get_record(reader: ReaderDep, record_id: RecordId) -> RecordOut:
    """著录项目 / One record by id (e.g. CN114123456A, CN-TM-12345678, CN-SC-2016SR309930)."""
    record = await reader.get(record_id.strip().upper())
    if record is None:
        raise HTTPException(404, f"未找到记录 {record_id!r} / no record {record_id!r}")
    return RecordOut(record=record)


@router.get("/{record_id}/similar", operation_id="similar_records")
async def similar_records(
    reader: ReaderDep,
    record_id: RecordId,
    size: Annotated[int, Query(ge=1, le=MAX_SIZE)] = 10,
) -> SimilarOut:
    """相似记录 / Records most like this one (more like this on title, abstract and claims, or
    mark and goods), of the same kind, without the record itself."""
    rid = record_id.strip().upper()
    found = await reader.similar(rid, size)
    # no similar records: the record may not exist (404) or have nothing like it (empty list);
    # only then is it looked up, so the common case costs the store one read of the record
    if not found and await reader.get(rid) is None:
        raise HTTPException(404, f"未找到记录 {record_id!r} / no record {record_id!r}")
    return SimilarOut(id=rid, hits=[HitOut(id=h.id, score=h.score, record=h.record) for h in found])
