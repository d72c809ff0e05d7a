"""Key terms: TF-IDF over nouns and domain words of title and abstract."""

from __future__ import annotations

import pickle

import pytest

from nlp.keywords import CompactIdf, _jieba_file, _jieba_idf, build_idf, keywords, terms

TITLE = "一种锂电池正极材料及其制备方法"
ABSTRACT = "本发明公开了一种锂离子电池正极材料，采用镍钴锰三元前驱体，提高了锂电池的循环寿命。"


def test_domain_terms_first() -> None:
    assert keywords(TITLE, ABSTRACT, k=4) == ["正极材料", "锂电池", "制备方法", "锂离子电池"]


def test_boilerplate_is_not_a_term() -> None:
    found = terms("本发明公开了一种装置及方法，所述装置包括外观设计")
    assert not {"本发明", "装置", "方法", "外观设计"} & set(found)


def test_english_terms() -> None:
    assert keywords("Lithium battery cathode", "A cathode for lithium batteries.", k=3) == [
        "lithium",
        "cathode",
        "battery",
    ]


def test_corpus_idf_replaces_jieba_idf() -> None:
    idf = build_idf(["锂电池 隔膜", "锂电池 电解液", "锂电池 正极材料"])
    assert idf[0]["锂电池"] < idf[0]["隔膜"]
    assert keywords("锂电池隔膜", k=1, idf=idf) == ["隔膜"]


def test_compact_idf_is_jiebas_table() -> None:
    """The compact table answers exactly what a dict of ``jieba/analyse/idf.txt`` would."""
    plain: dict[str, float] = {}
    with _jieba_file("analyse", "idf.txt").open(encoding="utf-8") as lines:
        for line in lines:
            word, _, value = line.rstrip("\n").partition(" ")
            if word:
                plain[word] = float(value)
    table, median = _jieba_idf()
    assert len(table) == len(plain) == 270_132
    assert all(table.get(word) == value for word, value in plain.items())
    assert set(table) == set(plain)
    assert median == sorted(plain.values())[len(plain) // 2]
    assert table.get("锂电池") == plain["锂电池"]
    assert table.get("不是一个词汇xyz", 1.5) == 1.5
    for absent in ("", "锂电\n池", "\n", "锂电池 "):
        assert absent not in table
        assert table.get(absent) is None


def test_compact_idf_of_few_words() -> None:
    table = CompactIdf([("锂电池", 9.5), ("隔膜", 11.0), ("battery", 9.5)], buckets=2)
    assert dict(table) == {"锂电池": 9.5, "隔膜": 11.0, "battery": 9.5}
    assert table["隔膜"] == 11.0
    with pytest.raises(KeyError):
        table["电池"]
    with pytest.raises(TypeError):
        pickle.dumps(table)


def _tagged_terms(text: str) -> list[str]:
    """``terms`` through jieba's tagger, as it runs for text with CJK characters."""
    from nlp.keywords import _KEEP_POS, _LATIN_WORD, _STOP
    from nlp.segment import segmenter
    from nlp.tables import fold

    kept = [
        (w.lower(), pos)
        for w, pos in segmenter().tag(fold(text), hmm=False)
        if pos in _KEEP_POS and len(w) >= 2
    ]
    return [
        w
        for w, pos in kept
        if w not in _STOP and not w.isdigit() and (pos != "eng" or _LATIN_WORD.match(w))
    ]


def test_latin_terms_without_the_tagger_are_the_taggers() -> None:
    """Text without CJK skips the tagger; its terms must be exactly the tagger's."""
    import random

    from tests.unit.test_segment import LATIN_TEXTS
    from tests.utils.factories import load_corpus

    texts = [*LATIN_TEXTS, "ＦＵＬＬ－ＷＩＤＴＨ Ｌｉ-ion 5G H01M10/0525 Wi-Fi 802.11ac"]
    texts += ["Straße Ωmega", "R&D of C++ and C# at AT&T"]
    vocabulary = (
        "The Lithium-ion BATTERY cathode 5G wi-fi H01M the and said 3.5 mm 20% x2 a ab abc"
        " graphene-coated U.S. Pat. No. 6,859,910 (claim 1) naïve café déjà vu IEEE-802.11ac"
    ).split()
    rng = random.Random(4)
    texts += [" ".join(rng.choices(vocabulary, k=40)) for _ in range(300)]
    for r in load_corpus():
        if r.record_type == "patent" and r.title.lang == "en":
            texts += [r.title.text, r.abstract.text if r.abstract else ""]
    for text in texts:
        assert terms(text) == _tagged_terms(text), text


def test_the_dictionaries_ascii_words_take_the_tagger() -> None:
    """The fast path in ``terms`` holds while every ASCII word jieba knows has a + # or &."""
    from nlp.keywords import _ASCII_WORD_MARKS
    from nlp.segment import user_dictionary

    with _jieba_file("dict.txt").open(encoding="utf-8") as lines:
        words = [line.split()[0] for line in lines if line.strip()]
    words += [word for word, _ in user_dictionary()]
    ascii_words = [w for w in words if w.isascii()]
    assert ascii_words  # C++, C#, AT&T
    assert all(_ASCII_WORD_MARKS.search(w) for w in ascii_words), ascii_words
