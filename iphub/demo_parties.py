"""Applicants and inventors for ``iphub.demo``: names, Guangzhou districts and addresses, and the
weighted pool of organisations (named ones first, then a Zipf-like tail of generated SMEs).
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from itertools import accumulate
from typing import Generic, NamedTuple, TypeVar

from iphub import demo_vocab as v
from iphub.records import ApplicantType, Party

T = TypeVar("T")
_TYPES = {
    "E": ApplicantType.ENTERPRISE,
    "U": ApplicantType.UNIVERSITY,
    "I": ApplicantType.INSTITUTE,
    "H": ApplicantType.HOSPITAL,
}


class Weighted(Generic[T]):
    """Weighted choice over a fixed population (cheaper than ``Random.choices`` per draw)."""

    __slots__ = ("_items", "_cum", "_total")

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self._items = tuple(items)
        self._cum = list(accumulate(weights))
        self._total = self._cum[-1]

    def pick(self, rng: random.Random) -> T:
        return self._items[bisect(self._cum, rng.random() * self._total)]


def pick(rng: random.Random, items: Sequence[T]) -> T:
    """Uniform choice; several times cheaper than ``Random.choice``, which the generators call
    a dozen times per record."""
    return items[int(rng.random() * len(items))]


class Applicant(NamedTuple):
    """An organisation of the pool; copy ``party`` before putting it in a record."""

    party: Party
    topics: tuple[int, ...]  # patent areas or Nice classes
    agency: int  # index of its usual agency
    marks: tuple[str, ...]


_DISTRICTS = Weighted(v.GZ_DISTRICTS, [d[1] for d in v.GZ_DISTRICTS])
_CITIES = Weighted(v.OTHER_CITIES, [c[2] for c in v.OTHER_CITIES])
_SURNAMES = Weighted(v.SURNAMES, [1 / (i + 4) for i in range(len(v.SURNAMES))])


def person_name(rng: random.Random) -> str:
    given = pick(rng, v.GIVEN_CHARS)
    if rng.random() < 0.6:
        given += pick(rng, v.GIVEN_CHARS)
    return _SURNAMES.pick(rng) + given


def foreign_name(rng: random.Random, country: str) -> str:
    given, family = v.FOREIGN_NAMES[country]
    return f"{pick(rng, given)} {pick(rng, family)}"


def _address(city: str, district: str | None, street: str) -> str:
    province = v.PROVINCE_OF[city]
    prefix = province if province not in ("广东省", city) else ""
    return f"{prefix}{city}{district or ''}{street}"


def _place(rng: random.Random, local: float) -> tuple[str, str | None, str]:
    """City, district and address; in Guangzhou with probability ``local``."""
    district: str | None
    if rng.random() < local:
        district, _, streets = _DISTRICTS.pick(rng)
        city = "广州市"
    else:
        city, _, _, districts, streets = _CITIES.pick(rng)
        district = pick(rng, districts) if districts else None
    number = f"{pick(rng, streets)}{rng.randint(1, 999)}号"
    return city, district, _address(city, district, number)


def _party(
    name: str, kind: ApplicantType, place: tuple[str, str | None, str], state_owned: bool = False
) -> Party:
    city, district, address = place
    province = v.PROVINCE_OF[city]
    return Party(
        name=name,
        normalized_name=name,
        key=name,
        type=kind,
        state_owned=state_owned,
        address=address,
        country="CN",
        province=province,
        city=city,
        district=district,
    )


def individual(rng: random.Random) -> Party:
    """A private applicant, mostly living in Guangzhou."""
    return _party(person_name(rng), ApplicantType.INDIVIDUAL, _place(rng, 0.85))


def foreign_party(firm: v.ForeignFirm) -> Party:
    name, country, address = firm[:3]
    kind = ApplicantType.ENTERPRISE
    return Party(
        name=name, normalized_name=name, key=name, type=kind, address=address, country=country
    )


def applicant_pool(
    rng: random.Random,
    named: Sequence[v.Org],
    sme_kinds: Sequence[tuple[str, tuple[int, ...]]],
    n_agencies: int,
    sme_share: float,
    sme_count: int = 9000,
) -> Weighted[Applicant]:
    """Named organisations with their weights, then SMEs (a third outside Guangzhou) whose
    weights fall off as 1/(rank+20)^0.9 and together take ``sme_share`` of the draws."""
    pool = []
    place: tuple[str, str | None, str]
    for org in named:
        place = (org.city, org.district, _address(org.city, org.district, org.street))
        party = _party(org.name, _TYPES[org.type], place, org.state_owned)
        pool.append(Applicant(party, org.topics, rng.randrange(n_agencies), org.marks))
    weights: list[float] = [org.weight for org in named]
    seen = {org.name for org in named}
    while len(pool) < len(named) + sme_count:
        if rng.random() < 0.8:
            brand = pick(rng, v.BRAND_FIRST) + pick(rng, v.BRAND_SECOND)
        else:
            brand = pick(rng, v.MARK_WORDS)
        suffix, topics = pick(rng, sme_kinds)
        place = _place(rng, 0.65)
        city = place[0]
        prefix = ("广州" if rng.random() < 0.6 else "广州市") if city == "广州市" else city
        form = "股份有限公司" if rng.random() < 0.12 else "有限公司"
        name = f"{prefix}{brand}{suffix}{form}"
        if name not in seen:
            seen.add(name)
            party = _party(name, ApplicantType.ENTERPRISE, place)
            pool.append(Applicant(party, topics, rng.randrange(n_agencies), (brand,)))
    tail = [1 / (rank + 20) ** 0.9 for rank in range(sme_count)]
    scale = sme_share / (1 - sme_share) * sum(weights) / sum(tail)
    return Weighted(pool, weights + [w * scale for w in tail])
