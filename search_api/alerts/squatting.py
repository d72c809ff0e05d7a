"""Squatting warnings (恶意抢注预警) for an ingest batch's trademark filings.

The signals are :mod:`nlp.squatting`'s; this module gathers their evidence from the store, once
per batch however many subscriptions there are:

- per applicant of the batch, the Nice classes of all its filings in the store (one
  ``applicant × nice_class`` aggregation per 1,000 applicants) and its patents (one
  ``applicant`` aggregation): ``class_spread`` and ``non_operating``;
- for applicants with at least :data:`MASS_MIN_FILINGS` filings in the batch, each of those
  filings against other holders' marks — the watched and well-known marks in memory, and the
  store's most similar marks by character overlap (one search per filing, at most
  :data:`MAX_LOOKUPS` per batch) — for ``mass_imitation``.

The batch's records are never held: the evidence is gathered in a streaming pass (and a second
over the filings the mass-imitation look examines), then the matcher hands each chunk it reads
and indexes to :meth:`SquattingRun.match_chunk`. A ``squatting_watch`` subscription is warned of
a filing that imitates one of its marks or a well-known mark, by an applicant that is not the
holder; with ``bulk`` also of every filing whose applicant fired ``mass_imitation`` or
``class_spread`` with ``non_operating``.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from iphub.clearance import candidate_ids
from iphub.records import AnyRecord, Patent, Trademark
from iphub.store.aggregate import AggregateRequest
from iphub.store.base import SearchRequest, Store
from iphub.store.batch_index import BatchIndex
from iphub.store.plan import Bool, Term, Terms
from nlp import marks, squatting
from nlp.applicants import normalise as normalise_applicant
from nlp.pinyin import spelled
from nlp.segment import char_tokens
from search_api.alerts.db import AlertsDB
from search_api.alerts.matcher import MatchReport, _record_matches
from search_api.alerts.models import Owner, Subscription

MASS_MIN_FILINGS = 3
MAX_LOOKUPS = 2000
#: references (watched and well-known marks) past which a filing's look for the ones it imitates
#: asks a RAM index of them instead of comparing with each
INDEX_REFERENCES_PAST = 500
_REF = "REF-"
_CHUNK = 1000


@dataclass
class ApplicantEvidence:
    name: str
    type: str | None = None
    classes: set[int] = field(default_factory=set)
    patents: int = 0
    similar: int = 0
    examined: int = 0
    _signals: list[str] | None = field(default=None, repr=False, compare=False)

    def signals(self) -> list[str]:
        """The applicant's bulk signals, worked out once the evidence is complete (every
        filing of the applicant asks for them, for every bulk watch)."""
        if self._signals is None:
            self._signals = self._worked_out()
        return self._signals

    def _worked_out(self) -> list[str]:
        out = []
        if squatting.mass_imitation(self.similar, self.examined):
            out.append(f"mass_imitation:{self.similar}/{self.examined}")
        spread = squatting.class_spread(self.classes)
        idle = squatting.non_operating(self.name, self.type, self.patents)
        if spread >= squatting.CLASS_SPREAD_MIN and idle:
            out += [f"class_spread:{spread}", f"non_operating:{idle}"]
        return out


def _key(name: str, key: str | None) -> str:
    return key or normalise_applicant(name).key


def keys_of(filing: Trademark) -> list[str]:
    return [_key(p.name, p.key) for p in filing.applicants]


def watched_references(
    subs: Iterable[Subscription], owners: dict[str, Owner]
) -> list[squatting.Reference]:
    """The marks of squatting and trademark watches, each held by its owner's applicant keys."""
    refs = []
    for sub in subs:
        watch = sub.watch or {}
        holders = set(squatting_holders(sub, owners.get(sub.owner_id)))
        texts = watch.get("marks") or ([watch["mark"]] if watch.get("mark") else [])
        for text in texts:
            refs.append(
                squatting.Reference(text, frozenset(holders), tuple(watch.get("nice_classes", [])))
            )
    return refs


def squatting_holders(sub: Subscription, owner: Owner | None) -> list[str]:
    names = list((sub.watch or {}).get("holders", []))
    keys = [normalise_applicant(n).key for n in names]
    if owner is not None and owner.applicant_key:
        keys.append(owner.applicant_key)
    return keys


class BatchEvidence:
    """What the store says about the applicants of a batch's trademark filings, and the
    mass-imitation look at the filings of those with several.

    Gathered in one streaming pass over the batch (a second, bounded by :data:`MAX_LOOKUPS`,
    for the filings of applicants with :data:`MASS_MIN_FILINGS` or more): what is kept is one
    :class:`ApplicantEvidence` per applicant, never the batch's records — a week's gazette is
    100,000–150,000 filings.
    """

    def __init__(self, store: Store, batch_id: str, references: list[squatting.Reference]):
        self.store = store
        self.batch_id = batch_id
        self.references = references
        self.filings = 0  # the batch's filings with a mark text
        self._refs_index: BatchIndex | None = None
        self._refs_by_mark: list[list[squatting.Reference]] = []
        self.applicants: dict[str, ApplicantEvidence] = {}
        in_batch: dict[str, tuple[int, str]] = {}  # per applicant key: filings, smallest id
        for f in batch_filings(store, batch_id):
            self.filings += 1
            for p in f.applicants:
                entry = self.applicants.setdefault(_key(p.name, p.key), ApplicantEvidence(p.name))
                entry.type = entry.type or (p.type.value if p.type else None)
                entry.classes.update(f.nice_classes)
            for k in dict.fromkeys(keys_of(f)):
                n, first = in_batch.get(k, (0, f.id))
                in_batch[k] = (n + 1, min(first, f.id))
        self._aggregate()
        self._mass_imitation(in_batch)

    def _aggregate(self) -> None:
        keys = sorted(self.applicants)
        for start in range(0, len(keys), _CHUNK):
            chunk = tuple(keys[start : start + _CHUNK])
            size = max(len(chunk), 45)
            marks_agg = self.store.aggregate(
                AggregateRequest(
                    "trademark", Terms("pak", chunk), ("applicant", "nice_class"), size
                )
            )
            for g in marks_agg.groups:
                if g.key in self.applicants:
                    self.applicants[g.key].classes.update(
                        int(c.key) for c in g.groups if c.key is not None
                    )
            patents = self.store.aggregate(
                AggregateRequest("patent", Terms("pak", chunk), ("applicant",), len(chunk))
            )
            for g in patents.groups:
                if g.key in self.applicants:
                    self.applicants[g.key].patents = g.count

    def _mass_imitation(self, in_batch: dict[str, tuple[int, str]]) -> None:
        """Each filing of an applicant with several in the batch, against other holders'
        marks, :data:`MAX_LOOKUPS` in all: applicants in the order of their first filing by
        id, the first of each one's filings by id — the same on every store, however it
        streams the batch. Which applicants and how many of their filings follows from the
        counts; a second pass over the batch keeps those filings (≤ :data:`MAX_LOOKUPS`)."""
        share: dict[str, int] = {}  # filings to examine per applicant key
        left = MAX_LOOKUPS
        for key, (n, _) in sorted(in_batch.items(), key=lambda item: item[1][1]):
            if n >= MASS_MIN_FILINGS and left > 0:
                share[key] = min(n, left)
                left -= share[key]
        if not share:
            return
        kept: dict[str, list[Trademark]] = {key: [] for key in share}  # by id, ≤ its share
        for f in batch_filings(self.store, self.batch_id):
            for key in dict.fromkeys(keys_of(f)):
                first = kept.get(key)
                if first is None or (len(first) == share[key] and f.id >= first[-1].id):
                    continue
                bisect.insort(first, f, key=_by_id)
                if len(first) > share[key]:
                    first.pop()
        for key, first in kept.items():
            entry = self.applicants[key]  # every key of the counts has its entry
            for filing in first:
                entry.examined += 1
                entry.similar += self._imitates_others(filing, key)

    def _imitates_others(self, filing: Trademark, key: str) -> bool:
        text = filing.mark_text or ""
        if squatting.imitations(text, filing.nice_classes, [key], self._like(filing)):
            return True
        tokens = list(dict.fromkeys(char_tokens(text)))[:20]
        if not tokens:
            return False
        plan = Bool(
            should=tuple(Term("tm_c", t) for t in tokens),
            must_not=(Terms("pak", (key,)), Terms("id", (filing.id,))),
        )
        for hit in self.store.search(SearchRequest("trademark", plan, size=5)).hits:
            other = hit.record
            if isinstance(other, Trademark) and other.mark_text:
                result = marks.compare(
                    other.mark_text, text, other.nice_classes, filing.nice_classes
                )
                if result.score >= marks.THRESHOLD:
                    return True
        return False

    def _like(self, filing: Trademark) -> Sequence[squatting.Reference]:
        """The references ``filing`` may imitate: every one while they are few; past
        :data:`INDEX_REFERENCES_PAST` (every watched mark of every watch), those whose mark
        is among the best ``CANDIDATES`` its own candidate query ranks in a RAM index of the
        distinct marks (a query of ≈1–3 ms against ≈5 µs a comparison)."""
        if len(self.references) <= INDEX_REFERENCES_PAST:
            return self.references
        if self._refs_index is None:
            by_mark: dict[str, list[squatting.Reference]] = defaultdict(list)
            for ref in self.references:  # a mark many watch is one document
                by_mark[ref.mark].append(ref)
            self._refs_by_mark = list(by_mark.values())
            self._refs_index = BatchIndex(
                Trademark(
                    id=f"{_REF}{i}",
                    application_number=str(i),
                    source="reference",
                    mark_text=refs[0].mark,
                    mark_pinyin=spelled(refs[0].mark),
                )  # fmt: skip
                for i, refs in enumerate(self._refs_by_mark)
            )
        # in every class: a reference's classes are compare's to judge
        found = candidate_ids(self._refs_index, filing.mark_text or "")
        return [ref for rid in found for ref in self._refs_by_mark[int(rid.removeprefix(_REF))]]

    def bulk_signals(self, filing: Trademark) -> list[str]:
        """The signals of the filing's applicants (none for an applicant the evidence did not
        see: a filing a resumed batch wrote while the watches ran)."""
        entries = (self.applicants.get(k) for k in dict.fromkeys(keys_of(filing)))
        return [s for e in entries if e is not None for s in e.signals()]


def _by_id(filing: Trademark) -> str:
    return filing.id


def batch_filings(store: Store, batch_id: str) -> Iterator[Trademark]:
    """The batch's trademark filings with a mark text, streamed from the store."""
    for r in store.scan_batch("trademark", batch_id):
        if isinstance(r, Trademark) and r.mark_text:
            yield r


class Chunk:
    """A chunk of the batch's records and their RAM index (the trademark-watch matcher's own,
    when it runs): which of its filings a watch compares."""

    def __init__(self, records: Sequence[AnyRecord], index: BatchIndex) -> None:
        self.filings = [r for r in records if isinstance(r, Trademark) and r.mark_text]
        self.index = index
        self._position = {f.id: n for n, f in enumerate(self.filings)}
        self._candidates: dict[squatting.Reference, frozenset[str]] = {}
        self._well_known: frozenset[str] | None = None

    def candidates(self, references: Iterable[squatting.Reference]) -> frozenset[str]:
        """Ids of the filings that may imitate one of ``references``: for each, the best
        ``CANDIDATES`` the similar-mark search's candidate query ranks in the chunk (a
        well-known mark in every class, as it is protected; its holders' own filings left
        out), each reference asked once a chunk whichever watches name it. Comparing every
        filing with every reference of every watch was ≈5 µs a pair (BENCHMARKS.md,
        "Trademark watch at scale")."""
        out: set[str] = set()
        for ref in references:
            if ref not in self._candidates:
                classes = () if ref.well_known else ref.classes  # well-known: every class
                found = candidate_ids(self.index, ref.mark, classes, not_of=ref.holder_keys)
                self._candidates[ref] = frozenset(i for i in found if i in self._position)
            out |= self._candidates[ref]
        return frozenset(out)

    def well_known_candidates(self) -> frozenset[str]:
        """:meth:`candidates` of the well-known marks, made once a chunk for every watch."""
        if self._well_known is None:
            self._well_known = self.candidates(squatting.well_known())
        return self._well_known

    def in_order(self, ids: frozenset[str]) -> list[Trademark]:
        """The filings of ``ids``, in the batch's order."""
        return [self.filings[n] for n in sorted(self._position[i] for i in ids)]


def _hits(
    sub: Subscription,
    refs: list[squatting.Reference],
    evidence: BatchEvidence,
    chunk: Chunk,
) -> list[tuple[Patent | Trademark, dict[str, Any]]]:
    watch = sub.watch or {}
    maybe = chunk.candidates(refs)
    if watch.get("well_known", True):
        refs = refs + list(squatting.well_known())
        maybe |= chunk.well_known_candidates()
    found: list[tuple[Patent | Trademark, dict[str, Any]]] = []
    # a watch without bulk signals looks at its candidates only, in the batch's order
    looked = chunk.filings if watch.get("bulk") else chunk.in_order(maybe)
    for filing in looked:
        bulk_only = filing.id not in maybe
        keys = keys_of(filing)
        imitated = (
            []
            if bulk_only
            else squatting.imitations(filing.mark_text or "", filing.nice_classes, keys, refs)
        )
        bulk = evidence.bulk_signals(filing)
        if imitated or (watch.get("bulk") and bulk):
            signals = [i.label() for i in imitated] + bulk
            found.append(
                (
                    filing,
                    {
                        "signals": signals,
                        "imitates": [i.reference.mark for i in imitated],
                        "score": round(imitated[0].score, 3) if imitated else None,
                    },
                )
            )
    return found


class SquattingRun:
    """Squatting watches over one batch: the applicants' evidence first (:class:`BatchEvidence`),
    then the batch a chunk at a time (:meth:`match_chunk`), each chunk's warnings written as it
    is matched."""

    def __init__(
        self,
        store: Store,
        db: AlertsDB,
        batch_id: str,
        subs: Sequence[Subscription],
        watches: Sequence[Subscription] = (),
    ) -> None:
        self.db, self.batch_id, self.subs = db, batch_id, subs
        with db.session() as session:
            owner_ids = {s.owner_id for s in [*subs, *watches]}
            owners = {
                o.id: o for o in session.scalars(select(Owner).where(Owner.id.in_(owner_ids)))
            }
        self.refs = {s.id: watched_references([s], owners) for s in subs}
        references = [r for refs in self.refs.values() for r in refs]
        references += watched_references(watches, owners) + list(squatting.well_known())
        self.evidence = BatchEvidence(store, batch_id, references)

    def match_chunk(
        self, records: Sequence[AnyRecord], index: BatchIndex, report: MatchReport
    ) -> None:
        """Warn every squatting watch of the chunk's filings whose signals fire; ``index`` is
        a RAM index of ``records``."""
        chunk = Chunk(records, index)
        if not chunk.filings:
            return
        with self.db.session() as session:
            for sub in self.subs:
                found = _hits(sub, self.refs[sub.id], self.evidence, chunk)
                if found:
                    _record_matches(session, sub, self.batch_id, found, report)
