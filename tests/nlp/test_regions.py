"""Regions from addresses and names: historic districts, hints, postcodes, countries."""

from __future__ import annotations

import pytest

from nlp.regions import Region, country_code, locate, of_district

GZ = ("CN", "广东省", "广州市")


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("广东省广州市萝岗区科学大道182号", Region(*GZ, "黄埔区")),
        ("广东省增城市荔城镇", Region(*GZ, "增城区")),
        ("广州市从化市温泉镇", Region(*GZ, "从化区")),
        ("广州市东山区环市东路", Region(*GZ, "越秀区")),
        ("廣東省廣州市天河區五山路", Region(*GZ, "天河区")),
        ("广州高新技术产业开发区科学城彩频路11号", Region(*GZ, "黄埔区")),
        ("广州大学城外环西路100号", Region(*GZ, "番禺区")),
        ("贵州省贵阳市白云区", Region("CN", "贵州省", "贵阳市", "白云区")),
        ("南京市鼓楼区广州路", Region("CN", "江苏省", "南京市", None)),
        ("北京市海淀区清华园1号", Region("CN", "北京市", "北京市", "海淀区")),
        ("邮编518057", Region("CN", "广东省", "深圳市", None)),
        ("日本国东京都港区", Region("JP")),
        ("中国香港新界沙田", Region("HK")),
        ("Robert-Bosch-Platz 1, 70839 Gerlingen, Germany", Region("DE")),
        ("Luogang District, Guangzhou", Region(*GZ, "黄埔区")),
        ("Redmond, WA 98052 (US)", Region("US")),
        ("München (DE)", Region("DE")),
        ("上海市黄浦区福州路185号", Region("CN", "上海市", "上海市", "黄浦区")),
        ("北京市东城区广州大街", Region("CN", "北京市", "北京市", "东城区")),
        ("广东省广州市从化区街口街", Region(*GZ, "从化区")),
    ],
)
def test_locate_address(address: str, expected: Region) -> None:
    assert locate(address) == expected


def test_name_hint_must_start_with_the_place() -> None:
    assert locate(None, "广州增城电池厂") == Region(*GZ, "增城区")
    assert locate(None, "广州市番禺区某某五金厂") == Region(*GZ, "番禺区")
    assert locate(None, "某某科技(广州)有限公司") == Region()


def test_given_country_is_kept_without_an_address() -> None:
    assert locate(None, "Acme Battery Inc.", "US") == Region("US")


def test_of_district_prefers_guangzhou() -> None:
    assert of_district("白云区") == Region(*GZ, "白云区")
    assert of_district("南山区") == Region("CN", "广东省", "深圳市", "南山区")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("中国", "CN"),
        ("China", "CN"),
        ("ｃｎ", "CN"),
        ("美国", "US"),
        ("香港", "HK"),
        ("火星", None),
    ],
)
def test_country_code_of_a_name(name: str, code: str | None) -> None:
    assert country_code(name) == code


@pytest.mark.parametrize("address", ["Fremont, CA", "Springfield, IL", "Wilmington, DE"])
def test_a_state_at_the_end_of_an_address_is_not_a_country(address: str) -> None:
    """``CA``, ``IL``, ``DE`` end US addresses as states, not as Canada, Israel, Germany."""
    assert locate(address) == Region()
    assert locate(address, None, "US") == Region("US")


def test_the_country_a_source_states_wins_over_the_address() -> None:
    assert locate("Toronto, Canada", None, "US") == Region("US")  # the source says US
    assert locate("Toronto, Canada") == Region("CA")  # a country's name, nothing stated
    assert locate("广东省广州市天河区中山大道1号", None, "CN") == Region(*GZ, "天河区")
