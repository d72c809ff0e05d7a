"""Facet counts stay exact when tantivy's per-segment top terms would under-count."""

from __future__ import annotations

from collections import Counter
from itertools import product
from pathlib import Path
from typing import Any

import pytest

from iphub.records import Party
from iphub.search import search
from iphub.store.embedded import EmbeddedStore
from tests.utils.factories import make_patent

# Per commit (= segment): applicant → records. "C" never leads a segment but wins overall.
SEGMENTS = [{"A": 5, "C": 4, "D": 1}, {"B": 5, "C": 4, "E": 1}, {"D": 5, "C": 4, "A": 1}]


def segmented_store(path: Path, segments: list[dict[str, int]]) -> EmbeddedStore:
    """A store with one commit (at least one segment) per dict of applicant → record count."""
    st = EmbeddedStore(path)
    n = 0
    for segment in segments:
        records = []
        for applicant, count in segment.items():
            for _ in range(count):
                n += 1
                records.append(
                    make_patent(
                        id=f"CN1{n:08d}A",
                        publication_number=f"CN1{n:08d}A",
                        applicants=[Party(name=applicant, key=applicant)],
                    )
                )
        st.upsert(records)
        st.refresh()
    return st


@pytest.fixture
def store(tmp_path: Path) -> EmbeddedStore:
    return segmented_store(tmp_path / "facets.db", SEGMENTS)


def truth() -> Counter[str]:
    total: Counter[str] = Counter()
    for segment in SEGMENTS:
        total.update(segment)
    return total


@pytest.mark.parametrize("segment_size", [1, 2, 1_000])
def test_top_buckets_are_exact(store: EmbeddedStore, segment_size: int) -> None:
    store.facet_segment_size = segment_size
    for size in (1, 2, 3, 5):
        got = search(store, "patent", "", facets=("applicant",), facet_size=size)
        expected = sorted(truth().items(), key=lambda kv: (-kv[1], kv[0]))[:size]
        assert [(b.key, b.count) for b in got.facets["applicant"]] == expected, size


class _Noting:
    """A tantivy searcher that notes which kind of pass each terms aggregation asked is."""

    def __init__(self, searcher: Any, ways: Counter[str]) -> None:
        self.searcher, self.ways = searcher, ways

    def aggregate(self, query: Any, aggs: dict[str, Any]) -> Any:
        for agg in aggs.values():
            terms = agg["terms"]
            every = terms["segment_size"] > 10**6
            self.ways["recount" if "include" in terms else "every term" if every else "fast"] += 1
        return self.searcher.aggregate(query, aggs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.searcher, name)


def test_facets_are_exact_for_any_layout_of_terms_in_segments(tmp_path: Path) -> None:
    """Seeded random layouts, each facet size: the top buckets equal the true counts, whichever
    way ``exact_facets`` proves them — the fast pass, one recount of the candidates, or every
    term counted (each way taken by some layout, so none goes untested)."""
    import random

    from iphub.store.base import SearchRequest
    from iphub.store.plan import All, Bool
    from iphub.store.tantivy_counts import exact_facets

    rng = random.Random(7)
    ways: Counter[str] = Counter()
    for trial in range(30):
        segments = [
            {key: rng.randint(1, 6) for key in rng.sample("ABCDEFGH", rng.randint(2, 6))}
            for _ in range(rng.randint(2, 4))
        ]
        total: Counter[str] = Counter()
        for counts in segments:
            total.update(counts)
        st = segmented_store(tmp_path / f"layout-{trial}.db", segments)
        searcher = st.index.searcher()
        noting = _Noting(searcher, ways)
        try:
            # every record (candidates recounted a term each), and a query (in one aggregation)
            for plan, size in product((All(), Bool(must=(All(),))), (1, 2, 3)):
                request = SearchRequest(
                    kind="patent", plan=plan, offset=0, size=1, sort="relevance",
                    facets=("applicant",), facet_size=size,
                )  # fmt: skip
                query = st._kind_query(searcher, "patent", plan)
                got = exact_facets(noting, st.schema, query, request, segment_size=1)
                expected = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:size]
                assert [(b.key, b.count) for b in got["applicant"]] == expected, segments
        finally:
            st.close()
    assert set(ways) == {"fast", "recount", "every term"}


def test_cached_facets_follow_writes_of_another_process(store: EmbeddedStore) -> None:
    store.close()  # the API process only reads; the writer is another process
    reader = EmbeddedStore(store.path)
    try:
        before = search(reader, "patent", "", facets=("applicant",)).facets["applicant"]
        assert search(reader, "patent", "", facets=("applicant",)).facets["applicant"] == before
        writer = EmbeddedStore(store.path)
        writer.upsert(
            [
                make_patent(
                    id="CN199000001A",
                    publication_number="CN199000001A",
                    applicants=[Party(name="F", key="F")],
                )
            ]
        )
        writer.refresh()
        writer.close()
        reader.index.reload()  # tantivy reloads on commit by itself, after a short delay
        after = search(reader, "patent", "", facets=("applicant",)).facets["applicant"]
        assert ("F", 1) in [(b.key, b.count) for b in after]
    finally:
        reader.close()


def test_a_query_is_counted_once_for_many_aggregations_until_a_commit(
    store: EmbeddedStore,
) -> None:
    """A landscape asks a dozen aggregations of one query: its total is remembered (a
    collection's phrases took ≈50 ms a count at 1M) until the next commit, then counted anew."""
    from iphub.store.aggregate import AggregateRequest
    from iphub.store.plan import understand

    plan = understand("pak=C", "patent").plan
    for group_by in ("applicant", "year", "district"):
        assert store.aggregate(AggregateRequest("patent", plan, (group_by,), 5)).total == 12
    computed = []
    assert store._remembered(("count", "patent", plan), lambda: computed.append(1)) == 12
    assert computed == []  # the total the aggregations counted, looked up
    store.upsert(
        [make_patent(id="CN199000002A", publication_number="CN199000002A",
                     applicants=[Party(name="C", key="C")])]
    )  # fmt: skip
    store.refresh()
    assert store.aggregate(AggregateRequest("patent", plan, ("applicant",), 5)).total == 13


def test_aggregation_counts_are_exact_across_segments(tmp_path: Path) -> None:
    """W is third in every segment yet first overall: a per-segment top list misses it."""
    from iphub.store.aggregate import AggregateRequest
    from iphub.store.plan import All

    segments = [{f"X{seg}": 5, f"Z{seg}": 5, "W": 4} for seg in range(4)]
    total = Counter[str]()
    for counts in segments:
        total.update(counts)
    st = segmented_store(tmp_path / "agg.db", segments)
    st.aggregate_segment_size = 1  # the first try reads each segment's top terms only
    try:
        for size in (1, 2, 3):
            got = st.aggregate(AggregateRequest("patent", All(), ("applicant",), size))
            expected = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:size]
            assert [(g.key, g.count) for g in got.groups] == expected, size
            assert got.other == sum(total.values()) - sum(c for _, c in expected)
    finally:
        st.close()


def test_a_request_on_a_new_thread_counts_what_another_process_committed(
    store: EmbeddedStore,
) -> None:
    """The server answers each request on a thread of its pool, each with its own SQLite
    connection. The cache was keyed on ``PRAGMA data_version``, which counts per connection:
    a new thread read 1 again and got the statistics from before a load another process had
    committed (``iphub ingest`` beside ``iphub serve``), until the server restarted."""
    from concurrent.futures import ThreadPoolExecutor

    from iphub.store.aggregate import AggregateRequest
    from iphub.store.plan import All

    store.close()
    reader = EmbeddedStore(store.path)
    request = AggregateRequest("patent", All(), ("applicant",), 5)
    try:
        with ThreadPoolExecutor(1) as first:
            before = first.submit(reader.aggregate, request).result().total
        writer = EmbeddedStore(store.path)
        writer.upsert(
            [make_patent(id="CN199000003A", publication_number="CN199000003A",
                         applicants=[Party(name="G", key="G")])]
        )  # fmt: skip
        writer.close()
        with ThreadPoolExecutor(1) as second:  # a new thread, a new connection: no reload asked
            after = second.submit(reader.aggregate, request).result().total
        assert after == before + 1
    finally:
        reader.close()
