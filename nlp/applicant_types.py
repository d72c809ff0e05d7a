"""Applicant type: enterprise, university, institute, hospital, government, individual, other.

Categories follow CNIPA's patent statistics (企业, 大专院校, 科研单位, 机关团体, 个人), with
hospitals apart. Rules live in ``nlp/data/applicant_types.tsv``:

* Chinese organisation names are head-final (``广州医科大学附属第一医院`` is a hospital), so the
  right-most rule match wins, a longer one at the same end (``供电局`` over ``局``). Matching is on
  characters, not on jieba tokens, so a segmentation change cannot move a type.
* Latin names go through a ``spacy.blank("en")`` pipeline with a PhraseMatcher on lower-cased
  words: a legal form at the end makes an enterprise, else the first (longest) match is the head
  (``Research Institute of Tsinghua University`` is an institute).
* No rule matches: a 2–4 character Chinese name starting with a common surname, or a Latin name of
  two to four plain words, is an individual; anything else is ``other``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from nlp.applicants import is_chinese
from nlp.tables import fold, read_table

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher

# the ~100 commonest surnames (公安部 户籍人口姓氏统计) and common compound surnames
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘"
    "祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟"
    "艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞"
    "姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_COMPOUND = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "司徒")
_CJK_ONLY = re.compile(r"^[\u3400-\u9fff·]{2,8}$")
_LATIN_PERSON = re.compile(
    r"^[^\W\d_](?:[^\W\d_]|['\-])*(?:,?\s+[^\W\d_](?:[^\W\d_]|['\-])*\.?){1,3}$"
)
# Japanese firms may put the legal form first (前株: 株式会社村田制作所), before a head noun
# such as 研究所 that would otherwise decide the type
_LEADING_FORMS = ("株式会社", "有限会社", "合同会社")


@dataclass(frozen=True)
class _ZhRules:
    patterns: tuple[tuple[str, re.Pattern[str]], ...]


@cache
def _zh_rules() -> _ZhRules:
    rows = [r for r in read_table("applicant_types.tsv") if r["lang"] == "zh"]
    return _ZhRules(tuple((r["type"], re.compile(r["pattern"])) for r in rows))


@cache
def _en_pipeline() -> tuple[Language, PhraseMatcher, dict[int, str]]:
    import spacy
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("en")
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    labels: dict[int, str] = {}
    for row in read_table("applicant_types.tsv"):
        if row["lang"] == "en":
            phrases = [nlp.make_doc(p) for p in row["pattern"].split("|")]
            matcher.add(row["type"], phrases)
            labels[nlp.vocab.strings[row["type"]]] = row["type"]
    return nlp, matcher, labels


def _classify_zh(name: str) -> str | None:
    if name.startswith(_LEADING_FORMS):
        return "enterprise"
    best: tuple[int, int, str] | None = None  # (end, length, type)
    for kind, pattern in _zh_rules().patterns:
        for m in pattern.finditer(name):
            candidate = (m.end(), m.end() - m.start(), kind)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    return best[2] if best else None


def _classify_en(name: str) -> str | None:
    nlp, matcher, labels = _en_pipeline()
    doc = nlp.make_doc(re.sub(r"[.,()]+", " ", name))
    matches = [(start, -(end - start), end, labels[mid]) for mid, start, end in matcher(doc)]
    if not matches:
        return None
    if any(end == len(doc) and kind == "enterprise" for _, _, end, kind in matches):
        return "enterprise"
    return min(matches)[3]


def _is_person(name: str) -> bool:
    if is_chinese(name):
        if not _CJK_ONLY.match(name):
            return False
        return "·" in name or (
            len(name) <= 4 and (name[0] in _SURNAMES or name.startswith(_COMPOUND))
        )
    return bool(_LATIN_PERSON.match(name))


@lru_cache(maxsize=16_384)  # bounded: a loader meets millions of distinct names
def applicant_type(name: str) -> str:
    """The type of an applicant name (``ApplicantType`` values in ``iphub.records``)."""
    text = fold(name)
    kind = _classify_zh(text) if is_chinese(text) else _classify_en(text)
    if kind is not None:
        return kind
    return "individual" if _is_person(text) else "other"
