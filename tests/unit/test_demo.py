"""The demo generator: deterministic, exact counts, unique canonical numbers, valid records, and
distributions realistic enough for the demo searches (锂电池, pa=华南理工大学, tm=云山)."""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import Counter

import pytest

from iphub.demo import generate, generate_copyrights, generate_patents, generate_trademarks
from iphub.numbers import copyright_id
from iphub.records import Copyright, CopyrightType, LegalStatus, Patent, Trademark, TrademarkStatus

N = 20_000
FIRST, LAST = dt.date(2010, 1, 1), dt.date(2025, 12, 31)
GUANGZHOU_DISTRICTS = set(
    "越秀区 海珠区 荔湾区 天河区 白云区 黄埔区 番禺区 花都区 南沙区 从化区 增城区".split()
)
PUBLICATION = {"A": r"CN1\d{8}A", "B": r"CN1\d{8}B", "U": r"CN2\d{8}U", "S": r"CN3\d{8}S"}
APPLICATION_TYPE = {"A": "1", "B": "1", "U": "2", "S": "3"}


@pytest.fixture(scope="module")
def patents() -> list[Patent]:
    return list(generate_patents(N))


@pytest.fixture(scope="module")
def trademarks() -> list[Trademark]:
    return list(generate_trademarks(N))


def check_character(digits: str) -> str:
    """CNIPA's rule, written independently of iphub.demo."""
    weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    total = sum(int(digit) * weight for digit, weight in zip(digits, weights, strict=True))
    return "X" if total % 11 == 10 else str(total % 11)


def test_check_character_examples() -> None:
    assert check_character("202110123456") == "7"
    assert check_character("202310000002") == "X"


def test_same_seed_gives_identical_records() -> None:
    def dumped(seed: int) -> list[str]:
        records = [*generate_patents(200, seed=seed), *generate_trademarks(200, seed=seed)]
        return [record.model_dump_json() for record in records]

    assert dumped(11) == dumped(11)
    assert dumped(11) != dumped(12)


def test_shorter_run_is_prefix_of_longer() -> None:
    assert list(generate_patents(50)) == list(generate_patents(300))[:50]


def test_counts_are_exact() -> None:
    assert sum(1 for _ in generate_patents(0)) == 0
    assert sum(1 for _ in generate_trademarks(1)) == 1
    records = list(generate(n_patents=300, n_trademarks=200, seed=5))
    kinds = Counter(record.record_type for record in records)
    assert kinds == {"patent": 300, "trademark": 200}
    assert {r.record_type for r in records[:100]} == {"patent", "trademark"}  # interleaved


def test_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        next(generate_patents(-1))


def test_ids_are_unique(patents: list[Patent], trademarks: list[Trademark]) -> None:
    assert len({p.id for p in patents}) == N
    assert len({p.application_number for p in patents}) == N
    assert len({t.id for t in trademarks}) == N


def test_every_record_validates(patents: list[Patent], trademarks: list[Trademark]) -> None:
    for patent in patents:
        assert Patent.model_validate(patent.model_dump()) == patent
    for trademark in trademarks:
        assert Trademark.model_validate(trademark.model_dump()) == trademark


def test_patent_numbers_are_canonical(patents: list[Patent]) -> None:
    for patent in patents:
        code = patent.kind_code or ""
        assert re.fullmatch(PUBLICATION[code], patent.id), patent.id
        assert patent.publication_number == patent.id
        assert patent.jurisdiction == "CN"
        assert patent.source == "demo"
        match = re.fullmatch(r"CN((\d{4})(\d)\d{7})\.([\dX])", patent.application_number)
        assert match, patent.application_number
        digits, year, kind_digit, check = match.groups()
        assert check == check_character(digits)
        assert kind_digit == APPLICATION_TYPE[code]
        assert patent.application_date
        assert int(year) == patent.application_date.year


def test_dates_are_in_range_and_ordered(patents: list[Patent]) -> None:
    for patent in patents:
        assert patent.application_date
        assert patent.publication_date
        assert FIRST <= patent.application_date <= patent.publication_date <= LAST
        if patent.kind_code == "A":
            assert patent.grant_date is None
        else:
            assert patent.grant_date
            assert patent.grant_date <= LAST
    years = Counter(p.application_date.year for p in patents if p.application_date)
    assert years[2022] > 3 * years[2011]  # filings grow over the years


def test_legal_status_matches_kind(patents: list[Patent]) -> None:
    for patent in patents:
        if patent.kind_code == "A":
            assert patent.legal_status in (LegalStatus.PENDING, LegalStatus.INVALID)
        else:
            assert patent.legal_status in (LegalStatus.VALID, LegalStatus.INVALID)


def test_classification_codes(patents: list[Patent]) -> None:
    for patent in patents:
        if patent.kind_code == "S":
            assert not patent.ipc
            assert patent.ipc_main is None
            assert all(re.fullmatch(r"\d\d-\d\d", code) for code in patent.locarno)
        else:
            assert patent.ipc
            assert patent.ipc[0] == patent.ipc_main
            assert len(patent.ipc) == len(set(patent.ipc)) <= 4
            assert all(re.fullmatch(r"[A-H]\d\d[A-Z] \d{1,4}/\d{2,6}", c) for c in patent.ipc)
            assert 1 <= len(patent.claims) <= 3


def test_text_is_chinese_and_keywords_occur_in_it(patents: list[Patent]) -> None:
    for patent in patents:
        assert patent.abstract
        text = patent.title.text + patent.abstract.text
        assert 3 <= len(patent.keywords) <= 5 or patent.kind_code == "S"
        assert all(keyword in text for keyword in patent.keywords), patent.id
        if patent.kind_code != "S":
            assert 100 <= len(patent.abstract.text) <= 250
        assert 1 <= len(patent.industries) <= 2


def test_parties(patents: list[Patent]) -> None:
    for patent in patents:
        assert 1 <= len(patent.applicants) <= 3
        assert 1 <= len(patent.inventors) <= 5
        for party in patent.applicants:
            assert party.key == party.normalized_name == party.name
            assert party.type
            if party.city == "广州市":
                assert party.province == "广东省"
                assert party.district in GUANGZHOU_DISTRICTS
                assert party.address
                assert party.address.startswith(f"广州市{party.district}")
    foreign = sum(p.applicants[0].country != "CN" for p in patents)
    assert 0.01 * N < foreign < 0.08 * N


def test_south_china_university_of_technology_files_often(patents: list[Patent]) -> None:
    scut = [p for p in patents if any(a.name == "华南理工大学" for a in p.applicants)]
    assert len(scut) >= 0.01 * N
    assert len({p.ipc_main for p in scut}) > 30  # across many areas


def test_lithium_battery_is_common(patents: list[Patent]) -> None:
    hits = [
        p for p in patents if "锂电池" in p.title.text + (p.abstract.text if p.abstract else "")
    ]
    assert len(hits) >= 100


def test_applicants_are_skewed(patents: list[Patent]) -> None:
    counts = Counter(party.key for patent in patents for party in patent.applicants)
    assert len(counts) > 2_000
    assert counts.most_common(1)[0][1] > 20 * statistics.median(counts.values())


def test_trademark_numbers_and_marks(trademarks: list[Trademark]) -> None:
    for mark in trademarks:
        assert re.fullmatch(r"\d{7,8}", mark.application_number)
        assert mark.id == f"CN-TM-{mark.application_number}"
        assert (mark.registration_number is not None) == (mark.registration_date is not None)
        assert mark.registration_number in (None, mark.application_number)
        assert 1 <= len(mark.nice_classes) <= 3
        assert mark.goods_services
        if mark.mark_text is not None:
            assert mark.mark_pinyin
            assert mark.mark_pinyin == mark.mark_pinyin.lower()
            assert " " not in mark.mark_pinyin
        if mark.mark_type == "word":
            assert not mark.vienna_codes
        else:
            assert mark.vienna_codes
    yunshan = [m for m in trademarks if "云山" in (m.mark_text or "")]
    assert len(yunshan) >= 20
    assert len({m.mark_text for m in yunshan}) >= 5
    assert next(m.mark_pinyin for m in yunshan if m.mark_text == "云山") == "yunshan"


def test_trademark_lifecycle(trademarks: list[Trademark]) -> None:
    for mark in trademarks:
        assert mark.application_date
        assert FIRST <= mark.application_date <= LAST
        if mark.preliminary_publication_date:
            assert mark.application_date < mark.preliminary_publication_date <= LAST
        if mark.registration_date:
            assert mark.preliminary_publication_date
            assert mark.preliminary_publication_date < mark.registration_date <= LAST
            assert mark.expiry_date
            renewal = mark.expiry_date + dt.timedelta(days=1)  # terms end the day before
            assert renewal.year - mark.registration_date.year in (10, 20)
            leap_day = (mark.registration_date.month, mark.registration_date.day) == (2, 29)
            assert leap_day or renewal.replace(year=2000) == mark.registration_date.replace(
                year=2000
            )
        if mark.status is TrademarkStatus.REGISTERED:
            assert mark.expiry_date
            assert mark.expiry_date >= LAST
        if mark.status is TrademarkStatus.APPLIED:
            assert mark.preliminary_publication_date is None
    statuses = Counter(mark.status for mark in trademarks)
    assert all(statuses[status] > 100 for status in TrademarkStatus if status.value != "unknown")


def test_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    for _ in generate(n_patents=100, n_trademarks=100):
        pass
    assert capsys.readouterr() == ("", "")


def test_copyright_registrations() -> None:
    """Software (most) and works, numbered as CPCC numbers them, each id the one a real
    registration of that number gets, dated 2010-2025, mostly of Guangzhou owners."""
    registrations = list(generate_copyrights(3000))
    assert registrations == list(generate_copyrights(3000))
    assert list(generate_copyrights(100)) == registrations[:100]
    assert len({r.id for r in registrations}) == 3000
    kinds = Counter(r.copyright_type for r in registrations)
    assert 0.7 < kinds[CopyrightType.SOFTWARE] / 3000 < 0.9
    for r in registrations:
        assert isinstance(r, Copyright)
        Copyright.model_validate(r.model_dump())
        assert r.id == copyright_id(r.registration_number)
        assert r.registration_date is not None
        assert FIRST <= r.registration_date <= LAST
        assert r.completion_date is not None
        assert r.completion_date < r.registration_date
        if r.copyright_type == CopyrightType.SOFTWARE:
            assert re.fullmatch(r"20\d\dSR\d{7}", r.registration_number)
            assert r.short_name
            assert r.short_name in r.title
            assert r.version
        else:
            assert re.fullmatch(r"国作登字-20\d\d-[AFGI]-\d{8}", r.registration_number)
            assert r.category in {"美术", "文字", "摄影", "视听作品"}
    home = sum(r.applicants[0].district in GUANGZHOU_DISTRICTS for r in registrations)
    assert home / 3000 > 0.5
    years = Counter(r.registration_date.year for r in registrations if r.registration_date)
    assert years[2024] > years[2014]  # more each year
