"""The query language: valid queries to ASTs, malformed ones to errors with positions."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iphub.query import (
    MAX_DEPTH,
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    And,
    DateRange,
    MatchAll,
    Near,
    Not,
    Or,
    Phrase,
    QuerySyntaxError,
    Word,
    as_strings,
    guess_fields,
    parse,
    to_text,
)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("锂电池", Word("锂电池")),
        ("", MatchAll()),
        ("   ", MatchAll()),
        ("ti=电池", Word("电池", "ti")),
        ("TI=电池", Word("电池", "ti")),
        ("ti = 电池", Word("电池", "ti")),
        ("ti=（电池）", Word("电池", "ti")),
        ("ｔｉ＝电池", Word("电池", "ti")),
        ("a b", And((Word("a"), Word("b")))),
        ("a AND b", And((Word("a"), Word("b")))),
        ("a 与 b", And((Word("a"), Word("b")))),
        ("a & b", And((Word("a"), Word("b")))),
        ("a OR b", Or((Word("a"), Word("b")))),
        ("a 或 b", Or((Word("a"), Word("b")))),
        ("a | b", Or((Word("a"), Word("b")))),
        ("NOT a", Not(Word("a"))),
        ("非 a", Not(Word("a"))),
        ("-a", Not(Word("a"))),
        ("a -b", And((Word("a"), Not(Word("b"))))),
        ("a OR b c", Or((Word("a"), And((Word("b"), Word("c")))))),
        ("(a OR b) c", And((Or((Word("a"), Word("b"))), Word("c")))),
        ("ti=(a OR b)", Or((Word("a", "ti"), Word("b", "ti")))),
        ('ti=(a "b c")', And((Word("a", "ti"), Phrase("b c", "ti")))),
        ('"lithium battery"', Phrase("lithium battery")),
        ("“锂电池”", Phrase("锂电池")),
        ('ab="固态 电池"', Phrase("固态 电池", "ab")),
        ("电池*", Word("电池", truncated=True)),
        ("ipc=H01M10/*", Word("H01M10/", "ipc", truncated=True)),
        ("multi-agent", Word("multi-agent")),
        ("who's", Word("who's")),
        ("20.04", Word("20.04")),
        ("ti:x", Word("ti:x")),
        ("x~2", Word("x~2")),
        ("a NEAR/3 b", Near(Word("a"), Word("b"), 3)),
        ("pd>=2020-01-01", DateRange("pd", dt.date(2020, 1, 1), None)),
        ("pd>2020", DateRange("pd", dt.date(2021, 1, 1), None)),
        ("pd<2020", DateRange("pd", None, dt.date(2019, 12, 31))),
        ("pd<=2020-02", DateRange("pd", None, dt.date(2020, 2, 29))),
        ("pd=2020", DateRange("pd", dt.date(2020, 1, 1), dt.date(2020, 12, 31))),
        ("pd=20200517", DateRange("pd", dt.date(2020, 5, 17), dt.date(2020, 5, 17))),
        ("pd=2020:2023", DateRange("pd", dt.date(2020, 1, 1), dt.date(2023, 12, 31))),
        ('pd within "2020,2023"', DateRange("pd", dt.date(2020, 1, 1), dt.date(2023, 12, 31))),
        ('ad within "2020-03,"', DateRange("ad", dt.date(2020, 3, 1), None)),
        # one period alone is that period, as ``=`` reads it (it read as "from 2020 on")
        ('pd within "2020"', DateRange("pd", dt.date(2020, 1, 1), dt.date(2020, 12, 31))),
        ('pd within "2020-05"', DateRange("pd", dt.date(2020, 5, 1), dt.date(2020, 5, 31))),
        ("pd=202005", DateRange("pd", dt.date(2020, 5, 1), dt.date(2020, 5, 31))),
        ("pd=2020.5.17", DateRange("pd", dt.date(2020, 5, 17), dt.date(2020, 5, 17))),
        # the first and last searchable years, and the bounds worked out past them
        ("pd=1700", DateRange("pd", dt.date(1700, 1, 1), dt.date(1700, 12, 31))),
        ("pd<1700", DateRange("pd", None, dt.date(1699, 12, 31))),
        ("pd>2200-12-31", DateRange("pd", dt.date(2201, 1, 1), None)),
        ("pd within", And((Word("pd"), Word("within")))),
        # an office number written spaced, after a number field, is one value
        ("pn=CN 114123456 A", Word("CN114123456A", "pn")),
        ("ap=ZL 2021 1 0123456.7", Word("ZL202110123456.7", "ap")),
        ("pn=CN 114123456 A 电池", And((Word("CN114123456A", "pn"), Word("电池")))),
        ("pn=CN 114123456 A ti=电池", And((Word("CN114123456A", "pn"), Word("电池", "ti")))),
        ("pn=CN114123456A 2020", And((Word("CN114123456A", "pn"), Word("2020")))),
        ("pn=CN OR x", Or((Word("CN", "pn"), Word("x")))),
        ("CN 114123456 A", And((Word("CN"), Word("114123456"), Word("A")))),  # no field: words
    ],
)
def test_parses(query: str, expected: object) -> None:
    assert parse(query) == expected


@pytest.mark.parametrize(
    ("query", "code", "position"),
    [
        ("ti=(电池", "unbalanced_parenthesis", 3),
        ("(a OR b", "unbalanced_parenthesis", 0),
        ("a)", "unbalanced_parenthesis", 1),
        ('"abc', "unterminated_phrase", 0),
        ('a "b', "unterminated_phrase", 2),
        ("ti=", "missing_value", 3),
        ("ti= AND x", "missing_value", 3),
        ("=x", "missing_field", 0),
        ("AND", "dangling_operator", 0),
        ("a AND", "dangling_operator", 2),
        ("a OR", "dangling_operator", 2),
        ("NOT", "dangling_operator", 0),
        ("()", "empty_group", 0),
        ('""', "empty_phrase", 0),
        ("foo=bar", "unknown_field", 0),
        ("*电池", "leading_truncation", 0),
        ("a *b", "leading_truncation", 2),
        ("*", "leading_truncation", 0),
        ("pd=2020-13", "bad_date", 3),
        ("pd=yesterday", "bad_date", 3),
        ("pd=2023:2020", "bad_date", 3),
        # outside the years every store can hold (bounds at 9999 / 0001 once overflowed)
        ("pd=9999", "bad_date", 3),
        ("pd>9999-12-31", "bad_date", 3),
        ("pd<0001-01-01", "bad_date", 3),
        ("pd=3000", "bad_date", 3),
        ("rd>=2300", "bad_date", 4),
        ("pd=1600", "bad_date", 3),
        ('pd within "1500,1600"', "bad_date", 11),
        ('pd within "2020,2201"', "bad_date", 16),
        # a date is a year, a month or a day: not five or seven digits
        ("pd=99999", "bad_date", 3),
        ("pd=20201", "bad_date", 3),
        ("pd=2020051", "bad_date", 3),
        ("pd=2020-05/17", "bad_date", 3),
        ("ti>电池", "bad_operator", 2),
        ("ti=(pa=x)", "nested_field", 4),
        ("a\x00b", "bad_character", 1),
        ("a\ud800", "bad_character", 1),
        ("a NEAR/2 (b c)", "bad_proximity", 2),
    ],
)
def test_errors_name_code_and_position(query: str, code: str, position: int) -> None:
    with pytest.raises(QuerySyntaxError) as exc:
        parse(query)
    assert (exc.value.code, exc.value.position) == (code, position)
    assert exc.value.message_zh
    assert exc.value.message_en


def test_limits() -> None:
    with pytest.raises(QuerySyntaxError, match="longer than") as exc:
        parse("a" * (MAX_QUERY_LENGTH + 1))
    assert exc.value.code == "query_too_long"
    with pytest.raises(QuerySyntaxError) as exc:
        parse(" ".join(f"w{i}" for i in range(MAX_TERMS + 1)))
    assert exc.value.code == "too_many_terms"
    with pytest.raises(QuerySyntaxError) as exc:
        parse("(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1))
    assert exc.value.code == "too_deep"
    assert parse("(" * MAX_DEPTH + "a" + ")" * MAX_DEPTH) == Word("a")


def test_deep_nesting_fails_fast_without_recursion_error() -> None:
    with pytest.raises(QuerySyntaxError):
        parse("(" * 1900)
    with pytest.raises(QuerySyntaxError):
        parse("NOT " * 499 + "a")


def test_positions_point_into_the_query() -> None:
    node = parse("电池 AND pa=华南理工大学")
    assert isinstance(node, And)
    assert [c.pos for c in node.children] == [0, 7]


def _check_total(text: str) -> None:
    """An AST that prints and re-parses to itself, or our own error pointing into the text."""
    position = None
    try:
        ast = parse(text)
    except QuerySyntaxError as exc:
        position = exc.position
    if position is None:
        assert parse(to_text(ast)) == ast
    else:
        assert 0 <= position <= len(text)


_ALPHABET = st.sampled_from(
    list('ab电池 ()"“”=<>&|-*:AND OR NOT ti pd 2020 ,') + ["AND", "OR", "ti=", "pd>="]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=25).map("".join))
def test_parser_is_total_and_printing_round_trips(text: str) -> None:
    _check_total(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_parser_is_total_on_any_text(text: str) -> None:
    _check_total(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CN114000001A", "pn=CN114000001A OR ap=CN114000001A OR rel=CN114000001A"),
        ("ZL202110123456.7", "pn=ZL202110123456.7 OR ap=ZL202110123456.7 OR rel=ZL202110123456.7"),
        ("ZL202110123456.3", "ZL202110123456.3"),  # wrong check digit: not a number
        ("H01M10/0525", "ipc=H01M10/0525"),
        ("h01m", "ipc=h01m"),
        ("电池 US11000011B2", "电池 AND (pn=US11000011B2 OR ap=US11000011B2 OR rel=US11000011B2)"),
        ("2020", "2020"),
        ("5G", "5G"),
        ("ti=H01M", "ti=H01M"),
        ("NOT H01M", "NOT ipc=H01M"),
    ],
)
def test_guess_fields(text: str, expected: str) -> None:
    assert to_text(guess_fields(parse(text))) == expected


def test_a_number_in_a_trademark_search_is_no_related_document() -> None:
    """Trademarks have no related documents: ``rel`` would be a 400 in a trademark search."""
    assert to_text(guess_fields(parse("12345678"), "trademark")) == "pn=12345678 OR ap=12345678"
    assert to_text(guess_fields(parse("H01M"), "trademark")) == "H01M"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016SR309930", "pn=2016SR309930"),
        ("管理软件 2016sr309930", "管理软件 AND pn=2016sr309930"),
        ("国作登字-2016-F-00269796", "pn=国作登字-2016-F-00269796"),
        ("CN114000001A", "CN114000001A"),  # a patent's number: no field of a registration
        ("H01M", "H01M"),
        ("2016", "2016"),
    ],
)
def test_a_registration_number_in_a_copyright_search_is_one(text: str, expected: str) -> None:
    """A copyright search has no ``ap``, ``rel`` or ``ipc``: a bare registration number is
    searched as ``pn``, anything else stays words of the title."""
    assert to_text(guess_fields(parse(text), "copyright")) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("池正极材", '"池正极材"'),
        ("ti=池正极材 AND pd>=2020", 'ti="池正极材" AND pd within "2020-01-01,"'),
        ("锂电池 OR battery", '"锂电池" OR battery'),  # Latin words stay words
        ("电池 NOT 钠离子", '"电池" AND NOT 钠离子'),  # a NOT keeps its word
        ("锂电* 正极", '锂电* AND "正极"'),  # truncation stays
        ("ipc=H01M AND 电池", 'ipc=H01M AND "电池"'),
        ("tm=云山", 'tm="云山"'),
    ],
)
def test_chinese_words_as_exact_strings(text: str, expected: str) -> None:
    converted = as_strings(parse(text))
    assert converted is not None
    assert to_text(converted) == expected


@pytest.mark.parametrize(
    "text", ["battery", '"固态电池"', "ipc=H01M", "电", "NOT 电池", "pd>=2020"]
)
def test_nothing_to_search_as_strings(text: str) -> None:
    """No Chinese word of two characters or more, outside a NOT, in a text field: no retry."""
    assert as_strings(parse(text)) is None
