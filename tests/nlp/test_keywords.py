"""Key terms: TF-IDF over nouns and domain words of title and abstract."""

from __future__ import annotations

from nlp.keywords import build_idf, keywords, terms

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
