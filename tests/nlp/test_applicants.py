"""Applicant normalisation: folding, legal forms, former names, aliases, state-owned flag."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nlp.applicants import (
    clean,
    is_state_owned,
    key_of,
    normalise,
    same_applicant,
    state_owned_keys,
)
from nlp.tables import read_table

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("printed", "name", "key"),
    [
        ("廣州汽車集團股份有限公司", "广州汽车集团股份有限公司", "广州汽车集团"),
        ("广汽集团", "广州汽车集团股份有限公司", "广州汽车集团"),
        ("GUANGZHOU AUTOMOBILE GROUP CO LTD", "广州汽车集团股份有限公司", "广州汽车集团"),
        ("华南理工大学（原华南工学院）", "华南理工大学", "华南理工大学"),
        ("South China University of Technology", "华南理工大学", "华南理工大学"),
        ("广州市地下铁道总公司（现广州地铁集团有限公司）", "广州地铁集团有限公司", "广州地铁集团"),
        ("京信通信系统(中国)有限公司", "京信通信系统（中国）有限公司", "京信通信系统（中国）"),
        ("广州 测试 有限公司", "广州测试有限公司", "广州测试"),
        ("ＡＣＭＥ Battery， Inc.", "ACME Battery, Inc.", "ACME BATTERY"),
        ("Samsung Electronics Co.,Ltd.", "Samsung Electronics Co., Ltd.", "SAMSUNG ELECTRONICS"),
        ("Volt GmbH", "Volt GmbH", "VOLT"),
        ("The Procter & Gamble Company", "The Procter & Gamble Company", "PROCTER & GAMBLE"),
    ],
)
def test_normalise(printed: str, name: str, key: str) -> None:
    found = normalise(printed)
    assert (found.name, found.key) == (name, key)


def test_legal_form_change_keeps_the_key() -> None:
    """A 股改 (有限公司 → 股份有限公司) or 广州市/广州 spelling keeps one holder."""
    assert key_of("广州某某科技有限公司") == key_of("广州某某科技股份有限公司") == "广州某某科技"
    assert key_of("广州市香雪制药股份有限公司") == key_of("广州香雪制药股份有限公司")
    assert key_of("Acme Battery Inc.") == key_of("ACME BATTERY, INC") == "ACME BATTERY"


def test_a_latin_name_keys_as_its_ascii_spelling() -> None:
    """EPO's upper-case forms write ``Kylmänen`` as ``KYLMAENEN``: one holder under both, and
    accents dropped (``Société`` = ``SOCIETE``); a spelling that drops the umlaut's e is another."""
    assert key_of("Kylmänen Jari") == key_of("KYLMAENEN JARI") == key_of("KYLMÄNEN JARI")
    assert key_of("Kylmänen Jari") == "KYLMAENEN JARI"
    assert key_of("Müller GmbH") == key_of("MUELLER GMBH") == "MUELLER"
    assert key_of("Société Générale S.A.") == "SOCIETE GENERALE"
    assert key_of("MULLER GMBH") != key_of("Müller GmbH")


def test_branch_keeps_its_whole_name() -> None:
    assert key_of("广州某某有限公司天河分公司") == "广州某某有限公司天河分公司"


def test_bracketed_other_script_name_is_the_pair() -> None:
    found = normalise("华为技术有限公司(HUAWEI TECHNOLOGIES CO., LTD.)")
    assert (found.name, found.pair, found.type) == (
        "华为技术有限公司",
        "HUAWEI TECHNOLOGIES CO., LTD.",
        "enterprise",
    )


def test_alias_table_gives_type_and_seat() -> None:
    found = normalise("Sun Yat-sen University")
    assert (found.name, found.type, found.district) == ("中山大学", "university", "海珠区")


def test_every_alias_resolves_to_its_group() -> None:
    for row in read_table("applicant_aliases.tsv"):
        canonical = clean(row["canonical"])
        for alias in [row["canonical"], *row["aliases"].split("|")]:
            assert normalise(alias).name == canonical, alias


def test_every_alias_group_has_one_key_of_its_own() -> None:
    owner: dict[str, str] = {}
    for row in read_table("applicant_aliases.tsv"):
        keys = {normalise(a).key for a in [row["canonical"], *row["aliases"].split("|")] if a}
        assert len(keys) == 1, (row["canonical"], keys)
        key = keys.pop()
        assert owner.setdefault(key, row["canonical"]) == row["canonical"], key


def test_same_applicant_by_pinyin() -> None:
    assert same_applicant("广州视源电子科技股份有限公司", "Guangzhou Shiyuan Electronics Co., Ltd.")
    assert same_applicant("华为技术有限公司", "HUAWEI TECHNOLOGIES CO LTD")
    assert not same_applicant("广州视源电子科技股份有限公司", "Guangzhou Metro Group Co., Ltd.")


@pytest.mark.parametrize(
    ("chinese", "latin"),
    [
        ("重庆长安汽车股份有限公司", "Chongqing Changan Automobile Co., Ltd."),  # 重: zhong, chong
        ("广州银行股份有限公司", "Bank of Guangzhou (Yinhang)"),  # 行: xing, hang
        ("绿盟科技集团股份有限公司", "NSFOCUS (Lvmeng) Technology Group"),  # ü written v
        ("绿盟科技集团股份有限公司", "Lumeng Technology"),  # or u
    ],
)
def test_same_applicant_in_any_reading_of_a_character(chinese: str, latin: str) -> None:
    assert same_applicant(chinese, latin)


def test_same_applicant_leaves_pypinyins_phrase_table_unloaded() -> None:
    """pypinyin loads its phrase table (≈52 MB) on import: pairing two scripts loaded it into
        every enriching process, and a 1 GB DOCDB load with one such record went past its memory
        budget for the sake of two characters. Spelling a trademark out does not load it either, nor
    does importing the API or the alerts matcher (only comparing marks does)."""
    code = (
        "import sys; from nlp.applicants import same_applicant\n"
        "assert same_applicant('华为技术有限公司', 'HUAWEI TECHNOLOGIES CO LTD')\n"
        "from nlp.enrich import enrich; from tests.utils.factories import make_trademark\n"
        "assert enrich(make_trademark(mark_text='云山')).mark_pinyin == 'yunshan'\n"
        "import search_api.main, search_api.alerts.matcher  # the API, a load's alert matching\n"
        "print(sorted(m for m in sys.modules if m.startswith('pypinyin')))"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "[]"


def test_state_owned_list_and_branches() -> None:
    assert is_state_owned(normalise("广州汽车集团股份有限公司"))
    assert is_state_owned(normalise("广州白云山医药集团股份有限公司白云山制药总厂"))
    assert not is_state_owned(normalise("广州视源电子科技股份有限公司"))


def test_state_owned_list_is_configurable(tmp_path: Path) -> None:
    table = tmp_path / "soe.tsv"
    table.write_text("# source: test\nname\tgroup\n广州视源电子科技股份有限公司\tx\n", "utf-8")
    keys = state_owned_keys(table)
    assert keys == frozenset({"广州视源电子科技"})
    assert is_state_owned(normalise("广州视源电子科技有限公司"), keys)
    assert not is_state_owned(normalise("广州汽车集团股份有限公司"), keys)
