"""A technical description turned into a query (按技术描述检索): prior art for an idea in prose.

An SME searching prior art has a paragraph — what its product does, a draft claim, a
competitor's brochure — not a query. Pasted into the search box, every word of it must match
and nothing does. :func:`query_from_text` picks the description's key terms the way enrichment
picks a record's (``nlp.keywords``: nouns and domain words, TF-IDF against jieba's IDF table)
and writes them as one query in the query language, ``ta=锂离子电池 OR ta=正极材料 OR …``: any
term finds a patent, and the relevance ranking puts first the patents whose title and abstract
share the most, and the rarest, of them. The answer is a query, not a result: the search page,
export, statistics and subscriptions all take it as it stands, on every store, and the user sees
(and may edit) what was searched.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from iphub import query as q
from nlp.keywords import keywords

MAX_TEXT = 20_000
DEFAULT_TERMS = 10
MAX_TERMS = 20
#: longest term searched (a DNA sequence or a formula is not a word to rank by)
MAX_TERM = 50
#: the field the terms are searched in: title and abstract (claims and full text are not in
#: every source; a term found only there would rank a patent by what most records lack)
FIELD = "ta"


class DescribedQuery(BaseModel):
    query: str = Field(description="检索式 / the query, to run as any other (sort by relevance)")
    terms: list[str] = Field(description="the description's key terms, the most telling first")


class NoTerms(ValueError):
    """A description with no term to search by (a 400 ``no_terms``)."""

    code = "no_terms"
    message_zh = "描述中没有可检索的词语（名词或技术术语），请写得具体一些"
    message_en = "the description has no term to search by (nouns, technical words): say more"

    def __init__(self) -> None:
        super().__init__(f"{self.message_zh} / {self.message_en}")


def _term(text: str) -> q.Word | q.Phrase:
    """A term as a word of the query language, or as a phrase when it would not read back as
    one word (an operator's name, a Latin term of several words)."""
    word = q.Word(text, FIELD)
    try:
        if q.parse(q.to_text(word)) == word:
            return word
    except q.QuerySyntaxError:
        pass
    return q.Phrase(text, FIELD)


def query_from_text(text: str, terms: int = DEFAULT_TERMS) -> DescribedQuery:
    """The key terms of ``text`` as an OR query over titles and abstracts. Raises
    :class:`NoTerms` or ``ValueError`` (a text over :data:`MAX_TEXT` characters, or ``terms``
    outside 1–:data:`MAX_TERMS`)."""
    if len(text) > MAX_TEXT:
        raise ValueError(f"描述最多 {MAX_TEXT} 个字符 / a description has at most {MAX_TEXT}")
    if not 1 <= terms <= MAX_TERMS:
        raise ValueError(f"terms 应在 1–{MAX_TERMS} 之间 / terms must be 1-{MAX_TERMS}")
    # a term is a word, not a sequence or a formula pasted whole (a query holds ≤ 2,000 chars)
    found = [t for t in keywords("", text, k=terms) if len(t) <= MAX_TERM]
    nodes = [_term(t) for t in found]
    while nodes and len(q.to_text(_any(nodes))) > q.MAX_QUERY_LENGTH:
        nodes.pop()  # the least telling last
    if not nodes:
        raise NoTerms
    return DescribedQuery(query=q.to_text(_any(nodes)), terms=found[: len(nodes)])


def _any(nodes: list[q.Word | q.Phrase]) -> q.Node:
    return nodes[0] if len(nodes) == 1 else q.Or(tuple(nodes))
