"""The JSON of the commercial Chinese data APIs (``ingest.parsers.cn_json``), read through the
rules it shares with the tables (``ingest.parsers.mapped``): kinds and agencies."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

from ingest.parsers import cn_json
from iphub.records import Patent, PatentKind, Trademark

PATENT = {
    "ApplicationNumber": "CN201710117081.7",
    "PublicationNumber": "CN106844774A",
    "PublicationDate": "2017-06-13T00:00:00",
    "Title": "一种基于C#抓取互联网公开数据的爬虫系统及抓取方法",
    "KindCodeDesc": "发明授权",
    "PatentLegalHistory": [],
}


def parse(*objects: dict[str, Any]) -> list[object]:
    return list(cn_json.parse(io.BytesIO(json.dumps(list(objects)).encode())))


def test_an_applications_publication_typed_as_granted_is_the_application() -> None:
    """企查查 writes the kind the application reached (KindCodeDesc 发明授权) beside the
    application's publication: CN106844774A was stored as a grant. It is the application, and
    without a legal history of its own keeps the grant as an event."""
    (p,) = parse(PATENT)
    assert isinstance(p, Patent)
    assert (p.kind, p.grant_date) == (PatentKind.INVENTION_APPLICATION, None)
    assert [(e.description, e.date) for e in p.legal_events] == [("授权", None)]
    history = [{"LegalStatusDate": "2019-05-10", "LegalStatus": "授权", "Desc": "授权"}]
    (q,) = parse(PATENT | {"PatentLegalHistory": history})
    assert isinstance(q, Patent)
    assert [(e.description, e.date) for e in q.legal_events] == [("授权", dt.date(2019, 5, 10))]


def test_a_mark_filed_directly_has_no_agency() -> None:
    mark = {"RegNo": "16435657", "IntCls": 45, "Name": "企查查", "Agent": "直接办理"}
    (t,) = parse(mark)
    assert isinstance(t, Trademark)
    assert t.agency is None


def test_a_bare_number_typed_as_an_invention_or_in_full_takes_its_kind() -> None:
    """企查查's KindCodeDesc 发明专利 beside a number without a kind code was a grant (counted
    under grants): with no grant date to say so it is the application, its number left bare.
    实用新型专利 and 外观设计专利 were quarantined "unknown patent kind"."""
    bare = PATENT | {"PublicationNumber": "CN106844774", "KindCodeDesc": "发明专利"}
    utility = PATENT | {
        "PublicationNumber": "CN206000001",
        "PublicationDate": "2017-02-01T00:00:00",
        "KindCodeDesc": "实用新型专利",
    }
    design = utility | {"PublicationNumber": "CN304000001", "KindCodeDesc": "外观设计专利"}
    kinds = [(p.id, p.kind) for p in parse(bare, utility, design) if isinstance(p, Patent)]
    assert kinds == [
        ("CN106844774", PatentKind.INVENTION_APPLICATION),
        ("CN206000001U", PatentKind.UTILITY_MODEL),
        ("CN304000001S", PatentKind.DESIGN),
    ]


def test_lists_given_as_json_in_a_string_are_read() -> None:
    """The API writes its lists as JSON in a string: they were stored as one name
    (``["甲公司","乙公司"]``), and an IPC list's one item holding two symbols as one symbol."""
    (p,) = parse(
        PATENT
        | {
            "KindCodeDesc": "发明公布",
            "AssigneestringList": '["广州甲公司","乙大学"]',
            "InventorStringList": '["王杰", "邓会林"]',
            "IPCList": '["H01M10/0525","H01M4/62"]',
        }
    )
    assert isinstance(p, Patent)
    assert [a.name for a in p.applicants] == ["广州甲公司", "乙大学"]
    assert [i.name for i in p.inventors] == ["王杰", "邓会林"]
    assert p.ipc == ["H01M 10/0525", "H01M 4/62"]
    (q,) = parse(PATENT | {"KindCodeDesc": "发明公布", "IPCList": ["H01M10/0525;H01M4/62"]})
    assert isinstance(q, Patent)
    assert q.ipc == ["H01M 10/0525", "H01M 4/62"]
    (r,) = parse(PATENT | {"KindCodeDesc": "发明公布", "AssigneestringList": ["甲公司;乙公司"]})
    assert isinstance(r, Patent)
    assert [a.name for a in r.applicants] == ["甲公司", "乙公司"]


def test_agents_in_broken_json_are_read_as_far_as_they_go() -> None:
    """A cut or unquoted JSON list of agents quarantined the record with Python's
    JSONDecodeError: the names whole in it are read."""
    for agent, agents in [
        ('["李中华","王', ["李中华"]),
        ('["李中华", "王五"', ["李中华", "王五"]),
        ("[李中华,王五]", ["李中华", "王五"]),
        ('["李\\x"]', ["李\\x"]),
    ]:
        (p,) = parse(
            PATENT | {"KindCodeDesc": "发明公布", "Agency": "广州甲代理所", "Agent": agent}
        )
        assert isinstance(p, Patent), getattr(p, "reason", p)
        assert p.agency is not None
        assert p.agency.agents == agents


def test_grants_are_dated_by_their_publication() -> None:
    """发明授权 B, 实用新型 U, 外观设计 S: granted as published, as the offices' XML is read
    (``mapped.granted_on``); they had no grant date and counted under "no year"."""
    for number, desc in [
        ("CN106844774B", "发明授权"),
        ("CN206844774U", "实用新型"),
        ("CN304218960S", "外观设计"),
    ]:
        (p,) = parse(PATENT | {"PublicationNumber": number, "KindCodeDesc": desc})
        assert isinstance(p, Patent)
        assert (p.id, p.grant_date) == (number, dt.date(2017, 6, 13))
    (a,) = parse(PATENT | {"KindCodeDesc": "发明公布"})
    assert isinstance(a, Patent)
    assert a.grant_date is None


APPLICATION = PATENT | {"KindCodeDesc": "发明公布"}
EVENT = {"LegalStatusDate": "2016-10-12", "LegalStatus": "1", "Desc": "公开"}


def test_legal_histories_in_odd_shapes_are_read() -> None:
    """A history as a JSON string, an object or a list of texts quarantined the record with
    "AttributeError: 'str' object has no attribute 'get'"."""
    expected = [(dt.date(2016, 10, 12), "1", "公开")]
    for history in (json.dumps([EVENT], ensure_ascii=False), EVENT, [EVENT, None]):
        (p,) = parse(APPLICATION | {"PatentLegalHistory": history})
        assert isinstance(p, Patent), getattr(p, "reason", p)
        assert [(e.date, e.code, e.description) for e in p.legal_events] == expected
    texts = ["2016-10-12 公开", "实质审查的生效"]
    (q,) = parse(APPLICATION | {"PatentLegalHistory": texts})
    assert isinstance(q, Patent), getattr(q, "reason", q)
    assert [(e.date, e.description) for e in q.legal_events] == [
        (dt.date(2016, 10, 12), "公开"),
        (None, "实质审查的生效"),
    ]
    (r,) = parse(APPLICATION | {"PatentLegalHistory": "[{broken"})
    assert getattr(r, "reason", "").startswith("法律状态无法读取 / PatentLegalHistory unreadable")
    (s,) = parse(APPLICATION | {"PatentLegalHistory": [7]})
    assert getattr(s, "reason", "").startswith("法律状态无法读取 / PatentLegalHistory unreadable")


def test_titles_as_lists_or_objects_are_read_as_text() -> None:
    """A title as a list or object was stored as its Python form, ``['一种电池']``."""
    for title in (
        ["一种电池"],
        ["", "一种电池", "A battery"],
        {"Cn": "一种电池", "En": "A battery"},
    ):
        (p,) = parse(APPLICATION | {"Title": title})
        assert isinstance(p, Patent), getattr(p, "reason", p)
        assert p.title.text == "一种电池"
    (a,) = parse(APPLICATION | {"Abstract": ["第一段。", "第二段。"]})
    assert isinstance(a, Patent)
    assert a.abstract is not None
    assert a.abstract.text == "第一段。\n第二段。"
    (bad,) = parse(APPLICATION | {"Title": {"x": 1}})
    assert getattr(bad, "reason", "").startswith("名称无法读取 / Title unreadable")


def test_dates_as_the_apis_write_them() -> None:
    """Epoch milliseconds (a number or text; /Date(…)/ as .NET writes them) quarantined the
    record; SQL Server's null date 1900-01-01 was a date; a UTC time was read as its UTC day,
    a day early for a Beijing midnight. Dates are Beijing's."""
    for raw, date in [
        (1620662400000, dt.date(2021, 5, 11)),  # 2021-05-10T16:00Z: Beijing's midnight
        ("1620662400000", dt.date(2021, 5, 11)),
        ("/Date(1620662400000+0800)/", dt.date(2021, 5, 11)),
        (-94723200000, dt.date(1967, 1, 1)),
        ("2021-05-10T16:00:00Z", dt.date(2021, 5, 11)),
        ("2021-05-10T16:00:00.000Z", dt.date(2021, 5, 11)),
        ("2021-05-10T15:59:59+00:00", dt.date(2021, 5, 10)),
        ("2021-05-11T00:00:00+08:00", dt.date(2021, 5, 11)),
        ("2021-05-11T00:00:00", dt.date(2021, 5, 11)),
        ("1900-01-01T00:00:00", None),
        ("1900-01-01", None),
    ]:
        history = [{"LegalStatusDate": raw, "LegalStatus": "1", "Desc": "公开"}]
        (p,) = parse(APPLICATION | {"ApplicationDate": raw, "PatentLegalHistory": history})
        assert isinstance(p, Patent), (raw, getattr(p, "reason", p))
        assert (p.application_date, p.legal_events[0].date) == (date, date), raw
    mark = {"RegNo": "16435657", "IntCls": 45, "Name": "企查查", "AppDate": 1620662400000}
    (t,) = parse(mark)
    assert isinstance(t, Trademark)
    assert t.application_date == dt.date(2021, 5, 11)
