"""Industry tags from IPC (most specific level wins), keywords and Nice classes."""

from __future__ import annotations

import pytest

from nlp.industries import (
    industries_for_ipc,
    industries_for_patent,
    industries_for_trademark,
    normalise_ipc,
)
from nlp.tables import read_table, source_of

BATTERY = ["新能源汽车产业", "智能与新能源汽车", "新能源产业", "新能源与节能环保"]


@pytest.mark.parametrize(
    ("code", "normal"),
    [
        ("H01M 10/0525", "H01M10/0525"),
        ("h01m0010052500", "H01M10/0525"),
        ("C12N", "C12N"),
        ("H01M 10/0525(2010.01)I", "H01M10/0525"),  # as CNIPA prints it, edition and level
        ("H01M10/0525 [2006.01]", "H01M10/0525"),
        ("Ｈ０１Ｍ １０／０５２５", "H01M10/0525"),  # full width
    ],
)
def test_normalise_ipc(code: str, normal: str) -> None:
    assert normalise_ipc(code) == normal


def test_most_specific_level_wins() -> None:
    assert industries_for_ipc(["H01L 21/02"]) == ["新一代信息技术产业", "新一代信息技术"]
    assert industries_for_ipc(["H01L 31/042"]) == ["新能源产业", "新能源与节能环保"]


def test_exclusion_row() -> None:
    assert industries_for_ipc(["A61K 8/97"]) == []
    assert industries_for_ipc(["A61K 36/185"]) == ["生物产业", "生物医药与健康"]


def test_several_codes_several_tags_once_each() -> None:
    tags = industries_for_ipc(["H01M 4/505", "H01M 10/0525", "G06N 3/08"])
    assert tags == [*BATTERY, "新一代信息技术产业", "新一代信息技术"]


def test_keywords_only_without_ipc() -> None:
    assert industries_for_patent([], "一种锂电池外壳") == BATTERY
    assert industries_for_patent(["A47J 27/00"], "一种锂电池电饭煲") == []


def test_trademark_by_nice_class_and_goods() -> None:
    assert industries_for_trademark([5, 30], "药品；茶") == ["生物产业", "生物医药与健康"]
    assert industries_for_trademark([12], "电动汽车；汽车") == [
        "新能源汽车产业",
        "智能与新能源汽车",
    ]
    assert industries_for_trademark([30], "茶") == []


@pytest.mark.parametrize(
    "table",
    [
        "applicant_aliases.tsv",
        "applicant_types.tsv",
        "area_hints.tsv",
        "countries.tsv",
        "ipc_industries.tsv",
        "keyword_industries.tsv",
        "legal_forms.tsv",
        "nice_industries.tsv",
        "postcodes.tsv",
        "regions.tsv",
        "state_owned_guangzhou.tsv",
    ],
)
def test_every_table_cites_its_source_and_has_rows(table: str) -> None:
    assert len(source_of(table)) > 40
    assert len(read_table(table)) >= 6
