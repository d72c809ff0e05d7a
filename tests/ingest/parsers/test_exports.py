"""The header rows of the exports Chinese users bring, each with rows made up for it: CNIPA's
专利检索及分析 (pss-system), incoPat, 智慧芽 PatSnap, SooPAT, 大为 innojoy, CNKI, the 中国商标网
商标查询, 企查查 and 天眼查. Every row must load, with its fields where the export puts them.
Application numbers carry their right check digit (``iphub.numbers.cn_check_digit``)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from ingest.parsers import tabular
from ingest.parsers.base import Item
from iphub.records import AnyRecord, Patent, PatentKind

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
    (an agent is kept only with the agency)."""
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
