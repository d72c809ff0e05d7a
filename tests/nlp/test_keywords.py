"""Key terms: TF-IDF over nouns and domain words of title and abstract."""

from __future__ import annotations

import marshal
import pickle
from array import array
from pathlib import Path

import pytest

from nlp.keywords import (
    CompactIdf,
    _jieba_file,
    _jieba_idf,
    build_idf,
    cache_dir,
    keywords,
    terms,
)

TITLE = "一种锂电池正极材料及其制备方法"
ABSTRACT = "本发明公开了一种锂离子电池正极材料，采用镍钴锰三元前驱体，提高了锂电池的循环寿命。"


def test_domain_terms_first() -> None:
    assert keywords(TITLE, ABSTRACT, k=4) == ["正极材料", "锂电池", "制备方法", "锂离子电池"]


def test_boilerplate_is_not_a_term() -> None:
    found = terms("本发明公开了一种装置及方法，所述装置包括外观设计")
    assert not {"本发明", "装置", "方法", "外观设计"} & set(found)


def test_a_design_patents_brief_description_gives_its_own_terms_only() -> None:
    """A design patent's 简要说明 names its parts (名称, 用途, 设计要点, 立体图 …) in every
    record: those led the keyword statistics of designs."""
    text = (
        "1．本外观设计产品的名称：蓝牙耳机。2．本外观设计产品的用途：用于收听音频。"
        "3．本外观设计产品的设计要点：在于形状。4．最能表明设计要点的图片或照片：立体图。"
    )
    found = set(terms(text))
    assert not {"设计", "要点", "设计要点", "用途", "名称", "图片", "照片", "立体图"} & found
    assert {"耳机", "音频", "形状"} <= found


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
    assert dict(pickle.loads(pickle.dumps(table))) == dict(table)  # noqa: S301 - no salted hash


def test_compact_idf_saved_and_loaded(tmp_path: Path) -> None:
    table = CompactIdf([("锂电池", 9.5), ("隔膜", 11.0), ("battery", 9.5)], buckets=4)
    table.save(tmp_path / "idf", median=9.5)
    loaded, extra = CompactIdf.load(tmp_path / "idf")
    assert dict(loaded) == dict(table)
    assert extra == {"median": 9.5}
    assert loaded["隔膜"] == 11.0
    assert "电池" not in loaded
    assert [p.name for p in tmp_path.iterdir()] == ["idf"]  # no part file left behind


def _uints(*values: int) -> bytes:
    return array("I", values).tobytes()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not marshal data",
        marshal.dumps(("iphub-compact-idf-0", 0, b"", b"", b"", ("\n",), {})),
        marshal.dumps(("iphub-compact-idf-1", 1, b"", b"", b"", ("\n",), {})),  # 1 bucket of 2
        marshal.dumps(("iphub-compact-idf-1", 0, b"", _uints(0, 1), _uints(0), ("\nw\n",), {})),
        marshal.dumps(("iphub-compact-idf-1", 0, b"", _uints(0, 2), _uints(0), ("\nw\n",), {})),
        marshal.dumps([1, 2, 3]),
    ],
    ids=["empty", "garbage", "old-version", "bucket-count", "value-missing", "offsets", "list"],
)
def test_damaged_idf_file_is_refused(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "idf").write_bytes(content)
    with pytest.raises(ValueError, match="not an IDF table of this version"):
        CompactIdf.load(tmp_path / "idf")


def test_jieba_idf_built_once_then_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first process builds jieba's table and keeps it; the next ones load it. A damaged
    or unwritable cache only costs the build."""
    monkeypatch.setenv("IPHUB_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "cache").mkdir()
    earlier = tmp_path / "cache" / "jieba-idf-1-1.marshal"  # an earlier jieba's table
    earlier.write_bytes(b"old")
    other = tmp_path / "cache" / "notes.txt"  # not a table: left alone
    other.write_text("x")
    _jieba_idf.cache_clear()
    try:
        built, median = _jieba_idf()
        (saved,) = (tmp_path / "cache").glob("*.marshal")  # the earlier one removed
        assert saved != earlier
        assert other.read_text() == "x"
        _jieba_idf.cache_clear()
        loaded, again = _jieba_idf()
        assert again == median
        assert len(loaded) == len(built) == 270_132
        assert loaded.get("锂电池") == built.get("锂电池")
        saved.write_bytes(b"damaged")
        _jieba_idf.cache_clear()
        rebuilt, _ = _jieba_idf()
        assert rebuilt.get("锂电池") == built.get("锂电池")
        assert CompactIdf.load(saved)[1] == {"median": median}  # written afresh
        monkeypatch.setenv("IPHUB_CACHE_DIR", str(saved / "not-a-directory"))
        _jieba_idf.cache_clear()
        assert _jieba_idf()[1] == median
    finally:
        _jieba_idf.cache_clear()


def test_cache_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPHUB_CACHE_DIR", "/srv/iphub/cache")
    assert cache_dir() == Path("/srv/iphub/cache")
    monkeypatch.delenv("IPHUB_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "/var/cache/u")
    assert cache_dir() == Path("/var/cache/u/iphub")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", "/home/u")
    assert cache_dir() == Path("/home/u/.cache/iphub")
    monkeypatch.setattr("os.path.expanduser", lambda path: path)  # no home directory known
    assert cache_dir() is None
    _jieba_idf.cache_clear()
    try:
        assert len(_jieba_idf()[0]) == 270_132  # built, not kept
    finally:
        _jieba_idf.cache_clear()


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
    # ASCII skips ``fold`` too: its runs are the same whatever the spaces between them
    texts += ["  Lithium\tbattery\n\ncathodes   coated  ", "anode\x0bseparator\x0cstack\r\n"]
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
