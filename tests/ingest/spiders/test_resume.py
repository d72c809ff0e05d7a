"""A crawl stopped mid-way (a real subprocess, SIGTERM or SIGKILL) resumes without fetching
or storing twice; one whose store fails stops, and the next crawl stores what it could not."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from iphub.store.elastic import ElasticStore
from iphub.store.embedded import EmbeddedStore
from tests.utils.crawl import crawl_command, env, run_crawl
from tests.utils.elastic import es_url, fresh_index, needs_elasticsearch
from tests.utils.site import Site, serve_site

#: slow enough to stop in the middle: one request at a time, 0.3 s apart, 2 records per write
SLOW_CRAWL = {
    "DOWNLOAD_DELAY": "0.3",
    "AUTOTHROTTLE_START_DELAY": "0.3",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "1",
    "IPHUB_BATCH_SIZE": "2",
}
RECORDS = 9  # every record page of the fixture gazettes but the malformed one


def _record_fetches(site: Site) -> Counter[str]:
    return Counter(p for p in site.paths(200) if p.startswith(("/patent/", "/trademark/")))


def _stop_midway(site: Site, tmp: Path, sig: signal.Signals) -> None:
    cmd = crawl_command("gazette", site.url, tmp, {}, SLOW_CRAWL)
    proc = subprocess.Popen(cmd, cwd=tmp, env=env(), stdout=subprocess.DEVNULL)  # noqa: S603
    try:
        deadline = time.monotonic() + 60
        while sum(_record_fetches(site).values()) < 5:
            assert proc.poll() is None, "the crawl ended before it could be stopped"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(sig)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _batch(tmp: Path) -> tuple[int, int, bool]:
    """(records in the store, records counted by the crawl batches, whether all finished)."""
    store = EmbeddedStore(tmp / "iphub.db")
    try:
        batches = store.batches()
        finished = all(b.finished is not None for b in batches)
        return store.count(), sum(b.records for b in batches), finished
    finally:
        store.close()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_stopped_crawl_resumes_without_fetching_or_storing_twice(
    tmp_path: Path, sig: signal.Signals
) -> None:
    with serve_site(tmp_path) as site:
        _stop_midway(site, tmp_path, sig)
        stopped = _record_fetches(site)
        store = EmbeddedStore(tmp_path / "iphub.db")
        try:
            state = store.get_checkpoint("crawl:mirror:batch")
        finally:
            store.close()
        assert state, "the stopped crawl left its batch open"
        kept = json.loads(state)["records"]
        assert kept < RECORDS

        summary = run_crawl("gazette", site.url, tmp_path, settings={"IPHUB_BATCH_SIZE": "2"})

        assert summary["batch"] == json.loads(state)["batch"]  # the same ingest batch, resumed
        fetches = _record_fetches(site)
        twice = {p for p, n in fetches.items() if n > 1}
        if sig is signal.SIGTERM:
            assert twice == set()  # a clean stop loses nothing: its queue resumes
            assert all(n == 1 for p, n in Counter(site.paths(200)).items())
        else:
            # a hard kill loses at most the records not yet written (one write's worth, plus
            # the page in flight); the listings are revalidated, the stored pages skipped
            assert len(twice) <= 3
            assert set(twice) <= set(stopped)
        assert len(fetches) == RECORDS + 1  # every record page, and the malformed one
        assert _batch(tmp_path) == (RECORDS, RECORDS, True)  # each record stored once


@needs_elasticsearch
@pytest.mark.elastic
def test_a_store_that_fails_mid_crawl_stops_it_and_the_next_crawl_stores_the_rest(
    tmp_path: Path,
) -> None:
    """Elasticsearch blocks writes (as at its disk's flood stage): the crawl stops with one line
    and exit code 3, having fetched pages it could not store; the next crawl fetches those
    again and stores every record, in the same ingest batch."""
    index = fresh_index("iphub-test-crawl")
    store = ElasticStore(es_url(), index=index)
    es = Elasticsearch(es_url())
    kinds = f"{index}-patents,{index}-trademarks"
    url = f"{es_url()}/{index}"
    try:
        store.ensure_indices()
        with serve_site(tmp_path) as site:
            es.indices.put_settings(index=kinds, settings={"index.blocks.write": True})
            cmd = crawl_command("gazette", site.url, tmp_path, {}, {"IPHUB_BATCH_SIZE": "2"}, url)
            stopped = subprocess.run(  # noqa: S603 - our own interpreter and arguments
                cmd, cwd=tmp_path, env=env(), capture_output=True, text=True, timeout=120,
                check=False,
            )  # fmt: skip
            assert stopped.returncode == 3, stopped.stderr[-3000:]
            assert "store unavailable, crawl stopped" in stopped.stderr
            assert "status 403" in stopped.stderr
            first = json.loads(stopped.stdout[stopped.stdout.index("{") :])
            assert (first["stored"], first["finish_reason"]) == (0, "iphub/store_unavailable")
            fetched = _record_fetches(site)
            assert fetched, "the crawl fetched record pages before it stopped"

            es.indices.put_settings(index=kinds, settings={"index.blocks.write": None})
            summary = run_crawl("gazette", site.url, tmp_path, {}, {"IPHUB_BATCH_SIZE": "2"}, url)
            assert summary["batch"] == first["batch"]  # the same ingest batch, carried on
            assert summary["stored"] == RECORDS
            assert summary["finish_reason"] == "finished"
            store.refresh()
            assert store.count() == RECORDS
            again = _record_fetches(site)
            assert set(fetched) <= {p for p, n in again.items() if n >= 2}  # fetched again
    finally:
        es.close()
        store.drop()
        store.close()


def _crawl_refused_as_busy(
    site: Site, tmp_path: Path, settings: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """``iphub crawl`` run while another process writes the store: it exits with code 3 and
    says why."""
    cmd = crawl_command("gazette", site.url, tmp_path, {}, settings)
    busy = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        cmd, cwd=tmp_path, env={**env(), "COLUMNS": "400"}, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert busy.returncode == 3, busy.stderr[-3000:]
    assert "another process is writing" in busy.stderr
    return busy


def test_a_crawl_into_a_store_being_written_stops_before_it_fetches(tmp_path: Path) -> None:
    loading = EmbeddedStore(tmp_path / "iphub.db")
    try:
        loading.begin_batch("ingest:auto")  # an `iphub ingest` holds the writer
        with serve_site(tmp_path) as site:
            busy = _crawl_refused_as_busy(site, tmp_path, {})
            assert "Traceback" not in busy.stderr
            assert _record_fetches(site) == Counter()
            loading.close()  # the load is done
            summary = run_crawl("gazette", site.url, tmp_path)
            assert summary["stored"] == RECORDS
    finally:
        loading.close()


def test_a_resumed_crawl_into_a_store_being_written_stops_before_it_fetches(
    tmp_path: Path,
) -> None:
    with serve_site(tmp_path) as site:
        _stop_midway(site, tmp_path, signal.SIGTERM)  # leaves its ingest batch open
        fetched = _record_fetches(site)
        loading = EmbeddedStore(tmp_path / "iphub.db")
        try:
            loading.begin_batch("ingest:auto")  # an `iphub ingest` holds the writer
            _crawl_refused_as_busy(site, tmp_path, SLOW_CRAWL)
            assert _record_fetches(site) == fetched  # nothing fetched for nothing
        finally:
            loading.close()
        summary = run_crawl("gazette", site.url, tmp_path, settings={"IPHUB_BATCH_SIZE": "2"})
        assert summary["finish_reason"] == "finished"
        store = EmbeddedStore(tmp_path / "iphub.db")
        try:
            (crawl,) = [b for b in store.batches() if b.source == "crawl:mirror"]
            assert (store.count(), crawl.records, crawl.finished is not None) == (
                RECORDS, RECORDS, True,
            )  # fmt: skip
        finally:
            store.close()
