"""``nlp.nfkc.nfkc`` gives what ``unicodedata.normalize("NFKC", …)`` gives, on any text."""

from __future__ import annotations

import random
import sys
import unicodedata

from nlp.nfkc import _COMMON, nfkc


def test_every_character_alone() -> None:
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:  # surrogates are not text
            continue
        c = chr(code)
        assert nfkc(c) == unicodedata.normalize("NFKC", c), hex(code)


def test_the_replaced_characters_beside_combining_marks_and_each_other() -> None:
    """The replacements must not change how a following combining mark composes, nor the
    canonical order of the marks (the reason the replacement is the character's own NFKD)."""
    wide = [c for c, _ in _COMMON]
    marks = ["\u0301", "\u0308", "\u0323", "\u3099", "\u309a", "\u0338"]
    others = ["a", "e", "本", "发", "Ａ", "１", "ｶ", "ﾞ", "①", "㎡", "é", " ", ",", "か"]
    rng = random.Random(20261126)
    for _ in range(20_000):
        text = "".join(rng.choice(wide + marks + others) for _ in range(rng.randint(1, 12)))
        assert nfkc(text) == unicodedata.normalize("NFKC", text), ascii(text)


def test_chinese_sentences_with_wide_punctuation() -> None:
    texts = [
        "本发明公开了一种锂离子电池（正极材料），包括：正极；负极！",
        "广州某某科技有限公司（集团）　地址：广州市天河区１２３号",
        "温度为５０℃，面积１０㎡，比例２０％＋／－５％？",
        "ｶﾞ半角カナ、全角，混在。",
    ]
    for text in texts:
        assert nfkc(text) == unicodedata.normalize("NFKC", text)
    assert nfkc(texts[0]) == "本发明公开了一种锂离子电池(正极材料),包括:正极;负极!"


def test_normalised_text_is_returned_as_it_is() -> None:
    text = "一种锂电池, already NFKC"
    assert nfkc(text) is text
