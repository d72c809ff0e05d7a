from __future__ import annotations

from iphub.highlight import highlight


def test_cjk_and_latin_matches() -> None:
    assert highlight("锂电池与Batteries", {"锂电池", "batteri"}, set()) == (
        "<em>锂电池</em>与<em>Batteries</em>"
    )


def test_phrase_and_prefix() -> None:
    assert highlight("固态电池和lithium", set(), {"态电"}) == "固<em>态电</em>池和lithium"
    assert highlight("lithium ion", {"lith*"}, set()) == "<em>lithium</em> ion"


def test_escapes_html() -> None:
    assert highlight("<b>电池</b>", {"电池"}, set()) == "&lt;b&gt;<em>电池</em>&lt;/b&gt;"


def test_snippet_window_around_first_match() -> None:
    text = "甲" * 100 + "电池" + "乙" * 100
    out = highlight(text, {"电池"}, set(), width=40)
    assert out.startswith("…")
    assert out.endswith("…")
    assert "<em>电池</em>" in out
