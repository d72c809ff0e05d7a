"""An export's row that names its grant (授权公告号) beside its own publication, loaded into a
store: one record a row, found by either number, and counted once in each count of the
statistics (applications, grants, valid patents), for the store counts records. The fixture
``cnki-grants.csv`` is a CNKI-style export: an invention granted since its publication, one
still pending, and a utility model (published once, granted)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.load import Options, ingest
from iphub.records import LegalStatus, Patent
from iphub.search import search
from iphub.store.aggregate import AggregateRequest
from iphub.store.embedded import EmbeddedStore
from iphub.store.plan import All
from tests.ingest.conftest import FIXTURES

EXPORT = FIXTURES / "cnki-grants.csv"
CNKI = "专利类型,申请号,申请日,公开号,公开日,授权公告号,授权公告日,名称,申请（专利权）人,法律状态"
GRANTED = (
    "发明授权,CN202110234567.5,2021-03-02,CN114000123A,2021-06-08,CN114000123B,2022-09-13,"
    "一种锂电池散热装置,广州云山科技有限公司,有效"
)


def load(store: EmbeddedStore, tmp_path: Path, *paths: Path, workers: int = 1) -> list[int]:
    """Load ``paths`` (each a run of its own), and the read, loaded and quarantined counts of
    them all."""
    totals = [0, 0, 0]
    for path in paths:
        options = Options(quarantine_dir=tmp_path / "quarantine", workers=workers)
        summary = ingest(store, [path], options)
        for i, what in enumerate(("read", "loaded", "quarantined")):
            totals[i] += summary.total(what)
    store.refresh()
    return totals


def export(tmp_path: Path, name: str, header: str, *rows: str) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def rights(store: EmbeddedStore) -> tuple[int, dict[str | None, int]]:
    """The patents counted (applications), and how many are granted and valid: the
    statistics' counts."""
    by_right = store.aggregate(AggregateRequest("patent", All(), ("right",)))
    return by_right.total, {g.key: g.count for g in by_right.groups}


def found(store: EmbeddedStore, query: str) -> list[str]:
    return sorted(h.id for h in search(store, "patent", query).hits)


def test_a_granted_row_is_one_application_one_grant_one_valid_patent(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """The row of an invention granted and in force (A, 授权公告号 B, 授权公告日, 有效) was
    two records, the application's publication and the grant's: the invention counted as two
    applications."""
    path = export(tmp_path, "granted.csv", CNKI, GRANTED)
    assert load(store, tmp_path, path) == [1, 1, 0]
    assert rights(store) == (1, {"granted": 1, "valid": 1})
    # the grant's number typed bare finds the application's record, which names it
    assert found(store, "CN114000123B") == ["CN114000123A"]
    assert found(store, "CN114000123A") == ["CN114000123A"]


@pytest.mark.parametrize("workers", [1, 2])
def test_an_export_gives_a_record_a_row_each_counted_once(
    store: EmbeddedStore, tmp_path: Path, workers: int
) -> None:
    assert load(store, tmp_path, EXPORT, workers=workers) == [3, 3, 0]
    assert found(store, "pn=CN114000123A") == ["CN114000123A"]
    assert found(store, "pn=CN114000123B") == []  # no record of the grant's own
    assert found(store, "CN114000123B") == ["CN114000123A"]
    # granted and valid: the invention and the utility model, once each; CN114123456A pending
    assert rights(store) == (3, {"granted": 2, "valid": 2, None: 1})
    by_grant_year = store.aggregate(AggregateRequest("patent", All(), ("grant_year",)))
    assert {g.key: g.count for g in by_grant_year.groups} == {"2022": 2, None: 1}


def test_a_row_typed_granted_with_a_grant_date_and_no_grant_number_is_granted(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """发明授权 and 授权公告日 without a 授权公告号 column: counted valid but not granted."""
    header = "专利类型,申请号,申请日,公开号,公开日,授权公告日,名称,申请（专利权）人,法律状态"
    row = (
        "发明授权,CN202110234567.5,2021-03-02,CN114000123A,2021-06-08,2022-09-13,"
        "一种锂电池散热装置,广州云山科技有限公司,有效"
    )
    assert load(store, tmp_path, export(tmp_path, "typed.csv", header, row)) == [1, 1, 0]
    assert rights(store) == (1, {"granted": 1, "valid": 1})


def test_a_pending_application_granted_by_a_later_export_is_granted_and_valid(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """January's export: pending; December's: granted, in force. The record kept "pending" (the
    application's publication was given no status, and a reload never empties a value)."""
    pending = (
        "发明公开,CN202110234567.5,2021-03-02,CN114000123A,2021-06-08,,,"
        "一种锂电池散热装置,广州云山科技有限公司,实质审查"
    )
    january = export(tmp_path, "january.csv", CNKI, pending)
    december = export(tmp_path, "december.csv", CNKI, GRANTED)
    assert load(store, tmp_path, january) == [1, 1, 0]
    assert rights(store) == (1, {None: 1})
    assert load(store, tmp_path, december) == [1, 1, 0]
    assert rights(store) == (1, {"granted": 1, "valid": 1})
    record = store.get("CN114000123A")
    assert isinstance(record, Patent)
    assert record.legal_status is LegalStatus.VALID
    assert record.grant_date is not None
