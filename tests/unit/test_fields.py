from __future__ import annotations

import datetime as dt

import pytest

from iphub.store.fields import index_document, ipc_terms
from tests.utils.factories import make_patent, make_trademark


@pytest.mark.parametrize(
    ("code", "terms"),
    [
        ("H01M 10/0525", ["H", "H01", "H01M", "H01M10", "H01M10/0525"]),
        ("h01m10/0525", ["H", "H01", "H01M", "H01M10", "H01M10/0525"]),
        ("G06N 3/08", ["G", "G06", "G06N", "G06N3", "G06N3/08"]),
        ("H01M", ["H", "H01", "H01M"]),
        ("A", ["A"]),
    ],
)
def test_ipc_levels(code: str, terms: list[str]) -> None:
    assert ipc_terms(code) == terms


def test_patent_document() -> None:
    doc = index_document(make_patent(ipc=["H01M 10/0525"], claims=["一种电池"]))
    assert doc["record_type"] == "patent"
    assert doc["facet_ipc_subclass"] == ["H01M"]
    assert doc["facet_year"] == ["2021"]
    assert doc["dist"] == ["天河区"]
    assert "CN199999999" in doc["pn"]  # type: ignore[operator]
    assert doc["cl_w"] == "一种 电池"
    assert doc["ti_c"] == "一 种 测 试 装 置"


def test_each_name_and_number_form_indexed_once() -> None:
    """A normalised name equal to the name, and an id equal to the publication number, add
    nothing: a phrase must not run from one copy of a name into the next."""
    from iphub.records import Party

    same = Party(name="广州测试有限公司", normalized_name="广州测试有限公司")
    other = Party(name="广州测试有限责任公司", normalized_name="广州测试有限公司")
    doc = index_document(make_patent(applicants=[same]))
    assert doc["pa_c"] == "广 州 测 试 有 限 公 司"
    pn = doc["pn"]
    assert isinstance(pn, list)
    assert len(pn) == len(set(pn))
    assert "CN199999999A" in pn
    both = index_document(make_patent(applicants=[other]))
    assert both["pa_c"] == "广 州 测 试 有 限 责 任 公 司 广 州 测 试 有 限 公 司"


def test_trademark_document() -> None:
    doc = index_document(
        make_trademark(mark_text="云山", mark_pinyin="yunshan", nice_classes=[30, 43])
    )
    assert doc["nc"] == ["30", "43"]
    assert doc["tm_w"] == "云山 yunshan"
    assert "99999999" in doc["ap"]  # type: ignore[operator]


def test_statistics_columns() -> None:
    from iphub.records import Party

    gz = Party(name="甲", key="甲", city="广州市", province="广东省", district="黄埔区")
    sz = Party(
        name="乙", key="乙", city="深圳市", province="广东省", district="南山区", state_owned=True
    )
    doc = index_document(
        make_patent(
            applicants=[gz, sz],
            ipc=["H01M 10/0525"],
            keywords=["锂电池", "正极"],
            grant_date=dt.date(2023, 1, 1),
            pct_application_number="PCT/CN2021/000001",
        )
    )
    assert doc["facet_district"] == ["黄埔区"]  # Guangzhou districts only
    assert doc["dist"] == ["南山区", "黄埔区"]
    assert doc["city"] == ["广州市", "深圳市"]
    assert doc["prov"] == ["广东省"]
    assert doc["flag"] == ["pct", "state_owned"]
    assert doc["facet_ipc_group"] == ["H01M10"]
    assert doc["facet_keyword"] == ["锂电池", "正极"]
    assert doc["facet_grant_year"] == ["2023"]
    tm = index_document(make_trademark(international_registration_number="1234567"))
    assert tm["flag"] == ["madrid"]
    assert tm["facet_grant_year"] == []
