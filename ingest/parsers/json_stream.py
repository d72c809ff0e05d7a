"""The records of a JSON file, streamed: memory holds one record at a time, whatever the size.

The shapes data exports and commercial APIs use: a top-level array of records; an object
wrapping the array under a key (``{"Result": [...], "Paging": {...}}``); one record object; or
several top-level values one after another (JSON lines, or concatenated arrays). Parsed
incrementally with ijson (the yajl C backend), so a 1 GB array is never read whole. A syntax
error ends the stream there: the records before it have been given (the loader quarantines
the rest of the file with the reason).
"""

from __future__ import annotations

import codecs
import io
import json
from collections.abc import Iterator
from typing import IO, Any

import ijson
from ijson.common import ObjectBuilder

from ingest.parsers import base
from ingest.parsers.base import Quarantined

_PEEK = 1 << 16  # bytes looked at to find where the records are

#: what a malformed or truncated JSON stream raises
JSONError: type[Exception] = ijson.JSONError


def records(stream: IO[bytes], wrappers: tuple[str, ...] | None = None) -> Iterator[Any]:
    """Each record of ``stream``, in order.

    A top-level array gives its items. A top-level object gives the items of its first array
    held under one of ``wrappers`` (any key when ``None``), or else is a record itself.
    """
    buffered = base.buffered(stream)
    if buffered.peek(3)[:3] == codecs.BOM_UTF8:
        buffered.read(3)
    prefix = _items_prefix(buffered.peek(_PEEK)[:_PEEK], wrappers)
    if prefix is not None:  # the common shapes: items built by ijson's C backend
        yield from ijson.items(buffered, prefix, multiple_values=True, use_float=True)
        return
    events = iter(ijson.parse(buffered, multiple_values=True, use_float=True))
    for _, event, value in events:
        if event == "start_array":
            yield from _items(events, "at the top")
        elif event == "start_map":
            yield from _object(events, wrappers)
        else:  # a top-level scalar: the caller reports it as not a record
            yield value


def _items_prefix(head: bytes, wrappers: tuple[str, ...] | None) -> str | None:
    """ijson's prefix of the records when ``head`` shows where they are — a top-level array,
    or the array under the first wrapper key, opened within ``head`` — else None (the
    event-by-event reader handles every other shape)."""
    start = head.lstrip()[:1]
    if start == b"[":
        return "item"
    if start != b"{":
        return None
    try:
        for prefix, event, _ in ijson.parse(io.BytesIO(head), use_float=True):
            if event == "start_array" and prefix and "." not in prefix:
                if wrappers is None or prefix in wrappers:
                    return f"{prefix}.item"
            elif prefix == "" and event == "end_map":
                return None  # one object, no array in it: a record
    except ijson.JSONError:  # ``head`` ends before the array opens
        return None
    return None


def _object(
    events: Iterator[tuple[str, str, Any]], wrappers: tuple[str, ...] | None
) -> Iterator[Any]:
    """A top-level object: the items of its wrapped array as they come, or the object."""
    builder = ObjectBuilder()
    builder.event("start_map", None)
    streamed = False
    for prefix, event, value in events:
        if prefix == "" and event == "end_map":
            break
        if (
            not streamed
            and event == "start_array"
            and "." not in prefix  # a key of the top-level object itself
            and (wrappers is None or prefix in wrappers)
        ):
            streamed = True
            builder.event("start_array", None)  # keeps the builder's nesting in step
            yield from _items(events, repr(prefix))
            builder.event("end_array", None)
            continue
        builder.event(event, value)
    if not streamed:
        yield builder.value


def _items(events: Iterator[tuple[str, str, Any]], array: str) -> Iterator[Any]:
    """The items of the array whose start was just read, up to and including its end."""
    for _, event, value in events:
        if event == "end_array":
            return
        if event in ("start_map", "start_array"):
            builder = ObjectBuilder()
            builder.event(event, value)
            depth = 1
            for _, inner, inner_value in events:
                builder.event(inner, inner_value)
                if inner in ("start_map", "start_array"):
                    depth += 1
                elif inner in ("end_map", "end_array"):
                    depth -= 1
                    if depth == 0:
                        break
            yield builder.value
        else:
            yield value
    raise ijson.IncompleteJSONError(f"the array {array} is not closed")


def lines(text: io.TextIOWrapper) -> Iterator[tuple[str, Any]]:
    """``(position, object)`` per non-blank line of JSON lines; a line that is not JSON comes as
    a :class:`Quarantined` alone. ``text`` is detached at the end (its byte stream stays open)."""
    try:
        for i, line in enumerate(text):
            if line.strip():
                position = f"line {i + 1}"
                try:
                    yield position, json.loads(line)
                except ValueError as exc:
                    yield position, Quarantined(position, f"invalid JSON: {exc}", line)
    finally:
        base.release(text)


def is_json_lines(stream: io.BufferedReader) -> bool:
    """Whether the stream looks like JSON lines: an object, then another at a line's start."""
    head = stream.peek(1 << 20)[: 1 << 20].lstrip(codecs.BOM_UTF8 + b" \t\r\n")
    return head.startswith(b"{") and b"\n{" in head
