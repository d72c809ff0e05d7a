"""Applicant types: head-final Chinese rules, spaCy phrase matching for Latin names."""

from __future__ import annotations

import pytest

from nlp.applicant_types import applicant_type


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("华南理工大学", "university"),
        ("广州医科大学附属第一医院", "hospital"),
        ("广东电网有限责任公司广州供电局", "enterprise"),
        ("广州市人民政府办公厅", "government"),
        ("中国科学院广州能源研究所", "institute"),
        ("广州市市政工程设计研究总院有限公司", "enterprise"),
        ("广州增城电池厂", "enterprise"),
        ("广州某某投资合伙企业（有限合伙）", "enterprise"),
        ("广东省知识产权保护协会", "other"),
        ("陈明", "individual"),
        ("欧阳娜娜", "individual"),
        ("买买提·艾力", "individual"),
        ("广州云山", "other"),
        ("Acme Battery Inc.", "enterprise"),
        ("Koninklijke Philips N.V.", "enterprise"),
        ("The Regents of the University of California", "university"),
        ("Massachusetts Institute of Technology", "university"),
        ("Research Institute of Tsinghua University in Shenzhen", "institute"),
        ("Massachusetts General Hospital", "hospital"),
        ("SMITH, John A.", "individual"),
        ("KYLMÄNEN JARI", "individual"),
        ("株式会社半导体能源研究所", "enterprise"),
        ("株式会社村田制作所", "enterprise"),
        ("American Heart Association", "other"),
    ],
)
def test_applicant_type(name: str, kind: str) -> None:
    assert applicant_type(name) == kind
