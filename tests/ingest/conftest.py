"""Shared fixtures for the ingest tests: sample-data paths, a fresh embedded store, and a fresh
store of each kind for the tests that hold for every store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from iphub.store.base import Store
from iphub.store.embedded import EmbeddedStore
from tests.utils.stores import STORES, fresh_store

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
FIXTURES = ROOT / "tests" / "fixtures" / "ingest"


def shared(*parts: str) -> Path:
    """A path under ../shared/data, skipping the test with the reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"sample data {path} absent (../shared/data beside the repository)")
    return path


@pytest.fixture
def store(tmp_path: Path) -> Iterator[EmbeddedStore]:
    st = EmbeddedStore(tmp_path / "iphub.db")
    yield st
    st.close()


@pytest.fixture(params=STORES)
def each_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A fresh embedded store, then a fresh Elasticsearch store (a new index on the server that
    ``make test`` starts): a bulk load must end the same in both."""
    with fresh_store(request.param, tmp_path, "iphub-test-ingest") as store:
        yield store
