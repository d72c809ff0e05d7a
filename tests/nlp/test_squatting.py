"""Squatting signals on plain data: imitation by others, class spread, non-operating filers."""

from __future__ import annotations

from nlp.squatting import (
    Reference,
    class_spread,
    holder_key,
    imitations,
    mass_imitation,
    non_operating,
    well_known,
)


def test_the_well_known_table_names_holders_by_applicant_key() -> None:
    table = {r.mark: r for r in well_known()}
    assert table["星巴克"].holder_keys == {"星巴克", "STARBUCKS"}
    assert table["王老吉"].holder_keys == {holder_key("广州医药集团有限公司")}
    assert all(r.well_known and r.classes for r in table.values())


def test_an_imitation_by_another_applicant_fires_and_the_holders_own_filing_does_not() -> None:
    mine = Reference("好味多", frozenset({"广州好味食品"}), (30,))
    found = imitations("好味夛", [30], ["张三"], [mine])
    assert [i.label() for i in found] == [
        "imitates:好味多(pinyin_identical+pinyin_near+char_near+same_class)"
    ]
    assert imitations("好味多", [30], ["广州好味食品"], [mine]) == []
    assert imitations("好味多", [12], ["张三"], [mine]) == []  # unrelated goods


def test_well_known_marks_are_protected_across_classes_and_in_translation() -> None:
    labels = [i.label() for i in imitations("STARBUCKS", [35], ["某贸易"], well_known())]
    assert labels == [
        "imitates_well_known:STARBUCKS(identical)",
        "imitates_well_known:星巴克(translation)",
    ]
    assert imitations("星巴克", [43], ["STARBUCKS"], well_known()) == []
    assert imitations("星光", [43], ["某人"], well_known()) == []


def test_class_spread_counts_groups_of_unrelated_classes() -> None:
    assert class_spread([]) == 0
    assert class_spread([30, 32]) == 1  # coffee/tea and beverages are related
    assert class_spread([3, 5, 12, 25, 30, 41]) == 5
    assert class_spread([9, 42]) == 1


def test_non_operating_and_mass_imitation() -> None:
    assert non_operating("张三", "individual", 0) == "individual"
    assert non_operating("广州某某商贸有限公司", "enterprise", 0) == "shell"
    assert non_operating("广州某某商贸有限公司", "enterprise", 3) is None
    assert non_operating("广州某某电池有限公司", "enterprise", 0) is None
    assert mass_imitation(3, 4)
    assert not mass_imitation(2, 2)
    assert not mass_imitation(3, 10)
