"""The values a coded keyword field of the query language takes, and what each searches.

A coded field (``status``, ``kind``, ``type``, ``flag``, ``ctry``) holds one of a fixed list of
codes (``iphub.records``: ``LegalStatus``, ``TrademarkStatus``, ``PatentKind``, ``CopyrightType``,
``ApplicantType``; the markers of ``iphub.store.fields._flags``; ISO 3166-1 alpha-2 countries).
A query may name a code or an unambiguous Chinese (or plain English) name of it; anything else is
a 400 ``bad_value`` that lists what the field takes, never a search that silently finds nothing.

Trademarks answer the patent words too: ``valid`` / ``有效`` is a registered mark (as the holdings
statistics count a valid mark), ``pending`` / ``在审`` one applied for or preliminarily approved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from iphub import query as q
from nlp.regions import country_code


@dataclass(frozen=True)
class Coded:
    """A coded field's accepted forms (lower case) → the codes each searches."""

    label_zh: str
    label_en: str
    forms: dict[str, tuple[str, ...]]


def _forms(*groups: tuple[tuple[str, ...], tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """``((names…), (codes…))`` groups → each name and each code → its codes."""
    out: dict[str, tuple[str, ...]] = {}
    for names, codes in groups:
        for code in codes if len(codes) == 1 else ():
            out[code] = codes
        for name in names:
            out[name] = codes
    return out


_PENDING_MARK = ("applied", "preliminary")
CODED: dict[str, Coded] = {
    "patent_status": Coded(
        "法律状态",
        "legal status",
        _forms(
            (("有效",), ("valid",)),
            (("失效", "无效"), ("invalid",)),
            (("审中", "在审"), ("pending",)),
            (("未知",), ("unknown",)),
        ),
    ),
    "trademark_status": Coded(
        "商标状态",
        "trademark status",
        _forms(
            (("已注册", "注册", "valid", "有效"), ("registered",)),
            (("初审", "初审公告"), ("preliminary",)),
            (("申请中",), ("applied",)),
            (("pending", "审中", "在审"), _PENDING_MARK),
            (("无效", "失效"), ("invalid",)),
            (("未知",), ("unknown",)),
        ),
    ),
    "patent_kind": Coded(
        "专利类型",
        "patent kind",
        _forms(
            (("invention", "发明"), ("invention_application", "invention_grant")),
            (("发明申请", "发明公开", "a"), ("invention_application",)),
            (("发明授权", "b"), ("invention_grant",)),
            (("实用新型", "u"), ("utility_model",)),
            (("外观设计", "外观", "s"), ("design",)),
        ),
    ),
    "copyright_kind": Coded(
        "登记类型",
        "registration type",
        _forms(
            (("软件", "软著", "计算机软件", "软件著作权"), ("software",)),
            (("作品", "作品著作权", "work"), ("works",)),
        ),
    ),
    "applicant_type": Coded(
        "申请人类型",
        "applicant type",
        _forms(
            (("企业", "公司"), ("enterprise",)),
            (("大学", "高校"), ("university",)),
            (("科研院所", "科研机构", "研究所"), ("institute",)),
            (("医院",), ("hospital",)),
            (("机关", "政府", "政府机关"), ("government",)),
            (("个人",), ("individual",)),
            (("其他",), ("other",)),
        ),
    ),
    "patent_flag": Coded(
        "标记",
        "marker",
        _forms((("国有", "国企"), ("state_owned",)), ((), ("pct",))),
    ),
    "trademark_flag": Coded(
        "标记",
        "marker",
        _forms((("国有", "国企"), ("state_owned",)), (("马德里",), ("madrid",))),
    ),
    "copyright_flag": Coded("标记", "marker", _forms((("国有", "国企"), ("state_owned",)))),
}

_COUNTRY_CODE = re.compile(r"^[A-Za-z]{2}$")


def coded(name: str, code: str, value: str, pos: int) -> tuple[str, ...]:
    """The codes ``value`` of field ``code`` searches, by the table ``name``; a 400 listing the
    accepted values when it names none."""
    table = CODED[name]
    codes = table.forms.get(value.lower())
    if codes is None:
        accepted = list(table.forms)
        raise q.QuerySyntaxError(
            "bad_value",
            pos,
            f"{table.label_zh}（{code}=）没有“{value}”，可选：{'、'.join(accepted)}",
            f"{table.label_en} ({code}=) has no value {value!r}; accepted: {', '.join(accepted)}",
        )
    return codes


def country(value: str, pos: int) -> tuple[str, ...]:
    """``CN``, ``cn``, ``中国``, ``China`` → ``CN``: a two-letter code or a country's name."""
    if _COUNTRY_CODE.match(value):
        return (value.upper(),)
    code = country_code(value)
    if code is None:
        raise q.QuerySyntaxError(
            "bad_value",
            pos,
            f"国家/地区（ctry=）应为两字母代码（CN、US…）或国名，不是“{value}”",
            f"country (ctry=) is a two-letter code (CN, US …) or a country's name, not {value!r}",
        )
    return (code,)
