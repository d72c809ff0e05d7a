"""Streamed JSON: every shape the exports use, broken JSON, and memory that does not grow."""

from __future__ import annotations

import codecs
import io
import json
import tracemalloc
from collections.abc import Iterator

import pytest

from ingest.parsers import cn_json, json_stream, tabular
from ingest.parsers.base import Quarantined
from iphub.records import Trademark


def records(text: str, wrappers: tuple[str, ...] | None = None) -> list[object]:
    return list(json_stream.records(io.BytesIO(text.encode()), wrappers))


def test_shapes() -> None:
    items = [{"a": 1, "b": [1, {"c": [2, 3]}], "d": {"e": None}}, {"a": 2.5}, [1, 2], "x", 7]
    assert records(json.dumps(items)) == items
    wrapped = {"Status": 200, "Result": items[:2], "Paging": {"Total": 2}}
    assert records(json.dumps(wrapped), ("Result",)) == items[:2]
    assert records(json.dumps(wrapped)) == items[:2]  # any key holding an array
    assert records(json.dumps({"Status": 200, "Other": [1]}), ("Result",)) == [
        {"Status": 200, "Other": [1]}  # no wrapper key: the object is the record
    ]
    assert records('{"a": 1}\n{"a": 2}\n') == [{"a": 1}, {"a": 2}]  # values one after another
    assert records("[]") == []
    with pytest.raises(json_stream.JSONError):  # an empty file is not JSON: quarantined whole
        records("  ")


def test_byte_order_mark_and_unicode() -> None:
    data = codecs.BOM_UTF8 + json.dumps([{"名称": "锂电池"}], ensure_ascii=False).encode()
    assert list(json_stream.records(io.BytesIO(data))) == [{"名称": "锂电池"}]


def test_broken_json_gives_what_came_before_then_raises() -> None:
    stream = json_stream.records(io.BytesIO(b'[{"a": 1}, {"a": 2}, {"a": '))
    assert [next(stream), next(stream)] == [{"a": 1}, {"a": 2}]
    with pytest.raises(json_stream.JSONError):
        next(stream)


def test_truncated_cn_json_loads_the_records_before_the_break() -> None:
    record = {"RegNo": "123", "IntCls": 9, "Name": "好", "AppDate": "2020-01-02"}
    text = json.dumps({"Result": [record, record | {"RegNo": "124"}]}, ensure_ascii=False)
    items = list(cn_json.parse(io.BytesIO(text[:-20].encode())))
    assert isinstance(items[0], Trademark)
    assert isinstance(items[-1], Quarantined)
    assert items[-1].position == "file"
    assert "invalid JSON" in items[-1].reason


def test_json_lines_bad_line_is_quarantined_alone() -> None:
    good = '{"RegNo": "123", "IntCls": 9, "Name": "好", "AppDate": "2020-01-02"}'
    text = "\n".join([good, '{"RegNo": ', good.replace("123", "125")])
    items = list(cn_json.parse(io.BytesIO(text.encode())))
    assert [type(i).__name__ for i in items] == ["Trademark", "Quarantined", "Trademark"]
    assert getattr(items[1], "position", None) == "line 2"


class _Generated(io.RawIOBase):
    """A JSON array of ``n`` records made on the fly: a big file that never exists whole."""

    def __init__(self, n: int) -> None:
        self._parts = self._make(n)
        self._left = b""

    @staticmethod
    def _make(n: int) -> Iterator[bytes]:
        yield b'{"Result": ['
        for i in range(n):
            row = {"申请号": f"2021{i:08d}", "名称": "一种锂电池" * 5, "摘要": "正极材料" * 40}
            yield (b"," if i else b"") + json.dumps(row, ensure_ascii=False).encode()
        yield b"]}"

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._left:
            self._left = next(self._parts, b"")
            if not self._left:
                return 0
        n = min(len(buffer), len(self._left))
        buffer[:n] = self._left[:n]
        self._left = self._left[n:]
        return n


def test_memory_does_not_grow_with_the_file() -> None:
    """30,000 records (≈17 MB of JSON): the reader holds one record, not the file."""
    tracemalloc.start()
    try:
        count = sum(1 for _ in tabular.split(io.BufferedReader(_Generated(30_000)), fmt="json"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 30_000
    assert peak < 2 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB while streaming"


def test_fast_and_event_readers_agree() -> None:
    """Where the records are found in the first bytes, ijson's C reader builds them; every other
    shape goes event by event. Both give the same records."""
    items = [{"a": i, "b": [i, {"c": "文字"}], "d": None} for i in range(50)]
    shapes = [
        json.dumps(items),
        json.dumps({"Status": 200, "Result": items}),
        json.dumps({"Status": {"Code": [200]}, "Result": items}),  # an array before the wrapper
        json.dumps({"Paging": {"x": 1}, "data": items, "Result": [1]}),
    ]
    for text in shapes:
        fast = records(text, ("Result", "data"))
        monkeypatched = list(_events_only(text, ("Result", "data")))
        assert fast == monkeypatched
        assert len(fast) == 50
    assert json_stream._items_prefix(b'{"Result": [', ("Result",)) == "Result.item"
    assert json_stream._items_prefix(b'{"Status": 200, "Paging": {"n": 1}}', ("Result",)) is None
    assert json_stream._items_prefix(b'{"Status": 200, "Resu', ("Result",)) is None


def _events_only(text: str, wrappers: tuple[str, ...]) -> Iterator[object]:
    import ijson

    events = iter(ijson.parse(io.BytesIO(text.encode()), multiple_values=True, use_float=True))
    for _, event, value in events:
        if event == "start_array":
            yield from json_stream._items(events, "at the top")
        elif event == "start_map":
            yield from json_stream._object(events, wrappers)
        else:
            yield value
