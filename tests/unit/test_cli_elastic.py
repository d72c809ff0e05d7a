"""`iphub elastic` runs tools/elasticsearch.sh with the caller's environment."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from iphub.cli import app


def test_status_of_a_node_never_started(tmp_path: Path) -> None:
    env = {"IPHUB_ES_DIR": str(tmp_path), "IPHUB_ES_PORT": "9299"}
    result = CliRunner().invoke(app, ["elastic", "status"], env=env)
    assert result.exit_code == 3


def test_stop_when_not_running_is_fine(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["elastic", "stop"], env={"IPHUB_ES_DIR": str(tmp_path)})
    assert result.exit_code == 0
