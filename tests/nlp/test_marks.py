"""Trademark similarity: concrete signals on examination examples, and the evaluation floor."""

from __future__ import annotations

import pytest

from bench.mark_eval import evaluate, load
from nlp.marks import THRESHOLD, classes_related, compare


@pytest.mark.parametrize(
    ("watched", "filed", "signal"),
    [
        ("康师傅", "康帅傅", "shape_similar"),
        ("娃哈哈", "哇哈哈", "pinyin_identical"),
        ("腾讯", "騰訊", "identical"),
        ("小米", "小米粒", "contains"),
        ("华为", "HUAWEI", "pinyin_identical"),
        ("lenovo", "1enovo", "shape_similar"),
        ("星巴克", "STARBUCKS", "translation"),
        ("Great Wall", "长城", "translation"),
        ("星巴克咖啡", "Starbucks", "translation_contains"),
    ],
)
def test_signals(watched: str, filed: str, signal: str) -> None:
    result = compare(watched, filed, [9], [9])
    assert signal in result.signals
    assert result.score >= THRESHOLD


def test_unrelated_goods_and_marks_score_low() -> None:
    assert compare("长城", "长城", [12], [33]).signals == ["unrelated_classes"]
    assert compare("华为", "华润", [9], [9]).score < THRESHOLD
    assert compare("", "华润").score == 0.0


def test_class_relations() -> None:
    assert classes_related([30], [30]) == "same_class"
    assert classes_related([30], [32]) == "related_class"
    assert classes_related([9], [42]) == "related_class"
    assert classes_related([12], [33]) is None
    assert classes_related([], [33]) == "any_class"


def test_evaluation_set_floor() -> None:
    """The figures in BENCHMARKS.md ("Trademark watch") must not regress."""
    pairs = load()
    assert len(pairs) >= 200
    result = evaluate(pairs)
    assert result["precision"] >= 0.98
    assert result["recall"] >= 0.88


def test_a_translation_needs_the_table_and_related_goods() -> None:
    assert compare("苹果", "Orange", [9], [9]).score < THRESHOLD
    assert compare("苹果", "Apple", [9], [31]).signals == ["unrelated_classes"]
