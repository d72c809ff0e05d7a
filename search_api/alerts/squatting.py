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

A ``squatting_watch`` subscription is then warned of a filing that imitates one of its marks or a
well-known mark, by an applicant that is not the holder; with ``bulk`` also of every filing
whose applicant fired ``mass_imitation`` or ``class_spread`` with ``non_operating``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from iphub.clearance import candidate_ids
from iphub.records import Patent, Trademark
from iphub.store.aggregate import AggregateRequest
from iphub.store.base import SearchRequest, Store
from iphub.store.batch_index import BatchIndex
from iphub.store.plan import Bool, Term, Terms
from nlp import marks, squatting
from nlp.applicants import normalise as normalise_applicant
from nlp.pinyin import spelled
from nlp.segment import char_tokens
from search_api.alerts.db import AlertsDB
from search_api.alerts.matcher import CHUNK_RECORDS, MatchReport, _record_matches
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

    def signals(self) -> list[str]:
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
    """The batch's trademark filings and what the store says about their applicants."""

    def __init__(self, store: Store, batch_id: str, references: list[squatting.Reference]):
        self.store = store
        self.filings = [
            r
            for r in store.scan("trademark", Terms("batch", (batch_id,)))
            if isinstance(r, Trademark) and r.mark_text
        ]
        self.references = references
        self._position = {f.id: n for n, f in enumerate(self.filings)}
        self._by_id = {f.id: f for f in self.filings}
        self._indexes: list[BatchIndex] | None = None  # a chunk of the batch's filings each
        self._well_known: frozenset[str] | None = None
        self._refs_index: BatchIndex | None = None
        self._refs_by_mark: list[list[squatting.Reference]] = []
        self._candidates: dict[squatting.Reference, frozenset[str]] = {}
        self.applicants: dict[str, ApplicantEvidence] = {}
        for f in self.filings:
            for p in f.applicants:
                entry = self.applicants.setdefault(_key(p.name, p.key), ApplicantEvidence(p.name))
                entry.type = entry.type or (p.type.value if p.type else None)
                entry.classes.update(f.nice_classes)
        self._aggregate()
        self._mass_imitation()

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

    def _mass_imitation(self) -> None:
        per_key: dict[str, list[Trademark]] = defaultdict(list)
        for f in self.filings:
            for k in set(keys_of(f)):
                per_key[k].append(f)
        lookups = 0
        for key, filings in per_key.items():
            if len(filings) < MASS_MIN_FILINGS:
                continue
            entry = self.applicants[key]
            for filing in filings:
                if lookups >= MAX_LOOKUPS:
                    return
                lookups += 1
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

    def candidates(self, references: Iterable[squatting.Reference]) -> frozenset[str]:
        """Ids of the filings that may imitate one of ``references``: for each, the best
        ``CANDIDATES`` the similar-mark search's candidate query ranks in each chunk of
        ``CHUNK_RECORDS`` filings (as the trademark-watch matcher reads a batch; a well-known
        mark in every class, as it is protected; its holders' own filings left out), each
        reference asked once a batch whichever watches name it. Comparing every filing with
        every reference of every watch was ≈5 µs a pair (BENCHMARKS.md, "Trademark watch at
        scale")."""
        out: set[str] = set()
        for ref in references:
            if ref not in self._candidates:
                self._candidates[ref] = self._asked(ref)
            out |= self._candidates[ref]
        return frozenset(out)

    def well_known_candidates(self) -> frozenset[str]:
        """:meth:`candidates` of the well-known marks, made once a batch for every watch."""
        if self._well_known is None:
            self._well_known = self.candidates(squatting.well_known())
        return self._well_known

    def _asked(self, ref: squatting.Reference) -> frozenset[str]:
        if self._indexes is None:
            self._indexes = [
                BatchIndex(self.filings[at : at + CHUNK_RECORDS])
                for at in range(0, len(self.filings), CHUNK_RECORDS)
            ]
        classes = () if ref.well_known else ref.classes  # a well-known mark: in every class
        return frozenset(
            rid
            for index in self._indexes
            for rid in candidate_ids(index, ref.mark, classes, not_of=ref.holder_keys)
        )

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

    def in_order(self, ids: frozenset[str]) -> list[Trademark]:
        """The filings of ``ids``, in the batch's order."""
        return [self._by_id[i] for i in sorted(ids, key=self._position.__getitem__)]

    def bulk_signals(self, filing: Trademark) -> list[str]:
        return [s for k in dict.fromkeys(keys_of(filing)) for s in self.applicants[k].signals()]


def _hits(
    sub: Subscription, owner: Owner | None, evidence: BatchEvidence
) -> list[tuple[Patent | Trademark, dict[str, Any]]]:
    watch = sub.watch or {}
    refs = watched_references([sub], {sub.owner_id: owner} if owner else {})
    maybe = evidence.candidates(refs)
    if watch.get("well_known", True):
        refs += list(squatting.well_known())
        maybe |= evidence.well_known_candidates()
    found: list[tuple[Patent | Trademark, dict[str, Any]]] = []
    # a watch without bulk signals looks at its candidates only, in the batch's order
    looked = evidence.filings if watch.get("bulk") else evidence.in_order(maybe)
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


def match_batch(
    store: Store,
    db: AlertsDB,
    batch_id: str,
    subs: Sequence[Subscription],
    report: MatchReport,
    watches: Sequence[Subscription] = (),
) -> None:
    """Warn every squatting watch of the batch's filings whose signals fire."""
    if not subs:
        return
    with db.session() as session:
        owner_ids = {s.owner_id for s in [*subs, *watches]}
        owners = {o.id: o for o in session.scalars(select(Owner).where(Owner.id.in_(owner_ids)))}
    references = watched_references([*subs, *watches], owners) + list(squatting.well_known())
    evidence = BatchEvidence(store, batch_id, references)
    if not evidence.filings:
        return
    with db.session() as session:
        for sub in subs:
            found = _hits(sub, owners.get(sub.owner_id), evidence)
            if found:
                _record_matches(session, sub, batch_id, found, report)
