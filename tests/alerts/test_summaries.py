"""What an alert message shows of a record (``matcher.summarise``), for each record kind."""

from __future__ import annotations

import datetime as dt

from iphub.records import Copyright, LocalizedText, Party
from search_api.alerts.matcher import summarise
from tests.utils.factories import make_patent, make_trademark


def test_each_kind_is_summarised_by_its_own_number_title_and_date() -> None:
    owner = [Party(name="广州测试科技有限公司")]
    patent = make_patent(
        id="CN1234567A",
        publication_number="CN1234567A",
        title=LocalizedText(text="一种电池"),
        publication_date=dt.date(2021, 3, 2),
        applicants=owner,
        ipc=["H01M 10/0525"],
    )
    mark = make_trademark(application_number="12345678", mark_text="测试", nice_classes=[9])
    software = Copyright(
        id="CN-SC-2016SR309930",
        copyright_type="software",
        registration_number="2016SR309930",
        title="测试管理系统",
        registration_date=dt.date(2016, 11, 1),
        applicants=owner,
    )
    assert summarise(patent) == {
        "id": "CN1234567A",
        "kind": "patent",
        "number": "CN1234567A",
        "title": "一种电池",
        "date": "2021-03-02",
        "applicants": ["广州测试科技有限公司"],
        "ipc": "H01M 10/0525",
    }
    assert (summarise(mark)["number"], summarise(mark)["title"]) == ("12345678", "测试")
    assert summarise(mark)["nice_classes"] == [9]
    assert summarise(software) == {
        "id": "CN-SC-2016SR309930",
        "kind": "copyright",
        "number": "2016SR309930",
        "title": "测试管理系统",
        "date": "2016-11-01",
        "applicants": ["广州测试科技有限公司"],
    }
