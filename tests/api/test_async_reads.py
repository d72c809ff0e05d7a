"""On Elasticsearch, the search and record routes read through ``AsyncElasticsearch``; when the
server cannot answer they say 503 with Retry-After."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from iphub.store.base import StoreUnavailable
from iphub.store.elastic import ElasticStore
from iphub.store.elastic_async import AsyncElasticReader
from search_api.main import create_app
from tests.api.conftest import settings_for
from tests.conformance.contract import load
from tests.utils.elastic import es_url, free_port, fresh_index, needs_elasticsearch

PROBLEM = "application/problem+json"
READ_PATHS = (
    "/api/v1/patents/search?q=锂电池",
    "/api/v1/patents/search?q=lithi*&facets=all",
    "/api/v1/trademarks/search?q=",
    "/api/v1/records/CN114000002B",
    "/api/v1/records/CN114000010A/similar",
)


@pytest.fixture(scope="module")
def loaded() -> Iterator[ElasticStore]:
    st = ElasticStore(es_url(), index=fresh_index("iphub-test-api"))
    load(st)
    yield st
    st.drop()
    st.close()


@pytest.fixture(scope="module")
def client(loaded: ElasticStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app on the corpus index, its store's sync client closed once the indices are checked:
    every answer below came through the async reader."""
    store = ElasticStore(es_url(), index=loaded.index)
    store.ensure_indices()
    store.es.close()
    with pytest.raises(StoreUnavailable):
        store.count()
    app = create_app(settings_for(tmp_path_factory.mktemp("api") / "x.db", rate_limit=0), store)
    with TestClient(app) as c:
        assert isinstance(app.state.reader, AsyncElasticReader)
        yield c
    store.close()


@needs_elasticsearch
@pytest.mark.elastic
def test_search(client: TestClient) -> None:
    r = client.get("/api/v1/patents/search", params={"q": "锂电池", "facets": "district"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert {h["id"] for h in body["hits"]} == {"CN114000001A", "CN114000010A", "CN114000017A"}
    assert body["total"] == 3
    assert "<em>锂电池</em>" in body["hits"][0]["highlights"]["title"]
    assert body["facets"]["district"]
    truncated = client.get("/api/v1/patents/search", params={"q": "lithi*"}).json()
    assert [h["id"] for h in truncated["hits"]] == ["US11000011B2"]


@needs_elasticsearch
@pytest.mark.elastic
def test_search_errors_stay_400(client: TestClient) -> None:
    r = client.get("/api/v1/patents/search", params={"q": "ti=(电池"})
    assert r.status_code == 400
    assert r.headers["content-type"] == PROBLEM


@needs_elasticsearch
@pytest.mark.elastic
def test_record_and_similar(client: TestClient) -> None:
    record = client.get("/api/v1/records/cn114000002b").json()["record"]
    assert record["id"] == "CN114000002B"
    assert client.get("/api/v1/records/CN000000000A").status_code == 404
    r = client.get("/api/v1/records/CN114000010A/similar", params={"size": 3})
    assert r.status_code == 200, r.text
    assert {h["id"] for h in r.json()["hits"]} == {"CN114000001A", "CN114000002B", "CN114000017A"}
    assert client.get("/api/v1/records/CN000000000A/similar").status_code == 404


@pytest.mark.parametrize("checked", [False, True], ids=["never-reached", "gone-after-check"])
def test_elasticsearch_down_is_503_with_retry_after(
    checked: bool, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Never reached, the sync store's index check fails first; gone after that check, the
    async client's requests fail. Either way: 503, Retry-After, a problem document."""
    store = ElasticStore(f"http://127.0.0.1:{free_port()}", request_timeout=2)
    store._ready = checked  # as if the indices had been checked before the server went away
    app = create_app(settings_for(tmp_path_factory.mktemp("down") / "x.db", rate_limit=0), store)
    try:
        with TestClient(app) as c:
            assert isinstance(app.state.reader, AsyncElasticReader)
            for path in READ_PATHS:
                r = c.get(path)
                assert r.status_code == 503, (path, r.text)
                assert r.headers["content-type"] == PROBLEM
                assert int(r.headers["Retry-After"]) > 0
                assert r.json()["code"] == "store_unavailable"
                assert ("cannot connect to Elasticsearch at" in r.text) is not checked
    finally:
        store.close()
