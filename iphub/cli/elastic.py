"""``iphub elastic``: the local Elasticsearch node for development and tests."""

from __future__ import annotations

from pathlib import Path

import typer

from iphub.cli import app, err

elastic = typer.Typer(
    help="本地 Elasticsearch 开发节点 / a local single-node Elasticsearch for development",
    no_args_is_help=True,
)
app.add_typer(elastic, name="elastic")
ES_SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "elasticsearch.sh"


def _elasticsearch_sh(command: str) -> None:
    """Run ``tools/elasticsearch.sh COMMAND`` with this environment (``IPHUB_ES_PORT``, ...)."""
    import subprocess

    if not ES_SCRIPT.is_file():
        err.print(f"{ES_SCRIPT} not found: `iphub elastic` needs a source checkout of iphub")
        raise typer.Exit(2)
    code = subprocess.call(["bash", str(ES_SCRIPT), command])  # noqa: S603, S607
    if code:
        raise typer.Exit(code)


@elastic.command("start")
def elastic_start() -> None:
    """Install once (Maven Central), start on 127.0.0.1:IPHUB_ES_PORT (9200), wait for health."""
    _elasticsearch_sh("start")


@elastic.command("stop")
def elastic_stop() -> None:
    """Stop the local node started by `iphub elastic start`."""
    _elasticsearch_sh("stop")


@elastic.command("status")
def elastic_status() -> None:
    """Print the node's state; exit 0 healthy, 1 unhealthy, 3 stopped."""
    _elasticsearch_sh("status")
