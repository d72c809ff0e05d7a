"""Similar-mark search (近似商标查询): the registered and pending marks a proposed mark may conflict
with, before an SME files it.

A search box finds marks that share a word; an examiner (and an opponent) also objects to a
mark that sounds the same (芸杉 / 云山), looks alike (康帅傅 / 康师傅), contains the other
(云山 / 白云山食品) or translates it (星巴克 / STARBUCKS), in the same or a related Nice class.
Two steps, so that a store of millions of marks is never read whole:

1. **Candidates** (:func:`candidates_plan`): one query to the store, the same on every store,
   ranked by relevance: the mark's characters and their shape-similar ones, its Latin words
   (accents aside), their one-edit imitations (``nlp.marks.spelling_variants``: NLKE, ADIDOS,
   CANNON) and the same written as one word or two (COCACOLA / COCA COLA) (``tm_c``); its
   words, its pinyin as the register spells it (``tm_w``, where ``nlp.enrich`` puts
   ``mark_pinyin``) and one letter away from it (御膳 ``yushan`` / 云山 ``yunshan``), and the
   established translations of it or of a mark inside it (星巴克咖啡 →
   STARBUCKS) — restricted to the given Nice classes and those of their similarity groups
   (``nlp/data/nice_related.tsv``). The best :data:`CANDIDATES` are read.
2. **Scores** (:func:`rank`): ``nlp.marks.compare``, the comparison the trademark watch uses,
   scores each candidate and names the signals that fired (identical, same pinyin, shape,
   containment, translation, near in characters or sound; same or related class). Marks from
   :data:`MIN_SCORE` are shown, best first; from ``nlp.marks.THRESHOLD`` on they are the ones a
   watch would report.

Every mark of the classes matches the query (the terms only rank), so what the candidates
miss is a mark ranked below the best :data:`CANDIDATES` of its classes: one that shares with
the proposed mark neither a character, a word or its one-edit imitation, a pinyin one letter
away nor a translation, among many that share something. Of the labelled pairs the watch
reports, the candidates reach all 139 among 200,000 other marks
(``bench/similar_marks_recall.py``, BENCHMARKS.md "Similar-mark search").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import anyio
from pydantic import BaseModel, Field

from iphub.records import Trademark, TrademarkStatus
from iphub.store.base import Hit, SearchRequest, Store
from iphub.store.plan import All, Bool, Exists, Plan, Term, Terms
from iphub.store.reader import AsyncReader
from nlp import marks
from nlp.pinyin import spelled
from nlp.segment import CJK, ONE_CHARACTER, char_tokens, query_tokens

if TYPE_CHECKING:  # the RAM index imports the embedded store; the API needs neither here
    from iphub.store.batch_index import BatchIndex

#: candidates read from the store and scored
CANDIDATES = 400
#: lowest score shown (``marks.THRESHOLD`` and above: what a trademark watch reports)
MIN_SCORE = 0.5
MAX_MARK = 50
MAX_SIZE = 100
#: relevance weights: the mark's own characters over their look-alikes; a whole word, the
#: whole pinyin or a translation over a character
_OWN, _LOOK_ALIKE, _WHOLE = 2.0, 1.0, 4.0
#: Latin words of a mark whose spelling variants are asked for (each has a few dozen)
_VARIED_WORDS = 4
#: most term clauses in the candidate query (Elasticsearch's limit is 1,024 at the least)
MAX_CLAUSES = 900
#: longest Latin word also asked for as two words
_SPLIT_WORDS_UP_TO = 14


class SimilarMarkOut(BaseModel):
    id: str
    score: float = Field(description="0–1, as the trademark watch scores (nlp.marks.compare)")
    signals: list[str] = Field(
        description="why: identical, pinyin_identical, shape_similar, contains, translation, "
        "translation_contains, char_near, pinyin_near; same_class, related_class, any_class"
    )
    record: Trademark


class SimilarMarksOut(BaseModel):
    mark: str
    nice_classes: list[int]
    searched_classes: list[int] = Field(
        description="the given classes and those of their similarity groups (empty: all)"
    )
    live_only: bool
    threshold: float = Field(description="from this score on, a trademark watch would report")
    candidates: int = Field(description="marks read from the store and scored")
    hits: list[SimilarMarkOut]


class MarkSearchError(ValueError):
    """A parameter of a similar-mark search that cannot be searched (a 400 with ``code``)."""

    def __init__(self, code: str, parameter: str, zh: str, en: str) -> None:
        super().__init__(f"{parameter}: {zh} / {en}")
        self.code, self.parameter, self.message_zh, self.message_en = code, parameter, zh, en
        #: where the API found the parameter (the problem's ``errors[].loc``)
        self.loc: tuple[str | int, ...] = ("query", parameter)

    def at(self, *loc: str | int) -> MarkSearchError:
        """The same error about a field elsewhere: a watch's ``("body", "watch", "mark")``."""
        name = ".".join(str(part) for part in loc[1:])
        moved = MarkSearchError(self.code, name, self.message_zh, self.message_en)
        moved.loc = loc
        return moved


def checked(mark: str, classes: Sequence[int]) -> tuple[str, list[int]]:
    """The mark as compared (``marks.normalise``) and the classes, or a 400 that says why: a
    similar-mark search and every watch of a mark (trademark, squatting) check them alike."""
    normal = marks.normalise(mark)
    if not normal:
        raise MarkSearchError(
            "empty_mark",
            "mark",
            "请输入商标文字（汉字、字母或数字）",
            "enter the mark's words (Chinese characters, letters or digits)",
        )
    bad = [c for c in classes if not 1 <= c <= 45]
    if bad:
        raise MarkSearchError(
            "bad_nice_class",
            "nc",
            f"尼斯分类应为 1–45：{bad[0]}",
            f"a Nice class is 1-45, not {bad[0]}",
        )
    return normal, sorted(set(classes))


def searched_classes(classes: Sequence[int]) -> list[int]:
    """The classes and every class of their similarity groups; empty (every class) for none."""
    out: set[int] = set()
    for c in classes:
        out |= marks.related_classes(c)
    return sorted(out)


def candidates_plan(mark: str, classes: Sequence[int] = (), live_only: bool = False) -> Plan:
    """The store query of step 1 (see the module's docstring). Raises :class:`MarkSearchError`."""
    normal, classes = checked(mark, classes)
    should: dict[tuple[str, str], float] = {}

    def add(field: str, tokens: Sequence[str], boost: float) -> None:
        for token in tokens:
            key = (field, token)
            should[key] = max(should.get(key, 0.0), boost)

    split: list[Plan] = []
    # LANCÔME is also LANCOME: the index and the query fold Latin letters without their marks
    add("tm_w", query_tokens(mark), _WHOLE)
    tokens = char_tokens(mark)  # CJK, Hangul and kana characters, words
    latin = [t for t in tokens if not ONE_CHARACTER.match(t)]
    for token in tokens:
        add("tm_c", [token], _OWN)
        if CJK.match(token):
            add("tm_c", list(marks.look_alikes(token)[1:]), _LOOK_ALIKE)
    for word in latin[:_VARIED_WORDS]:
        add("tm_c", marks.spelling_variants(word), _LOOK_ALIKE)
        if len(word) <= _SPLIT_WORDS_UP_TO:  # one word the register may write as two
            split += [  # COCACOLA / COCA COLA
                Bool(must=(Term("tm_c", word[:k]), Term("tm_c", word[k:])))
                for k in range(3, len(word) - 2)
            ]
    # two words the register may write as one
    add("tm_c", [a + b for a, b in zip(latin, latin[1:], strict=False)], _LOOK_ALIKE)
    if CJK.search(normal):  # the register's spelling, and pypinyin's reading of the phrase
        sounds = {marks.pinyin(normal), spelled(normal) or ""} - {""}
        add("tm_w", [t for s in sounds for t in query_tokens(s)], _WHOLE)
        # a sound one letter away in other characters (御膳 yushan / 云山 yunshan)
        add("tm_c", [v for s in sounds for v in marks.sound_variants(s)], _LOOK_ALIKE)
    for translated in marks.translated_forms(mark):
        add("tm_w", query_tokens(translated), _WHOLE)
        add("tm_c", char_tokens(translated), _OWN)
    must: list[Plan] = []
    if classes:  # a record without classes relates to any (``marks.classes_related``)
        related = Terms("nc", tuple(str(c) for c in searched_classes(classes)))
        must.append(Bool(should=(related, Bool(must=(All(),), must_not=(Exists("nc"),)))))
    # Elasticsearch refuses a query of more than 1,024 clauses (its least limit): the strongest
    # terms are kept, the pinyin neighbours (asked last) given up first
    room = MAX_CLAUSES - 2 * len(split)
    kept = sorted(should.items(), key=lambda item: -item[1])[:room]  # stable: order kept
    return Bool(
        must=tuple(must),
        should=(*(Term(f, v, b) for (f, v), b in kept), *split),
        must_not=(Terms("status", (TrademarkStatus.INVALID.value,)),) if live_only else (),
    )


def candidate_ids(
    index: BatchIndex, mark: str, classes: Iterable[int] = (), not_of: Iterable[str] = ()
) -> list[str]:
    """The records of a RAM index (a chunk of a batch's filings, or of watched marks) that the
    candidate query of ``mark`` ranks best (:data:`CANDIDATES`): what a trademark or squatting
    watch compares. A class outside 1–45 relates to nothing and is left out; ``not_of``:
    applicant keys whose records never count (a mark's holders); a mark with nothing to search
    by (no letter, digit or character) has none."""
    try:
        plan = candidates_plan(mark, [c for c in classes if 1 <= c <= 45])
    except MarkSearchError:
        return []
    if holders := tuple(sorted(not_of)):  # they take no candidate's place
        plan = Bool(must=(plan,), must_not=(Terms("pak", holders),))
    return index.ids("trademark", plan, best=CANDIDATES)


@dataclass(frozen=True)
class _Request:
    mark: str
    classes: list[int]
    live_only: bool
    size: int
    search: SearchRequest


def _request(mark: str, classes: Sequence[int], live_only: bool, size: int) -> _Request:
    if len(mark) > MAX_MARK:  # a search's limit; a watch's mark (up to 100) is planned as it is
        raise MarkSearchError(
            "mark_too_long",
            "mark",
            f"商标文字最多 {MAX_MARK} 个字符",
            f"a mark has at most {MAX_MARK} characters",
        )
    if not 1 <= size <= MAX_SIZE:
        raise ValueError(f"size 应在 1–{MAX_SIZE} 之间 / size must be 1-{MAX_SIZE}")
    plan = candidates_plan(mark, classes, live_only)
    search = SearchRequest(kind="trademark", plan=plan, size=CANDIDATES, sort="relevance")
    return _Request(mark.strip(), sorted(set(classes)), live_only, size, search)


def rank(
    mark: str, classes: Sequence[int], found: Sequence[Trademark], size: int
) -> list[SimilarMarkOut]:
    """Step 2: the candidates scored against ``mark``, from :data:`MIN_SCORE`, best first (a
    live mark before a dead one of the same score, then the earlier application)."""
    scored: list[SimilarMarkOut] = []
    for record in found:
        if not record.mark_text:
            continue
        result = marks.compare(mark, record.mark_text, classes, record.nice_classes)
        if result.score >= MIN_SCORE:
            scored.append(
                SimilarMarkOut(
                    id=record.id, score=result.score, signals=result.signals, record=record
                )
            )
    scored.sort(
        key=lambda h: (
            -h.score,
            h.record.status == TrademarkStatus.INVALID,
            h.record.application_date.isoformat() if h.record.application_date else "9",
            h.id,
        )
    )
    return scored[:size]


def _answer(request: _Request, found: Sequence[Trademark]) -> SimilarMarksOut:
    return SimilarMarksOut(
        mark=request.mark,
        nice_classes=request.classes,
        searched_classes=searched_classes(request.classes),
        live_only=request.live_only,
        threshold=marks.THRESHOLD,
        candidates=len(found),
        hits=rank(request.mark, request.classes, found, request.size),
    )


def _trademarks(hits: Sequence[Hit]) -> list[Trademark]:
    return [h.record for h in hits if isinstance(h.record, Trademark)]


def similar_marks(
    store: Store, mark: str, classes: Sequence[int] = (), *, live_only: bool = False, size: int = 20
) -> SimilarMarksOut:
    """Marks like ``mark`` in ``classes`` (and related ones; none: every class). Raises
    :class:`MarkSearchError` (or ``ValueError``: ``size``) for a bad parameter."""
    request = _request(mark, classes, live_only, size)
    return _answer(request, _trademarks(store.search(request.search).hits))


async def similar_marks_async(
    reader: AsyncReader,
    mark: str,
    classes: Sequence[int] = (),
    *,
    live_only: bool = False,
    size: int = 20,
) -> SimilarMarksOut:
    """:func:`similar_marks` through the API's reader; planning and scoring (pypinyin's table
    on the first call, ≈20 ms of comparisons) run in a worker thread, not on the event loop."""
    request = await anyio.to_thread.run_sync(_request, mark, classes, live_only, size)
    found = _trademarks((await reader.search(request.search)).hits)
    return await anyio.to_thread.run_sync(_answer, request, found)
