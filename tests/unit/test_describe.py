from __future__ import annotations

import pytest

from iphub import query as q
from iphub.describe import MAX_TEXT, NoTerms, _term, query_from_text


def test_terms_best_first_as_an_or_query_over_titles_and_abstracts() -> None:
    described = query_from_text(
        "本发明公开了一种锂离子电池正极材料，在镍钴锰三元材料表面包覆氧化铝，提高循环稳定性。"
    )
    assert described.terms[:2] == ["锂离子电池", "正极材料"]
    ast = q.parse(described.query)
    assert isinstance(ast, q.Or)
    assert [c.text for c in ast.children] == described.terms  # type: ignore[union-attr]
    assert {c.field for c in ast.children} == {"ta"}  # type: ignore[union-attr]


@pytest.mark.parametrize("term", ["AND", "or", "非", "c++"])
def test_a_term_that_would_not_read_back_as_a_word_is_a_phrase(
    term: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("iphub.describe.keywords", lambda *_a, **_k: [term, "电池"])
    described = query_from_text("whatever")
    ast = q.parse(described.query)
    assert isinstance(ast, q.Or)
    first = ast.children[0]
    assert isinstance(first, q.Word | q.Phrase)
    assert (first.text, first.field) == (term, "ta")  # read back as the term itself
    assert ast.children[1] == q.Word("电池", "ta")


def test_an_operators_name_is_a_phrase() -> None:
    assert _term("AND") == q.Phrase("AND", "ta")
    assert _term("电池") == q.Word("电池", "ta")


def test_one_term_is_a_word_and_none_is_an_error() -> None:
    assert query_from_text("电池").query == "ta=电池"
    with pytest.raises(NoTerms):
        query_from_text("的了吗")
    with pytest.raises(ValueError, match="at most"):
        query_from_text("x" * (MAX_TEXT + 1))
    with pytest.raises(ValueError, match="terms"):
        query_from_text("电池", terms=0)


def test_english_function_words_are_not_key_terms() -> None:
    described = query_from_text(
        "The device does not require a separate charger and can not overheat because the cell "
        "is sealed."
    )
    assert described.terms == ["require", "separate", "charger", "overheat", "cell", "sealed"]


def test_a_sequence_pasted_whole_is_not_a_term_and_the_query_stays_searchable() -> None:
    sequence = "acgt" * 700  # 2,800 letters: a DNA sequence in a biotech description
    described = query_from_text(f"A primer for {sequence} amplifies the rice blast gene.")
    assert sequence not in described.terms
    assert {"primer", "rice", "blast", "gene"} <= set(described.terms)
    assert len(described.query) <= q.MAX_QUERY_LENGTH
    q.parse(described.query)  # the search takes it as it stands
