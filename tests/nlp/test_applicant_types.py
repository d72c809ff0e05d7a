"""Applicant types: head-final Chinese rules, spaCy phrase matching for Latin names."""

from __future__ import annotations

import random
import re

import pytest

from nlp.applicant_types import (
    _en_matches,
    _en_pipeline,
    _plain_tokens,
    _special_cases,
    applicant_type,
)
from nlp.tables import read_table


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("华南理工大学", "university"),
        ("广州医科大学附属第一医院", "hospital"),
        ("广东电网有限责任公司广州供电局", "enterprise"),
        ("广州市人民政府办公厅", "government"),
        ("中国科学院广州能源研究所", "institute"),
        ("广州市市政工程设计研究总院有限公司", "enterprise"),
        ("广州增城电池厂", "enterprise"),
        ("广州某某投资合伙企业（有限合伙）", "enterprise"),
        ("广东省知识产权保护协会", "other"),
        ("陈明", "individual"),
        ("欧阳娜娜", "individual"),
        ("买买提·艾力", "individual"),
        ("广州云山", "other"),
        ("Acme Battery Inc.", "enterprise"),
        ("Koninklijke Philips N.V.", "enterprise"),
        ("The Regents of the University of California", "university"),
        ("Massachusetts Institute of Technology", "university"),
        ("Research Institute of Tsinghua University in Shenzhen", "institute"),
        ("Massachusetts General Hospital", "hospital"),
        ("SMITH, John A.", "individual"),
        ("KYLMÄNEN JARI", "individual"),
        ("株式会社半导体能源研究所", "enterprise"),
        ("株式会社村田制作所", "enterprise"),
        ("American Heart Association", "other"),
    ],
)
def test_applicant_type(name: str, kind: str) -> None:
    assert applicant_type(name) == kind


def _spacy_matches(text: str) -> tuple[int, set[tuple[int, int, str]]]:
    nlp, matcher, labels = _en_pipeline()
    doc = nlp.make_doc(text)
    return len(doc), {(start, end, labels[mid]) for mid, start, end in matcher(doc)}


def _case(rng: random.Random, word: str) -> str:
    return rng.choice([word, word.title(), word.upper(), word.capitalize()])


def _names() -> list[str]:
    """Plain names built from every English phrase word, joiners, exceptions and odd spacing."""
    phrases = [
        p
        for r in read_table("applicant_types.tsv")
        if r["lang"] == "en"
        for p in r["pattern"].split("|")
    ]
    words = sorted(
        {*phrases, *(w for p in phrases for w in p.split())}
        | {"acme", "of", "the", "and", "guangzhou", "membrane", "john", "smith", "cannot", "dont"}
        | {"Ima", "Hes", "Cant", "Wont", "Im"}
    )
    rng = random.Random(4)
    names = [
        "",
        " ",
        "   ",
        " acme inc",
        "acme co  ltd ",
        "guangzhou membrane co  ltd ",
        "research institute of tsinghua university in shenzhen",
        "the regents of the university of california",
        "technology co ltd",
        "acme   corp  ",
        "acme cannot corp",
        "Acme Dont Corp",
        "ACME CANNOT CORP",
        "Guangzhou Membrane Co  Ltd ",
        "The Regents of the University of California",
        "universität zürich",
        "acme-widgets corp",
        "o'neil & sons llc",
        "x2 technologies",
    ]
    for _ in range(4000):
        picked = [_case(rng, rng.choice(words)) for _ in range(rng.randint(1, 7))]
        gaps = [rng.choice([" ", " ", " ", "  ", "   "]) for _ in picked]
        lead = rng.choice(["", "", "", " ", "  "])
        names.append(
            lead
            + "".join(w + g for w, g in zip(picked, gaps, strict=True)).rstrip(
                " " if rng.random() < 0.5 else ""
            )
        )
    return names


def test_plain_names_match_as_spacy_does() -> None:
    """The spaCy-free path for names of a–z words gives spaCy's tokens and phrase matches."""
    for text in _names():
        size, found = _en_matches(text)
        assert (size, set(found)) == _spacy_matches(text), text


def test_special_cases_are_spacys() -> None:
    nlp, _, _ = _en_pipeline()
    plain = {k for k in nlp.tokenizer.rules if re.fullmatch("[A-Za-z]+", k)}
    assert _special_cases() == plain
    assert _plain_tokens("acme cannot corp") is None
    assert _plain_tokens("guangzhou membrane co  ltd ") == [
        "guangzhou",
        "membrane",
        "co",
        " ",
        "ltd",
    ]
