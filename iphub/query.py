"""The iphub query language: text → AST, and AST → canonical text.

Field codes follow Espacenet's smart search (``ti= ab= ta= cl= pa= in= ipc= pn= ap= pd= ad=``)
plus iphub's own (``ind= dist= tm= nc=`` …; the full list is ``iphub.fields.FIELD_CODES``).
Operators: ``AND OR NOT`` (also ``与 或 非``, ``&``, ``|`` and a leading ``-``), parentheses,
quoted phrases (``"…"`` or ``“…”``), ``*`` right truncation, and dates
(``pd>=2020-01-01``, ``pd=2020:2023``, ``pd within "2020,2023"``, ``pd=2020``).

The parser is total: it returns an AST or raises :class:`QuerySyntaxError`, which carries a code,
the character position and a message in Chinese and English. Every node keeps the position of its
source text (not part of equality), so later stages can point at the offending part too.
User text is never handed to an engine's own query parser: stores compile this AST.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as _field

from nlp.segment import CJK_CHARS

MAX_QUERY_LENGTH = 2000
MAX_TERMS = 64
MAX_DEPTH = 20

#: Field codes of the language. Which record kind each applies to is ``iphub.store.fields``.
TEXT_CODES = frozenset({"ti", "ab", "ta", "cl", "txt", "pa", "in", "ag", "tm", "gs"})
KEYWORD_CODES = frozenset(
    {
        "pn",
        "ap",
        "ipc",
        "cpc",
        "ind",
        "dist",
        "nc",
        "kind",
        "status",
        "ctry",
        "pak",
        "type",
        "city",
        "flag",
        "fam",
        "rel",
    }
)
DATE_CODES = frozenset({"pd", "ad", "gd", "rd"})
#: codes whose value is an office number, which may be written spaced (``pn=CN 114123456 A``)
NUMBER_CODES = frozenset({"pn", "ap", "rel"})
#: most words a spaced office number is read from (``ZL 2021 1 0123456.7``)
_NUMBER_PARTS = 5
#: codes that stand for a query of their own: ``coll=nev``, a key-industry collection's
#: definition (``iphub.collections``), compiled in its place
QUERY_CODES = frozenset({"coll"})
#: the query codes a kind's search takes: ``coll=`` names a key-industry collection, whose
#: definitions are of patents (``iphub.collections``)
KIND_QUERY_CODES: dict[str, frozenset[str]] = {
    "patent": QUERY_CODES,
    "trademark": frozenset(),
    "copyright": frozenset(),
}
FIELD_CODES = TEXT_CODES | KEYWORD_CODES | DATE_CODES | QUERY_CODES

_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


class QuerySyntaxError(ValueError):
    """A query that cannot be understood; ``position`` is a 0-based character offset."""

    def __init__(self, code: str, position: int, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en} (position {position})")
        self.code = code
        self.position = position
        self.message_zh = zh
        self.message_en = en


# --- AST ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """A word (or ``prefix*`` when ``truncated``) searched in ``field`` (None: the default)."""

    text: str
    field: str | None = None
    truncated: bool = False
    pos: int = _field(default=0, compare=False)


@dataclass(frozen=True)
class Phrase:
    text: str
    field: str | None = None
    pos: int = _field(default=0, compare=False)


@dataclass(frozen=True)
class DateRange:
    """Inclusive date range on a date field; a missing bound is open."""

    field: str
    start: dt.date | None
    end: dt.date | None
    pos: int = _field(default=0, compare=False)


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]
    pos: int = _field(default=0, compare=False)


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]
    pos: int = _field(default=0, compare=False)


@dataclass(frozen=True)
class Not:
    child: Node
    pos: int = _field(default=0, compare=False)


@dataclass(frozen=True)
class Near:
    """Word proximity (``a NEAR/3 b``): both within ``distance`` words, in any order."""

    left: Word | Phrase
    right: Word | Phrase
    distance: int
    pos: int = _field(default=0, compare=False)


@dataclass(frozen=True)
class MatchAll:
    pos: int = _field(default=0, compare=False)


Node = Word | Phrase | DateRange | And | Or | Not | Near | MatchAll


# --- dates -------------------------------------------------------------------------------------

#: Years a date in a query may name: what every store can hold (Elasticsearch's and tantivy's
#: dates are nanoseconds since 1970, which reach 1677-09-21 to 2262-04-11), with a margin so
#: the bounds worked out from a date (``pd>2200`` starts 2201-01-01) stay inside it too.
MIN_YEAR = 1700
MAX_YEAR = 2200
DATE_FORMS = "YYYY, YYYY-MM, YYYYMM, YYYY-MM-DD, YYYYMMDD"

#: ``2020``, ``202005``, ``20200517``; with a separator (``-``, ``.`` or ``/``) month and day
#: may have one digit (``2020-5-17``)
_DATE_RE = re.compile(r"^(\d{4})(?:(\d{2})(\d{2})?|([-./])(\d{1,2})(?:\4(\d{1,2}))?)?$")


def parse_date_bounds(text: str, pos: int) -> tuple[dt.date, dt.date]:
    """``2020`` → whole year, ``2020-05`` → whole month, ``2020-05-17`` / ``20200517`` → a day.

    Anything else (``20201``, ``99999``), or a year outside ``MIN_YEAR``–``MAX_YEAR``, is a
    ``bad_date`` at ``pos``."""
    m = _DATE_RE.match(text.strip())
    if not m:
        raise QuerySyntaxError(
            "bad_date",
            pos,
            f"无法识别的日期“{text}”，日期应写作 {DATE_FORMS}",
            f"unrecognised date {text!r}; write a date as {DATE_FORMS}",
        )
    year = int(m[1])
    month = int(m[2] or m[5] or 0)
    day = int(m[3] or m[6] or 0)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise QuerySyntaxError(
            "bad_date",
            pos,
            f"日期“{text}”超出可检索范围（{MIN_YEAR}–{MAX_YEAR} 年）",
            f"date {text!r} is outside the searchable years {MIN_YEAR}-{MAX_YEAR}",
        )
    try:
        if not month:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if not day:
            start = dt.date(year, month, 1)
            nxt = dt.date(year + month // 12, month % 12 + 1, 1)
            return start, nxt - dt.timedelta(days=1)
        d = dt.date(year, month, day)
    except ValueError:
        raise QuerySyntaxError(
            "bad_date", pos, f"日期不存在“{text}”", f"no such date {text!r}"
        ) from None
    return d, d


# --- lexer -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    kind: str  # WORD PHRASE LPAREN RPAREN AND OR NOT NEAR CMP
    text: str
    pos: int


_OPERATORS = {"AND": "AND", "与": "AND", "OR": "OR", "或": "OR", "NOT": "NOT", "非": "NOT"}
_QUOTES = {'"': '"', "“": "”", "”": "”"}
_STOP = set(' \t\r\n()"“”=<>&|')
_NEAR_RE = re.compile(r"^NEAR/(\d{1,3})$", re.IGNORECASE)


def normalize_text(query: str) -> str:
    """Fold full-width ASCII and the ideographic space, keeping every character's position."""
    return query.translate(_FULLWIDTH)


def tokenize(query: str) -> Iterator[Token]:
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c.isspace():
            i += 1
        elif c in "()":
            yield Token("LPAREN" if c == "(" else "RPAREN", c, i)
            i += 1
        elif c in _QUOTES:
            close = _QUOTES[c]
            end = query.find(close, i + 1)
            if c == "”" or end < 0:
                raise QuerySyntaxError(
                    "unterminated_phrase", i, "引号没有闭合", "unterminated quoted phrase"
                )
            yield Token("PHRASE", query[i + 1 : end], i)
            i = end + 1
        elif c in "<>=":
            j = i + 2 if query[i : i + 2] in (">=", "<=") else i + 1
            yield Token("CMP", query[i:j], i)
            i = j
        elif c in "&|":
            yield Token("AND" if c == "&" else "OR", c, i)
            i += 1
        elif c == "-" and i + 1 < n and not query[i + 1].isspace() and query[i + 1] not in "-)":
            yield Token("NOT", c, i)
            i += 1
        else:
            j = i
            while j < n and query[j] not in _STOP:
                j += 1
            word = query[i:j]
            near = _NEAR_RE.match(word)
            if near:
                yield Token("NEAR", near[1], i)
            else:
                yield Token(_OPERATORS.get(word, "WORD"), word, i)
            i = j


# --- parser ------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, query: str, fields: frozenset[str], date_fields: frozenset[str]) -> None:
        self.query = query
        self.tokens = list(tokenize(query))
        self.i = 0
        self.depth = 0
        self.terms = 0
        self.fields = fields
        self.date_fields = date_fields
        self.field_context: str | None = None

    def peek(self, offset: int = 0) -> Token | None:
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else None

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def end_pos(self) -> int:
        return len(self.query)

    def parse(self) -> Node:
        if not self.tokens:
            return MatchAll()
        node = self.parse_or()
        tok = self.peek()
        if tok is not None:
            if tok.kind == "RPAREN":
                raise QuerySyntaxError(
                    "unbalanced_parenthesis", tok.pos, "多余的右括号“)”", "unmatched ')'"
                )
            raise QuerySyntaxError(
                "unexpected_token", tok.pos, f"无法理解“{tok.text}”", f"unexpected {tok.text!r}"
            )
        return node

    def parse_or(self) -> Node:
        first = self.parse_and()
        children = [first]
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.take()
            children.append(self.parse_and(after=tok))
        return children[0] if len(children) == 1 else Or(tuple(children), pos=_pos(first))

    def parse_and(self, after: Token | None = None) -> Node:
        children = [self.parse_unary(after)]
        while (tok := self.peek()) is not None and tok.kind not in ("OR", "RPAREN"):
            if tok.kind == "AND":
                self.take()
                children.append(self.parse_unary(after=tok))
            else:
                children.append(self.parse_unary())
        return children[0] if len(children) == 1 else And(tuple(children), pos=_pos(children[0]))

    def parse_unary(self, after: Token | None = None) -> Node:
        tok = self.peek()
        if tok is None or tok.kind in ("OR", "AND", "RPAREN", "NEAR"):
            where = tok.pos if tok is not None else self.end_pos()
            if after is not None:
                raise QuerySyntaxError(
                    "dangling_operator",
                    after.pos,
                    f"运算符“{after.text}”后缺少检索词",
                    f"operator {after.text!r} needs a term after it",
                )
            if tok is not None and tok.kind in ("OR", "AND", "NEAR"):
                raise QuerySyntaxError(
                    "dangling_operator",
                    where,
                    f"运算符“{tok.text}”前缺少检索词",
                    f"operator {tok.text!r} needs a term before it",
                )
            raise QuerySyntaxError(
                "missing_term", where, "此处缺少检索词", "a term is missing here"
            )
        if tok.kind == "NOT":
            self.take()
            self.enter(tok)
            child = self.parse_unary(after=tok)
            self.depth -= 1
            return Not(child, pos=tok.pos)
        node = self.parse_primary()
        nxt = self.peek()
        if nxt is not None and nxt.kind == "NEAR":
            self.take()
            right = self.parse_primary()
            if not isinstance(node, Word | Phrase) or not isinstance(right, Word | Phrase):
                raise QuerySyntaxError(
                    "bad_proximity",
                    nxt.pos,
                    "NEAR 两侧必须是检索词或短语",
                    "NEAR needs a word or phrase on each side",
                )
            return Near(node, right, int(nxt.text), pos=_pos(node))
        return node

    def parse_primary(self) -> Node:
        tok = self.take()
        if tok.kind == "LPAREN":
            return self.parse_group(tok, None)
        if tok.kind == "PHRASE":
            return self.leaf(Phrase(tok.text, None, pos=tok.pos), tok)
        if tok.kind == "CMP":
            raise QuerySyntaxError(
                "missing_field",
                tok.pos,
                f"“{tok.text}”前缺少字段代码",
                f"no field before {tok.text!r}",
            )
        if tok.kind != "WORD":
            raise QuerySyntaxError(
                "unexpected_token", tok.pos, f"无法理解“{tok.text}”", f"unexpected {tok.text!r}"
            )
        nxt = self.peek()
        if nxt is not None and nxt.kind == "CMP":
            return self.parse_field(tok)
        if nxt is not None and nxt.kind == "WORD" and nxt.text.lower() == "within":
            after = self.peek(1)
            if tok.text.lower() in self.date_fields and after is not None:
                return self.parse_field(tok)
        return self.word(tok, None)

    def parse_group(self, open_tok: Token, fieldname: str | None) -> Node:
        self.enter(open_tok)
        if (tok := self.peek()) is not None and tok.kind == "RPAREN":
            raise QuerySyntaxError("empty_group", open_tok.pos, "括号内为空", "empty parentheses")
        if tok is None:
            raise QuerySyntaxError(
                "unbalanced_parenthesis", open_tok.pos, "左括号“(”没有闭合", "unclosed '('"
            )
        saved, self.field_context = self.field_context, fieldname
        node = self.parse_or()
        self.field_context = saved
        close = self.peek()
        if close is None or close.kind != "RPAREN":
            raise QuerySyntaxError(
                "unbalanced_parenthesis", open_tok.pos, "左括号“(”没有闭合", "unclosed '('"
            )
        self.take()
        self.depth -= 1
        return node

    def enter(self, tok: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QuerySyntaxError(
                "too_deep",
                tok.pos,
                f"嵌套超过 {MAX_DEPTH} 层",
                f"parentheses or NOTs nest deeper than {MAX_DEPTH}",
            )

    def parse_field(self, name_tok: Token) -> Node:
        name = name_tok.text.lower()
        if name not in self.fields:
            raise QuerySyntaxError(
                "unknown_field",
                name_tok.pos,
                f"未知字段代码“{name_tok.text}”",
                f"unknown field code {name_tok.text!r} (known: {', '.join(sorted(self.fields))})",
            )
        if self.field_context is not None:
            raise QuerySyntaxError(
                "nested_field",
                name_tok.pos,
                "字段代码不能嵌套在另一字段的括号内",
                "a field code cannot be nested inside another field's parentheses",
            )
        op = self.take()
        if op.kind == "WORD":  # within
            op = Token("CMP", "within", op.pos)
        value = self.peek()
        if value is None or value.kind not in ("WORD", "PHRASE", "LPAREN"):
            raise QuerySyntaxError(
                "missing_value",
                op.pos + len(op.text),
                f"字段“{name}”后缺少检索值",
                f"field {name!r} needs a value after {op.text!r}",
            )
        if name in self.date_fields:
            return self.parse_date(name, name_tok, op, self.take())
        if op.text != "=":
            raise QuerySyntaxError(
                "bad_operator",
                op.pos,
                f"字段“{name}”只能用“=”",
                f"field {name!r} only takes '='",
            )
        tok = self.take()
        if tok.kind == "LPAREN":
            return self.parse_group(tok, name)
        if tok.kind == "PHRASE":
            return self.leaf(Phrase(tok.text, name, pos=name_tok.pos), tok)
        if name in NUMBER_CODES:
            tok = self.spaced_number(tok)
        return self.word(tok, name, pos=name_tok.pos)

    def spaced_number(self, first: Token) -> Token:
        """``first`` and the words after it read as one office number, written without its
        spaces, when together they are one (``pn=CN 114123456 A``, ``ap=ZL 2021 1 0123456.7``):
        the longest such run; else ``first`` alone. A word that names a field
        (``… ti=x``) is never part of the number."""
        from iphub.numbers import looks_like_number

        run = [first]
        while len(run) < _NUMBER_PARTS:
            nxt, after = self.peek(len(run) - 1), self.peek(len(run))
            if nxt is None or nxt.kind != "WORD" or (after is not None and after.kind == "CMP"):
                break
            if nxt.text.lower() == "within":
                break
            run.append(nxt)
        for end in range(len(run), 1, -1):
            text = "".join(t.text for t in run[:end])
            if looks_like_number(text):
                self.i += end - 1
                return Token("WORD", text, first.pos)
        return first

    def parse_date(self, name: str, name_tok: Token, op: Token, tok: Token) -> Node:
        if tok.kind == "LPAREN":
            raise QuerySyntaxError(
                "bad_date", tok.pos, "日期字段不支持括号", "date fields do not take parentheses"
            )
        text = tok.text
        pos = tok.pos + (1 if tok.kind == "PHRASE" else 0)
        if op.text == "within" and "," not in text and ":" not in text:
            op = Token("CMP", "=", op.pos)  # ``within "2020"``: the year, as ``=2020`` is
        if op.text == "within" or (op.text == "=" and (":" in text or "," in text)):
            sep = "," if "," in text else ":"
            lo_text, _, hi_text = text.partition(sep)
            lo = parse_date_bounds(lo_text, pos)[0] if lo_text.strip() else None
            hi = parse_date_bounds(hi_text, pos + len(lo_text) + 1)[1] if hi_text.strip() else None
            if lo is None and hi is None:
                raise QuerySyntaxError("bad_date", pos, "日期范围为空", "empty date range")
            if lo and hi and lo > hi:
                raise QuerySyntaxError(
                    "bad_date", pos, "日期范围起点晚于终点", "date range starts after it ends"
                )
            self.count_term(tok)
            return DateRange(name, lo, hi, pos=name_tok.pos)
        start, end = parse_date_bounds(text, pos)
        self.count_term(tok)
        day = dt.timedelta(days=1)
        if op.text == ">":
            return DateRange(name, end + day, None, pos=name_tok.pos)
        if op.text == "<":
            return DateRange(name, None, start - day, pos=name_tok.pos)
        lo, hi = {"=": (start, end), ">=": (start, None), "<=": (None, end)}[op.text]
        return DateRange(name, lo, hi, pos=name_tok.pos)

    def word(self, tok: Token, fieldname: str | None, pos: int | None = None) -> Node:
        fieldname = fieldname or self.field_context
        text = tok.text
        truncated = text.endswith("*")
        if truncated:
            text = text.rstrip("*")
        if text.startswith("*") or (truncated and not text):
            raise QuerySyntaxError(
                "leading_truncation",
                tok.pos,
                "不支持左截词“*…”，请改用短语检索",
                "leading truncation '*…' is not supported; use a quoted phrase",
            )
        node = Word(text, fieldname, truncated, pos=tok.pos if pos is None else pos)
        return self.leaf(node, tok)

    def leaf(self, node: Word | Phrase, tok: Token) -> Node:
        if isinstance(node, Phrase) and not node.text.strip():
            raise QuerySyntaxError("empty_phrase", tok.pos, "引号内为空", "empty quoted phrase")
        if isinstance(node, Phrase) and self.field_context:
            node = Phrase(node.text, self.field_context, pos=node.pos)
        self.count_term(tok)
        return node

    def count_term(self, tok: Token) -> None:
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise QuerySyntaxError(
                "too_many_terms",
                tok.pos,
                f"检索词超过 {MAX_TERMS} 个",
                f"more than {MAX_TERMS} search terms",
            )


def _pos(node: Node) -> int:
    return node.pos


def parse(
    query: str,
    fields: frozenset[str] = FIELD_CODES,
    date_fields: frozenset[str] = DATE_CODES,
) -> Node:
    """Parse ``query`` into an AST; field codes must be among ``fields``."""
    if len(query) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(
            "query_too_long",
            MAX_QUERY_LENGTH,
            f"检索式超过 {MAX_QUERY_LENGTH} 个字符",
            f"query longer than {MAX_QUERY_LENGTH} characters",
        )
    bad = next((i for i, c in enumerate(query) if c == "\x00" or 0xD800 <= ord(c) <= 0xDFFF), None)
    if bad is not None:
        raise QuerySyntaxError(
            "bad_character", bad, "检索式含有非法字符", "the query contains an invalid character"
        )
    return _Parser(normalize_text(query), fields, date_fields).parse()


# --- printer -----------------------------------------------------------------------------------


def _quote(text: str) -> str:
    return f'"{text}"' if '"' not in text else f"“{text}”"


def to_text(node: Node) -> str:
    """Canonical text of an AST; ``parse(to_text(ast))`` gives the same AST."""
    if isinstance(node, MatchAll):
        return ""
    if isinstance(node, Word):
        body = node.text + ("*" if node.truncated else "")
        return f"{node.field}={body}" if node.field else body
    if isinstance(node, Phrase):
        return f"{node.field}={_quote(node.text)}" if node.field else _quote(node.text)
    if isinstance(node, DateRange):
        lo = node.start.isoformat() if node.start else ""
        hi = node.end.isoformat() if node.end else ""
        return f'{node.field} within "{lo},{hi}"'
    if isinstance(node, Not):
        return f"NOT {_wrap(node.child)}"
    if isinstance(node, Near):
        return f"{to_text(node.left)} NEAR/{node.distance} {to_text(node.right)}"
    op = " AND " if isinstance(node, And) else " OR "
    return op.join(_wrap(c) for c in node.children)


def _wrap(node: Node) -> str:
    return f"({to_text(node)})" if isinstance(node, And | Or | Near) else to_text(node)


# --- exact strings, when words found nothing ---------------------------------------------------

_CJK_WORD = re.compile(f"^[{CJK_CHARS}]{{2,}}$")


def as_strings(node: Node) -> Node | None:
    """``node`` with each Chinese word it asks for (two characters or more, no field or a text
    field, not truncated, not under NOT) searched as the exact string it is, a phrase; None
    when it asks for none.

    What a search that found nothing by words tries next. A word is cut as a query is cut,
    which may differ from the cut of the same characters in a record: ``朗动网络企查`` is cut
    朗动 / 网络 / 企查, the title ``朗动网络企查查专辑系统软件`` 朗动 / 网络 / 企查查 / …, so the
    word query misses the record that holds the string, where CNIPA's substring search finds
    it. As a string, the characters must stand together: narrower than the words anywhere in
    the record, so it is never tried first.
    """
    out = _strings(node)
    return None if out == node else out  # a Phrase never equals the Word it replaced


def _strings(node: Node) -> Node:
    if (
        isinstance(node, Word)
        and not node.truncated
        and (node.field is None or node.field in TEXT_CODES)
        and _CJK_WORD.match(node.text)
    ):
        return Phrase(node.text, node.field, pos=node.pos)
    if isinstance(node, And | Or):
        return type(node)(tuple(_strings(c) for c in node.children), pos=node.pos)
    return node  # NOT keeps its words: a string excludes less, and finds nothing more


# --- field guessing for bare input -------------------------------------------------------------

_IPC_GUESS = re.compile(r"^[A-Ha-h]\d{2}[A-Za-z](?:\d{1,4}/\d{2,6})?$")


def guess_fields(node: Node, kind: str = "patent") -> Node:
    """Give bare words that are plainly an office number or an IPC code their field.

    ``CN114000001A`` → ``pn=CN114000001A OR ap=CN114000001A``, and for patents ``OR
    rel=CN114000001A`` too (the documents that name it as a related application or earlier
    publication: a grant found by its A1, a divisional by its parent); ``H01M10/0525`` →
    ``ipc=…`` (patents). In a copyright search a registration number (``2016SR309930``,
    ``国作登字-2016-F-00269796``) → ``pn=…``. In a trademark search a Madrid designation's
    number (``G1234567``, G and 6 or 7 digits) is read as one and as the word it is, which may
    be a mark's name: ``(pn=G1234567 OR ap=G1234567) OR G1234567`` (read as the number alone,
    a mark named so was not found by its name); given back, that text is read the same, the
    word beside its reading left a word. The rewritten AST is what the user is shown as the
    query understood.
    """
    from iphub.numbers import NumberError, copyright_id, looks_like_number, madrid_registration

    def as_madrid(word: Word) -> Or:
        return Or(tuple(Word(word.text, f, pos=word.pos) for f in ("pn", "ap")), pos=word.pos)

    if isinstance(node, Word) and node.field is None and not node.truncated:
        if kind == "copyright":
            try:
                copyright_id(node.text)
            except NumberError:
                return node
            return Word(node.text, "pn", pos=node.pos)
        patent = kind == "patent"
        if _IPC_GUESS.match(node.text) and patent:
            return Word(node.text, "ipc", pos=node.pos)
        if any(c.isdigit() for c in node.text) and looks_like_number(node.text):
            fields = ("pn", "ap", "rel") if patent else ("pn", "ap")
            return Or(tuple(Word(node.text, f, pos=node.pos) for f in fields), pos=node.pos)
        if not patent and madrid_registration(node.text):  # G1234567: a mark's number, or name
            return Or((as_madrid(node), node), pos=node.pos)
        return node
    if isinstance(node, Or):
        return Or(
            tuple(
                c  # a Madrid number's word beside its reading (the query understood, given back)
                if isinstance(c, Word) and kind == "trademark" and as_madrid(c) in node.children
                else guess_fields(c, kind)
                for c in node.children
            ),
            pos=node.pos,
        )
    if isinstance(node, And):
        return And(tuple(guess_fields(c, kind) for c in node.children), pos=node.pos)
    if isinstance(node, Not):
        return Not(guess_fields(node.child, kind), pos=node.pos)
    return node
