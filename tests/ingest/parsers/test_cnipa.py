"""CNIPA ST.36-based cn-patent-document XML (fixtures written from the element structure)."""

from __future__ import annotations

import datetime as dt
import io

from ingest.parsers import cnipa
from ingest.parsers.base import Quarantined
from iphub.records import Patent, PatentKind
from tests.ingest.conftest import FIXTURES


def test_gbk_invention_publication() -> None:
    with (FIXTURES / "cnipa-invention-gbk.xml").open("rb") as f:
        (p,) = list(cnipa.parse(f))
    assert isinstance(p, Patent)
    assert (p.id, p.kind, p.kind_code) == ("CN114123456A", PatentKind.INVENTION_APPLICATION, "A")
    assert p.application_number == "CN202110123456.7"
    assert (p.application_date, p.publication_date) == (dt.date(2021, 2, 1), dt.date(2022, 3, 1))
    assert p.title.text == "一种石墨烯包覆的锂电池正极材料"
    assert p.abstract is not None
    assert p.abstract.text.startswith("本发明公开了一种石墨烯包覆")
    assert p.claims == ["1.一种锂电池正极材料，其特征在于表面包覆石墨烯。"]
    assert [(a.name, a.address) for a in p.applicants] == [
        ("广州电池有限公司", "510000 广东省广州市天河区科韵路1号")
    ]
    assert [i.name for i in p.inventors] == ["李伟", "王芳"]
    assert p.agency is not None
    assert (p.agency.name, p.agency.agents) == ("广州华进联合专利商标代理有限公司", ["张三"])
    assert (p.ipc_main, p.ipc) == ("H01M 10/0525", ["H01M 10/0525", "H01M 4/62"])
    assert (p.priorities[0].country, p.priorities[0].number) == ("JP", "2020-123456")


def test_design_with_locarno() -> None:
    with (FIXTURES / "cnipa-design.xml").open("rb") as f:
        (p,) = list(cnipa.parse(f))
    assert isinstance(p, Patent)
    assert (p.id, p.kind, p.locarno, p.ipc) == ("CN306123456S", PatentKind.DESIGN, ["14-02"], [])
    assert p.application_number == "CN202030123456.3"


def test_bad_document_quarantined() -> None:
    xml = b"<cn-patent-document><cn-bibliographic-data/></cn-patent-document>"
    (item,) = list(cnipa.parse(io.BytesIO(xml)))
    assert isinstance(item, Quarantined)
    assert item.position == "cn-patent-document 1 (line 1)"
