"""``iphub similar-marks`` and ``iphub search --describe``: clearance and prior art from the
command line."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from iphub.cli import app
from iphub.store.embedded import EmbeddedStore
from tests.conformance.contract import load


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cli") / "iphub.db"
    store = EmbeddedStore(path)
    load(store)
    store.close()
    return f"sqlite:///{path}"


def test_similar_marks_as_json(url: str) -> None:
    result = CliRunner().invoke(
        app, ["similar-marks", "云山", "--class", "30", "--json", "--store", url]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["hits"][0]["id"] == "CN-TM-10000001"
    assert body["hits"][0]["signals"] == ["identical", "same_class"]
    assert "CN-TM-10000002" not in {h["id"] for h in body["hits"]}  # 白云山, class 5


def test_similar_marks_table_names_the_reasons(url: str) -> None:
    result = CliRunner().invoke(
        app, ["similar-marks", "云山", "-c", "30", "--store", url], env={"COLUMNS": "300"}
    )
    assert result.exit_code == 0, result.output
    assert "identical, same_class" in result.stdout
    assert "云山茶语" in result.stdout


def test_a_mark_of_punctuation_is_a_usage_error(url: str) -> None:
    result = CliRunner().invoke(app, ["similar-marks", "！？", "--store", url])
    assert result.exit_code == 2
    assert "empty_mark" not in result.output  # the message, not the code
    assert "请输入商标文字" in result.output


def test_search_by_a_description(url: str) -> None:
    result = CliRunner().invoke(
        app,
        ["search", "固态电解质代替电解液的固态锂电池，能量密度更高。", "--describe", "--json"]
        + ["--store", url],
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["hits"][0]["id"] == "CN114000010A"
    assert body["query"].startswith("ta=")
    assert "检索式 / query: ta=" in result.stderr


def test_a_description_without_terms_or_of_trademarks_is_a_usage_error(url: str) -> None:
    empty = CliRunner().invoke(app, ["search", "的了吗", "--describe", "--store", url])
    assert empty.exit_code == 2
    assert "描述中没有可检索的词语" in empty.output
    marks = CliRunner().invoke(
        app, ["search", "云山", "--describe", "--kind", "trademark", "--store", url]
    )
    assert marks.exit_code == 2
    assert "--describe searches patents" in marks.output
