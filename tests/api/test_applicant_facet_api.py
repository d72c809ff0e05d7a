"""An applicant facet's bucket, followed: its query finds what it counted, whatever the brackets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from iphub.records import Party
from iphub.store.embedded import EmbeddedStore
from nlp.enrich import enrich
from search_api.main import create_app
from tests.api.conftest import settings_for
from tests.utils.factories import make_trademark

HOLDER = "唯品会（中国）有限公司"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = EmbeddedStore(tmp_path_factory.mktemp("applicants") / "iphub.db")
    marks = [
        make_trademark(
            id=f"CN-TM-7000000{i}",
            application_number=f"7000000{i}",
            mark_text=f"唯品{i}",
            application_date=dt.date(2020, 1, i + 1),
            applicants=[Party(name=HOLDER if i < 3 else "广州某某科技有限公司")],
        )
        for i in range(5)
    ]
    store.upsert([enrich(m) for m in marks])
    store.refresh()
    app = create_app(settings_for(store.path, rate_limit=0), store=store)
    with TestClient(app) as c:
        yield c
    store.close()


def _total(client: TestClient, query: str) -> int:
    r = client.get("/api/v1/trademarks/search", params={"q": query})
    assert r.status_code == 200, r.text
    return int(r.json()["total"])


def test_each_applicant_bucket_query_finds_its_count(client: TestClient) -> None:
    """The key keeps full-width brackets (``唯品会（中国）``); a query folds them to half-width,
    so the bucket's own ``pak="唯品会（中国）"`` found nothing."""
    r = client.get("/api/v1/trademarks/search", params={"q": "", "facets": "applicant"})
    buckets = {b["key"]: b for b in r.json()["facets"]["applicant"]}
    assert {k: b["count"] for k, b in buckets.items()} == {"唯品会（中国）": 3, "广州某某科技": 2}
    for bucket in buckets.values():
        assert _total(client, bucket["query"]) == bucket["count"], bucket


@pytest.mark.parametrize(
    "query",
    ['pak="唯品会(中国)"', 'pak="唯品会（中国）"', f'pak="{HOLDER}"', 'pak="唯品会(中国)有限公司"'],
)
def test_an_applicant_is_found_by_its_key_or_its_name_in_either_brackets(
    client: TestClient, query: str
) -> None:
    assert _total(client, query) == 3
