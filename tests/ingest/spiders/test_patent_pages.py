"""The patent-page spider by plain ``scrapy crawl`` from ``ingest/spiders`` (numbers given), and
sources whose terms refuse a crawl."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from iphub.cli import app
from iphub.store.embedded import EmbeddedStore
from tests.utils.crawl import FAST, ROOT, env
from tests.utils.site import serve_site


def _scrapy(tmp: Path, base_url: str) -> None:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "patent_pages"]
    cmd += ["-a", f"base_url={base_url}", "-a", "numbers=CN118000001A, CN 118000007 B"]
    settings = {
        **FAST,
        "IPHUB_STORE": f"sqlite:///{tmp / 'iphub.db'}",
        "IPHUB_CRAWL_DIR": str(tmp / "crawl"),
        "IPHUB_QUARANTINE_DIR": str(tmp / "quarantine"),
    }
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        cmd, cwd=ROOT / "ingest" / "spiders", env=env(), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-4000:]


def test_plain_scrapy_crawl_of_numbers_then_revalidated(tmp_path: Path) -> None:
    with serve_site(tmp_path) as site:
        _scrapy(tmp_path, site.url)
        pages = {"/patent/CN118000001A.html", "/patent/CN118000007B.html"}
        assert set(site.paths(200)) == {"/robots.txt", *pages}
        store = EmbeddedStore(tmp_path / "iphub.db")
        try:
            titles = {
                i: r.title.text
                for i, r in store.get_many(["CN118000001A", "CN118000007B"]).items()
                if r.record_type == "patent"
            }
            assert titles == {
                "CN118000001A": "一种锂电池正极材料的制备方法",
                "CN118000007B": "一种新能源汽车电机冷却结构",
            }
        finally:
            store.close()

        site.clear()
        _scrapy(tmp_path, site.url)
        assert set(site.paths(304)) == {"/robots.txt", *pages}  # asked with validators only
        assert site.paths(200) == []
        store = EmbeddedStore(tmp_path / "iphub.db")
        try:
            assert [b.records for b in store.batches()] == [2, 0]  # nothing stored again
        finally:
            store.close()


def test_forbidden_source_is_refused_with_a_pointer_to_the_bulk_loaders() -> None:
    result = CliRunner().invoke(app, ["crawl", "patent_pages", "-a", "source=espacenet"])
    assert result.exit_code == 2
    assert "iphub ingest" in result.output


def test_licensed_source_needs_the_licence_flag() -> None:
    result = CliRunner().invoke(app, ["crawl", "gazette", "-a", "source=cnipa-gazette"])
    assert result.exit_code == 2
    assert "--licensed" in result.output


def test_unknown_source_and_spider_are_refused() -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["crawl", "gazette", "-a", "source=nowhere"]).exit_code == 2
    assert runner.invoke(app, ["crawl", "nospider"]).exit_code == 2
