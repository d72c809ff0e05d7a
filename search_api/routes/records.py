"""``GET /api/v1/records/{id}``: one record, every field."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path
from pydantic import BaseModel, Field

from iphub.records import Patent, Trademark
from search_api.deps import StoreDep

router = APIRouter(prefix="/records", tags=["records"])


class RecordOut(BaseModel):
    record: Patent | Trademark = Field(discriminator="record_type")


@router.get("/{record_id}", operation_id="get_record")
def get_record(
    store: StoreDep, record_id: Annotated[str, Path(min_length=1, max_length=64)]
) -> RecordOut:
    """著录项目 / One record by id (e.g. CN114123456A, CN-TM-12345678)."""
    record = store.get(record_id.strip().upper())
    if record is None:
        raise HTTPException(404, f"未找到记录 / no record {record_id!r}")
    return RecordOut(record=record)
