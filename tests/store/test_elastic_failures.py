"""The Elasticsearch store when things go wrong: no server, a server that cannot answer, and bulk
items the server rejects. Failures must surface as ``StoreUnavailable`` or in the upsert report,
never as a raw client exception or a silent loss — through the sync client and through the
``AsyncElasticsearch`` reads of the API alike."""

from __future__ import annotations

import copy
import json
import socket
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from anyio.from_thread import start_blocking_portal
from elasticsearch import AsyncElasticsearch, Elasticsearch

from ingest.load import Options, ingest
from ingest.quarantine import read
from iphub.query import parse
from iphub.records import Party
from iphub.store import open_store
from iphub.store.base import SearchRequest, StoreUnavailable
from iphub.store.elastic import ElasticStore, mapping
from iphub.store.elastic_async import AsyncElasticReader
from iphub.store.elastic_kinds import IndexNames
from iphub.store.elastic_read import count_flow, run_async, search_flow
from iphub.store.plan import compile_query
from tests.ingest.conftest import FIXTURES
from tests.utils.elastic import es_url, free_port, fresh_index, needs_elasticsearch, web_server
from tests.utils.factories import make_patent


def _request(text: str = "电池") -> SearchRequest:
    return SearchRequest(kind="patent", plan=compile_query(parse(text), "patent"))


@pytest.fixture
def closed_port() -> int:
    return free_port()


def test_index_name_from_url_path() -> None:
    st = open_store("http://127.0.0.1:9/iphub-custom")
    assert isinstance(st, ElasticStore)
    assert (st.index, st.meta_index) == ("iphub-custom", "iphub-custom-meta")
    assert st.indices == [
        "iphub-custom-patents",
        "iphub-custom-trademarks",
        "iphub-custom-copyrights",
    ]
    assert st.url == "http://127.0.0.1:9"
    st.close()


def test_closed_port_is_unavailable(closed_port: int) -> None:
    st = ElasticStore(f"http://127.0.0.1:{closed_port}")  # opening does not need the server
    try:
        with pytest.raises(StoreUnavailable):
            st.search(_request())
        with pytest.raises(StoreUnavailable):
            st.get("CN114000001A")
        with pytest.raises(StoreUnavailable):
            st.upsert([make_patent()])
    finally:
        st.close()


def test_closed_port_is_said_in_one_short_line(closed_port: int) -> None:
    """Not urllib3's six lines (``Connection error caused by: ConnectionError(…
    NewConnectionError(HTTPConnection(host=…``): the server and what the connection met."""
    st = ElasticStore(f"http://elastic:secret@127.0.0.1:{closed_port}")
    try:
        with pytest.raises(StoreUnavailable) as caught:
            st.count()
        assert str(caught.value) == (
            "无法连接 / cannot connect to Elasticsearch at "
            f"http://127.0.0.1:{closed_port}: Connection refused"
        )  # and never the password of the URL
    finally:
        st.close()


@pytest.mark.parametrize(
    ("status", "says"),
    [
        (None, "does not answer as Elasticsearch (HTTP 501, no X-Elastic-Product header)"),
        (200, "does not answer as Elasticsearch (HTTP 200, no X-Elastic-Product header)"),
        (404, "does not answer as Elasticsearch (HTTP 404, no X-Elastic-Product header)"),
        (405, "does not answer as Elasticsearch (HTTP 405, no X-Elastic-Product header)"),
        (401, "refused access (HTTP 401)"),
    ],
    ids=["http.server", "200", "404", "405", "401"],
)
def test_a_web_server_that_is_not_elasticsearch_is_unavailable(
    status: int | None, says: str
) -> None:
    """A ``--store`` pointing at another web server (``python3 -m http.server``, which answers
    the index's creation with 501): the client's ``ApiError`` escaped the store, a traceback
    with exit code 1. Opening the store says in one line that what answers is not
    Elasticsearch, for a read, a load and a rebuild alike."""
    with web_server(status) as url:
        st = ElasticStore(url)
        try:
            for act in (st.count, lambda: st.begin_batch("ingest:auto"), st.reindex):
                with pytest.raises(StoreUnavailable) as caught:
                    act()
                assert str(caught.value).endswith(f"{url} {says}"), caught.value
                assert "\n" not in str(caught.value)
        finally:
            st.close()


def test_silent_server_times_out_as_unavailable() -> None:
    with socket.socket() as server:  # accepts connections (backlog) but never answers
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        st = ElasticStore(f"http://127.0.0.1:{server.getsockname()[1]}", request_timeout=0.3)
        try:
            with pytest.raises(StoreUnavailable):
                st.count()
        finally:
            st.close()


def _in_loop(fn: Callable[[], Awaitable[None]]) -> None:
    """Run ``fn`` on an event loop in its own thread (the main thread's may be taken)."""
    with start_blocking_portal() as portal:
        portal.call(fn)


async def _async_reads(url: str, timeout: float = 30.0) -> None:
    """A count and a search through ``AsyncElasticsearch``; each must raise StoreUnavailable."""
    client = AsyncElasticsearch(url, request_timeout=timeout, max_retries=2)
    try:
        with pytest.raises(StoreUnavailable):
            await run_async(client, count_flow(IndexNames("iphub"), None))
        with pytest.raises(StoreUnavailable):
            await run_async(client, search_flow(IndexNames("iphub"), _request("lithi* OR 电池")))
    finally:
        await client.close()


def test_closed_port_is_unavailable_to_the_async_client(closed_port: int) -> None:
    _in_loop(lambda: _async_reads(f"http://127.0.0.1:{closed_port}"))


def test_silent_server_times_out_as_unavailable_to_the_async_client() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        url = f"http://127.0.0.1:{server.getsockname()[1]}"
        _in_loop(lambda: _async_reads(url, timeout=0.3))


@pytest.fixture
def es() -> Iterator[Elasticsearch]:
    client = Elasticsearch(es_url())
    yield client
    client.indices.delete(index="iphub-fail-*", ignore_unavailable=True, allow_no_indices=True)
    client.close()


def _create(es: Elasticsearch, base: str, body: dict[str, Any]) -> None:
    """The patents index a store named ``base`` finds: a versioned index behind its alias (the
    store creates the other kinds' indices)."""
    alias = f"{base}-patents"
    es.indices.create(
        index=f"{alias}-v{body['mappings']['_meta']['version']}",
        settings=body["settings"],
        mappings=body["mappings"],
        aliases={alias: {}},
        wait_for_active_shards="0",
    )


@needs_elasticsearch
@pytest.mark.elastic
def test_rejected_bulk_items_are_reported(es: Elasticsearch) -> None:
    # An index whose mapping conflicts with one record: `pak` as a number.
    index = fresh_index("iphub-fail")
    body = copy.deepcopy(mapping("patents"))
    body["mappings"]["properties"]["pak"] = {"type": "long"}
    _create(es, index, body)
    good = make_patent(id="CN100000001A", applicants=[Party(name="甲公司", key="123")])
    bad = make_patent(id="CN100000002A")  # applicant key 广州测试有限公司 is not a number
    st = ElasticStore(es_url(), index=index)
    try:
        report = st.upsert(iter([good, bad]))
        assert report.written == 1
        assert [rid for rid, _ in report.failed] == ["CN100000002A"]
        assert "pak" in report.failed[0][1]
        st.refresh()
        assert st.count() == 1
        assert st.get("CN100000001A") == good
    finally:
        st.close()


@needs_elasticsearch
@pytest.mark.elastic
def test_a_write_block_stops_the_load_and_loses_nothing(es: Elasticsearch, tmp_path: Path) -> None:
    """At the disk's flood stage Elasticsearch blocks writes: every bulk item comes back 403.
    That is the cluster's state, not the records' fault: the load stops at its last checkpoint
    with nothing quarantined, and runs to the end once the block is lifted."""
    index = fresh_index("iphub-fail")
    st = ElasticStore(es_url(), index=index)
    data = FIXTURES / "uspto-weekly.xml"  # two good patents and one malformed document
    options = Options(quarantine_dir=tmp_path / "q")
    try:
        st.ensure_indices()
        es.indices.put_settings(index=f"{index}-patents", settings={"index.blocks.write": True})
        with pytest.raises(StoreUnavailable, match="status 403"):
            st.upsert(iter([make_patent(id="CN100000001A")]))
        with pytest.raises(StoreUnavailable, match="did not write 2 records"):
            ingest(st, [data], options)
        saved = json.loads(st.get_checkpoint(f"ingest:{data.resolve()}") or "null")
        assert saved is None or not saved["done"]
        es.indices.put_settings(index=f"{index}-patents", settings={"index.blocks.write": None})
        summary = ingest(st, [data], options)
        assert (summary.total("loaded"), summary.total("quarantined")) == (2, 1)  # the bad one
        assert [e["position"] for e in read(summary.quarantine_file)] == [
            "document 2 at byte 2859, line 22"
        ]
        assert st.get("US9000001B2") is not None
    finally:
        st.close()


def _store_without_shards(es: Elasticsearch) -> ElasticStore:
    """A store whose index's primary shard can never be allocated: every search is a real 503."""
    index = fresh_index("iphub-fail")
    body = copy.deepcopy(mapping("patents"))
    body["settings"] = {
        "index": {
            "number_of_shards": 1,
            "number_of_replicas": 0,
            "routing.allocation.require._name": "no-such-node",
        }
    }
    _create(es, index, body)
    return ElasticStore(es_url(), index=index)


@needs_elasticsearch
@pytest.mark.elastic
def test_index_without_shards_is_unavailable(es: Elasticsearch) -> None:
    st = _store_without_shards(es)
    try:
        with pytest.raises(StoreUnavailable):
            st.search(_request())
    finally:
        st.close()


@needs_elasticsearch
@pytest.mark.elastic
def test_index_without_shards_is_unavailable_to_the_async_reader(es: Elasticsearch) -> None:
    st = _store_without_shards(es)

    async def search() -> None:
        reader = AsyncElasticReader(st)
        try:
            with pytest.raises(StoreUnavailable, match="503"):
                await reader.search(_request())
        finally:
            await reader.aclose()

    try:
        _in_loop(search)
    finally:
        st.close()


@needs_elasticsearch
@pytest.mark.elastic
def test_an_index_elasticsearch_refuses_to_make_is_unavailable_not_a_client_error() -> None:
    """Any refusal while the store opens is said in one line (a store URL's name is checked
    before: ``check_store_url``; a name given in code is not)."""
    st = ElasticStore(es_url(), index="Iphub-Upper")
    try:
        with pytest.raises(StoreUnavailable) as caught:
            st.count()
        assert str(caught.value) == (
            f"Elasticsearch 拒绝打开存储 / Elasticsearch at {es_url()} refused to open the "
            "store: HTTP 400 invalid_index_name_exception: Invalid index name "
            "[Iphub-Upper-patents-v10], must be lowercase"
        )
    finally:
        st.close()


@needs_elasticsearch
@pytest.mark.elastic
def test_older_mapping_version_is_refused(es: Elasticsearch) -> None:
    index = fresh_index("iphub-fail")
    body = copy.deepcopy(mapping("patents"))
    body["mappings"]["_meta"]["version"] = 0
    _create(es, index, body)
    st = ElasticStore(es_url(), index=index)
    try:
        with pytest.raises(RuntimeError, match="mapping version 0.*iphub reindex"):
            st.count()
    finally:
        st.close()


@needs_elasticsearch
@pytest.mark.elastic
def test_an_alias_on_two_indices_is_unavailable_in_one_line(es: Elasticsearch) -> None:
    """An alias moved by hand onto a second index without leaving the first: which one to read
    is not guessed; the store says what is wrong and how to mend it (a RuntimeError came out as
    a traceback)."""
    base = fresh_index("iphub-fail")
    body = mapping("patents")
    _create(es, base, body)
    es.indices.create(
        index=f"{base}-patents-old",
        settings=body["settings"],
        mappings=body["mappings"],
        aliases={f"{base}-patents": {}},
        wait_for_active_shards="0",
    )
    st = ElasticStore(es_url(), index=base)
    try:
        with pytest.raises(StoreUnavailable, match="points to 2 indices.*POST _aliases"):
            st.count()
    finally:
        st.close()
