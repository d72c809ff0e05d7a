"""Segmentation: golden precise-mode cuts, search-mode sub-words, character tokens."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nlp.segment import (
    _by_script,
    _normalise,
    char_tokens,
    fold,
    index_tokens,
    query_tokens,
    segmenter,
    stem,
)

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "segmentation.tsv"
CASES = [line.split("\t") for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize(("sentence", "expected"), CASES)
def test_query_tokens_golden(sentence: str, expected: str) -> None:
    assert "/".join(query_tokens(sentence)) == expected


@pytest.mark.parametrize(("sentence", "_"), CASES)
def test_index_tokens_contain_query_tokens(sentence: str, _: str) -> None:
    """What a query cuts, the index holds: the basis of word matching."""
    assert set(query_tokens(sentence)) <= set(index_tokens(sentence))


def test_search_mode_adds_sub_words() -> None:
    tokens = index_tokens("锂离子电池")
    assert {"锂离子电池", "锂离子", "电池"} <= set(tokens)


def test_domain_dictionary_is_loaded() -> None:
    assert query_tokens("固态电池") == ["固态电池"]
    assert query_tokens("充电桩") == ["充电桩"]


def test_char_tokens() -> None:
    assert char_tokens("锂电池 Li-ion") == ["锂", "电", "池", "li", "ion"]


def test_fold_and_stem() -> None:
    assert fold("ＡＢＣ\u200b１２３") == "abc123"
    assert stem("Batteries") == stem("battery") == "batteri"


def test_same_cuts_as_the_jieba_package() -> None:
    """rjieba must cut exactly as jieba does (HMM off, same dictionaries) on real-looking text."""
    import logging

    import jieba

    from nlp.segment import user_dictionary
    from tests.utils.factories import load_corpus

    jieba.setLogLevel(logging.WARNING)
    reference = jieba.Tokenizer()
    for word, freq in user_dictionary():
        reference.add_word(word, freq)
    texts = [s for s, _ in CASES]
    for r in load_corpus():
        if r.record_type == "patent":
            texts += [r.title.text, r.abstract.text if r.abstract else "", *r.claims]
        else:
            texts += [r.mark_text or "", *r.goods_services]
    for text in texts:
        folded = fold(text)
        precise = jieba_precise_mode(folded, lambda t: list(reference.cut(t, HMM=False)))
        search = jieba_search_mode(folded, lambda t: list(reference.cut_for_search(t, HMM=False)))
        assert query_tokens(text) == precise, text
        assert index_tokens(text) == search, text


def jieba_search_mode(folded: str, cut: object = None) -> list[str]:
    """The index's word tokens by jieba's search mode, with runs of other scripts (Hangul,
    Cyrillic …, which jieba cuts a character at a time) taken apart before it, as the index
    does: what the fast paths must give."""
    search = cut or (lambda piece: segmenter().cut_for_search(piece, hmm=False))
    return _by_script(folded, lambda piece: _normalise(search(piece)), across=True)  # type: ignore[operator]


def jieba_precise_mode(folded: str, cut: object = None) -> list[str]:
    precise = cut or (lambda piece: segmenter().cut(piece, hmm=False))
    return _by_script(folded, lambda piece: _normalise(precise(piece)))  # type: ignore[operator]


LATIN_TEXTS = [
    "Lithium-ion batteries with multi-agent control, who's 20.04 v2.5 3.5%",
    "e.g. U.S. Pat. No. 6,859,910",
    "A cathode for lithium-ion batteries comprising coated particles improves cycle life.",
    'naïve café — déjà vu; x^3 x~2 ti:x /re.*/ _exists_: {"a": 1} C++ C# .NET 5G IEEE-802.11ac',
    "AT&T's R&D (2019–2021) [claim 1] <b>bold</b> 100% #1 @home a_b a-b a.b a'b",
]


def test_latin_fast_path_cuts_as_jieba_does() -> None:
    """Texts without CJK skip jieba; they must come out exactly as through jieba."""
    from tests.utils.factories import load_corpus

    texts = LATIN_TEXTS + [
        t
        for r in load_corpus()
        if r.record_type == "patent" and r.title.lang == "en"
        for t in (r.title.text, r.abstract.text if r.abstract else "", *r.claims)
    ]
    for text in texts:
        folded = fold(text)
        assert index_tokens(text) == jieba_search_mode(folded)
        assert query_tokens(text) == jieba_precise_mode(folded), text


def test_segmenter_without_rjiebas_default_instance() -> None:
    """The segmenter loads rjieba's extension alone (the package would build a second, unused
    dictionary); ``import rjieba`` afterwards still works and shares the class."""
    code = (
        "import sys\n"
        "from nlp.segment import segmenter\n"
        "seg = segmenter()\n"
        "assert 'rjieba' not in sys.modules, 'package imported'\n"
        "assert seg.cut('锂电池正极材料', hmm=False) == ['锂电池', '正极材料']\n"
        "import rjieba\n"
        "assert type(seg) is rjieba.Jieba\n"
        "assert rjieba.cut('锂电池', False) == ['锂电池']\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])  # noqa: S603


def test_index_texts_are_the_word_and_character_tokens() -> None:
    """``index_document`` stores ``index_texts``: one fold serves both fields, and the Latin
    fast path reuses its runs as character tokens; both must equal the separate functions."""
    from nlp.segment import index_texts
    from tests.utils.factories import load_corpus

    texts = LATIN_TEXTS + [s for s, _ in CASES] + ["", "  ", "ＡＢＣ\u200b１２３ 锂电池 Li-ion"]
    texts += ["3D打印机 USB接口 维生素C x光", "——，。！ Ⅻ ① ㈱ ﬁ 한국어", "a" * 70 + " 电池" * 30]
    texts += ["锂电池（正极）、负极；かなα한국어 ——" * 3, "，。", "㐀丽\uf900\ufaff"]  # no Latin
    for r in load_corpus():
        if r.record_type == "patent":
            texts += [r.title.text, r.abstract.text if r.abstract else "", *r.claims]
    for text in texts:
        words, chars = index_texts(text)
        folded = fold(text)
        assert words.split() == jieba_search_mode(folded), text
        assert chars.split() == char_tokens(text), text


def test_fold_of_ascii_takes_the_short_path_to_the_same_result() -> None:
    import unicodedata

    for text in LATIN_TEXTS + ["MiXeD Case\tTabs 123"]:
        if text.isascii():
            assert fold(text) == unicodedata.normalize("NFKC", text).lower()


def test_texts_segmented_one_by_one_give_the_tokens_of_the_joined_text() -> None:
    """``index_document`` segments a field's texts (two titles, the applicants' names) one by
    one: a space is a boundary jieba never cuts across, so this must equal the joined text."""
    import random

    from nlp.segment import index_texts, index_texts_of
    from tests.utils.factories import load_corpus

    pieces = ["锂电池", "Lithium batteries", "ΑΣ", "Σ", "\u0301x", "e", "3D打印", "C++", "，。"]
    pieces += ["广州天赐高新材料股份有限公司", "Guangzhou Tinci Materials Technology Co., Ltd."]
    pieces += ["  ", "x光 机", "Ｘ光", "'s", "a.b", "维生素C", "—", "①②", "ﬁne"]
    for r in load_corpus():
        if r.record_type == "patent":
            pieces += [r.title.text, r.abstract.text if r.abstract else ""]
        pieces += [p.name for p in r.applicants]
    rng = random.Random(7)
    for _ in range(3_000):
        parts = [rng.choice(pieces) for _ in range(rng.randint(1, 4))]
        joined = " ".join(p for p in parts if p)
        assert index_texts_of(p for p in parts if p) == index_texts(joined), parts


def test_latin_runs_of_ascii_text_are_the_regex_runs() -> None:
    """ASCII text takes a translate-and-split path; it must give ``[0-9a-z]+``'s runs."""
    import random
    import re

    from nlp.segment import latin_runs

    rng = random.Random(11)
    alphabet = [chr(i) for i in range(128)]
    for _ in range(5_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert latin_runs(text) == re.findall(r"[0-9a-z]+", text), ascii(text)
    assert latin_runs("lithium-ion 3.5g/cm3 Upper") == ["lithium", "ion", "3", "5g", "cm3", "pper"]
    assert latin_runs("锂 battery") is None
    assert latin_runs(fold("Café Crème")) == ["cafe", "creme"]
    assert latin_runs("ŋ x") is None  # a letter of no script folded to ASCII: a word of its own
    assert latin_runs("батарея") is None


def test_remembered_stems_are_snowballs_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    import Stemmer

    from nlp import segment

    snowball = Stemmer.Stemmer("english")
    words = "batteries battery charging charged charges electrodes the batteries".split()
    monkeypatch.setattr(segment, "_STEMS", {})
    assert segment.stem_words(words) == snowball.stemWords(words)
    assert segment._STEMS["batteries"] == "batteri"  # remembered once, found next time
    assert segment.stem_words(words) == snowball.stemWords(words)
    monkeypatch.setattr(segment, "_STEMS_MAX", len(segment._STEMS))
    more = ["cathodes", "anodes", "batteries"]
    assert segment.stem_words(more) == snowball.stemWords(more)  # past the bound: still stemmed
    assert "cathodes" not in segment._STEMS  # but not remembered


def test_latin_letters_are_found_without_their_marks() -> None:
    """An EPO title ``MISE EN RÉSEAU BLUETOOTH`` is found by ``réseau`` and by ``reseau``; an
    inventor ``Kylmänen`` by ``kylmanen``. Marks of other scripts stay (``が`` is not ``か``)."""
    assert fold("MISE EN RÉSEAU") == "mise en reseau"
    assert fold("Straße Ølstykke Łódź façade naïve ǅ") == "strasse olstykke lodz facade naive dz"
    assert fold("がギ 한국") == "がギ 한국"
    assert index_tokens("MISE EN RÉSEAU BLUETOOTH") == ["mise", "en", "reseau", "bluetooth"]
    assert query_tokens("réseau") == query_tokens("Reseau") == ["reseau"]
    assert query_tokens("Kylmänen") == ["kylmanen"]
    assert char_tokens("Müller GmbH") == ["muller", "gmbh"]


OTHER_SCRIPTS = [
    (
        "리튬 배터리의 제조 방법",
        "리튬/튬배/배터/터리/리의/의제/제조/조방/방법",
        "배터리",
        "배터/터리",
    ),
    ("삼성전자주식회사", "삼성/성전/전자/자주/주식/식회/회사", "삼성전자", "삼성/성전/전자"),
    ("リチウムイオン電池", "リチ/チウ/ウム/ムイ/イオ/オン/電/池", "イオン", "イオ/オン"),
    ("Литиевая БАТАРЕЯ", "литиевая/батарея", "батарея", "батарея"),
    ("锂电池 батарея 한국어", "锂电/电池/锂电池/батарея/한국/국어", "한국어", "한국/국어"),
    ("Σύστημα α", "συστημα/α", "ΣΥΣΤΗΜΑ", "συστημα"),  # Greek capitals carry no accents
    ("ёмкостного", "емкостного", "емкостного", "емкостного"),
    ("ARÇELİK ANONİM ŞİRKETİ", "arcelik/anonim/sirketi", "şirketi", "sirketi"),  # İ lowers to i̇
    ("佐々木一郎", "佐/々/木/一/郎", "佐々木", "佐/々/木"),  # 々 and 〇 are Chinese characters
    ("ソニー・グループ", "ソニ/ニー/グル/ルー/ープ", "グループ", "グル/ルー/ープ"),  # ・ separates
    # a compound spaced or not: the pair across the space is indexed, never asked for
    ("리튬 이차 전지", "리튬/튬이/이차/차전/전지", "이차전지", "이차/차전/전지"),
    ("Müller GmbH", "muller/gmbh/mueller", "Mueller", "mueller"),  # EPO's ASCII spelling
]


@pytest.mark.parametrize(("text", "indexed", "word", "asked"), OTHER_SCRIPTS)
def test_words_of_other_scripts_are_indexed_and_found(
    text: str, indexed: str, word: str, asked: str
) -> None:
    """Hangul and kana (no space after a word: ``배터리의`` is 배터리 + 의) as overlapping pairs,
    so a word is found inside a longer one; Cyrillic, Greek … as words. jieba dropped them all:
    a Korean applicant's name was unsearchable."""
    assert "/".join(index_tokens(text)) == indexed
    assert "/".join(query_tokens(word)) == asked
    assert set(query_tokens(word)) <= set(index_tokens(text))


def test_character_tokens_of_other_scripts() -> None:
    """Phrases (``"…"``) match Hangul and kana a character at a time, as Chinese."""
    assert char_tokens("배터리의 锂电池 Li-ion батарея") == [
        "배", "터", "리", "의", "锂", "电", "池", "li", "ion", "батарея",
    ]  # fmt: skip
    assert char_tokens("リチウム") == ["リ", "チ", "ウ", "ム"]


def test_a_diaeresis_written_apart_gives_the_ascii_spelling_too() -> None:
    """``Mu\u0308ller`` (a Mac's decomposed ü) was indexed as ``muller`` alone: MUELLER
    missed it."""
    assert "mueller" in index_tokens("Mu\u0308ller GmbH")
