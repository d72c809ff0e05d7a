"""enrich(record): every tag on a patent and a trademark, idempotent, schema-valid."""

from __future__ import annotations

import pytest

from iphub.records import ApplicantType, Party, Patent
from nlp.enrich import enrich
from tests.utils.factories import make_patent, make_trademark


def _patent(*parties: Party) -> Patent:
    return make_patent(
        applicants=list(parties),
        ipc=["H01M 10/0525", "H01M 4/505"],
    )


def test_patent_applicants_regions_industries_keywords() -> None:
    record = enrich(
        _patent(
            Party(name="廣州汽車集團股份有限公司", address="广东省广州市番禺区金山大道东"),
            Party(name="South China University of Technology"),
            Party(name="张伟", address="广东省增城市荔城镇"),
        )
    )
    gac, scut, person = record.applicants
    assert (gac.normalized_name, gac.key, gac.type, gac.state_owned) == (
        "广州汽车集团股份有限公司",
        "广州汽车集团",
        ApplicantType.ENTERPRISE,
        True,
    )
    assert (gac.country, gac.province, gac.city, gac.district) == (
        "CN",
        "广东省",
        "广州市",
        "番禺区",
    )
    assert (scut.normalized_name, scut.type, scut.district) == (
        "华南理工大学",
        ApplicantType.UNIVERSITY,
        "天河区",
    )
    assert (person.type, person.district) == (ApplicantType.INDIVIDUAL, "增城区")
    assert record.industries == [
        "新能源汽车产业",
        "智能与新能源汽车",
        "新能源产业",
        "新能源与节能环保",
    ]
    assert record.keywords[:1] == ["测试"]


def test_enrich_is_idempotent_and_valid() -> None:
    once = enrich(_patent(Party(name="Acme Battery Inc.", country="US")))
    twice = enrich(once)
    assert once == twice
    assert Patent.model_validate(once.model_dump()) == once
    assert (once.applicants[0].key, once.applicants[0].country) == ("ACME BATTERY", "US")


def test_bilingual_applicant_list_pairs_up() -> None:
    record = enrich(
        _patent(
            Party(name="广州视源电子科技股份有限公司"),
            Party(name="广州某某新材料有限公司"),
            Party(name="Guangzhou Shiyuan Electronic Technology Company Limited"),
            Party(name="Guangzhou Moumou New Materials Co., Ltd."),
        )
    )
    assert [p.key for p in record.applicants] == ["广州视源电子科技", "广州某某新材料"] * 2


def test_address_without_a_district_takes_the_registered_seat_in_its_city() -> None:
    record = enrich(
        _patent(
            Party(name="华南理工大学", address="510640 广东省广州市五山路381号"),
            Party(name="中山大学", address="广东省珠海市唐家湾镇"),
        )
    )
    assert [(p.city, p.district) for p in record.applicants] == [
        ("广州市", "天河区"),
        ("珠海市", None),
    ]


def test_joint_foreign_applicant_is_not_paired() -> None:
    record = enrich(_patent(Party(name="广州某某新材料有限公司"), Party(name="Acme Battery Inc.")))
    assert [p.key for p in record.applicants] == ["广州某某新材料", "ACME BATTERY"]


def test_trademark() -> None:
    record = enrich(
        make_trademark(
            applicants=[Party(name="广州白云山医药集团股份有限公司")],
            nice_classes=[5],
            goods_services=["药品"],
        )
    )
    party = record.applicants[0]
    assert (party.key, party.district, party.state_owned) == ("广州白云山医药集团", "荔湾区", True)
    assert record.industries == ["生物产业", "生物医药与健康"]
    assert record.mark_pinyin == "ceshi"  # 测试, spelled as the register writes it


@pytest.mark.parametrize(
    ("mark", "given", "spelled"),
    [
        ("云山", None, "yunshan"),
        ("绿源 Tech 2", None, "luyuantech2"),
        ("云山２０２０", None, "yunshan2020"),  # full-width digits folded, as marks are compared
        ("NIKE", None, None),  # a Latin mark is its own spelling
        ("重庆", "chongqing", "chongqing"),  # a source's own spelling is kept
        (None, None, None),  # a figurative mark
    ],
)
def test_trademark_pinyin(mark: str | None, given: str | None, spelled: str | None) -> None:
    record = enrich(make_trademark(mark_text=mark, mark_pinyin=given))
    assert record.mark_pinyin == spelled


def test_remembered_parties_equal_fresh_ones() -> None:
    """enrich_parties remembers results by name, address and country: every corpus record's
    parties come out as a fresh enrichment gives them, the second time too."""
    from nlp.enrich import _enrich_parties, _enriched, enrich_parties
    from tests.utils.factories import load_corpus

    _enriched.cache_clear()
    for _ in range(2):
        for record in load_corpus():
            parties = record.applicants
            assert enrich_parties(parties) == _enrich_parties(parties, None)
    assert _enriched.cache_info().hits > 0


def test_a_us_applicant_in_a_state_named_like_a_country_stays_us() -> None:
    """USPTO gives ``<city>Fremont</city><state>CA</state><country>US</country>``."""
    party = Party(name="Hmicro, Inc.", address="Fremont, CA", country="US")
    enriched = enrich(make_patent(jurisdiction="US", applicants=[party]))
    assert isinstance(enriched, Patent)
    assert enriched.applicants[0].country == "US"
