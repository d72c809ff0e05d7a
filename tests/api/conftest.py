from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from iphub.config import Settings
from iphub.store.embedded import EmbeddedStore
from search_api.main import create_app
from tests.conformance.contract import load


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(tmp_path_factory.mktemp("api") / "iphub.db")
    load(store)
    yield store
    store.close()


def settings_for(path: Path, **overrides: object) -> Settings:
    return Settings(store=f"sqlite:///{path}", **overrides)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def client(corpus_store: EmbeddedStore) -> Iterator[TestClient]:
    app = create_app(settings_for(corpus_store.path, rate_limit=0), store=corpus_store)
    with TestClient(app) as c:
        yield c
