"""Country, province, city and district of an address (or, failing that, of an applicant name).

Tables (``nlp/data``): ``regions.tsv`` (GB/T 2260 divisions with historic names: 萝岗区 → 黄埔区
and 从化市/增城市 → 从化区/增城区 in 2014, 东山区 → 越秀区 and 芳村区 → 荔湾区 in 2005,
番禺市/花都市
→ districts in 2000), ``area_hints.tsv`` (development zones and areas that fix a Guangzhou
district), ``postcodes.tsv`` (China Post prefixes, province/city level) and ``countries.tsv``
(ISO 3166-1 alpha-2 with Chinese and English names). Where a district name is ambiguous
(白云区 in Guangzhou and Guiyang) and nothing else decides, Guangzhou wins: this is its platform.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from nlp.tables import fold, read_table

HOME_CITY = "广州市"
_MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})
_CODE_SUFFIX = re.compile(r"\(([A-Z]{2})\)\s*$")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_STREET = re.compile(r"(?:中|东|南|西|北)?(?:路|大道|大街|街|巷)")
#: the postal codes of US states and territories and of Canada's provinces: an address that
#: ends ``Fremont, CA`` or ``Springfield, IL`` names a state, not Canada or Israel
_STATE_CODES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP "
    "AB BC MB NB NL NS NT NU ON PE QC SK YT".lower().split()
)


@dataclass(frozen=True)
class Region:
    country: str | None = None  # ISO 3166-1 alpha-2
    province: str | None = None
    city: str | None = None
    district: str | None = None


@dataclass(frozen=True)
class _Unit:
    name: str
    level: str
    parent: str


@dataclass(frozen=True)
class _Gazetteer:
    units: dict[str, _Unit]
    forms: dict[str, list[str]]  # lower-cased written form → unit names it may denote
    zh: re.Pattern[str]
    en: re.Pattern[str]
    district_short: re.Pattern[str]  # short district names right after a city name
    hints: re.Pattern[str]
    hint_district: dict[str, str]
    postcodes: dict[str, tuple[str, str]]
    countries: dict[str, str]  # lower-cased name, alias or code → ISO code
    country_zh: re.Pattern[str]


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@cache
def _gazetteer() -> _Gazetteer:
    units: dict[str, _Unit] = {}
    forms: dict[str, list[str]] = {}
    zh_forms: list[str] = []
    en_forms: list[str] = []
    district_short: list[str] = []
    for row in read_table("regions.tsv"):
        name, level = row["name"], row["level"]
        units.setdefault(name, _Unit(name, level, row["parent"]))
        if level == "city" and row["parent"] == name:  # municipality: province and city
            continue
        written = [name, *filter(None, row["former"].split("|"))]
        if level != "district":
            written.append(row["short"])
        else:
            district_short.append(row["short"])
            forms.setdefault(row["short"].lower(), []).append(name)
        for form in written:
            (en_forms if form.isascii() else zh_forms).append(form)
            forms.setdefault(form.lower(), []).append(name)
        if row["en"]:
            en = row["en"].split(" (")[0]
            en_forms.append(en)
            forms.setdefault(en.lower(), []).append(name)
    hints = {r["hint"]: r["district"] for r in read_table("area_hints.tsv")}
    countries: dict[str, str] = {}
    for row in read_table("countries.tsv"):
        for form in (row["code"], row["zh"], row["en"], *row["aliases"].split("|")):
            if form:
                countries[form.lower()] = row["code"]
    return _Gazetteer(
        units=units,
        forms=forms,
        zh=re.compile(_alternation(zh_forms)),
        en=re.compile(rf"\b(?:{_alternation(en_forms)})\b", re.IGNORECASE),
        district_short=re.compile(rf"市?({_alternation(district_short)})(?!路|大道|街|村)"),
        hints=re.compile(_alternation(list(hints))),
        hint_district=hints,
        postcodes={r["prefix"]: (r["province"], r["city"]) for r in read_table("postcodes.tsv")},
        countries=countries,
        country_zh=re.compile(
            "^(?:" + _alternation([k for k in countries if not k.isascii()]) + ")"
        ),
    )


def _country(text: str, g: _Gazetteer) -> str | None:
    """A country written at the start (Chinese style) or the end (Latin style) of an address."""
    m = g.country_zh.match(text)
    if m:
        return g.countries[m.group(0).lower()]
    coded = _CODE_SUFFIX.search(text)  # EP/PCT front pages: "Redmond, WA 98052 (US)"
    if coded and coded.group(1).lower() in g.countries:
        return g.countries[coded.group(1).lower()]
    if text.isascii():
        tail = re.split(r"[,;]", text)[-1]
        tail = re.sub(r"[\d\-]+|\(|\)", " ", tail).strip(" .").lower()
        if tail in g.countries and tail not in _STATE_CODES:
            return g.countries[tail]
    return None


def _chain(g: _Gazetteer, name: str) -> dict[str, str]:
    """The unit and its parents, by level."""
    out: dict[str, str] = {}
    while name in g.units and g.units[name].level not in out:
        unit = g.units[name]
        out[unit.level] = unit.name
        if not unit.parent:
            break
        name = unit.parent
    return out


def _pick(candidates: list[str], found: dict[str, str], g: _Gazetteer) -> str:
    """Of several units one form may denote, the one under what was already found."""
    for name in candidates:
        parent = g.units[name].parent
        if parent in found.values() or _chain(g, parent).get("province") in found.values():
            return name
    home = [n for n in candidates if g.units[n].parent == HOME_CITY]
    return home[0] if home else candidates[0]


def _postcode(text: str, g: _Gazetteer) -> tuple[str, str] | None:
    for code in re.findall(r"(?<!\d)\d{6}(?!\d)", text):
        for n in (4, 3, 2):
            if code[:n] in g.postcodes:
                return g.postcodes[code[:n]]
    return None


def _scan(text: str, g: _Gazetteer, *, anchored: bool) -> dict[str, str]:
    found: dict[str, str] = {}
    matches = list(g.zh.finditer(text))
    if _LATIN_LETTER.search(text):  # Chinese addresses mostly have none
        matches += g.en.finditer(text)
    matches.sort(key=lambda m: m.start())
    for m in matches:
        if anchored and m.start() > 0 and not found:
            break  # a name hint must start with the place: 广州XX公司, not XX中山路
        candidates = g.forms[m.group(0).lower()]
        if found and m.group(0)[-1] not in "省市区县" and _STREET.match(text, m.end()):
            continue  # a street named after a place: 上海市黄浦区福州路, 南京市广州路
        unit = g.units[_pick(candidates, found, g)]
        if unit.level in found:
            continue
        for level, name in _chain(g, unit.name).items():
            found.setdefault(level, name)
        if unit.level == "city":
            short = g.district_short.match(text, m.end())
            if short and "district" not in found:
                names = [
                    n for n in g.forms[short.group(1).lower()] if g.units[n].parent == unit.name
                ]
                if names:
                    found["district"] = names[0]
    return found


@lru_cache(maxsize=16_384)  # bounded: a loader meets millions of distinct names
def locate(address: str | None, name: str | None = None, country: str | None = None) -> Region:
    """Region of an address; for a Chinese applicant without one, of the name's leading place.
    ``country``, where the source states one, is the country: an address only places the party
    within it (a Latin address's last words are a guess).

    >>> locate("广东省广州市萝岗区科学大道182号")
    Region(country='CN', province='广东省', city='广州市', district='黄埔区')
    """
    g = _gazetteer()
    text = fold(address or "")
    anchored = not text
    if anchored:
        text = fold(name or "")
    found_country = _country(text, g) if not anchored else None
    if country and found_country and found_country != country:
        found_country = None if country == "CN" else country  # stated: look no further
    if found_country not in (None, "CN"):
        return Region(country=found_country)
    found = _scan(text, g, anchored=anchored)
    if found.get("city") in (None, HOME_CITY) and "district" not in found:
        hint = g.hints.search(text)
        if hint and (found or not anchored):
            found |= _chain(g, g.hint_district[hint.group(0)])
    if "city" not in found and (post := _postcode(text, g)):
        province, city = post
        if found.get("province", province) == province:
            found |= {"province": province} | ({"city": city} if city else {})
    if not found:
        return Region(country=found_country or country)
    if found.get("province") in _MUNICIPALITIES:
        found.setdefault("city", found["province"])
    return Region(
        country="CN",
        province=found.get("province"),
        city=found.get("city"),
        district=found.get("district"),
    )


def of_district(district: str) -> Region:
    """The full region of a district name from the table (Guangzhou's when ambiguous)."""
    g = _gazetteer()
    candidates = g.forms.get(fold(district).lower())
    if not candidates:
        return Region()
    chain = _chain(g, _pick(candidates, {}, g))
    return Region("CN", chain.get("province"), chain.get("city"), chain.get("district"))


def country_code(name: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country's code, Chinese or English name or alias
    (``中国``, ``China``, ``PRC`` → ``CN``), or None."""
    return _gazetteer().countries.get(fold(name).strip().lower())
