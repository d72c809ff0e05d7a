"""Trademark similarity: concrete signals on examination examples, and the evaluation floor."""

from __future__ import annotations

import pytest

from bench.mark_eval import evaluate, load
from nlp.marks import (
    THRESHOLD,
    classes_related,
    compare,
    look_alikes,
    related_classes,
    sound_variants,
    spelling_variants,
    translated_forms,
)


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
        ("LANCÔME", "LANCOME", "identical"),  # an accent is no difference (was 0.77)
        ("삼성", "삼성전자", "contains"),  # Hangul and Cyrillic marks were compared as empty
        ("Сбербанк", "СБЕРБАНК", "identical"),
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
    assert compare("삼성", "현대", [9], [9]).score < THRESHOLD


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


@pytest.mark.parametrize(
    ("word", "imitation"),
    [
        ("nike", "nlke"),  # look-alike letter
        ("lenovo", "1enovo"),  # look-alike digit
        ("oppo", "0ppo"),
        ("adidas", "adidos"),  # another vowel
        ("canon", "cannon"),  # doubled
        ("chanel", "chnel"),  # left out
        ("nike", "nkie"),  # swapped
    ],
)
def test_spelling_variants_hold_one_edit_imitations(word: str, imitation: str) -> None:
    variants = spelling_variants(word)
    assert imitation in variants
    assert word not in variants
    assert all(compare(word, v).score > 0 for v in variants)


@pytest.mark.parametrize("word", ["ab", "a" * 21, "云山", "co-op"])
def test_no_spelling_variants_for_short_long_or_other_words(word: str) -> None:
    assert spelling_variants(word) == []


def test_translated_forms_as_written_and_inside_a_mark() -> None:
    assert translated_forms("长城") == ["great wall"]
    assert translated_forms("Great Wall") == ["长城"]
    assert translated_forms("星巴克咖啡") == ["starbucks"]  # a translated mark inside it
    assert translated_forms("云山") == []


def test_look_alikes_and_related_classes() -> None:
    assert look_alikes("帅") == "帅师"
    assert look_alikes("云") == "云"
    assert related_classes(30) >= {29, 30, 43}
    assert related_classes(30) == frozenset(c for c in range(1, 46) if classes_related([30], [c]))


def test_sound_variants_are_the_spellings_one_edit_away() -> None:
    variants = set(sound_variants("yunshan"))
    assert {"yushan", "yunshang", "yinshan", "yusnhan"} <= variants  # out, added, changed, swapped
    assert "yunshan" not in variants
    assert sound_variants("abc") == []  # too short to tell apart by one letter
    assert sound_variants("a" * 17) == []
    assert sound_variants("yun shan") == []  # a spelling is one run of letters
