"""Compile a query AST into an engine-neutral plan over the fields of ``iphub.store.fields``.

Segmentation, field resolution, value normalisation and the query limits happen here, once, so
every store only translates plan nodes one-to-one into its engine's query objects. Errors point at
the position of the AST node that caused them.
"""

from __future__ import annotations

import datetime as dt
import re
from contextlib import suppress
from dataclasses import dataclass, replace
from functools import cache
from typing import NamedTuple

from iphub import query as q
from iphub.collections import by_id
from iphub.numbers import (
    NumberError,
    copyright_id,
    normalize_application_number,
    normalize_publication_number,
    trademark_number,
)
from iphub.store.fields import (
    FIELDS,
    DateField,
    FieldSpec,
    KeywordField,
    RecordKind,
    TextField,
    ipc_terms,
)
from iphub.store.values import CODED, coded, country
from nlp.applicants import clean as clean_applicant
from nlp.applicants import normalise as normalise_applicant
from nlp.segment import (
    CJK,
    ONE_CHARACTER,
    SYLLABIC,
    char_tokens,
    fold,
    query_tokens,
    two_letter_spelling,
)
from nlp.tables import simplified

#: Most index terms a single ``prefix*`` may expand to (Espacenet-like limit, answered with 400).
MAX_EXPANSIONS = 500
#: Shortest Latin prefix before ``*`` (one CJK character is enough).
MIN_PREFIX = 2
#: Most tokens one word of a query may be cut into (a word of 2,000 Chinese characters was
#: ≈1,000, each looked for in every text field: Elasticsearch refused the query, a 500); a
#: passage of a few hundred characters pasted unquoted stays within it
MAX_WORD_TOKENS = 300
#: Most term, phrase and prefix clauses a whole query may compile to: below the least clause
#: limit of Elasticsearch (1,024 on the smallest heap), so that both stores answer alike.
MAX_CLAUSES = 1024


@dataclass(frozen=True)
class Term:
    field: str
    value: str
    boost: float = 1.0


@dataclass(frozen=True)
class Terms:
    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Prefix:
    """Expanded by the store to at most ``MAX_EXPANSIONS`` index terms, or a 400."""

    field: str
    prefix: str
    boost: float = 1.0
    pos: int = 0


@dataclass(frozen=True)
class PhraseQ:
    field: str
    tokens: tuple[str, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Range:
    field: str
    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True)
class Bool:
    must: tuple[Plan, ...] = ()
    should: tuple[Plan, ...] = ()
    must_not: tuple[Plan, ...] = ()


@dataclass(frozen=True)
class All:
    pass


@dataclass(frozen=True)
class Exists:
    """Records with any value in a keyword column (statistics: the missing group is its NOT)."""

    field: str


@dataclass(frozen=True)
class Nothing:
    pass


Plan = Term | Terms | Prefix | PhraseQ | Range | Bool | All | Nothing | Exists


def expansion_error(pos: int, prefix: str) -> q.QuerySyntaxError:
    return q.QuerySyntaxError(
        "too_many_expansions",
        pos,
        f"截词“{prefix}*”匹配的词超过 {MAX_EXPANSIONS} 个，请加长前缀",
        f"truncation {prefix!r}* expands to more than {MAX_EXPANSIONS} terms; use a longer prefix",
    )


# --- value normalisers for keyword fields -----------------------------------------------------

#: a CN patent certificate number (专利号): ``ZL`` and the application number
_CERTIFICATE = re.compile(r"^\s*(?:CN)?ZL", re.IGNORECASE)
_DISTRICT_ALIASES = {
    "萝岗": "黄埔区",
    "萝岗区": "黄埔区",
    "从化市": "从化区",
    "增城市": "增城区",
    "县级从化": "从化区",
}


def applicant_keys(value: str) -> tuple[str, ...]:
    """``pak=``'s terms: the key enrichment gives an applicant of that name — a key as a facet
    shows it is its own key (``唯品会（中国）``, whose brackets the query folded to half-width),
    a name as printed finds its holder (``广州视源电子科技股份有限公司`` → ``广州视源电子科技``) —
    and, for a record loaded without enrichment (its name stands for its key), the name as
    written and in its display form."""
    return tuple(dict.fromkeys((value, clean_applicant(value), normalise_applicant(value).key)))


def _normalise(kind: str, code: str, value: str, pos: int) -> tuple[str, ...]:
    """``value`` of field ``code`` as the terms its index field holds (``kind``: the field's
    normaliser)."""
    v = value.strip()
    if kind == "district":
        if v in _DISTRICT_ALIASES:
            return (_DISTRICT_ALIASES[v],)
        return (v if v.endswith(("区", "市", "县")) or not CJK.search(v) else v + "区",)
    if kind == "city":
        return (v if v.endswith(("市", "盟", "地区", "自治州")) or not CJK.search(v) else v + "市",)
    if kind in CODED:
        return coded(kind, code, v, pos)
    if kind == "country":
        return country(v, pos)
    if kind == "copyright_number":  # as written, and as the record's id (CN-SC-2016SR309930)
        forms = [re.sub(r"\s", "", v).upper()]
        with suppress(NumberError):
            forms.append(copyright_id(v))
        return tuple(dict.fromkeys(forms))
    if kind == "ipc":
        terms = ipc_terms(v)
        return (terms[-1],) if terms else ()
    if kind == "nice":
        if not v.isdigit() or not 1 <= int(v) <= 45:
            raise q.QuerySyntaxError(
                "bad_value", pos, f"尼斯分类应为 1–45：“{v}”", f"Nice class must be 1-45, not {v!r}"
            )
        return (str(int(v)),)
    if kind == "number":
        forms = [re.sub(r"[\s,]", "", v).upper()]
        # a mark's number as stored (G-1234567 is G1234567, １２３４５６７１ 12345671)
        for normalise in (
            normalize_publication_number,
            normalize_application_number,
            trademark_number,
        ):
            try:
                forms.append(normalise(v))
            except NumberError:
                pass
        return tuple(dict.fromkeys(forms))
    if kind == "applicant_key":
        return applicant_keys(v)
    return (v,)


# --- compiler ---------------------------------------------------------------------------------


def _spec(kind: RecordKind, code: str | None, pos: int) -> TextField | KeywordField | DateField:
    spec = FIELDS[kind].get(code or "")
    if spec is None:
        label = {"patent": "专利", "trademark": "商标", "copyright": "著作权"}[kind]
        raise q.QuerySyntaxError(
            "field_not_for_kind",
            pos,
            f"字段“{code}”不适用于{label}检索",
            f"field {code!r} does not apply to {kind} search",
        )
    return spec


def _any(plans: list[Plan]) -> Plan:
    return plans[0] if len(plans) == 1 else Bool(should=tuple(plans))


def _text_word(spec: TextField, node: q.Word) -> Plan:
    if node.truncated:
        prefix = fold(node.text)
        if len(prefix) < MIN_PREFIX and not ONE_CHARACTER.search(prefix):
            raise q.QuerySyntaxError(
                "short_truncation",
                node.pos,
                f"截词前至少需要 {MIN_PREFIX} 个字母",
                f"truncation needs at least {MIN_PREFIX} letters before '*'",
            )
        if SYLLABIC.search(prefix):  # Hangul, kana: indexed as pairs, so the characters as a
            # phrase, which finds the word begun and any word holding it
            return _text_phrase(spec, prefix)
        # a Latin word is indexed stemmed (``apple`` as ``appl``), so ``apple*`` is matched on the
        # unstemmed words of the ``_c`` fields too: a prefix finds at least what its word finds
        suffixes = ("_w",) if CJK.search(prefix) else ("_w", "_c")
        return _any(
            [Prefix(f"{s}{x}", prefix, b, node.pos) for s, b in spec.parts for x in suffixes]
        )
    tokens = query_tokens(node.text)
    if not tokens:
        return Nothing()
    two_letters = two_letter_spelling(node.text)
    if two_letters is not None and (spelled := query_tokens(two_letters)) != tokens:
        # Kylmänen: also as the offices' ASCII forms spell it (KYLMAENEN), which a record from
        # them holds alone
        return _any([_word_tokens(spec, node, tokens), _word_tokens(spec, node, spelled)])
    return _word_tokens(spec, node, tokens)


def _word_tokens(spec: TextField, node: q.Word, tokens: list[str]) -> Plan:
    """Each of a word's tokens in one of the field's texts."""
    if len(set(tokens)) > MAX_WORD_TOKENS:
        raise q.QuerySyntaxError(
            "word_too_long",
            node.pos,
            f"检索词过长：切分后超过 {MAX_WORD_TOKENS} 个词，请分成几个词或用引号作为短语检索",
            f"word too long: more than {MAX_WORD_TOKENS} tokens once segmented; split it into "
            "words, or quote it to search it as a phrase",
        )
    per_token = [_any([Term(f"{s}_w", t, b) for s, b in spec.parts]) for t in dict.fromkeys(tokens)]
    return per_token[0] if len(per_token) == 1 else Bool(must=tuple(per_token))


def _collection(kind: RecordKind, node: q.Word | q.Phrase) -> Plan:
    """``coll=<id>``: the key-industry collection's definition (``iphub.collections``) in its
    place."""
    if node.field not in q.KIND_QUERY_CODES[kind]:
        raise q.QuerySyntaxError(
            "field_not_for_kind",
            node.pos,
            "专题库（coll=）仅适用于专利检索",
            "coll= (key-industry collections) applies to patent search",
        )
    known = by_id()
    wanted = node.text.strip().lower()
    if isinstance(node, q.Word) and node.truncated or wanted not in known:
        given = node.text + ("*" if isinstance(node, q.Word) and node.truncated else "")
        raise q.QuerySyntaxError(
            "unknown_collection",
            node.pos,
            f"未知专题库“{given}”（可选：{'、'.join(known)}）",
            f"unknown collection {given!r} (known: {', '.join(known)})",
        )
    return _definition(wanted)


@cache
def _definition(collection: str) -> Plan:
    """A collection's definition compiled for patents (once a process: it is data shipped with
    the code). A definition may not name a collection itself."""
    text = by_id()[collection].query
    return compile_query(q.guess_fields(q.parse(text, q.FIELD_CODES - q.QUERY_CODES)), "patent")


def _leaf(kind: RecordKind, node: q.Word | q.Phrase) -> Plan:
    if node.field in q.QUERY_CODES:
        return _collection(kind, node)
    spec = _spec(kind, node.field, node.pos)
    if CJK.search(node.text) and (text := simplified(node.text)) != node.text:
        # traditional characters (鋰電池, 黃埔): records and the tables are written in simplified
        # ones, a mark may be filed in either (雲山): the text searches both, a coded or table
        # value its simplified form
        plain = replace(node, text=text)
        if not isinstance(spec, TextField):
            return _spec_leaf(kind, spec, plain)
        return _any([_spec_leaf(kind, spec, node), _spec_leaf(kind, spec, plain)])
    return _spec_leaf(kind, spec, node)


def _spec_leaf(kind: RecordKind, spec: FieldSpec, node: q.Word | q.Phrase) -> Plan:
    if isinstance(spec, DateField):
        start, end = q.parse_date_bounds(node.text, node.pos)
        return Range(spec.field, start, end)
    if isinstance(spec, KeywordField):
        if isinstance(node, q.Word) and node.truncated:
            value = (
                (node.text.strip().lower(),)  # a code's beginning: no table lookup
                if spec.normaliser in CODED
                else _normalise(spec.normaliser, spec.field, node.text, node.pos)
            )
            if not value or len(value[0]) < MIN_PREFIX:
                raise q.QuerySyntaxError(
                    "short_truncation",
                    node.pos,
                    f"截词前至少需要 {MIN_PREFIX} 个字符",
                    f"truncation needs at least {MIN_PREFIX} characters before '*'",
                )
            return Prefix(spec.field, value[0], 1.0, node.pos)
        values = _normalise(spec.normaliser, spec.field, node.text, node.pos)
        if not values:
            return Nothing()
        if kind == "patent" and spec.field == "pn" and _CERTIFICATE.match(node.text):
            # ZL + application number: a CN patent's certificate number names its application
            return Bool(should=(Terms("pn", values), Terms("ap", values)))
        return Terms(spec.field, values)
    if isinstance(node, q.Word):
        return _text_word(spec, node)
    return _text_phrase(spec, node.text)


def _text_phrase(spec: TextField, text: str) -> Plan:
    """``text`` as a phrase in one of the field's texts: its character tokens in order."""
    tokens = tuple(char_tokens(text))
    if not tokens:
        return Nothing()
    return _any([PhraseQ(f"{s}_c", tokens, b) for s, b in spec.parts])


def compile_query(node: q.Node, kind: RecordKind) -> Plan:
    """Compile ``node`` for a search over records of ``kind``."""
    if isinstance(node, q.MatchAll):
        return All()
    if isinstance(node, q.Word | q.Phrase):
        return _leaf(kind, node)
    if isinstance(node, q.DateRange):
        spec = _spec(kind, node.field, node.pos)
        if not isinstance(spec, DateField):  # pragma: no cover - the parser only dates dates
            raise q.QuerySyntaxError("bad_date", node.pos, "不是日期字段", "not a date field")
        return Range(spec.field, node.start, node.end)
    if isinstance(node, q.Not):
        return Bool(must=(All(),), must_not=(compile_query(node.child, kind),))
    if isinstance(node, q.Near):
        raise q.QuerySyntaxError(
            "unsupported_operator",
            node.pos,
            "NEAR 邻近检索尚未支持，请改用短语",
            "NEAR proximity is not supported yet; use a phrase",
        )
    if isinstance(node, q.Or):
        return Bool(should=tuple(compile_query(c, kind) for c in node.children))
    must = tuple(compile_query(c, kind) for c in node.children if not isinstance(c, q.Not))
    must_not = tuple(compile_query(c.child, kind) for c in node.children if isinstance(c, q.Not))
    return Bool(must=must or (All(),), must_not=must_not)


class Understood(NamedTuple):
    """A user's query text as every surface runs it: the AST shown as the query understood,
    and its plan."""

    ast: q.Node
    plan: Plan


def understand(text: str, kind: RecordKind) -> Understood:
    """``text`` parsed, its bare office numbers and codes given their fields
    (``query.guess_fields``), and compiled for ``kind``: what a search, a statistic, a saved
    subscription and the alert matcher all run. Raises ``QuerySyntaxError``."""
    ast = q.guess_fields(q.parse(text), kind)
    plan = compile_query(ast, kind)
    if (clauses := _clauses(plan)) > MAX_CLAUSES:
        raise q.QuerySyntaxError(
            "too_many_clauses",
            0,
            f"检索式过于复杂：{clauses} 个检索条件，上限 {MAX_CLAUSES}，请减少检索词或字段",
            f"query too complex: {clauses} clauses, at most {MAX_CLAUSES}; use fewer words or "
            "fields",
        )
    return Understood(ast, plan)


def _clauses(plan: Plan) -> int:
    """The term, phrase, prefix and range clauses of ``plan`` (a value list counts its values:
    Elasticsearch counts a terms query as one clause, tantivy as one term each)."""
    if isinstance(plan, Bool):
        return sum(_clauses(child) for child in (*plan.must, *plan.should, *plan.must_not))
    if isinstance(plan, Terms):
        return len(plan.values)
    return 0 if isinstance(plan, All | Nothing) else 1


def positive_terms(plan: Plan, stem: str | None = None) -> tuple[set[str], set[str]]:
    """Word tokens and phrases (their tokens joined by spaces) a hit should show highlighted
    (not from NOT branches);
    with ``stem`` (``ti``, ``ab``, ``tm``), only those searched in that text: the title of
    ``ti=电池 AND ab=散热`` shows 电池 marked, not 散热."""

    def wanted(field: str) -> bool:
        return stem is None or field.rpartition("_")[0] == stem

    words: set[str] = set()
    phrases: set[str] = set()

    def walk(p: Plan) -> None:
        if isinstance(p, Term) and p.field.endswith("_w") and wanted(p.field):
            words.add(p.value)
        elif isinstance(p, PhraseQ) and wanted(p.field):
            phrases.add(" ".join(p.tokens))  # the highlighter finds them in order
        elif isinstance(p, Prefix) and p.field.endswith("_w") and wanted(p.field):
            words.add(p.prefix + "*")
        elif isinstance(p, Bool):
            for child in p.must + p.should:
                walk(child)

    walk(plan)
    return words, phrases
