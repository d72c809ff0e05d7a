"""The Elasticsearch translation never builds a parsing or scripting query from user text."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from iphub import query as q
from iphub.store import plan as p
from iphub.store.elastic_query import kind_query, prefixes, to_dsl

FORBIDDEN = ("query_string", "simple_query_string", "regexp", "wildcard", "fuzzy", "script")
_PIECES = st.sampled_from(
    [
        "ti:x",
        "/re.*/",
        "x~2",
        "x^3",
        "_exists_:",
        '{"script":1}',
        "电池",
        "lithi*",
        "a",
        "OR",
        "AND",
        "NOT",
        "(",
        ")",
        '"',
        " ",
        "pa=",
        "ipc=H01M*",
        "pd>=2020",
        "regexp",
        "script",
    ]
)


def _expand(node: p.Prefix) -> list[str]:
    return [node.prefix + "x", node.prefix + "y"]


def _keys(obj: object) -> set[str]:
    if isinstance(obj, dict):
        return set(obj) | {k for v in obj.values() for k in _keys(v)}
    if isinstance(obj, list):
        return {k for v in obj for k in _keys(v)}
    return set()


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_compiled_queries_hold_no_parser_or_script(text: str) -> None:
    try:
        plan = p.compile_query(q.parse(text), "patent")
    except q.QuerySyntaxError:
        return
    dsl = kind_query("patent", plan, _expand)
    assert not _keys(dsl) & set(FORBIDDEN), json.dumps(dsl, ensure_ascii=False)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_prefixes_lists_what_the_translation_expands(text: str) -> None:
    """The read flows ask for every expansion before building the query: they must ask for
    exactly the prefixes, in the order, that the translation then looks up."""
    try:
        plan = p.compile_query(q.parse(text), "patent")
    except q.QuerySyntaxError:
        return
    asked: list[p.Prefix] = []
    kind_query("patent", plan, lambda node: asked.append(node) or _expand(node))
    assert list(prefixes(plan)) == asked


def test_prefixes_skips_exclusions_alone() -> None:
    lith, bat = p.Prefix("ti_w", "lith"), p.Prefix("ab_w", "bat", pos=9)
    assert list(prefixes(p.Bool(must_not=(lith,)))) == []  # matches nothing, expands nothing
    assert list(prefixes(p.Bool(should=(bat,), must_not=(lith,)))) == [bat, lith]


def test_translation_examples() -> None:
    plan = p.compile_query(q.parse('ti=电池 AND "锂电" NOT pd<2020'), "patent")
    dsl = to_dsl(plan, _expand)
    text = json.dumps(dsl, ensure_ascii=False)
    assert '"term": {"ti_w": {"value": "电池"' in text
    assert '"match_phrase"' in text
    assert '"lte": "2019-12-31"' in text
    assert to_dsl(p.Prefix("ti_w", "lith"), _expand) == {
        "terms": {"ti_w": ["lithx", "lithy"], "boost": 1.0}
    }
    assert to_dsl(p.Prefix("ti_w", "zz"), lambda _: []) == {"match_none": {}}
