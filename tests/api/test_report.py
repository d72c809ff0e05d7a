"""``iphub report``: the annual report as HTML and PDF, checked by rendering the PDF's pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from iphub.cli import app
from iphub.store.embedded import EmbeddedStore
from search_api.services.report import build_html, chromium
from tests.conformance.contract_stats import truth_patents, truth_trademarks


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "iphub.db"
    store = EmbeddedStore(path)
    store.upsert([*truth_patents(), *truth_trademarks()])
    store.refresh()
    store.close()
    return path


def test_html_holds_indicators_districts_and_method(store_path: Path) -> None:
    store = EmbeddedStore(store_path)
    try:
        page = build_html(store, 2021)
    finally:
        store.close()
    assert "每万人发明专利拥有量" in page
    assert page.count("<tr>") > 10
    assert "<td>天河区</td>" in page
    assert "无区信息 / no district" in page
    assert "Statistical Yearbook" in page
    assert "<svg" in page


@pytest.mark.skipif(chromium() is None, reason="no Chromium to print the PDF")
def test_cli_writes_a_readable_pdf(store_path: Path, tmp_path: Path) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    result = CliRunner().invoke(
        app,
        ["report", "--year", "2021", "--out", str(tmp_path), "--store", f"sqlite:///{store_path}"],
    )
    assert result.exit_code == 0, result.output
    pdf = pdfium.PdfDocument(tmp_path / "report-2021.pdf")
    assert 1 <= len(pdf) <= 4
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "Plan indicators" in text
    assert "天河区" in text
    bitmap = pdf[0].render(scale=1)  # the first page as pixels: A4-sized, not blank
    assert bitmap.width > 500
    assert bitmap.height > 700
    assert len(set(bytes(bitmap.buffer)[::97])) > 2
