"""The issue's accuracy targets on the held-out set (tests/data/applicants_gold.tsv).

The set was labelled blind from public names and addresses, so these floors are the figures
quoted to officials (BENCHMARKS.md, docs/enrichment.md): district ≥ 98 % on Guangzhou
addresses, applicant type ≥ 95 %.
"""

from __future__ import annotations

import pytest

from bench import nlp_accuracy


@pytest.fixture(scope="module")
def report() -> nlp_accuracy.HeldOut:
    return nlp_accuracy.held_out()


def test_set_is_large_and_covers_every_guangzhou_district(report: nlp_accuracy.HeldOut) -> None:
    assert report.n >= 320
    assert report.scored["gz_district"] >= 200
    districts = {name.split(":")[1] for name in report.tags if name.startswith("district:")}
    assert len(districts) == 11


def test_guangzhou_district_accuracy(report: nlp_accuracy.HeldOut) -> None:
    assert report.accuracy("gz_district") >= 0.98, report.errors


def test_applicant_type_accuracy(report: nlp_accuracy.HeldOut) -> None:
    assert report.accuracy("type") >= 0.95, report.errors


def test_state_owned_flag_and_country(report: nlp_accuracy.HeldOut) -> None:
    assert report.accuracy("state_owned") >= 0.98, report.errors
    assert report.accuracy("country") >= 0.98, report.errors
