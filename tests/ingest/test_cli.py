"""``iphub ingest`` as a user runs it: summary table, quarantine path, bad options."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from iphub.cli import app
from tests.ingest.conftest import FIXTURES


def test_ingest_prints_summary_and_quarantine(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'iphub.db'}"
    args = ["ingest", str(FIXTURES / "uspto-weekly.xml"), "--store", store]
    args += ["--quarantine-dir", str(tmp_path / "q")]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "uspto-weekly.xml" in result.output
    assert "│ uspto  │    3 │      2 │      0 │           1 │" in result.output
    assert "quarantined records:" in result.output
    found = CliRunner().invoke(app, ["search", "pn=US9000001", "--json", "--store", store])
    assert '"id": "US9000001B2"' in found.output


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    args = ["ingest", str(FIXTURES / "uspto-weekly.xml"), "--format", "pdf"]
    result = CliRunner().invoke(app, [*args, "--store", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 2
