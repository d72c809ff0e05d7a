"""IPC titles from WIPO's scheme: every level of a code, the forms codes come in, unknown codes."""

from __future__ import annotations

import pytest

from iphub import ipc


def test_titles_from_section_to_subgroup() -> None:
    got = [(level.level, level.code, level.title) for level in ipc.levels("H01M 10/0525")]
    assert got == [
        ("section", "H", "Electricity"),
        ("class", "H01", "Basic electric elements"),
        (
            "subclass",
            "H01M",
            "Processes or means, e.g. batteries, for the direct conversion of chemical energy "
            "into electrical energy",
        ),
        ("group", "H01M 10/00", "Secondary cells; Manufacture thereof"),
        (
            "subgroup",
            "H01M 10/0525",
            "Rocking-chair batteries, i.e. batteries with lithium insertion or intercalation "
            "in both electrodes; Lithium-ion batteries",
        ),
    ]
    assert ipc.levels("H01M 10/0525")[0].title_zh == "电学"


@pytest.mark.parametrize(
    "code", ["H01M10/0525", "h01m 10/0525", "H01M0010052500", " H01M 10/0525 "]
)
def test_written_forms_give_one_answer(code: str) -> None:
    assert ipc.normalised(code) == "H01M 10/0525"
    assert [level.code for level in ipc.levels(code)][-1] == "H01M 10/0525"


def test_references_inside_titles_are_written_as_people_write_them() -> None:
    title = ipc.levels("A01B")[-1].title
    assert title.startswith("Soil working in agriculture or forestry; parts, details")
    assert "A01C 5/00" in title
    assert "A01C0005000000" not in title
    assert "E01, E02, E21" in title  # codes keep their case when the rest is lowered


def test_a_repeated_heading_keeps_its_first_title() -> None:
    assert ipc.levels("A01B 3/00")[-1].title == "Ploughs"


def test_code_newer_than_the_edition_falls_back_to_its_titled_ancestors() -> None:
    levels = ipc.levels("H01M 10/9999")
    assert [level.level for level in levels] == ["section", "class", "subclass", "group"]


@pytest.mark.parametrize("code", ["", "Z99", "电池", "H01M 10/05/25", "12345"])
def test_what_is_not_an_ipc_code_has_no_titles(code: str) -> None:
    assert ipc.levels(code) == []
    assert ipc.normalised(code) is None


def test_section_and_class_only() -> None:
    assert [level.code for level in ipc.levels("G06")] == ["G", "G06"]
    assert ipc.levels("G")[0].title == "Physics"
