"""`iphub demo` loads into Elasticsearch and `iphub search` finds it there (a small demo):
patents, trademarks and copyright registrations."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from iphub.cli import app
from iphub.store.elastic import ElasticStore
from tests.utils.elastic import es_url, fresh_index, needs_elasticsearch

pytestmark = [needs_elasticsearch, pytest.mark.elastic]


def test_demo_into_elasticsearch_then_search() -> None:
    url = f"{es_url()}/{fresh_index('iphub-demo')}"
    env = {
        "IPHUB_STORE": url,
        "IPHUB_DEMO_PATENTS": "200",
        "IPHUB_DEMO_TRADEMARKS": "200",
        "IPHUB_DEMO_COPYRIGHTS": "100",
    }
    runner = CliRunner()
    try:
        loaded = runner.invoke(app, ["demo", "--no-serve"], env=env)
        assert loaded.exit_code == 0, loaded.output
        found = runner.invoke(app, ["search", "电池", "--json", "--store", url])
        assert found.exit_code == 0, found.output
        assert '"total": ' in found.output
        assert '"total": 0' not in found.output
        software = runner.invoke(
            app, ["search", "kind=软件", "--kind", "copyright", "--json", "--store", url]
        )
        assert software.exit_code == 0, software.output
        assert '"record_type": "copyright"' in software.output
    finally:
        st = ElasticStore(url)
        assert (st.count(), st.count("copyright")) == (500, 100)
        st.drop()
        st.close()
