"""Applicant names → a canonical name and a stable key for facets and holdings.

Folding: NFKC (full-width → half-width), traditional → simplified (OpenCC ``t2s``), spaces and
punctuation. Bracketed former names (``（原…）``, ``(formerly …)``) are dropped and a bracketed
current name (``（现…）``) replaces the name; a bracketed name in the other script is kept as the
name's pair. The key is the name without its legal form (Company Law of the PRC forms
``有限公司, 有限责任公司, 股份有限公司 …``; ISO 20275 foreign forms ``Co., Ltd., Inc., GmbH …``,
``nlp/data/legal_forms.tsv``), upper-cased for Latin names, so a company keeps its key through
a 股改 or a spelling change. The curated alias table ``nlp/data/applicant_aliases.tsv`` maps short,
former and English names to one canonical name. The city-owned enterprise list
(``state_owned_guangzhou.tsv``) is replaceable: pass a path to :func:`state_owned_keys`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from nlp.nfkc import ascii_letters
from nlp.pinyin import readings
from nlp.tables import fold, read_table

_CJK = re.compile(r"[\u3400-\u9fff]")
_BRACKET = re.compile(r"\(([^()]*)\)")
_FORMER = re.compile(
    r"^(?:原名称|原名|曾用名|原|formerly|former name|f/k/a|previously)[:\s]*", re.I
)
_CURRENT = re.compile(r"^(?:现名称|现名|现|now)[:\s]*", re.I)
_CITY_SHI = re.compile(r"^([\u4e00-\u9fff]{2})市(?=[\u4e00-\u9fff]{2})")
_LATIN_PUNCT = re.compile(r"[^\w&]+")
_CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff()]) (?=[\u3400-\u9fff()])")


@dataclass(frozen=True)
class Applicant:
    name: str  # canonical display name
    key: str  # stable key for facets and holdings
    lang: str  # "zh" or "en": the script of the canonical name
    type: str | None = None  # from the alias table, when the name is known
    district: str | None = None  # registered seat from the alias table
    pair: str | None = None  # the same applicant's name in the other script, if bracketed


def is_chinese(text: str) -> bool:
    return bool(_CJK.search(text))


@cache
def _legal_forms() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Chinese forms: one trailing form, longest first, leaving at least two characters
    (applied until none is left); Latin forms: any run of them at the end."""
    rows = read_table("legal_forms.tsv")
    zh = sorted((r["form"] for r in rows if r["lang"] == "zh"), key=len, reverse=True)
    en = sorted((r["form"] for r in rows if r["lang"] == "en"), key=len, reverse=True)
    return (
        re.compile(r"(?<=..)(?:" + "|".join(map(re.escape, zh)) + r")$", re.S),
        re.compile(r"(?:\s(?:" + "|".join(map(re.escape, en)) + r"))+$"),
    )


def _strip(name: str) -> tuple[str, str | None, str | None]:
    """Folded name, its bracketed other-script pair and a bracketed current name."""
    name = fold(name).strip(" ,;:、")
    pair = current = None
    for m in list(_BRACKET.finditer(name)):
        inner = m.group(1).strip()
        if _FORMER.match(inner):
            name = name.replace(m.group(0), "")
        elif _CURRENT.match(inner):
            current = _CURRENT.sub("", inner)
        elif len(inner) > 3 and is_chinese(name.replace(m.group(0), "")) != is_chinese(inner):
            pair = inner
            name = name.replace(m.group(0), "")
    return name.strip(" ,;:、"), pair, current


def clean(name: str) -> str:
    """Display form: folded, former names dropped, Chinese brackets full-width."""
    return _clean(*_strip(name))


def _clean(text: str, _pair: str | None, current: str | None) -> str:
    if current:
        text = _strip(current)[0]
    if is_chinese(text):
        text = _CJK_SPACE.sub("", text).replace("(", "（").replace(")", "）")
    else:
        text = re.sub(r"\s*,\s*", ", ", text).replace(",,", ",")
    return text


def key_of(name: str) -> str:
    """The name without its legal form: ``广州视源电子科技``, ``ACME BATTERY``; a Latin name
    spelled in ASCII (``Kylmänen Jari`` → ``KYLMAENEN JARI``, as EPO's upper-case forms write
    it)."""
    if is_chinese(name):
        zh_forms = _legal_forms()[0]
        core = name.replace("（", "(").replace("）", ")").replace(" ", "")
        if not core.endswith("分公司"):  # a branch keeps its whole name
            while m := zh_forms.search(core):
                core = core[: m.start()]
        core = _CITY_SHI.sub(r"\1", core)  # 广州市香雪制药 = 广州香雪制药
        return core.replace("(", "（").replace(")", "）")
    words = " " + _LATIN_PUNCT.sub(" ", ascii_letters(name).lower()).strip()
    core = _legal_forms()[1].sub("", words).strip()
    core = re.sub(r"^the ", "", core) or words.strip()
    return core.upper()


@cache
def _aliases() -> dict[str, tuple[str, str | None, str | None]]:
    """key of every written form → (canonical name, type, district)."""
    index: dict[str, tuple[str, str | None, str | None]] = {}
    for row in read_table("applicant_aliases.tsv"):
        canonical = clean(row["canonical"])
        entry = (canonical, row["type"] or None, row["district"] or None)
        for form in (row["canonical"], *row["aliases"].split("|")):
            if form:
                index[key_of(clean(form))] = entry
    return index


@lru_cache(maxsize=16_384)  # bounded: a loader meets millions of distinct names
def normalise(name: str) -> Applicant:
    """Canonical name and key of an applicant name as printed on a record."""
    stripped = _strip(name)
    text, pair = _clean(*stripped), stripped[1]
    found = _aliases().get(key_of(text))
    if found is None and pair:
        found = _aliases().get(key_of(clean(pair)))
    if found is not None:
        canonical, kind, district = found
        lang = "zh" if is_chinese(canonical) else "en"
        return Applicant(canonical, key_of(canonical), lang, kind, district, pair)
    return Applicant(text, key_of(text), "zh" if is_chinese(text) else "en", pair=pair)


_PLACE_PREFIX = re.compile(r"^(?:中国|广东省?|广州市?|深圳市?|北京市?|上海市?)")


def same_applicant(chinese: str, latin: str) -> bool:
    """Whether a Latin name renders a Chinese one: the pinyin of the Chinese key's first two
    characters after any leading place name (视源 → ``shiyuan``), in any of their readings
    (重庆 → ``chongqing``, where the first reading of 重 is ``zhong``), occurs in the Latin
    name (``ü`` written ``u`` or ``v``)."""
    core = _PLACE_PREFIX.sub("", key_of(clean(chinese)))[:2]
    if len(core) < 2:
        return False
    letters = re.sub(r"[^a-z]", "", latin.lower())
    first, second = (readings(c) for c in core)
    return any(a + b in letters for a in first for b in second)


@cache
def state_owned_keys(path: Path | None = None) -> frozenset[str]:
    """Keys of the city-owned enterprises (packaged list, or the TSV at ``path``)."""
    rows = read_table(path if path is not None else "state_owned_guangzhou.tsv")
    return frozenset(normalise(r["name"]).key for r in rows)


def is_state_owned(applicant: Applicant, keys: frozenset[str] | None = None) -> bool:
    """On the list, or a branch of a listed enterprise (``…有限公司广州分公司``)."""
    return _state_owned(applicant, state_owned_keys() if keys is None else keys)


@lru_cache(maxsize=16_384)  # bounded: a loader meets millions of distinct names
def _state_owned(applicant: Applicant, keys: frozenset[str]) -> bool:
    if applicant.key in keys:
        return True
    if applicant.lang != "zh":
        return False
    m = _shortest_key_prefix(keys).match(applicant.name)
    return m is not None and "公司" in applicant.name[m.end() :]


@cache
def _shortest_key_prefix(keys: frozenset[str]) -> re.Pattern[str]:
    """The shortest key that starts a name: the one that leaves the most after it."""
    return re.compile("|".join(map(re.escape, sorted(keys, key=len))))
