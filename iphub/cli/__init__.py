"""The ``iphub`` command: the face that wires the stages together.

The only place that imports ``ingest`` and ``search_api`` (inside its commands). Commands live
in the submodules (serving, loading, alerts, elastic), registered on :data:`app` on import.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from pydantic import BaseModel
from rich.console import Console

from iphub.config import InvalidSetting, Settings, read_settings
from iphub.console import INTERRUPTED as INTERRUPTED  # what a run stopped by Ctrl-C says
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


def whole_number(low: int, high: int | None = None) -> Callable[[str | int], int]:
    """The parser of an integer option from ``low`` to ``high`` (no end: None): a value out of
    range, or no whole number, is a usage error in both languages, Chinese first (Click's own
    ``min``/``max`` says it in English only). The option's help names the range."""

    def parse(value: str | int) -> int:
        try:
            number = int(value)
        except ValueError:
            raise typer.BadParameter(
                f"应为整数，而非 {value!r} / must be a whole number, not {value!r}"
            ) from None
        if number < low or (high is not None and number > high):
            zh = f"应至少为 {low:,}" if high is None else f"应为 {low:,} 至 {high:,}"
            en = f"at least {low:,}" if high is None else f"from {low:,} to {high:,}"
            raise typer.BadParameter(f"{zh}，而非 {number:,} / must be {en}, not {number:,}")
        return number

    return parse


def seconds(low: float) -> Callable[[str | float], float]:
    """The parser of a duration option of at least ``low`` seconds: anything else (``nan``,
    ``inf``, a word) is a usage error in both languages, as :func:`whole_number`'s."""

    def parse(value: str | float) -> float:
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or number < low:
            raise typer.BadParameter(
                f"应为至少 {low:g} 的秒数，而非 {value!r} / must be seconds, at least {low:g}, "
                f"not {value!r}"
            )
        return number

    return parse


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
    settings: Settings, batch_id: str | None = None, *, earlier: bool = True
) -> dict[str, object] | None:
    """Evaluate the subscriptions against ``batch_id`` and against every finished batch the
    alerts have not matched yet (``Batch.alerted``), oldest first: the batches of runs killed
    or stopped before they matched theirs, and those such runs left open and a later load
    finished (``ingest.load.take_up``). Each finished batch is marked matched once its
    matching is written, so a batch is matched once however often a run is killed; matching
    one again (killed in between) adds nothing (matches are unique per subscription and
    record, record changes per batch). The counts are summed (subscriptions: the most any
    batch saw); ``earlier``: the batches matched besides ``batch_id``. None: nothing to match.
    With ``earlier=False``, ``batch_id`` alone (``iphub alerts match --batch``).
    """
    from search_api.alerts.db import open_db
    from search_api.alerts.matcher import run_matcher

    st = open_store(settings.store)
    try:
        batches = st.batches()
        todo = [b.id for b in batches if b.finished is not None and b.alerted is None]
        if not earlier:
            todo = []
        finished = {b.id for b in batches if b.finished is not None}
        if batch_id and batch_id not in todo:  # an open crawl's, or matched again on request
            todo.append(batch_id)
        if not todo:
            return None
        database = open_db(settings.alerts_url())
        try:
            reports = []
            for batch in todo:
                reports.append(run_matcher(st, database, batch))
                if batch in finished:
                    st.mark_alerted(batch)
        finally:
            database.close()
    finally:
        st.close()
    out = dict(reports[-1].__dict__)
    for name in ("matches", "outbox", "errors", "seconds"):
        out[name] = sum(getattr(r, name) for r in reports)
    out["subscriptions"] = max(r.subscriptions for r in reports)
    if besides := [b for b in todo if b != batch_id]:
        out["earlier"] = besides
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
    if earlier := report.get("earlier"):
        n = len(earlier)  # type: ignore[arg-type]
        line += f" (含先前未匹配的批次 {n} 个 / with {n} earlier batches not matched before)"
    return line


def main() -> None:
    """The console script: a store or alerts database that cannot answer, or a URL or setting
    from the environment that names none, is a one-line error, not a traceback."""
    from iphub.store.base import StoreUnavailable
    from search_api.alerts.db import AlertsUnavailable, AlertsURLError

    try:
        app()
    except KeyboardInterrupt:  # Ctrl-C before a command took it in hand, or after
        err.print(INTERRUPTED, style="yellow", markup=False, highlight=False)
        raise SystemExit(130) from None
    except StoreUnavailable as exc:  # its text may hold brackets: "index [x]" is no markup;
        # one line in a log too (not cut at 80 columns): the terminal folds it on screen
        said = f"存储不可用 / store unavailable: {exc}"
        err.print(said, style="red", markup=False, highlight=False, soft_wrap=True)
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
