from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from iphub.config import Settings
from iphub.store.base import Store, write_batch
from iphub.store.embedded import EmbeddedStore
from search_api.alerts.db import AlertsDB, open_db
from search_api.alerts.keys import create_owner
from search_api.main import create_app
from tests.utils.stores import STORES, fresh_store

PG_VAR = "IPHUB_TEST_PG_URL"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _pg_db(url: str) -> AlertsDB:
    db = open_db(url, upgrade=False)
    with db.engine.begin() as conn:  # a clean schema per test
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    db.close()
    return open_db(url)


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[AlertsDB]:
    """The alerts database on SQLite, and on PostgreSQL when IPHUB_TEST_PG_URL names one."""
    if request.param == "postgresql":
        url = os.environ.get(PG_VAR)
        if not url:
            pytest.skip(f"{PG_VAR} not set (make test starts tools/postgres.sh)")
        database = _pg_db(url)
    else:
        database = open_db(f"sqlite:///{tmp_path / 'alerts.db'}")
    yield database
    database.close()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[AlertsDB]:
    database = open_db(f"sqlite:///{tmp_path / 'alerts.db'}")
    yield database
    database.close()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    st = EmbeddedStore(tmp_path_factory.mktemp("alerts-store") / "iphub.db")
    yield st
    st.close()


def make_client(store: EmbeddedStore, db: AlertsDB, **settings: object) -> TestClient:
    options: dict[str, object] = {"store": f"sqlite:///{store.path}", "rate_limit": 0}
    options.update(settings)
    app = create_app(Settings(**options), store=store, alerts=db)  # type: ignore[arg-type]
    return TestClient(app)


def subscribe(client: TestClient, key: str, **body: object) -> dict[str, Any]:
    """A subscription made through the API with an owner's key, as its 201 answers it."""
    response = client.post(
        "/api/v1/subscriptions", json=body, headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


def marks_sharing(character: str, n: int) -> list[str]:
    """``n`` distinct marks that share ``character`` and are like nothing else (青山零零零 …
    青山五九九 for 山): a crowd for a watch's candidates to rank through."""
    digits = "零一二三四五六七八九"
    return [f"青{character}" + "".join(digits[int(d)] for d in f"{i:03d}") for i in range(n)]


def owner_key(db: AlertsDB, name: str, email: str | None = None) -> str:
    with db.session() as session:
        return create_owner(session, name, email)[1]


@pytest.fixture(params=STORES)
def any_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("alerts-any")
    with fresh_store(request.param, folder, "iphub-test-alerts") as store:
        yield store


def ingest_batch(store: Store, records: list[object]) -> str:
    return write_batch(store, records, "test")  # type: ignore[arg-type]
