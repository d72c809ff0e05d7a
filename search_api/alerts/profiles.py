"""Profile feeds (精准推送): push a firm the batch's records closest to what it files, and its
competitors' new filings, each saying why.

The profile is built from the firm's own patents (its applicant key, ``pak``) with
``Store.aggregate`` on either store: top IPC groups, key terms, industries. Its competitors are
the applicants with the most similar IPC-group mix: one ``applicant × ipc_group`` aggregation
over the records in the profile's groups, then cosine similarity of each applicant's counts with
the firm's, over the profile's groups only (at least ``MIN_SIMILARITY``, and
``MIN_SHARED_RECORDS`` records there). The profile is stored with the subscription and
shown and edited through the API, so the firm sees why it gets what it gets.

After a batch (:func:`match_batch`): one relevance-ranked store query of the profile's terms
(title ×3, abstract ×1) and IPC groups (×2), restricted to the batch; a hit is pushed when it
matches at least ``min_features`` of them (counted on the record itself, the same on both
stores, whatever the engine's scores), best ``top_n`` first. Then the batch's records of the
competitors (one query per kind). Both go through the matcher's match/outbox path, so a record is
pushed to a subscriber once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from iphub.records import AnyRecord, Patent
from iphub.store.aggregate import AggregateRequest
from iphub.store.base import SearchRequest, Store
from iphub.store.fields import RecordKind, ipc_terms
from iphub.store.plan import Bool, Plan, Term, Terms
from nlp.applicants import normalise as normalise_applicant
from nlp.segment import query_tokens
from search_api.alerts.db import AlertsDB
from search_api.alerts.matcher import MatchReport, _record_matches
from search_api.alerts.models import Subscription, now

IPC_GROUPS = 10
TERMS = 15
INDUSTRIES = 5
COMPETITORS = 5
#: applicants considered as competitors (the most active in the profile's groups)
CANDIDATES = 200
MIN_SIMILARITY = 0.5
#: a competitor has at least this many records in the profile's groups (one patent is no rival)
MIN_SHARED_RECORDS = 2


def _groups(store: Store, plan: Plan, dimension: str, size: int) -> list[dict[str, Any]]:
    agg = store.aggregate(AggregateRequest("patent", plan, (dimension,), size))
    return [{"key": g.key, "count": g.count} for g in agg.groups if g.key is not None]


def cosine(a: dict[str, int], b: dict[str, int]) -> float:
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def competitors(store: Store, key: str, mix: dict[str, int]) -> list[dict[str, Any]]:
    """Applicants whose IPC-group mix (over the profile's groups) is most like the firm's."""
    if not mix:
        return []
    agg = store.aggregate(
        AggregateRequest("patent", Terms("ipc", tuple(mix)), ("applicant", "ipc_group"), CANDIDATES)
    )
    found: list[dict[str, Any]] = []
    for group in agg.groups:
        if group.key is None or group.key == key or group.count < MIN_SHARED_RECORDS:
            continue
        theirs = {g.key: g.count for g in group.groups if g.key in mix}
        similarity = cosine(mix, theirs)
        if similarity >= MIN_SIMILARITY:
            found.append(
                {"key": group.key, "similarity": round(similarity, 3), "shared": sorted(theirs)}
            )
    found.sort(key=lambda c: (-c["similarity"], c["key"]))
    return found[:COMPETITORS]


def build(store: Store, applicant: str, top_n: int = 10, min_features: int = 2) -> dict[str, Any]:
    """A firm's profile from its own patents (aggregations only: no record is loaded)."""
    key = normalise_applicant(applicant).key
    own = Terms("pak", (key,))
    total = store.aggregate(AggregateRequest("patent", own, ("year",), 1)).total
    ipc = _groups(store, own, "ipc_group", IPC_GROUPS)
    mix = {g["key"]: g["count"] for g in ipc}
    return {
        "applicant": key,
        "records": total,
        "ipc_groups": ipc,
        "terms": _groups(store, own, "keyword", TERMS),
        "industries": _groups(store, own, "industry", INDUSTRIES),
        "competitors": competitors(store, key, mix),
        "top_n": top_n,
        "min_features": min_features,
        "edited": False,
        "built": now().isoformat(),
    }


def ipc_group(code: str) -> str:
    """``H01M 10/0525`` → ``H01M10`` (the main-group level profiles work at)."""
    terms = ipc_terms(code)
    if len(terms) < 4:
        raise ValueError(f"IPC 大组无效 / not an IPC main group: {code!r}")
    return terms[3]


def edit(profile: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Apply an owner's edits: lists replace (counts of kept entries are kept), scalars set."""
    out = dict(profile)
    if changes.get("ipc_groups") is not None:
        old = {g["key"]: g["count"] for g in profile["ipc_groups"]}
        codes = [ipc_group(c) for c in changes["ipc_groups"]]
        out["ipc_groups"] = [{"key": c, "count": old.get(c, 0)} for c in dict.fromkeys(codes)]
    if changes.get("terms") is not None:
        old = {g["key"]: g["count"] for g in profile["terms"]}
        out["terms"] = [{"key": t, "count": old.get(t, 0)} for t in dict.fromkeys(changes["terms"])]
    if changes.get("competitors") is not None:
        old_c = {c["key"]: c for c in profile["competitors"]}
        keys = dict.fromkeys(normalise_applicant(n).key for n in changes["competitors"])
        out["competitors"] = [
            old_c.get(k, {"key": k, "similarity": 0.0, "shared": []}) for k in keys
        ]
    for name in ("top_n", "min_features"):
        if changes.get(name) is not None:
            out[name] = changes[name]
    out["edited"] = True
    return out


def _features(record: Patent, terms: Sequence[str], groups: Sequence[str]) -> list[str]:
    """The profile's terms and IPC groups this record matches (shown as the reason)."""
    text = " ".join(
        [record.title.text, *(t.text for t in record.titles)]
        + ([record.abstract.text] if record.abstract else [])
        + [a.text for a in record.abstracts]
    ).lower()
    hit = [f"term:{t}" for t in terms if t.lower() in text]
    own = {t for code in record.ipc or [record.ipc_main or ""] for t in ipc_terms(code)}
    return hit + [f"ipc:{g}" for g in groups if g in own]


def _relevant(
    store: Store, profile: dict[str, Any], batch_id: str
) -> list[tuple[Any, dict[str, Any]]]:
    terms = [g["key"] for g in profile["terms"]]
    groups = [g["key"] for g in profile["ipc_groups"]]
    should: list[Plan] = [
        Term(field, token, boost)
        for t in terms
        for token in dict.fromkeys(query_tokens(t))
        for field, boost in (("ti_w", 3.0), ("ab_w", 1.0))
    ]
    should += [Term("ipc", g, 2.0) for g in groups]
    if not should:
        return []
    plan = Bool(
        must=(Terms("batch", (batch_id,)), Bool(should=tuple(should))),
        must_not=(Terms("pak", (profile["applicant"],)),),  # not the firm's own filings
    )
    top_n = int(profile["top_n"])
    result = store.search(SearchRequest("patent", plan, size=min(100, top_n * 5)))
    found: list[tuple[Any, dict[str, Any]]] = []
    for hit in result.hits:
        if not isinstance(hit.record, Patent):
            continue
        why = _features(hit.record, terms, groups)
        if len(why) >= int(profile["min_features"]):
            found.append((hit.record, {"why": why, "signals": why}))
        if len(found) == top_n:
            break
    return found


def _by_competitors(
    store: Store, profile: dict[str, Any], batch_id: str
) -> list[tuple[Any, dict[str, Any]]]:
    keys = tuple(c["key"] for c in profile["competitors"])
    if not keys:
        return []
    plan = Bool(must=(Terms("batch", (batch_id,)), Terms("pak", keys)))
    found: list[tuple[Any, dict[str, Any]]] = []
    kinds: tuple[RecordKind, ...] = ("patent", "trademark")
    for kind in kinds:
        ids = list(store.scan_ids(kind, plan))
        for record in store.get_many(ids).values():
            names = _competitor_names(record, set(keys))
            why = [f"competitor:{n}" for n in names]
            found.append((record, {"why": why, "signals": why}))
    return found


def _competitor_names(record: AnyRecord, keys: set[str]) -> list[str]:
    return [p.name for p in record.applicants if (p.key or normalise_applicant(p.name).key) in keys]


def match_batch(
    store: Store, db: AlertsDB, batch_id: str, subs: Sequence[Subscription], report: MatchReport
) -> None:
    for sub in subs:
        profile = sub.watch or {}
        if not profile:
            continue
        relevant = _relevant(store, profile, batch_id)
        rivals = _by_competitors(store, profile, batch_id)
        merged: dict[str, tuple[Any, dict[str, Any]]] = {}
        for record, extra in relevant + rivals:
            if record.id in merged:
                why = merged[record.id][1]["why"] + extra["why"]
                merged[record.id] = (record, {"why": why, "signals": why})
            else:
                merged[record.id] = (record, extra)
        if merged:
            with db.session() as session:
                _record_matches(session, sub, batch_id, list(merged.values()), report)
