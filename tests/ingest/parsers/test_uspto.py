"""USPTO grant/application XML 4.x: real samples of each DTD version and a written weekly file."""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

import pytest

from ingest.parsers import uspto
from ingest.parsers.base import Quarantined
from iphub.records import Patent, PatentKind
from tests.ingest.conftest import FIXTURES, shared


def parse_file(path: Path) -> list[Patent | Quarantined]:
    with path.open("rb") as f:
        return list(uspto.parse(f))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "pn", "an", "pd", "title", "applicant", "ipc"),
    [
        ("US06859910.xml", "US6859910B2", "US09832323", "2005-02-22",
         "Methods and systems for transactional tunneling", "John Charles Croy", "G06F 15/00"),
        ("US07272630B2.xml", "US7272630B2", "US10991571", "2007-09-18",
         "Locating potentially identical objects", "Microsoft Corporation", "G06F 15/13"),
        ("US08926509.xml", "US8926509B2", "US12134151", "2015-01-06",
         "Wireless physiological sensor patches and systems", "Hmicro, Inc.", "A61B 5/00"),
        ("US08930553.xml", "US8930553B2", "US13648029", "2015-01-06",
         "Managing mid-dialog session initiation protocol (SIP) messages",
         "International Business Machines Corporation", "G06F 15/16"),
        ("US20050004437A1.xml", "US20050004437A1", "US10830857", "2005-01-06",
         "Simulation device for playful evaluation", "Heiner Kaufmann", "A61B 5/00"),
    ],
)  # fmt: skip
def test_shared_samples(
    name: str, pn: str, an: str, pd: str, title: str, applicant: str, ipc: str
) -> None:
    (record,) = parse_file(shared("uspto", name))
    assert isinstance(record, Patent), record
    assert (record.id, record.publication_number, record.application_number) == (pn, pn, an)
    assert record.publication_date == dt.date.fromisoformat(pd)
    assert record.title.text.startswith(title)
    assert record.title.lang == "en"
    assert applicant in [a.name for a in record.applicants]
    assert record.ipc_main == ipc
    assert record.abstract is not None
    assert len(record.abstract.text) > 50
    assert record.claims
    assert record.sources == ["uspto"]


def test_v45_inventors_agents_cpc_and_citations() -> None:
    (record,) = parse_file(shared("uspto", "US08926509.xml"))
    assert isinstance(record, Patent)
    assert record.inventors[0].name == "Surendar Magar"
    assert record.agency is not None
    assert record.agency.name == "Wilson Sonsini Goodrich & Rosati"
    assert record.cpc[:2] == ["A61B 5/0205", "A61B 5/0024"]
    assert record.cited_documents[:2] == ["US4313443A", "US4784162A"]
    assert len(record.claims) == 31
    assert record.kind is PatentKind.INVENTION_GRANT
    assert record.grant_date == record.publication_date


def test_weekly_file_splits_and_quarantines_the_broken_document() -> None:
    grant, broken, app = parse_file(FIXTURES / "uspto-weekly.xml")
    assert isinstance(grant, Patent)
    assert isinstance(app, Patent)
    assert isinstance(broken, Quarantined)
    assert broken.position.startswith("document 2 at byte ")
    assert "XMLSyntaxError" in broken.reason
    assert "09000002" in broken.raw
    assert grant.id == "US9000001B2"
    assert grant.application_date == dt.date(2012, 3, 1)
    assert grant.title.text == "Lithium battery cathode with graphene coating"
    assert grant.abstract is not None
    assert "graphene — improving" in grant.abstract.text
    assert [(a.name, a.country, a.address) for a in grant.applicants] == [
        ("Guangzhou Battery Co., Ltd.", "CN", "Guangzhou")
    ]
    assert [i.name for i in grant.inventors] == ["Wei Li"]
    assert grant.agency is not None
    assert grant.agency.name == "Smith & Partners LLP"
    assert (grant.ipc, grant.cpc) == (["H01M 10/0525"], ["H01M 10/052"])
    assert grant.priorities[0].number == "201110012345.6"
    assert grant.priorities[0].date == dt.date(2011, 3, 15)
    assert grant.cited_documents == ["US5793966A"]
    assert grant.claims == ["1. A cathode comprising a graphene coating."]
    assert app.id == "US20050000003A1"
    assert app.kind is PatentKind.INVENTION_APPLICATION
    assert app.ipc == ["A61B 5/00", "G06F 17/21"]
    assert (
        [p.name for p in app.inventors] == [p.name for p in app.applicants] == ["Heiner Kaufmann"]
    )


def test_skip_resumes_after_whole_documents() -> None:
    with (FIXTURES / "uspto-weekly.xml").open("rb") as f:
        items = list(uspto.parse(f, skip=2))
    assert [getattr(i, "id", None) for i in items] == ["US20050000003A1"]


def test_external_entities_are_not_resolved_or_fetched(tmp_path: Path) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        server.settimeout(0.2)
        port = server.getsockname()[1]
        text = (FIXTURES / "xxe-uspto.xml").read_text().replace("127.0.0.1:9", f"127.0.0.1:{port}")
        (tmp_path / "x.xml").write_text(text)
        (record,) = parse_file(tmp_path / "x.xml")
        with pytest.raises(TimeoutError):
            server.accept()  # nobody connected
    assert isinstance(record, Patent)
    assert "root:" not in record.title.text
    assert record.title.text.endswith("end")


def test_billion_laughs_does_not_expand() -> None:
    (item,) = parse_file(FIXTURES / "billion-laughs.xml")
    assert isinstance(item, Quarantined)
    assert "amplification" in item.reason or "entity" in item.reason.lower()
    assert len(item.raw) <= 2000


def test_a_missing_part_is_named_in_the_reason(tmp_path: Path) -> None:
    """The quarantine says which element a document lacks, not that ``None`` has no ``find``."""
    weekly = (FIXTURES / "uspto-weekly.xml").read_text(encoding="utf-8")
    first = weekly[: weekly.index("<?xml", 10)]
    for element, parent in (
        ("application-reference", "us-bibliographic-data-grant"),
        ("us-bibliographic-data-grant", "us-patent-grant"),
    ):
        start = first.index(f"<{element}")
        end = first.index(f"</{element}>") + len(f"</{element}>")
        path = tmp_path / f"without-{element}.xml"
        path.write_text(first[:start] + first[end:], encoding="utf-8")
        (item,) = parse_file(path)
        assert isinstance(item, Quarantined)
        assert item.reason == f"ValueError: 缺少元素 / missing element <{element}> in <{parent}>"
