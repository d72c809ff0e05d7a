"""Run ``iphub crawl`` (or plain ``scrapy crawl``) in a subprocess against the fixture site.

Twisted's reactor cannot restart in one process, so every crawl is its own process, started in
a temporary directory (its ``var/`` lands there) with this checkout first on the path.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

#: fast but still throttled, and a short timeout for the slow page
FAST = {
    "DOWNLOAD_DELAY": "0.02",
    "AUTOTHROTTLE_START_DELAY": "0.02",
    "DOWNLOAD_TIMEOUT": "1",
    "RETRY_TIMES": "1",
    "RETRY_BACKOFF_BASE": "0.2",
}


CONTACT = "+https://ops.test.invalid/crawler; ops@test.invalid"


def env() -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PYTHONWARNINGS": "ignore",
        "IPHUB_CRAWL_CONTACT": CONTACT,
    }


def crawl_command(
    spider: str,
    base_url: str,
    tmp: Path,
    args: dict[str, str],
    settings: dict[str, str],
    store: str | None = None,
) -> list[str]:
    """The ``iphub crawl`` command line; the store is ``tmp/iphub.db`` unless ``store`` says."""
    cmd = [sys.executable, "-m", "iphub.cli", "crawl", spider, "-a", f"base_url={base_url}"]
    cmd += ["--store", store or f"sqlite:///{tmp / 'iphub.db'}"]
    for key, value in args.items():
        cmd += ["-a", f"{key}={value}"]
    for key, value in {**FAST, **settings}.items():
        cmd += ["-s", f"{key}={value}"]
    return cmd


def run_crawl(
    spider: str,
    base_url: str,
    tmp: Path,
    args: dict[str, str] | None = None,
    settings: dict[str, str] | None = None,
    store: str | None = None,
) -> dict[str, object]:
    """Crawl to the end; the summary ``iphub crawl`` prints."""
    cmd = crawl_command(spider, base_url, tmp, args or {}, settings or {}, store)
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        cmd, cwd=tmp, env=env(), capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-4000:]
    summary: dict[str, object] = json.loads(done.stdout[done.stdout.index("{") :])
    return summary


def quarantine(tmp: Path, batch: object) -> list[dict[str, str]]:
    path = tmp / "var" / "quarantine" / f"{batch}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
