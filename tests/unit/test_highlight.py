from __future__ import annotations

from iphub.highlight import highlight


def test_cjk_and_latin_matches() -> None:
    assert highlight("锂电池与Batteries", {"锂电池", "batteri"}, set()) == (
        "<em>锂电池</em>与<em>Batteries</em>"
    )


def test_phrase_and_prefix() -> None:
    assert highlight("固态电池和lithium", set(), {"态 电"}) == "固<em>态电</em>池和lithium"
    assert highlight("lithium ion", {"lith*"}, set()) == "<em>lithium</em> ion"


def test_escapes_html() -> None:
    assert highlight("<b>电池</b>", {"电池"}, set()) == "&lt;b&gt;<em>电池</em>&lt;/b&gt;"


def test_snippet_window_around_first_match() -> None:
    text = "甲" * 100 + "电池" + "乙" * 100
    out = highlight(text, {"电池"}, set(), width=40)
    assert out.startswith("…")
    assert out.endswith("…")
    assert "<em>电池</em>" in out


def test_what_folding_changes_is_marked_on_the_texts_own_characters() -> None:
    """Folding changes lengths (ß is ss, a zero-width space nothing, a combining accent from a
    Mac joins its letter): the matches were marked a character off, or not at all."""
    assert (
        highlight("ß 배터리\u200b 모듈", {"배터", "터리"}, set()) == "ß <em>배터리</em>\u200b 모듈"
    )
    assert highlight("Réseau électrique pour Straße", set(), {"reseau electrique"}) == (
        "<em>Réseau électrique</em> pour Straße"
    )
    assert highlight("Straße und Weg", {"strass"}, set()) == "<em>Straße</em> und Weg"
    decomposed = "Re\u0301seau de te\u0301le\u0301communication"
    assert (
        highlight(decomposed, {"reseau"}, set())
        == "<em>Re\u0301seau</em> de te\u0301le\u0301communication"
    )
    hangul = (
        "\u1105\u1175\u1110\u1172\u11b7 \u1107\u1162\u1110\u1165\u1105\u1175"  # 리튬 배터리, NFD
    )
    assert highlight(hangul, {"배터", "터리"}, set()).endswith(
        "<em>\u1107\u1162\u1110\u1165\u1105\u1175</em>"
    )
    assert highlight("ＬＩＴＨＩＵＭ 电池", {"lithium"}, set()) == "<em>ＬＩＴＨＩＵＭ</em> 电池"


def test_a_phrase_is_found_across_spaces_and_punctuation_between_its_tokens() -> None:
    """A phrase's tokens joined without a space (이차전지) or with one (5g 통신) were looked for
    as written, and a phrase the text spaced otherwise was not marked."""
    assert highlight("리튬 이차 전지용", set(), {"이 차 전 지"}) == "리튬 <em>이차 전지</em>용"
    assert highlight("5G通信模块", set(), {"5g 通 信"}) == "<em>5G通信</em>模块"
    assert highlight("Li-ion cells", set(), {"li ion"}) == "<em>Li-ion</em> cells"
    assert highlight("lithium ions", set(), {"li ion"}) == "lithium ions"  # not inside words
    assert highlight("ARÇELİK ANONİM", {"arcelik"}, set()) == "<em>ARÇELİK</em> ANONİM"


def test_the_folded_text_is_the_index_fold_and_runs_fold_at_once() -> None:
    """Runs of characters that fold to one are folded at once (per character it was 2.4 to 4
    times slower); the folded text is the index's fold all the same."""
    import random

    from iphub.highlight import _folded
    from nlp.segment import fold

    tricky = [
        "锂电池（正极），负极：１２３％",
        "ﾊﾟﾅｿﾆｯｸ株式会社",  # half-width kana and their voicing marks join
        "か\u3099ぎ",  # a voicing mark written apart joins its kana
        "Re\u0301seau Straße ÆON ㈱ ﬁne ℃ ①",
        "ARÇELİK 5µm γ射线",
    ]
    for text in tricky:
        assert _folded(text)[0] == fold(text), text
    rng = random.Random(3)
    alphabet = "abcXYZ 019,.-锂电池正极한국어かなカナ，（）：；！？％＋－／　。、“”"
    for _ in range(2_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        folded, starts, ends = _folded(text)
        assert folded == fold(text), text
        if starts is not None and ends is not None:
            assert len(starts) == len(ends) == len(folded)


def test_hits_by_other_spellings_and_scripts_are_marked() -> None:
    """Found and not marked: a hit through the index's ASCII spelling of an umlaut (MUELLER
    for Müller), half-width kana, Greek or Cyrillic next to Chinese or digits."""
    assert highlight("Verfahren von Müller GmbH", {"mueller"}, set()) == (
        "Verfahren von <em>Müller</em> GmbH"
    )
    assert highlight("Kühne AG", {"kueh*"}, set()) == "<em>Kühne</em> AG"
    assert highlight("ﾊﾟﾅｿﾆｯｸ株式会社", set(), {"パ ナ ソ ニ ッ ク"}) == ("<em>ﾊﾟﾅｿﾆｯｸ</em>株式会社")
    assert highlight("一种γ射线探测器", set(), {"γ 射 线"}) == "一种<em>γ射线</em>探测器"
    assert highlight("толщиной 5мм", {"мм"}, set()) == "толщиной 5<em>мм</em>"


def test_every_character_folded_in_runs_folds_to_itself_lowered() -> None:
    """What ``_folded`` folds a run at a time must be what the index's fold makes of each
    character alone: itself lowered, or the common full-width punctuation's ASCII."""
    import re

    from iphub import highlight as h
    from nlp.segment import fold

    simple = re.compile(f"[{h._SIMPLE}]")
    chars = [chr(c) for c in range(0x10000) if simple.match(chr(c))]
    assert len(chars) > 30_000
    wrong = [c for c in chars if fold(c) != c.lower()]
    assert wrong == []
    assert all(fold(c) == c.translate(h.WIDE_TO_NARROW) for c in h.COMMON_WIDE)
