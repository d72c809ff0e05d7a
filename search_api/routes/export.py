"""``GET /api/v1/export``: the records a query finds, streamed as CSV or JSON Lines.

Bounded (at most :data:`MAX_EXPORT` records) and streamed from ``Store.scan``, so an export never
holds the result set in memory. The query is parsed and compiled before the first byte is sent:
a malformed query is the same 400 problem as in search. CSV is UTF-8 with a byte-order mark so
spreadsheet programs read the Chinese text; list fields are joined with ``; ``.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from iphub.records import AnyRecord, Copyright, Party, Patent, Trademark
from iphub.search import query_as_searched
from iphub.store.fields import RecordKind
from search_api import spreadsheet
from search_api.deps import StoreDep

router = APIRouter(tags=["export"])

MAX_EXPORT = 10_000
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}

Row = Callable[[AnyRecord], list[str]]


def _names(parties: list[Party]) -> str:
    return "; ".join(p.normalized_name or p.name for p in parties)


def _districts(parties: list[Party]) -> str:
    return "; ".join(dict.fromkeys(p.district for p in parties if p.district))


def _date(value: object) -> str:
    return "" if value is None else str(value)


def _patent_row(r: AnyRecord) -> list[str]:
    assert isinstance(r, Patent)  # noqa: S101 - scan(kind="patent") yields patents only
    return [
        r.id,
        r.publication_number,
        _date(r.publication_date),
        r.application_number,
        _date(r.application_date),
        r.kind.value,
        r.title.text,
        _names(r.applicants),
        _districts(r.applicants),
        _names(r.inventors),
        r.ipc_main or "",
        "; ".join(r.ipc),
        r.legal_status.value,
        "; ".join(r.industries),
        r.abstract.text if r.abstract else "",
    ]


def _trademark_row(r: AnyRecord) -> list[str]:
    assert isinstance(r, Trademark)  # noqa: S101 - scan(kind="trademark") yields trademarks only
    return [
        r.id,
        r.application_number,
        r.registration_number or "",
        r.mark_text or "",
        "; ".join(str(c) for c in r.nice_classes),
        r.status.value,
        _date(r.application_date),
        _date(r.registration_date),
        _date(r.expiry_date),
        _names(r.applicants),
        _districts(r.applicants),
        "; ".join(r.industries),
        "; ".join(r.goods_services),
    ]


def _copyright_row(r: AnyRecord) -> list[str]:
    assert isinstance(r, Copyright)  # noqa: S101 - scan(kind="copyright") yields these only
    return [
        r.id,
        r.registration_number,
        r.copyright_type.value,
        r.title,
        r.short_name or "",
        r.version or "",
        r.category or "",
        _names(r.applicants),
        _districts(r.applicants),
        _date(r.completion_date),
        _date(r.first_publication_date),
        _date(r.registration_date),
    ]


COLUMNS: dict[RecordKind, tuple[list[str], Row]] = {
    "patent": (
        [
            "id",
            "publication_number",
            "publication_date",
            "application_number",
            "application_date",
            "kind",
            "title",
            "applicants",
            "districts",
            "inventors",
            "ipc_main",
            "ipc",
            "legal_status",
            "industries",
            "abstract",
        ],
        _patent_row,
    ),
    "trademark": (
        [
            "id",
            "application_number",
            "registration_number",
            "mark_text",
            "nice_classes",
            "status",
            "application_date",
            "registration_date",
            "expiry_date",
            "applicants",
            "districts",
            "industries",
            "goods_services",
        ],
        _trademark_row,
    ),
    "copyright": (
        [
            "id",
            "registration_number",
            "type",
            "title",
            "short_name",
            "version",
            "category",
            "owners",
            "districts",
            "completion_date",
            "first_publication_date",
            "registration_date",
        ],
        _copyright_row,
    ),
}


def csv_lines(kind: RecordKind, records: Iterator[Patent | Trademark | Copyright]) -> Iterator[str]:
    """A header line (after a BOM), then one CSV line per record."""
    header, row = COLUMNS[kind]
    buffer = io.StringIO()
    writer = spreadsheet.writer(buffer, lineterminator="\r\n")

    def line(values: list[str]) -> str:
        writer.writerow(values)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield "\ufeff" + line(header)
    for record in records:
        yield line(row(record))


def jsonl_lines(records: Iterator[Patent | Trademark | Copyright]) -> Iterator[str]:
    for record in records:
        yield record.model_dump_json(exclude_none=True) + "\n"


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "CSV (UTF-8 with BOM) or JSON Lines, one record per line",
            "content": {MEDIA_TYPES["csv"]: {}, MEDIA_TYPES["jsonl"]: {}},
        }
    },
)
def export(
    store: StoreDep,
    kind: Annotated[RecordKind, Query(description="patent, trademark or copyright")],
    q: Annotated[str, Query(max_length=10_000, description="检索式 / query")] = "",
    fmt: Annotated[Literal["csv", "jsonl"], Query(alias="format")] = "csv",
    limit: Annotated[int, Query(ge=1, le=MAX_EXPORT)] = 1000,
) -> StreamingResponse:
    """导出 / Export up to ``limit`` records the query finds, ordered by id: those a search of
    the same query finds (a bare number as a number; Chinese words that find nothing as exact
    strings)."""
    plan = query_as_searched(store, kind, q).plan
    records = islice(store.scan(kind, plan), limit)
    lines = csv_lines(kind, records) if fmt == "csv" else jsonl_lines(records)
    name = f"iphub-{kind}s.{fmt}"
    return StreamingResponse(
        lines,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
