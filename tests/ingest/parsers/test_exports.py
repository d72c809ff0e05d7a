"""The header rows of the exports Chinese users bring, each with rows made up for it: CNIPA's
专利检索及分析 (pss-system), incoPat, 智慧芽 PatSnap, SooPAT, 大为 innojoy, CNKI, the 中国商标网
商标查询, 企查查 and 天眼查. Every row must load, with its fields where the export puts them.
Application numbers carry their right check digit (``iphub.numbers.cn_check_digit``)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from ingest.merge import merge
from ingest.parsers import tabular
from ingest.parsers.base import Item, Quarantined
from iphub.records import (
    Agency,
    AnyRecord,
    Copyright,
    LegalStatus,
    Patent,
    PatentKind,
    Trademark,
    TrademarkStatus,
)
from iphub.store.fields import index_document

AN_INVENTION = "202110234567.5"
AN_UTILITY = "202220345678.3"
AN_DESIGN = "202330456789.1"


def load(header: list[str], *rows: list[str]) -> list[AnyRecord]:
    """The records a CSV of ``header`` and ``rows`` loads as; none may be quarantined."""
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    items: list[Item] = list(tabular.parse(io.BytesIO(out.getvalue().encode()), fmt="csv"))
    assert all(isinstance(item, AnyRecord) for item in items), items
    return [item for item in items if isinstance(item, AnyRecord)]


def one_patent(header: list[str], row: list[str]) -> Patent:
    (p,) = load(header, row)
    assert isinstance(p, Patent)
    return p


def test_cnki_and_patentstar_records_name_the_application_number_and_date_their_way() -> None:
    """CNKI's 专利库 and 专利之星 head the number 申请（专利）号 and the date 申请日期, the
    address 主申请人地址 and the agency 专利代理机构: the file was refused whole for want of an
    application number column."""
    header = [
        "专利类型", "申请（专利）号", "申请日期", "公开(公告)日", "公开(公告)号", "名称",
        "主分类号", "分类号", "申请（专利权）人", "发明（设计）人", "主申请人地址", "专利代理机构",
        "代理人", "国别省市代码", "摘要",
    ]  # fmt: skip
    row = [
        "实用新型", AN_UTILITY, "2022-02-11", "2022-04-01", "CN216000789U", "一种充电桩外壳",
        "B60L53/30", "B60L53/30;H02J7/00", "广州电桩科技有限公司", "孙八",
        "广东省广州市天河区华景路1号", "广州市华学知识产权代理有限公司 44245", "刘九", "44",
        "本实用新型公开一种充电桩外壳。",
    ]  # fmt: skip
    p = one_patent(header, row)
    assert (p.id, p.kind, p.application_number) == (
        "CN216000789U", PatentKind.UTILITY_MODEL, f"CN{AN_UTILITY}",
    )  # fmt: skip
    assert p.application_date == dt.date(2022, 2, 11)
    assert [(a.name, a.address) for a in p.applicants] == [
        ("广州电桩科技有限公司", "广东省广州市天河区华景路1号")
    ]
    assert p.agency is not None
    assert (p.agency.name, p.agency.agents) == ("广州市华学知识产权代理有限公司", ["刘九"])
    assert (p.ipc_main, p.ipc) == ("B60L 53/30", ["B60L 53/30", "H02J 7/00"])


def test_soopat_and_innojoy_name_the_agency_patent_agency() -> None:
    """SooPAT and 大为 innojoy head the agency 专利代理机构: the agency and its agents were lost
    (an agent was then kept only with an agency)."""
    header = [
        "名称", "申请号", "申请日", "公开（公告）号", "公开（公告）日", "主分类号", "分类号",
        "申请（专利权）人", "发明（设计）人", "申请（专利权）人地址", "中国国省代码",
        "专利代理机构", "代理人", "优先权", "摘要", "主权项", "法律状态", "专利类型",
    ]  # fmt: skip
    row = [
        "一种充电桩外壳", AN_UTILITY, "2022-02-11", "CN216000789U", "2022-04-01", "B60L53/30",
        "B60L53/30", "广州电桩科技有限公司", "孙八", "广东省广州市天河区", "44",
        "广州市华学知识产权代理有限公司", "刘九;周十", "", "本实用新型公开一种充电桩外壳。",
        "1.一种充电桩外壳。", "授权", "实用新型",
    ]  # fmt: skip
    p = one_patent(header, row)
    assert p.agency is not None
    assert (p.agency.name, p.agency.agents) == ("广州市华学知识产权代理有限公司", ["刘九", "周十"])


def test_soopat_and_innojoy_give_the_priorities_in_one_cell() -> None:
    """SooPAT and innojoy write each priority's number and date together in one 优先权 cell,
    several on lines of their own: the column was not read, and the priorities were lost."""
    header = ["名称", "申请号", "公开（公告）号", "专利类型", "优先权"]
    cell = "JP2020-123456 2020.07.01\nUS62/812,345 2020.09.01"
    p = one_patent(header, ["一种锂电池散热装置", AN_INVENTION, "CN114000123A", "发明公开", cell])
    assert [(x.country, x.number, x.date) for x in p.priorities] == [
        ("JP", "2020-123456", dt.date(2020, 7, 1)),
        ("US", "62/812,345", dt.date(2020, 9, 1)),
    ]


PATSNAP = [
    "序号", "公开(公告)号", "标题", "摘要", "申请号", "申请日", "公开(公告)日", "授权日", "发明人",
    "[标]当前申请(专利权)人", "[标]原始申请(专利权)人", "[标]代理机构", "代理人", "IPC分类号",
    "IPC主分类号", "IPC主分类号(小类)", "专利类型", "法律状态/事件",
]  # fmt: skip
PATSNAP_ROW = [
    "1", "CN114000123B", "一种锂电池散热装置", "本发明公开了一种锂电池散热装置。", AN_INVENTION,
    "2021-03-02", "2022-09-13", "2022-09-13", "张三 | 李四", "广州新主人科技有限公司",
    "广州云山科技有限公司 | 华南理工大学", "广州华进联合专利商标代理有限公司", "王五 | 陈七",
    "H01M10/613 | H01M10/625", "H01M10/613", "H01M", "发明授权", "授权 | 权利转移",
]  # fmt: skip


def test_patsnap_standardised_columns_give_applicants_agency_and_status() -> None:
    """智慧芽 PatSnap's export heads its names [标]原始申请(专利权)人, [标]当前申请(专利权)人
    and [标]代理机构, its status 法律状态/事件: the row loaded with no applicant, no agency (and
    so no agents) and an unknown legal status."""
    p = one_patent(PATSNAP, PATSNAP_ROW)
    assert (p.id, p.kind, p.grant_date) == (
        "CN114000123B", PatentKind.INVENTION_GRANT, dt.date(2022, 9, 13),
    )  # fmt: skip
    assert [a.name for a in p.applicants] == ["广州云山科技有限公司", "华南理工大学"]
    assert p.agency is not None
    assert (p.agency.name, p.agency.agents) == (
        "广州华进联合专利商标代理有限公司",
        ["王五", "陈七"],
    )
    assert [i.name for i in p.inventors] == ["张三", "李四"]
    assert (p.ipc_main, p.ipc) == ("H01M 10/613", ["H01M 10/613", "H01M 10/625"])
    assert p.legal_status == "valid"


def test_the_original_applicant_wins_over_the_current_holder_in_any_column_order() -> None:
    """The applicants are those the publication names; the current holder (当前申请(专利权)人,
    incoPat's 当前权利人) only where no original applicant is given. Before, the column that
    came first was read: PatSnap's export, current first, gave the buyer of the patent."""
    header = ["公开(公告)号", "标题", "申请号", "当前申请(专利权)人", "原始申请(专利权)人"]
    row = [
        "CN114000123B",
        "一种锂电池散热装置",
        AN_INVENTION,
        "广州新主人科技有限公司",
        "广州云山科技有限公司",
    ]
    flipped = [*header[:3], header[4], header[3]]
    flipped_row = [*row[:3], row[4], row[3]]
    for h, r in ((header, row), (flipped, flipped_row)):
        assert [a.name for a in one_patent(h, r).applicants] == ["广州云山科技有限公司"]
    without_original = one_patent(header[:4], row[:4])
    assert [a.name for a in without_original.applicants] == ["广州新主人科技有限公司"]

    incopat = ["公开（公告）号", "标题", "申请号", "当前权利人", "标准化申请人"]
    p = one_patent(incopat, [*row[:3], "广州新主人科技有限公司", "广州云山科技有限公司"])
    assert [a.name for a in p.applicants] == ["广州云山科技有限公司"]
    p = one_patent(incopat[:4], row[:3] + ["广州新主人科技有限公司"])
    assert [a.name for a in p.applicants] == ["广州新主人科技有限公司"]


CNKI = [
    "专利类型", "申请号", "申请日", "公开号", "公开日", "授权公告号", "授权公告日", "名称",
    "申请（专利权）人", "主分类号", "代理机构", "代理人", "法律状态",
]  # fmt: skip
CNKI_GRANTED = [
    "发明授权", AN_INVENTION, "2021-03-02", "CN114000123A", "2021-06-08", "CN114000123B",
    "2022-09-13", "一种锂电池散热装置", "广州云山科技有限公司", "H01M10/613",
    "广州华进联合专利商标代理有限公司", "王五", "有效",
]  # fmt: skip


def grant_numbers(p: AnyRecord) -> list[tuple[str, str, dt.date | None]]:
    assert isinstance(p, Patent)
    return [(r.relation, r.number, r.date) for r in p.related]


def test_a_row_with_its_grants_number_is_one_record_of_the_granted_application() -> None:
    """CNKI, innojoy and PatSnap give the grant's publication (授权公告号, 授权公告日) beside the
    application's (公开号). The row describes one application as it stands: one record, the
    application's publication (its kind as its code names it), granted on 授权公告日, with the
    row's legal status, naming the grant's publication — so the statistics, which count
    records, count the invention once as an application, once granted, once valid."""
    (p,) = load(CNKI, CNKI_GRANTED)
    assert isinstance(p, Patent)
    assert (p.id, p.kind, p.kind_code) == ("CN114000123A", PatentKind.INVENTION_APPLICATION, "A")
    assert (p.publication_date, p.grant_date) == (dt.date(2021, 6, 8), dt.date(2022, 9, 13))
    assert p.legal_status is LegalStatus.VALID
    assert grant_numbers(p) == [("grant-publication", "CN114000123B", dt.date(2022, 9, 13))]
    assert [(e.description, e.date) for e in p.legal_events] == [
        ("授权（CN114000123B）", dt.date(2022, 9, 13))
    ]
    assert index_document(p)["facet_right"] == ["granted", "valid"]
    assert "CN114000123B" in index_document(p)["rel"]


def test_patsnap_heads_the_grants_number_grant_number() -> None:
    header = ["公开(公告)号", "标题", "申请号", "专利类型", "授权号", "授权日"]
    row = ["CN114000123A", "一种锂电池散热装置", AN_INVENTION, "发明申请", "CN114000123B", ""]
    (p,) = load(header, row)
    assert p.id == "CN114000123A"
    assert grant_numbers(p) == [("grant-publication", "CN114000123B", None)]


@pytest.mark.parametrize(
    ("cell", "granted"),
    [
        ("114000123", "2022-09-13"),  # the code its date tells
        ("CN114000123", ""),  # the code CNIPA gives the grant of a 9-digit A: B, the same number
    ],
)
def test_a_bare_grant_number_takes_its_code(cell: str, granted: str) -> None:
    row = [*CNKI_GRANTED[:5], cell, granted, *CNKI_GRANTED[7:]]
    (p,) = load(CNKI, row)
    date = dt.date(2022, 9, 13) if granted else None
    assert grant_numbers(p) == [("grant-publication", "CN114000123B", date)]


@pytest.mark.parametrize(
    "cell",
    [
        "US11000123B2",  # another office's
        "CN114999999B",  # another number than the application's
        "CN114999999A",  # an application's publication
        "见附件",  # no publication number
    ],
)
def test_a_grant_number_not_the_applications_grant_is_not_kept_and_the_row_loads(
    cell: str,
) -> None:
    """A 授权公告号 of another office, or another number (CNIPA grants an application of the
    9-digit numbering under its own number), or none at all, is no grant of this application:
    the record took another's number (or was quarantined for it)."""
    row = [*CNKI_GRANTED[:5], cell, *CNKI_GRANTED[6:]]
    (p,) = load(CNKI, row)
    assert isinstance(p, Patent)
    assert (p.id, p.grant_date, p.legal_status) == (
        "CN114000123A", dt.date(2022, 9, 13), LegalStatus.VALID,
    )  # fmt: skip
    assert grant_numbers(p) == []


@pytest.mark.parametrize(
    "cell", ["", "-", "无", "暂无", "CN216000789U", "CN 216000789 U", "216000789"]
)
def test_a_row_whose_grant_is_itself_or_none_gives_one_record(cell: str) -> None:
    """A utility model is published once, granted: its 授权公告号 is its 公开号. A pending
    application's cell is empty or a placeholder."""
    row = [
        "实用新型", AN_UTILITY, "2022-02-11", "CN216000789U", "2022-04-01", cell, "2022-04-01",
        "一种充电桩外壳", "广州电桩科技有限公司", "B60L53/30", "", "", "有效",
    ]  # fmt: skip
    (p,) = load(CNKI, row)
    assert isinstance(p, Patent)
    assert (p.id, p.kind, p.grant_date) == (
        "CN216000789U", PatentKind.UTILITY_MODEL, dt.date(2022, 4, 1),
    )  # fmt: skip
    assert (p.legal_status, p.legal_events, p.related) == (LegalStatus.VALID, [], [])


PSS = [
    "申请号", "申请日", "公开（公告）号", "公开（公告）日", "发明名称", "IPC分类号",
    "申请（专利权）人", "发明人", "优先权号", "优先权日", "摘要", "代理人", "代理机构",
    "申请人邮编", "申请人地址", "申请人所在国（省）", "外观设计洛迦诺分类号",
]  # fmt: skip


def test_cnipa_pss_export_gives_priorities_and_a_designs_locarno_classes() -> None:
    """CNIPA's 专利检索及分析 export lists the priorities claimed (优先权号, 优先权日, in the
    same order) and a design's classes under 外观设计洛迦诺分类号: both were left aside, the
    design loaded with no class at all."""
    invention = [
        f"CN{AN_INVENTION}", "2021.03.02", "CN114000123A", "2021.06.08", "一种锂电池散热装置",
        "H01M10/613;H01M10/625", "广州云山科技有限公司;华南理工大学", "张三;李四",
        "JP2020-123456;US62/812,345", "2020.07.20;2020.09.01", "本发明公开了一种锂电池散热装置。",
        "王五", "广州华进联合专利商标代理有限公司 44224", "510000",
        "广东省广州市黄埔区科学大道1号", "广东;44", "",
    ]  # fmt: skip
    design = [
        f"CN{AN_DESIGN}", "2023.01.05", "CN308000456S", "2023.05.09", "茶杯", "",
        "广州白云陶瓷有限公司", "赵六", "", "", "", "", "", "510000", "广东省广州市白云区",
        "广东;44", "07-01",
    ]  # fmt: skip
    p, d = load(PSS, invention, design)
    assert isinstance(p, Patent)
    assert [(x.country, x.number, x.date) for x in p.priorities] == [
        ("JP", "2020-123456", dt.date(2020, 7, 20)),
        ("US", "62/812,345", dt.date(2020, 9, 1)),
    ]
    assert [(a.name, a.address) for a in p.applicants] == [
        ("广州云山科技有限公司", "广东省广州市黄埔区科学大道1号"),
        ("华南理工大学", "广东省广州市黄埔区科学大道1号"),
    ]
    assert (p.ipc_main, p.ipc, p.locarno) == ("H01M 10/613", ["H01M 10/613", "H01M 10/625"], [])
    assert isinstance(d, Patent)
    assert (d.kind, d.locarno, d.ipc, d.priorities) == (PatentKind.DESIGN, ["07-01"], [], [])


def test_a_priority_date_that_is_no_date_is_refused_naming_its_column() -> None:
    header = ["公开（公告）号", "发明名称", "申请号", "优先权号", "优先权日"]
    row = ["CN114000123A", "一种锂电池散热装置", AN_INVENTION, "JP2020-123456", "2020-02-30"]
    out = io.StringIO()
    csv.writer(out).writerows([header, row])
    (item,) = list(tabular.parse(io.BytesIO(out.getvalue().encode()), fmt="csv"))
    assert isinstance(item, Quarantined)
    assert item.reason.startswith("优先权日 / priority_dates:")


CNIPA_MARKS = [
    "序号", "申请/注册号", "国际分类", "申请日期", "商标名称", "申请人名称（中文）",
    "申请人名称（英文）", "申请人地址（中文）", "申请人地址（英文）", "初审公告期号",
    "注册公告期号", "初审公告日期", "注册公告日期", "商标类型", "专用权期限", "代理/办理机构",
    "商品/服务", "类似群", "商标状态详情",
]  # fmt: skip


def test_cnipa_trademark_search_gives_agency_status_and_a_foreign_applicants_english_name() -> None:
    """中国商标网's 商标查询 heads the agency 代理/办理机构 and the status 商标状态详情, and names a
    foreign applicant in 申请人名称（英文） alone: the three were lost (the foreign mark loaded
    with no owner). The Chinese name wins where both are given, in either column order."""
    registered = [
        "1", "56781234", "9", "2021-06-01", "云山智联", "广州云山科技有限公司", "Yunshan Tech",
        "广东省广州市黄埔区科学大道1号", "1 Kexue Ave", "1760", "1772", "2021-12-06",
        "2022-03-07", "普通商标", "2022年03月07日 至 2032年03月06日",
        "广州华进联合专利商标代理有限公司", "计算机程序（可下载软件）;智能手机", "0901;0907",
        "注册商标",
    ]  # fmt: skip
    foreign = [
        "2", "56781235", "35", "2021-06-01", "CLOUDHILL", "", "Cloudhill Technology Ltd.", "",
        "1 Queen's Road, Hong Kong", "", "", "", "", "普通商标", "",
        "广州华进联合专利商标代理有限公司", "广告;替他人推销", "3501;3502", "等待实质审查",
    ]  # fmt: skip
    mark, other = load(CNIPA_MARKS, registered, foreign)
    assert isinstance(mark, Trademark)
    assert [(a.name, a.address) for a in mark.applicants] == [
        ("广州云山科技有限公司", "广东省广州市黄埔区科学大道1号")
    ]
    assert mark.agency is not None
    assert mark.agency.name == "广州华进联合专利商标代理有限公司"
    assert (mark.status, mark.expiry_date) == (TrademarkStatus.REGISTERED, dt.date(2032, 3, 6))
    assert isinstance(other, Trademark)
    assert [(a.name, a.address) for a in other.applicants] == [
        ("Cloudhill Technology Ltd.", "1 Queen's Road, Hong Kong")
    ]
    assert other.status is TrademarkStatus.APPLIED

    english_first = ["申请/注册号", "商标名称", "申请人名称（英文）", "申请人名称（中文）"]
    (flipped,) = load(
        english_first, ["56781234", "云山智联", "Yunshan Tech", "广州云山科技有限公司"]
    )
    assert isinstance(flipped, Trademark)
    assert [a.name for a in flipped.applicants] == ["广州云山科技有限公司"]


def test_qichacha_and_tianyancha_trademark_lists_give_the_status() -> None:
    """企查查 heads a mark's status 状态, 天眼查 流程状态: every mark loaded with its status
    unknown."""
    qcc = ["序号", "商标", "商标名称", "状态", "申请/注册号", "申请日期", "国际分类", "申请人"]
    registered, pending = load(
        qcc,
        ["1", "", "云山智联", "已注册", "56781234", "2021-06-01", "第9类-科学仪器", "广州云山"],
        ["2", "", "云山", "等待实质审查", "60112233", "2022-01-15", "第35类-广告销售", "广州云山"],
    )  # fmt: skip
    assert isinstance(registered, Trademark)
    assert isinstance(pending, Trademark)
    assert (registered.mark_text, registered.nice_classes, registered.status) == (
        "云山智联", [9], TrademarkStatus.REGISTERED,
    )  # fmt: skip
    assert (pending.nice_classes, pending.status) == ([35], TrademarkStatus.APPLIED)
    tyc = ["序号", "申请日期", "商标", "商标名称", "注册号", "国际分类", "流程状态"]
    (mark,) = load(
        tyc, ["1", "2021-06-01", "", "云山智联", "56781234", "第9类-科学仪器", "注册公告"]
    )
    assert isinstance(mark, Trademark)
    assert mark.status is TrademarkStatus.REGISTERED


def test_tianyancha_copyright_lists_give_dates_and_the_works_category() -> None:
    """天眼查's software list heads the registration date 批准日期; its works list heads the
    category 类别 and the first publication 首次发布日期: the three were lost. 类别 stays the
    Nice class in a table of marks."""
    software = ["序号", "批准日期", "软件全称", "软件简称", "登记号", "分类号", "版本号"]
    row = [
        "1",
        "2021-04-20",
        "云山数据分析平台软件",
        "云山数据",
        "2021SR0123456",
        "30200-0000",
        "V1.0",
    ]
    (sc,) = load(software, row)
    assert isinstance(sc, Copyright)
    assert (sc.id, sc.registration_date, sc.category) == (
        "CN-SC-2021SR0123456", dt.date(2021, 4, 20), "30200-0000",
    )  # fmt: skip
    works = ["序号", "作品名称", "登记号", "类别", "创作完成日期", "登记日期", "首次发布日期"]
    row = [
        "1",
        "云山吉祥物",
        "国作登字-2021-F-00123456",
        "美术",
        "2020-11-01",
        "2021-03-15",
        "2020-12-01",
    ]
    (wc,) = load(works, row)
    assert isinstance(wc, Copyright)
    assert (wc.category, wc.first_publication_date) == ("美术", dt.date(2020, 12, 1))
    (mark,) = load(["注册号", "商标名称", "类别"], ["56781234", "云山智联", "第9类"])
    assert isinstance(mark, Trademark)
    assert mark.nice_classes == [9]


@pytest.mark.parametrize(
    "cell",
    [
        "直接办理", "无", "-", "暂无", "—", "/",
        # in brackets, with a note or a label, said otherwise: each was stored as a firm
        "（直接办理）", "直接办理/", "直接办理（无代理）", "代理机构：直接办理",
        "本人办理", "未委托", "0", "…", "无（直接办理）", "暂无数据", "无数据", "未知", "未填写",
    ],
)  # fmt: skip
def test_a_mark_filed_without_an_agency_has_none(cell: str) -> None:
    """中国商标网 writes 直接办理 under 代理/办理机构 for an applicant who filed without an
    agency, other lists 无 or a dash: each loaded as an agency of that name, shown on the mark's
    page and found by ``ag=直接办理`` as if a firm."""
    row = ["1", "56781234", "9", "2021-06-01", "云山智联", "广州云山科技有限公司", *[""] * 9, cell]
    (mark,) = load(CNIPA_MARKS[:16], row)
    assert isinstance(mark, Trademark)
    assert [a.name for a in mark.applicants] == ["广州云山科技有限公司"]
    assert mark.agency is None


@pytest.mark.parametrize("cell", ["无", "-", "暂无", "--", "null"])
def test_a_patent_without_an_agency_has_none(cell: str) -> None:
    header = ["公开（公告）号", "名称", "申请号", "代理机构", "代理人"]
    p = one_patent(header, ["CN114000123A", "一种锂电池散热装置", AN_INVENTION, cell, cell])
    assert p.agency is None


def test_a_label_before_the_agency_is_not_its_name() -> None:
    header = ["公开（公告）号", "名称", "申请号", "代理机构", "代理人"]
    cells = ["代理机构：广州三环专利商标代理有限公司 44202", "代理人：王五"]
    p = one_patent(header, ["CN114000123A", "一种锂电池散热装置", AN_INVENTION, *cells])
    assert p.agency is not None
    assert (p.agency.name, p.agency.agents) == ("广州三环专利商标代理有限公司", ["王五"])


def test_agents_without_an_agency_column_are_kept() -> None:
    """An export with 代理人 but no 代理机构 column (or an empty or 无 agency cell) lost its
    agents: they were attached only to an agency. They are kept, under an agency whose name the
    export does not give, and a record from an office that names it is richer and wins."""
    p = one_patent(
        ["公开（公告）号", "名称", "申请号", "代理人"],
        ["CN114000123A", "一种锂电池散热装置", AN_INVENTION, "王五;陈七"],
    )
    assert p.agency is not None
    assert (p.agency.name, p.agency.agents) == ("", ["王五", "陈七"])
    header = ["公开（公告）号", "名称", "申请号", "代理机构", "代理人"]
    p = one_patent(header, ["CN114000123A", "一种锂电池散热装置", AN_INVENTION, "无", "王五"])
    assert p.agency is not None
    assert (p.agency.name, p.agency.agents) == ("", ["王五"])
    office = p.model_copy(
        update={
            "source": "cnipa",
            "sources": ["cnipa"],
            "agency": Agency(name="广州华进", agents=["王五"]),
        }
    )
    for merged in (merge(office, p), merge(p, office)):
        assert merged.agency == office.agency
