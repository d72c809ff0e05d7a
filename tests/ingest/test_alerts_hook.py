"""``iphub ingest`` ends by matching its batch against the subscriptions (the alerts hook)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from iphub.cli import app
from iphub.config import Settings
from iphub.store.embedded import EmbeddedStore
from search_api.alerts.db import open_db
from tests.alerts.conftest import make_client, owner_key
from tests.ingest.conftest import FIXTURES


def test_ingest_fills_the_feed_of_a_matching_subscription(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'iphub.db'}"
    settings = Settings(store=url)
    store, db = EmbeddedStore(tmp_path / "iphub.db"), open_db(settings.alerts_url())
    try:
        with make_client(store, db) as client:
            key = owner_key(db, "agency")
            created = client.post(
                "/api/v1/subscriptions",
                headers={"X-API-Key": key},
                json={"name": "US 9000001", "query": "pn=US9000001", "channel": "atom"},
            )
            assert created.status_code == 201, created.text
            feed_url = created.json()["feed_url"]
            store.close()  # the CLI writes the store in its own process, as a user would
            args = ["ingest", str(FIXTURES / "uspto-weekly.xml"), "--store", url]
            result = CliRunner().invoke(
                app, [*args, "--quarantine-dir", str(tmp_path / "q")], env={"COLUMNS": "200"}
            )
            assert result.exit_code == 0, result.output
            assert "1 个订阅 / subscriptions, 1 条匹配 / matches" in result.output
            feed = client.get(feed_url.removeprefix(str(client.base_url)))
            assert feed.status_code == 200
            assert "US9000001B2" in feed.text
    finally:
        db.close()
