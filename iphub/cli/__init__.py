"""The ``iphub`` command: the face that wires the stages together.

The only place that imports ``ingest`` and ``search_api`` (inside its commands). Commands live
in the submodules (serving, loading, alerts, elastic), registered on :data:`app` on import.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Annotated

import typer
from pydantic import BaseModel
from rich.console import Console

from iphub.config import InvalidSetting, Settings, read_settings
from iphub.store import StoreURLError, check_store_url, open_store
from iphub.store.base import Store

app = typer.Typer(
    help="iphub 知识产权大数据公共服务平台 / Guangzhou patent and trademark platform",
    no_args_is_help=True,
)
console = Console()
err = Console(stderr=True)


def _store_url(value: str | None) -> str | None:
    """``--store`` checked before the command runs: a mistyped URL is a usage error."""
    if value is None:
        return None
    try:
        return check_store_url(value)
    except StoreURLError as exc:
        raise typer.BadParameter(str(exc)) from None


StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="sqlite:///path or http://host:9200 (default: IPHUB_STORE or sqlite:///var/iphub.db)",
        callback=_store_url,
    ),
]


def settings_for(store: str | None) -> Settings:
    settings = read_settings()
    return settings.model_copy(update={"store": store}) if store else settings


@contextmanager
def stored(url: str) -> Iterator[Store]:
    """The store at ``url`` for a command that reads it (none there: exit 3, "load one
    first"), closed when the command is done."""
    st = open_store(url, create=False)
    try:
        yield st
    finally:
        st.close()


def print_json(answer: BaseModel) -> None:
    """An answer as the API gives it, on standard output (``--json``)."""
    sys.stdout.write(answer.model_dump_json(indent=2) + "\n")


def match_batch(
    settings: Settings, batch_id: str | None, earlier: Sequence[str] = ()
) -> dict[str, object] | None:
    """Evaluate the subscriptions against a finished batch: the alerts hang on every batch.
    ``earlier``: batches of stopped runs the batch's run continued (``RunSummary.continued``),
    matched first, their counts added (subscriptions: the most any batch saw)."""
    if not batch_id:
        return None
    from search_api.alerts.db import open_db
    from search_api.alerts.matcher import run_matcher

    st, database = open_store(settings.store), open_db(settings.alerts_url())
    try:
        reports = [run_matcher(st, database, b) for b in (*earlier, batch_id)]
    finally:
        st.close()
        database.close()
    out = dict(reports[-1].__dict__)
    for name in ("matches", "outbox", "errors", "seconds"):
        out[name] = sum(getattr(r, name) for r in reports)
    out["subscriptions"] = max(r.subscriptions for r in reports)
    if earlier:
        out["continued"] = list(earlier)
    return out


def alerts_line(report: dict[str, object] | None) -> str:
    """What the alerts made of a batch, for the person who loaded it (:func:`match_batch`)."""
    if report is None:
        return "订阅匹配 / alerts: 本次未生成批次 / no batch to match"
    line = (
        f"订阅匹配 / alerts: {report['subscriptions']} 个订阅 / subscriptions, "
        f"{report['matches']} 条匹配 / matches, {report['outbox']} 条待投递 / queued for delivery"
    )
    if report["errors"]:
        line += f"; {report['errors']} 个订阅无法计算 / subscriptions failed (see the log)"
    return line


def main() -> None:
    """The console script: a store or alerts database that cannot answer, or a URL or setting
    from the environment that names none, is a one-line error, not a traceback."""
    from iphub.store.base import StoreUnavailable
    from search_api.alerts.db import AlertsUnavailable, AlertsURLError

    try:
        app()
    except StoreUnavailable as exc:
        err.print(f"[red]存储不可用 / store unavailable: {exc}[/]")
        raise SystemExit(3) from None
    except AlertsUnavailable as exc:
        err.print(str(exc), style="red", markup=False, highlight=False)
        raise SystemExit(3) from None
    except AlertsURLError as exc:
        err.print(str(exc), style="red", markup=False, highlight=False)
        raise SystemExit(2) from None
    except (StoreURLError, InvalidSetting) as exc:  # IPHUB_*; options are checked as usage errors
        err.print(str(exc), style="red", markup=False, highlight=False)
        raise SystemExit(2) from None


# the commands register themselves on ``app``
from iphub.cli import alerts, elastic, loading, serving  # noqa: E402, F401
