"""Accuracy floors on the hand-labelled sets (tests/fixtures/nlp); figures in docs/enrichment.md."""

from __future__ import annotations

from bench import nlp_accuracy


def test_applicant_accuracy() -> None:
    report = nlp_accuracy.applicants()
    assert report.n >= 150
    assert report.accuracy("key") >= 0.98
    assert report.accuracy("type") >= 0.97
    for name, pr in report.tags.items():
        assert pr.precision >= 0.9, name
        assert pr.recall >= 0.9, name


def test_address_accuracy() -> None:
    report = nlp_accuracy.addresses()
    assert report.n >= 100
    assert report.correct["gz_district"] / report.tags["gz_n"].tp >= 0.98
    assert report.accuracy("all") >= 0.95
    assert report.micro("district").precision >= 0.98


def test_industry_accuracy() -> None:
    report = nlp_accuracy.industries()
    assert report.n >= 60
    for taxonomy in ("national", "city"):
        assert report.micro(taxonomy).precision >= 0.95
        assert report.micro(taxonomy).recall >= 0.95
