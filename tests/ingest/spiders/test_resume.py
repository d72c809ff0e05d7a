"""A crawl stopped mid-way (a real subprocess, SIGTERM or SIGKILL) resumes without fetching
or storing twice."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from iphub.store.embedded import EmbeddedStore
from tests.utils.crawl import crawl_command, env, run_crawl
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
