"""``GET /api/v1/query-language``: field codes, operators, facets and limits, for help panels."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import APIRouter
from pydantic import BaseModel, Field

from iphub import query
from iphub.search import MAX_PAGE_SIZE, MAX_RESULT_WINDOW
from iphub.store.base import MAX_FACET_SIZE
from iphub.store.fields import FACETS, FIELDS, RecordKind
from iphub.store.plan import MAX_CLAUSES, MAX_EXPANSIONS, MAX_WORD_TOKENS, MIN_PREFIX

router = APIRouter(tags=["help"])


class Limits(BaseModel):
    max_query_length: int
    max_terms: int
    max_depth: int
    max_truncation_expansions: int
    min_truncation_prefix: int
    max_word_tokens: int = Field(description="most tokens one word may be segmented into")
    max_clauses: int = Field(description="most term and phrase clauses a query may compile to")
    max_page_size: int
    max_result_window: int
    max_facet_size: int
    min_date_year: int = Field(description="earliest year a date in a query may name")
    max_date_year: int = Field(description="latest year a date in a query may name")


class Language(BaseModel):
    fields: dict[str, list[str]]
    facets: dict[str, list[str]]
    operators: list[str]
    examples: list[str] = Field(description="every kind's examples, in one list")
    examples_by_kind: dict[str, list[str]]
    limits: Limits


#: Examples a help panel offers, per search kind (each a 200 in its kind's search: tested)
EXAMPLES: dict[RecordKind, list[str]] = {
    "patent": [
        "锂电池",
        "ti=电池 AND pd>=2020",
        "pa=华南理工大学 AND ipc=H01M",
        '"固态电池" NOT 钠',
        "dist=黄埔区 AND ind=新能源与节能环保",
        "coll=nev AND dist=黄埔区",
        'ad within "2018,2022"',
    ],
    "trademark": ["云山", "tm=云山 AND nc=30", "dist=天河区 AND nc=9", 'ad within "2018,2022"'],
    "copyright": ["管理系统", "kind=软件 AND pa=广州", "2016SR309930", "dist=黄埔区 AND rd>=2020"],
}


def _codes(kind: RecordKind, codes: Iterable[str]) -> set[str]:
    """A kind's field codes: its index fields' and its stored queries' (patents: ``coll=``)."""
    return {c for c in codes if c} | query.KIND_QUERY_CODES[kind]


@router.get("/query-language")
def language() -> Language:
    """检索语法 / Field codes, operators, facets and limits of the query language."""
    return Language(
        fields={kind: sorted(_codes(kind, codes)) for kind, codes in FIELDS.items()},
        facets={kind: list(names) for kind, names in FACETS.items()},
        operators=[
            "AND",
            "OR",
            "NOT",
            "与",
            "或",
            "非",
            "&",
            "|",
            "-",
            "( )",
            '"…"',
            "*",
            ">=",
            "<=",
            ">",
            "<",
            "=",
            "within",
        ],
        examples=list(dict.fromkeys(e for examples in EXAMPLES.values() for e in examples)),
        examples_by_kind={kind: list(examples) for kind, examples in EXAMPLES.items()},
        limits=Limits(
            max_query_length=query.MAX_QUERY_LENGTH,
            max_terms=query.MAX_TERMS,
            max_depth=query.MAX_DEPTH,
            max_truncation_expansions=MAX_EXPANSIONS,
            min_truncation_prefix=MIN_PREFIX,
            max_word_tokens=MAX_WORD_TOKENS,
            max_clauses=MAX_CLAUSES,
            max_page_size=MAX_PAGE_SIZE,
            max_result_window=MAX_RESULT_WINDOW,
            max_facet_size=MAX_FACET_SIZE,
            min_date_year=query.MIN_YEAR,
            max_date_year=query.MAX_YEAR,
        ),
    )
