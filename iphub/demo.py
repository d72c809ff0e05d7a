"""Deterministic demo records: Guangzhou patents, trademarks and copyright registrations.

Each generator draws from its own ``random.Random(seed)``, so a seed always yields the same
stream and a shorter run is a prefix of a longer one. Records are built one at a time (only the
applicant pool is built up front) from the tables in ``iphub.demo_vocab``.

Numbers follow CNIPA's formats: publications ``CN1xxxxxxxxA``/``B``, ``CN2…U``, ``CN3…S`` from
per-year counters (unique for runs up to about ten million patents; beyond, OverflowError);
applications ``CN{year}{type}{7 digits}.{check}`` with CNIPA's check character (digits weighted
2-9, 2-5 from the left, sum mod 11, 10 written ``X``); trademarks ``CN-TM-{7-8 digits}``;
software registrations ``{year}SR{7 digits}``, works ``国作登字-{year}-{letter}-{8 digits}``.
Filing dates fall in 2010-2025, more each year; later events never pass 2025-12-31.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from bisect import bisect
from collections.abc import Callable, Iterator
from itertools import accumulate
from typing import TypeVar

from pypinyin import lazy_pinyin

from iphub import demo_vocab as v
from iphub.demo_parties import (
    Applicant,
    Weighted,
    applicant_pool,
    foreign_name,
    foreign_party,
    individual,
    person_name,
    pick,
)
from iphub.demo_text import design_text, technical_text
from iphub.numbers import cn_check_digit, copyright_id
from iphub.records import (
    Agency,
    ApplicantType,
    Copyright,
    CopyrightType,
    LegalStatus,
    LocalizedText,
    Party,
    Patent,
    PatentKind,
    Priority,
    Trademark,
    TrademarkStatus,
)

FIRST_YEAR, LAST_YEAR = 2010, 2025
LAST_DAY = dt.date(LAST_YEAR, 12, 31).toordinal()
# kind, kind code, application type digit
_KINDS = (
    (PatentKind.INVENTION_APPLICATION, "A", 1),
    (PatentKind.INVENTION_GRANT, "B", 1),
    (PatentKind.UTILITY_MODEL, "U", 2),
    (PatentKind.DESIGN, "S", 3),
)
# shares of A, B, U, S by the type of the first applicant (None: foreign)
_KIND_SHARES = {
    ApplicantType.UNIVERSITY: (52, 36, 11, 1),
    ApplicantType.INSTITUTE: (50, 33, 16, 1),
    ApplicantType.HOSPITAL: (30, 12, 55, 3),
    ApplicantType.ENTERPRISE: (34, 18, 36, 12),
    ApplicantType.INDIVIDUAL: (18, 4, 50, 28),
    None: (55, 40, 3, 2),
}
# first publication serial in 2010 per leading digit, and its yearly step (CN101…, CN201…, …)
_PUB_SERIALS = {1: (1_600_000, 1_250_000), 2: (1_400_000, 1_380_000), 3: (1_200_000, 530_000)}
_DESIGN_TERM_15 = dt.date(2021, 6, 1).toordinal()  # designs filed from then on last 15 years
_INDIVIDUAL_AREAS = (7, 7, 9, 10, 10, 14, 14, 6, 1, 0, 5, 12)


def _years(growth: float) -> Weighted[tuple[int, int]]:
    spans = [
        (dt.date(year, 1, 1).toordinal(), 366 if year % 4 == 0 else 365)
        for year in range(FIRST_YEAR, LAST_YEAR + 1)
    ]
    return Weighted(spans, [growth**i * days for i, (_, days) in enumerate(spans)])


_PATENT_YEARS, _TRADEMARK_YEARS = _years(1.16), _years(1.13)
_NICE = Weighted(range(1, 46), v.NICE_WEIGHTS)


def _day(rng: random.Random, years: Weighted[tuple[int, int]]) -> int:
    start, days = years.pick(rng)
    return start + int(rng.random() * days)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class _Counters:
    """Serial numbers per key, rising by 1 or 2: unique by construction, never by chance."""

    def __init__(self) -> None:
        self._last: dict[tuple[int, int], int] = {}

    def next(self, rng: random.Random, key: tuple[int, int], start: int, limit: int) -> int:
        serial = self._last.get(key, start) + 1 + int(rng.random() * 2)
        if serial >= limit:
            raise OverflowError(f"demo number range {key} exhausted: generate fewer records")
        self._last[key] = serial
        return serial


class _PatentMaker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pool = applicant_pool(
            rng, v.PATENT_ORGS, v.SME_PATENT_KINDS, len(v.PATENT_AGENCIES), sme_share=0.45
        )
        self.agents = [tuple(person_name(rng) for _ in range(6)) for _ in v.PATENT_AGENCIES]
        self.foreign_agents = [
            tuple(person_name(rng) for _ in range(6)) for _ in v.FOREIGN_AGENCIES
        ]
        self.foreign = [(foreign_party(firm), firm) for firm in v.FOREIGN_FIRMS]
        self.kinds = {key: list(accumulate(shares)) for key, shares in _KIND_SHARES.items()}
        self.applications, self.publications = _Counters(), _Counters()

    def applicants(self) -> tuple[list[Party], tuple[int, ...], Applicant | None]:
        """Applicants, the areas to file in, and the pooled first applicant if any."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.035:
            party, firm = pick(rng, self.foreign)
            return [party.model_copy()], firm[3], None
        if roll < 0.125:
            count = 1 if rng.random() < 0.8 else rng.randint(2, 3)
            return [individual(rng) for _ in range(count)], _INDIVIDUAL_AREAS, None
        first = self.pool.pick(rng)
        parties = [first.party.model_copy()]
        if rng.random() < 0.15:  # co-filing, e.g. a university with a firm
            for _ in range(1 if rng.random() < 0.8 else 2):
                other = self.pool.pick(rng).party
                if all(other.name != party.name for party in parties):
                    parties.append(other.model_copy())
        return parties, first.topics, first

    def make(self) -> Patent:
        rng = self.rng
        applicants, topics, pooled = self.applicants()
        country = applicants[0].country or "CN"
        shares = self.kinds[None if country != "CN" else applicants[0].type]
        kind, code, digit = _KINDS[bisect(shares, rng.random() * shares[-1])]
        while True:  # publication (grant for B, U, S) must have happened by the end of 2025
            filed = _day(rng, _PATENT_YEARS)
            if code == "A":
                published = filed + 180 + int(rng.random() * 360)
            elif code == "B":
                published = filed + 540 + int(rng.random() * 920)
            else:
                published = filed + 120 + int(rng.random() * 240)
            if published <= LAST_DAY:
                break
        app_date, pub_date = dt.date.fromordinal(filed), dt.date.fromordinal(published)
        serial = self.applications.next(rng, (digit, app_date.year), 100_000, 10_000_000)
        app_digits = f"{app_date.year}{digit}{serial:07d}"
        start, step = _PUB_SERIALS[digit]
        start += (pub_date.year - FIRST_YEAR) * step
        pub_serial = self.publications.next(rng, (digit, pub_date.year), start, start + step)
        number = f"CN{digit}{pub_serial:08d}{code}"

        if code == "S":
            text, locarno, industry = design_text(rng)
            industries, ipc, locarnos = [industry], [], [locarno]
        else:
            index = pick(rng, topics)
            area = v.AREAS[index]
            text = technical_text(rng, index, utility=code == "U")
            industries = list(area.industries[: 2 if rng.random() < 0.3 else 1])
            ipc, locarnos = self.ipc(area), []
        priorities = []
        if country != "CN":
            inventors = [foreign_name(rng, country) for _ in range(rng.randint(1, 4))]
            filed_abroad = dt.date.fromordinal(filed - rng.randint(200, 365))
            priority = v.PRIORITY_FORMATS[country].format(rng.randrange(10**6), y=filed_abroad.year)
            priorities.append(Priority(country=country, number=priority, date=filed_abroad))
        else:  # private applicants are their own inventors
            inventors = [p.name for p in applicants if p.type == ApplicantType.INDIVIDUAL]
            low = 0 if inventors else 1
            inventors += [person_name(rng) for _ in range(rng.randint(low, 5 - len(inventors)))]
        return Patent(
            id=number,
            source="demo",
            jurisdiction="CN",
            kind=kind,
            kind_code=code,
            application_number=f"CN{app_digits}.{cn_check_digit(app_digits)}",
            application_date=app_date,
            publication_number=number,
            publication_date=pub_date,
            grant_date=None if code == "A" else pub_date,
            title=LocalizedText(text=text.title),
            abstract=LocalizedText(text=text.abstract),
            claims=text.claims,
            keywords=text.keywords,
            industries=industries,
            applicants=applicants,
            inventors=[Party(name=name, type=ApplicantType.INDIVIDUAL) for name in inventors],
            ipc_main=ipc[0] if ipc else None,
            ipc=ipc,
            locarno=locarnos,
            priorities=priorities,
            legal_status=self.status(code, filed, published),
            agency=self.agency(pooled, foreign=country != "CN"),
        )

    def ipc(self, area: v.AreaVocab) -> list[str]:
        """Main group of the area, then up to three more from it or a related area."""
        rng = self.rng
        codes = [pick(rng, area.ipc)]
        for _ in range((0, 1, 1, 2, 2, 3)[int(rng.random() * 6)]):
            source = v.AREAS[pick(rng, area.related)] if rng.random() < 0.35 else area
            code = pick(rng, source.ipc)
            if code not in codes:
                codes.append(code)
        return codes

    def status(self, code: str, filed: int, published: int) -> LegalStatus:
        years = (LAST_DAY - filed) / 365.25
        if code == "A":  # pending, or withdrawn / rejected once examination had time to end
            invalid = 0.03 if years < 2 else 0.45 if years < 4 else 0.85
        elif code == "B":  # annuities left unpaid, more the longer since grant
            invalid = min(0.6, 0.02 + 0.035 * (LAST_DAY - published) / 365.25)
        else:  # ten-year term (fifteen for designs filed from 2021-06-01), lapses on the way
            term = 15 if code == "S" and filed >= _DESIGN_TERM_15 else 10
            invalid = 1.0 if years >= term else min(0.85, 0.05 + 0.07 * years)
        if self.rng.random() < invalid:
            return LegalStatus.INVALID
        return LegalStatus.PENDING if code == "A" else LegalStatus.VALID

    def agency(self, pooled: Applicant | None, foreign: bool) -> Agency | None:
        """Foreign applicants always use a (Beijing) agency; others do 70% of the time."""
        rng = self.rng
        if foreign:
            index = rng.randrange(len(v.FOREIGN_AGENCIES))
            name, agents = v.FOREIGN_AGENCIES[index], self.foreign_agents[index]
        elif rng.random() < 0.7:
            usual = pooled is not None and rng.random() < 0.8
            index = pooled.agency if usual and pooled else rng.randrange(len(v.PATENT_AGENCIES))
            name, agents = v.PATENT_AGENCIES[index], self.agents[index]
        else:
            return None
        return Agency(name=name, agents=rng.sample(agents, 1 if rng.random() < 0.4 else 2))


class _TrademarkMaker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pool = applicant_pool(
            rng, v.TRADEMARK_ORGS, v.SME_TRADEMARK_KINDS, len(v.TRADEMARK_AGENCIES), sme_share=0.7
        )
        self.foreign = [(foreign_party(firm), firm) for firm in v.FOREIGN_FIRMS]
        self.numbers = _Counters()
        self.pinyin: dict[str, str] = {}

    def mark(self, own: tuple[str, ...]) -> str:
        """The applicant's own brand 45% of the time, else a word from the vocabulary."""
        rng = self.rng
        if own and rng.random() < 0.45:
            mark = pick(rng, own)
            return mark + pick(rng, v.MARK_SUFFIXES) if rng.random() < 0.3 else mark
        roll = rng.random()
        if roll < 0.01:
            return pick(rng, v.YUNSHAN_MARKS)
        if roll < 0.12:
            return pick(rng, v.LATIN_MARKS)
        word = pick(rng, v.MARK_WORDS)
        if roll < 0.55:
            return word + pick(rng, v.MARK_SUFFIXES)
        return word if roll < 0.8 else word + pick(rng, v.MARK_WORDS)

    def make(self) -> Trademark:
        rng = self.rng
        roll = rng.random()
        pooled: Applicant | None = None
        if roll < 0.03:
            party, firm = pick(rng, self.foreign)
            applicants, topics, own = [party.model_copy()], firm[4], firm[5]
        elif roll < 0.25:
            applicants, topics, own = [individual(rng)], (), ()
        else:
            pooled = self.pool.pick(rng)
            applicants, topics, own = [pooled.party.model_copy()], pooled.topics, pooled.marks
        classes = {pick(rng, topics) if topics and rng.random() < 0.75 else _NICE.pick(rng)}
        for _ in range((0, 0, 0, 1, 1, 2)[int(rng.random() * 6)]):
            classes.add(pick(rng, topics) if topics and rng.random() < 0.5 else _NICE.pick(rng))
        nice = sorted(classes)
        goods = []
        for nice_class in nice:
            items = v.NICE_GOODS[nice_class - 1]
            goods += rng.sample(items, min(len(items), rng.randint(2, 5)))
        type_roll = rng.random()
        mark_type = "word" if type_roll < 0.55 else "combined" if type_roll < 0.9 else "figurative"
        text = None if mark_type == "figurative" else self.mark(own)
        if text is not None and text not in self.pinyin:
            self.pinyin[text] = "".join(lazy_pinyin(text)).replace(" ", "").lower()
        vienna = [] if mark_type == "word" else rng.sample(v.VIENNA_CODES, rng.randint(1, 2))

        filed = _day(rng, _TRADEMARK_YEARS)
        year = dt.date.fromordinal(filed).year
        first, limit = (int(7_500_000 * 1.17 ** (y - FIRST_YEAR)) for y in (year, year + 1))
        number = str(self.numbers.next(rng, (0, year), first, min(limit, 100_000_000)))
        status, prelim, registered, expiry = self.lifecycle(filed)
        foreign = applicants[0].country != "CN"
        agency = None
        if foreign or rng.random() < 0.6:
            names = v.FOREIGN_AGENCIES if foreign else v.TRADEMARK_AGENCIES
            usual = pooled is not None and rng.random() < 0.8
            index = pooled.agency if usual and pooled else rng.randrange(len(names))
            agency = Agency(name=names[index])
        return Trademark(
            id=f"CN-TM-{number}",
            source="demo",
            jurisdiction="CN",
            application_number=number,
            registration_number=number if registered else None,
            mark_text=text,
            mark_pinyin=self.pinyin[text] if text else None,
            mark_type=mark_type,
            nice_classes=nice,
            goods_services=goods,
            application_date=dt.date.fromordinal(filed),
            preliminary_publication_date=prelim,
            registration_date=registered,
            expiry_date=expiry,
            status=status,
            vienna_codes=vienna,
            applicants=applicants,
            agency=agency,
            industries=sorted({v.NICE_INDUSTRY[c] for c in nice if c in v.NICE_INDUSTRY}),
        )

    def lifecycle(
        self, filed: int
    ) -> tuple[TrademarkStatus, dt.date | None, dt.date | None, dt.date | None]:
        """Status and dates: examination ~9 months, opposition 3 months, ten-year terms."""
        rng = self.rng
        roll = rng.random()
        prelim = filed + 240 + int(rng.random() * 90)
        registered = prelim + 91 + int(rng.random() * 3)
        if prelim > LAST_DAY:
            return TrademarkStatus.APPLIED, None, None, None
        if roll < 0.12:  # refused in examination
            return TrademarkStatus.INVALID, None, None, None
        prelim_date = dt.date.fromordinal(prelim)
        if registered > LAST_DAY:
            return TrademarkStatus.PRELIMINARY, prelim_date, None, None
        if roll < 0.15:  # opposed successfully
            return TrademarkStatus.INVALID, prelim_date, None, None
        reg_date = dt.date.fromordinal(registered)
        expiry = _add_years(reg_date, 10) - dt.timedelta(days=1)
        status = TrademarkStatus.REGISTERED
        if expiry.toordinal() < LAST_DAY:
            if rng.random() < 0.6:  # renewed for ten more years
                expiry = _add_years(reg_date, 20) - dt.timedelta(days=1)
            else:
                status = TrademarkStatus.INVALID
        elif roll > 0.96:  # cancelled after three years' non-use
            status = TrademarkStatus.INVALID
        return status, prelim_date, reg_date, expiry


#: what a Guangzhou firm registers its software as: a field and what the program is
_SOFTWARE_FIELDS = (
    "智能仓储", "新能源汽车充电", "锂电池检测", "医疗影像", "跨境电商", "智慧城市", "工业互联网",
    "物联网设备", "在线教育", "供应链金融", "政务服务", "视频直播", "智能制造", "数据可视化",
    "生物样本", "冷链物流", "智慧停车", "人脸识别", "能耗监测", "会员营销",
)  # fmt: skip
_SOFTWARE_NOUNS = (
    "管理系统", "管理平台", "监测系统", "控制软件", "分析系统", "服务平台", "小程序", "APP",
    "调度系统", "云平台",
)  # fmt: skip
#: works: CPCC's letter of the work's kind, its category, and what such works are called
_WORKS = (
    ("F", "美术", ("吉祥物", "标志", "插画", "卡通形象")),
    ("A", "文字", ("文集", "教材", "宣传文案")),
    ("G", "摄影", ("摄影作品", "风光摄影")),
    ("I", "视听作品", ("宣传片", "动画短片")),
)
_SOFTWARE_SHARE = 0.8
_CITY_PREFIX = re.compile(r"^(?:广州市?|[\u4e00-\u9fff]{2}市)")
_COPYRIGHT_YEARS = _years(1.18)


class _CopyrightMaker:
    """Registrations of software (most) and works, by the patent applicants' pool of firms,
    universities and institutes (individuals register works too)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pool = applicant_pool(
            rng, v.PATENT_ORGS, v.SME_PATENT_KINDS, len(v.PATENT_AGENCIES), sme_share=0.6
        )
        self.numbers = _Counters()

    def make(self) -> Copyright:
        rng = self.rng
        registered = dt.date.fromordinal(_day(rng, _COPYRIGHT_YEARS))
        completed = registered - dt.timedelta(days=30 + int(rng.random() * 330))
        year = registered.year
        if rng.random() < _SOFTWARE_SHARE:
            owner = self.pool.pick(rng).party.model_copy()
            field, noun = pick(rng, _SOFTWARE_FIELDS), pick(rng, _SOFTWARE_NOUNS)
            short = _CITY_PREFIX.sub("", owner.name)[:2]  # the firm's brand: 德迅, 华南
            serial = self.numbers.next(rng, (0, year), 100_000 * (year - 2000), 10_000_000)
            number = f"{year}SR{serial:07d}"
            record = Copyright(
                id=copyright_id(number), source="demo", copyright_type=CopyrightType.SOFTWARE,
                registration_number=number, title=f"{short}{field}{noun}", short_name=field + noun,
                version=f"V{1 + int(rng.random() * 3)}.{int(rng.random() * 10)}",
                category="30200-0000", completion_date=completed, registration_date=registered,
                applicants=[owner],
            )  # fmt: skip
        else:
            letter, category, names = pick(rng, _WORKS)
            individual_owner = rng.random() < 0.3
            owner = individual(rng) if individual_owner else self.pool.pick(rng).party.model_copy()
            serial = self.numbers.next(rng, (ord(letter), year), 100_000, 100_000_000)
            number = f"国作登字-{year}-{letter}-{serial:08d}"
            title = pick(rng, v.MARK_WORDS) + pick(rng, names)
            record = Copyright(
                id=copyright_id(number), source="demo", copyright_type=CopyrightType.WORKS,
                registration_number=number, title=title, category=category,
                completion_date=completed, first_publication_date=completed,
                registration_date=registered, applicants=[owner],
            )  # fmt: skip
        return record


R = TypeVar("R")


def _made(make: Callable[[random.Random], Callable[[], R]], n: int, seed: int) -> Iterator[R]:
    """``n`` records of the maker ``make`` builds from ``random.Random(seed)`` (lazily: the
    maker and its pools are built at the first record)."""
    if n < 0:
        raise ValueError("n must not be negative")
    one = make(random.Random(seed))
    for _ in range(n):
        yield one()


def generate_copyrights(n: int, seed: int = 20253) -> Iterator[Copyright]:
    """``n`` demo copyright registrations (software and works); the same for the same ``seed``."""
    return _made(lambda rng: _CopyrightMaker(rng).make, n, seed)


def generate_patents(n: int, seed: int = 20251) -> Iterator[Patent]:
    """``n`` demo patents, mostly of Guangzhou applicants; the same for the same ``seed``."""
    return _made(lambda rng: _PatentMaker(rng).make, n, seed)


def generate_trademarks(n: int, seed: int = 20252) -> Iterator[Trademark]:
    """``n`` demo trademarks; the same for the same ``seed``."""
    return _made(lambda rng: _TrademarkMaker(rng).make, n, seed)


def generate(
    n_patents: int = 20_000, n_trademarks: int = 20_000, seed: int = 2025
) -> Iterator[Patent | Trademark]:
    """Patents and trademarks interleaved at random, as a mixed ingest stream brings them."""
    rng = random.Random(seed)
    patents = generate_patents(n_patents, rng.getrandbits(32))
    trademarks = generate_trademarks(n_trademarks, rng.getrandbits(32))
    left_patents, left_trademarks = n_patents, n_trademarks
    while left_patents or left_trademarks:
        if rng.random() * (left_patents + left_trademarks) < left_patents:
            left_patents -= 1
            yield next(patents)
        else:
            left_trademarks -= 1
            yield next(trademarks)
