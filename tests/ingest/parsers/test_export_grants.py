"""An export's row that names its grant (授权公告号) beside its own publication, loaded into a
store: found by either number, and counted once in each count of the statistics. The fixture
``cnki-grants.csv`` is a CNKI-style export: an invention granted since its publication, one
still pending, and a utility model (published once, granted)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.load import Options, ingest
from iphub.search import search
from iphub.store.aggregate import AggregateRequest
from iphub.store.embedded import EmbeddedStore
from iphub.store.plan import All
from tests.ingest.conftest import FIXTURES

EXPORT = FIXTURES / "cnki-grants.csv"


@pytest.mark.parametrize("workers", [1, 2])
def test_the_grant_a_row_names_is_found_by_its_number_and_counted_once(
    store: EmbeddedStore, tmp_path: Path, workers: int
) -> None:
    options = Options(quarantine_dir=tmp_path / "quarantine", workers=workers)
    summary = ingest(store, [EXPORT], options)
    assert (summary.total("read"), summary.total("loaded"), summary.total("quarantined")) == (
        4, 4, 0,
    )  # fmt: skip
    store.refresh()

    def found(query: str) -> list[str]:
        return sorted(h.id for h in search(store, "patent", query).hits)

    assert found("pn=CN114000123B") == ["CN114000123B"]
    assert found("pn=CN114000123A") == ["CN114000123A"]
    # a number typed bare finds the documents that name it too: the grant, its application's
    assert found("CN114000123A") == ["CN114000123A", "CN114000123B"]
    by_right = store.aggregate(AggregateRequest("patent", All(), ("right",)))
    assert by_right.total == 4
    # granted: the invention's grant and the utility model; valid: the same two, once each
    # (the application's publication CN114000123A is neither, nor is CN114123456A)
    assert {g.key: g.count for g in by_right.groups} == {"granted": 2, "valid": 2, None: 2}
    by_grant_year = store.aggregate(AggregateRequest("patent", All(), ("grant_year",)))
    assert {g.key: g.count for g in by_grant_year.groups} == {"2022": 2, None: 2}
