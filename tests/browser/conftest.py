"""The app on 127.0.0.1 with the test corpus, and Debian's Chromium driven by playwright.

The server runs in a thread (uvicorn on a free port); the browser is ``/usr/bin/chromium``,
never a downloaded build (``make test`` installs it). Screenshots go to ``var/artifacts/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from iphub.config import Settings
from iphub.store.embedded import EmbeddedStore
from search_api.main import create_app
from search_api.static import DIST
from tests.conformance.contract import load
from tests.utils.server import running_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "artifacts"


@pytest.fixture(scope="session")
def served_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    """The store the page's server reads: the test corpus (a test may add records a while)."""
    store = EmbeddedStore(tmp_path_factory.mktemp("browser") / "iphub.db")
    load(store)
    yield store
    store.close()


@pytest.fixture(scope="session")
def base_url(served_store: EmbeddedStore) -> Iterator[str]:
    assert (DIST / "index.html").is_file(), "frontend/dist is missing: run make frontend"
    path = served_store.path
    app = create_app(Settings(store=f"sqlite:///{path}", rate_limit=0), store=served_store)
    with running_app(app) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.is_file(), f"{CHROMIUM} is missing: make chromium (make test runs it)"
    with sync_playwright() as p:
        p.selectors.set_test_id_attribute("data-test")
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    yield p
    context.close()
    assert errors == [], f"uncaught errors in the page: {errors}"


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
