"""The annual white paper (《广州知识产权发展与保护状况》) as HTML, and PDF through Chromium.

Built only from the statistics services, so every figure in it is one the API gives: the plan's
indicators against their targets, filings of the year and holdings by district and industry,
top applicants by district, the ten-year trend as an SVG chart, and a method section quoting the
services' own method texts and the population source. The PDF is printed by a headless
Chromium (``IPHUB_CHROMIUM`` or ``chromium`` on PATH); without one only the HTML is written.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess  # noqa: S404 - runs a fixed browser binary on a file we wrote
from collections.abc import Sequence
from pathlib import Path

from iphub.store.base import Store
from search_api.services import holdings as h
from search_api.services import indicators as ind
from search_api.services import population

_CSS = """body{font-family:"Noto Sans CJK SC","Source Han Sans SC",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #999;padding:2px 8px}
td.n{text-align:right}h2{page-break-before:auto;border-bottom:2px solid #b22}
.small{font-size:80%;color:#555}"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _table(head: list[str], rows: Sequence[Sequence[object]]) -> str:
    cells = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{_e(c)}</td>' if isinstance(c, int | float) else f"<td>{_e(c)}</td>"
            for c in row
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><tr>{''.join(f'<th>{_e(x)}</th>' for x in head)}</tr>{cells}</table>"


def _bars(points: list[tuple[str, int]], title: str) -> str:
    """A bar chart as inline SVG (no script, so it prints)."""
    width, height, top = 60 * max(len(points), 1), 220, max([v for _, v in points] + [1])
    bars = []
    for i, (label, value) in enumerate(points):
        bar = int(value / top * 160)
        x = i * 60 + 10
        bars.append(
            f'<rect x="{x}" y="{190 - bar}" width="40" height="{bar}" fill="#b22"/>'
            f'<text x="{x + 20}" y="{185 - bar}" font-size="10" text-anchor="middle">{value}</text>'
            f'<text x="{x + 20}" y="205" font-size="10" text-anchor="middle">{_e(label)}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{_e(title)}">{"".join(bars)}</svg>'
    )


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:.1%}" if unit == "fraction" else f"{value:,.2f}".rstrip("0").rstrip(".")


def build_html(store: Store, year: int) -> str:
    indicators = ind.indicators(store, (year - 4, year))
    filed = h.holdings(store, "patent", f"ad={year}", ("district",), years=(year - 9, year))
    industry = h.holdings(store, "patent", f"ad={year}", ("industry",), size=15)
    stock = h.holdings(store, "patent", "", ("district", "kind"))
    marks = h.holdings(store, "trademark", "", ("district",))
    leaders = h.holdings(store, "patent", f"ad={year}", ("district", "applicant"), size=5)
    trend = filed.trend.applications.points if filed.trend else []
    parts = [
        f"<h1>广州知识产权发展状况 {year} / Guangzhou IP in {year}</h1>",
        f'<p class="small">iphub, {store.count("patent"):,} patents and '
        f"{store.count('trademark'):,} trademarks in the store.</p>",
        "<h2>规划指标 / Plan indicators</h2>",
        _table(
            ["indicator", "target", *[str(y) for y in range(year - 4, year + 1)], "on track"],
            [
                [i.name_zh, _fmt(i.target, i.unit)]
                + [_fmt(v.value, i.unit) for v in i.values]
                + [{True: "是 yes", False: "否 no", None: "—"}[i.on_track]]
                for i in indicators.indicators
            ],
        ),
        f"<h2>专利申请趋势 / Patent filings {year - 9}–{year}</h2>",
        _bars([(str(p.year), p.value) for p in trend], "patent filings per year"),
        f"<h2>{year} 年专利申请（按区）/ Filings in {year} by district</h2>",
        _table(
            ["district", "applications", "granted", "valid"],
            [[r.label, r.applications, r.grants, r.valid] for r in filed.rows]
            + [["全市 / city total", *filed.total.model_dump().values()]],
        ),
        f"<h2>{year} 年专利申请（按产业）/ Filings in {year} by industry</h2>",
        _table(
            ["industry", "applications", "granted", "valid"],
            [[r.label, r.applications, r.grants, r.valid] for r in industry.rows],
        ),
        "<h2>有效专利与商标（按区）/ Valid patents and trademarks by district</h2>",
        _table(
            ["district", "valid patents", "of which inventions", "valid trademarks"],
            [
                [
                    r.label,
                    r.valid,
                    sum(k.valid for k in r.rows if k.key == "invention_grant"),
                    next((m.valid for m in marks.rows if m.key == r.key), 0),
                ]
                for r in stock.rows
            ],
        ),
        f"<h2>各区主要申请人 / Top applicants by district, {year}</h2>",
        _table(
            ["district", "applicant", "applications"],
            [[r.label, a.label, a.applications] for r in leaders.rows for a in r.rows],
        ),
        "<h2>方法 / Method</h2>",
        f"<h3>Holdings</h3><pre>{_e(h.METHOD)}</pre>",
        f"<h3>Indicators</h3><pre>{_e(ind.METHOD)}</pre>",
        f'<p class="small">Population: {_e(population.source())}</p>',
    ]
    body = "\n".join(parts)
    return (
        f'<!doctype html><html lang="zh"><head><meta charset="utf-8">'
        f"<title>Guangzhou IP {year}</title><style>{_CSS}</style></head><body>{body}</body></html>"
    )


def chromium() -> str | None:
    found = os.environ.get("IPHUB_CHROMIUM") or next(
        (p for n in ("chromium", "chromium-browser", "google-chrome") if (p := shutil.which(n))),
        None,
    )
    return found


def write_report(store: Store, year: int, out: Path) -> tuple[Path, Path | None]:
    """Write ``report-YEAR.html`` and, with a Chromium at hand, ``report-YEAR.pdf``."""
    out.mkdir(parents=True, exist_ok=True)
    page = out / f"report-{year}.html"
    page.write_text(build_html(store, year), encoding="utf-8")
    browser = chromium()
    if browser is None:
        return page, None
    pdf = out / f"report-{year}.pdf"
    subprocess.run(  # noqa: S603 - fixed arguments, our own file
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.resolve().as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return page, pdf
