"""Grouped counts every store must give alike, on a small set of records with known truth.

The records are added for the test and removed after it; they share the title word 统计样本,
which no corpus record has, so ``统计样本`` restricts every aggregation to them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from iphub.query import parse
from iphub.records import LegalStatus, LocalizedText, Party, Patent, Trademark
from iphub.store.aggregate import AggregateRequest, Aggregation, UnknownDimension
from iphub.store.base import Store
from iphub.store.fields import RecordKind
from iphub.store.plan import compile_query
from tests.utils.factories import make_patent, make_trademark

GZ = {"country": "CN", "province": "广东省", "city": "广州市"}


def party(name: str, district: str | None = None, **kw: object) -> Party:
    return Party(name=name, key=name, district=district, **(GZ | kw))  # type: ignore[arg-type]


def truth_patents() -> list[Patent]:
    title = LocalizedText(text="统计样本装置")
    rows: list[tuple[str, list[Party], str, str, int | None]] = [
        (
            "1",
            [party("甲公司", "天河区", type="enterprise")],
            "invention_application",
            "pending",
            2021,
        ),
        (
            "2",
            [
                party("甲公司", "天河区", type="enterprise"),
                party("乙大学", "黄埔区", type="university"),
            ],
            "invention_grant",
            "valid",
            2020,
        ),
        ("3", [party("丙公司", type="enterprise")], "utility_model", "valid", 2021),
        ("4", [party("丁公司", "南山区", city="深圳市")], "invention_grant", "invalid", 2019),
        ("5", [], "design", "valid", 2022),
        (
            "6",
            [party("戊某", "黄埔区", type="individual")],
            "invention_application",
            "pending",
            None,
        ),
    ]
    return [
        make_patent(
            id=f"CN17000000{n}A",
            publication_number=f"CN17000000{n}A",
            title=title,
            applicants=applicants,
            kind=kind,
            legal_status=status,
            application_date=dt.date(year, 3, 1) if year else None,
            grant_date=dt.date(2023, 5, 1) if kind != "invention_application" else None,
        )
        for n, applicants, kind, status, year in rows
    ]


def truth_trademarks() -> list[Trademark]:
    return [
        make_trademark(
            id=f"CN-TM-7000000{n}",
            application_number=f"7000000{n}",
            mark_text="统计样本",
            nice_classes=classes,
            applicants=applicants,
            status=status,
        )
        for n, classes, applicants, status in [
            ("1", [9, 35], [party("甲公司", "天河区")], "registered"),
            ("2", [9], [party("甲公司", "天河区")], "applied"),
            ("3", [], [party("丙公司")], "registered"),
        ]
    ]


@contextmanager
def truth_loaded(store: Store, records: list[Patent] | list[Trademark]) -> Iterator[None]:
    store.upsert(records)
    store.refresh()
    try:
        yield
    finally:
        store.delete(r.id for r in records)
        store.refresh()


def agg(
    store: Store, q: str, *group_by: str, kind: RecordKind = "patent", size: int = 10
) -> Aggregation:
    plan = compile_query(parse(q), kind)
    return store.aggregate(AggregateRequest(kind, plan, tuple(group_by), size))


def counts(result: Aggregation) -> dict[str | None, int]:
    return {g.key: g.count for g in result.groups}


class AggregateContract:
    def test_district_rows_and_missing(self, store: Store) -> None:
        with truth_loaded(store, truth_patents()):
            result = agg(store, "统计样本", "district")
            assert result.total == 6
            # 2 has applicants in 天河区 and 黄埔区: it counts in both rows, once in the total
            assert counts(result) == {"天河区": 2, "黄埔区": 2, None: 3}
            assert result.other == 0
            gz = agg(store, "统计样本 AND city=广州", "district")
            assert gz.total == 4
            assert counts(gz) == {"天河区": 2, "黄埔区": 2, None: 1}
            single = agg(store, "统计样本 AND city=广州 NOT pn=CN170000002A", "district")
            assert sum(counts(single).values()) == single.total == 3

    def test_year_missing_and_order(self, store: Store) -> None:
        with truth_loaded(store, truth_patents()):
            result = agg(store, "统计样本", "year")
            assert [(g.key, g.count) for g in result.groups] == [
                ("2021", 2),
                ("2019", 1),
                ("2020", 1),
                ("2022", 1),
                (None, 1),
            ]
            assert counts(agg(store, "统计样本", "grant_year")) == {"2023": 4, None: 2}

    def test_two_dimensions(self, store: Store) -> None:
        with truth_loaded(store, truth_patents()):
            result = agg(store, "统计样本", "district", "status")
            nested = {g.key: counts(Aggregation(g.count, g.groups)) for g in result.groups}
            assert nested == {
                "天河区": {"pending": 1, "valid": 1},
                "黄埔区": {"valid": 1, "pending": 1},
                None: {"valid": 2, "invalid": 1},
            }
            by_type = agg(store, "统计样本", "applicant_type", "kind")
            assert counts(by_type) == {"enterprise": 3, "university": 1, "individual": 1, None: 2}

    def test_three_levels_with_rights(self, store: Store) -> None:
        with truth_loaded(store, truth_patents()):
            result = agg(store, "统计样本", "district", "kind", "right")
            tianhe = next(g for g in result.groups if g.key == "天河区")
            grant = next(g for g in tianhe.groups if g.key == "invention_grant")
            assert counts(Aggregation(grant.count, grant.groups)) == {"granted": 1, "valid": 1}
            assert counts(agg(store, "统计样本", "right")) == {"granted": 4, "valid": 3, None: 2}

    def test_size_cuts_into_other(self, store: Store) -> None:
        with truth_loaded(store, truth_patents()):
            result = agg(store, "统计样本", "applicant", size=1)
            assert [(g.key, g.count) for g in result.groups] == [("甲公司", 2), (None, 1)]
            assert result.other == 4  # 乙大学, 丙公司, 丁公司, 戊某

    def test_many_keyed_dimension_nested(self, store: Store) -> None:
        with truth_loaded(store, truth_patents()):
            result = agg(store, "统计样本", "applicant", "kind", size=2)
            nested = {g.key: counts(Aggregation(g.count, g.groups)) for g in result.groups}
            assert nested == {
                "甲公司": {"invention_application": 1, "invention_grant": 1},
                "丁公司": {"invention_grant": 1},
                None: {"design": 1},
            }
            assert result.other == 3  # 丙公司, 乙大学, 戊某

    def test_valid_counts_follow_legal_status(self, store: Store) -> None:
        records = truth_patents()
        with truth_loaded(store, records):
            assert counts(agg(store, "统计样本 AND status=valid", "kind")) == {
                "invention_grant": 1,
                "utility_model": 1,
                "design": 1,
            }
            store.upsert([records[1].model_copy(update={"legal_status": LegalStatus.INVALID})])
            store.refresh()
            assert agg(store, "统计样本 AND status=valid", "kind").total == 2

    def test_trademark_nice_classes(self, store: Store) -> None:
        with truth_loaded(store, truth_trademarks()):
            result = agg(store, "tm=统计样本", "nice_class", "status", kind="trademark")
            assert result.total == 3
            assert counts(result) == {"9": 2, "35": 1, None: 1}
            nine = next(g for g in result.groups if g.key == "9")
            assert counts(Aggregation(nine.count, nine.groups)) == {"registered": 1, "applied": 1}

    def test_many_aggregations_of_one_query_answer_as_each_alone(self, store: Store) -> None:
        """``aggregate_many`` (a landscape's blocks): one-pass requests together, applicant ×
        another dimension in its passes, each answer the one ``aggregate`` gives alone."""
        with truth_loaded(store, truth_patents()):
            plan = compile_query(parse("统计样本"), "patent")
            dims = [("district",), ("year", "kind"), ("applicant",), ("applicant", "kind"),
                    ("ipc_subclass",), ("keyword",)]  # fmt: skip
            requests = [AggregateRequest("patent", plan, d, 2) for d in dims]
            together = store.aggregate_many(requests)
            assert together == [store.aggregate(r) for r in requests]
            assert counts(together[0]) == {"天河区": 2, "黄埔区": 2, None: 3}
            assert together[2].other == 3  # of five applicants, two listed (甲公司 first)
            nothing = compile_query(parse("pn=CN000000000A"), "patent")
            empty = store.aggregate_many([AggregateRequest("patent", nothing, ("district",))])
            assert [(a.total, a.groups) for a in empty] == [(0, [])]
            guangzhou = compile_query(parse("city=广州"), "patent")
            other = AggregateRequest("patent", guangzhou, ("year",))
            with pytest.raises(ValueError, match="one kind and one plan"):
                store.aggregate_many([requests[0], other])
            with pytest.raises(ValueError, match="one kind and one plan"):
                store.aggregate_many([])

    def test_no_match_is_empty(self, store: Store) -> None:
        result = agg(store, "pn=CN000000000A", "district")
        assert (result.total, result.groups, result.other) == (0, [], 0)

    def test_unknown_dimension_names_allowed(self, store: Store) -> None:
        with pytest.raises(UnknownDimension) as exc:
            agg(store, "", "nice_class")
        assert "district" in str(exc.value)
        with pytest.raises(ValueError, match="1 to 3"):
            agg(store, "", "year", "kind", "status", "right")
