"""The records of a JSON file, streamed: memory holds one record at a time, whatever the size.

The shapes data exports and commercial APIs use: a top-level array of records (or of API
pages); an API's page, an object wrapping the array under a key named as such (``{"Result":
[...], "Paging": {...}}``: :data:`WRAPPERS`; told from a record by its keys, :func:`_wrapped`);
one record object; or several top-level values one after another (JSON lines, pretty-printed
records, or concatenated arrays). Parsed
incrementally with ijson (the yajl C backend), so a 1 GB array is never read whole; records are
built from its plain events with their depth counted, so a record nested deeper than
:data:`MAX_DEPTH` is quarantined alone and costs no more memory than its own events. A syntax
error ends the stream there: the records before it have been given (the loader quarantines
the rest of the file with the reason); a control character left raw inside a string is no such
error, but read as a space. A file in GBK (``charsets.is_gbk``) is transcoded as it is read,
and a record holding bytes not in the file's encoding is quarantined alone.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Generator, Iterable, Iterator
from itertools import chain
from typing import IO, Any

import ijson

from ingest.parsers import base, charsets, mapped
from ingest.parsers.base import RAW_LIMIT, Quarantined
from ingest.parsers.charsets import UNDECODABLE, undecodable

#: levels of nesting a record may have: one deeper is quarantined alone. ijson's prefixed
#: events (``parse``, ``items``) cost memory quadratic in the depth (a 400 KB array nested
#: 200,000 deep took 24 GB), so records are built from its plain events with the depth counted.
MAX_DEPTH = 256

#: what a malformed or truncated JSON stream raises
JSONError: type[Exception] = ijson.JSONError

Events = Iterator[tuple[str, Any]]

#: the keys under which exports and the commercial APIs wrap their records (any case:
#: ``Result``, ``data``, ``rows`` …). Only such a key holding an array of objects is a wrapper:
#: a record's own lists (its applicants, ``["广州电池有限公司", "华南理工大学"]``, or
#: iphub's export's ``applicants: [{…}]``) were read as the records when any key was one, and
#: the record itself was lost.
WRAPPERS = ("result", "results", "data", "items", "records", "rows", "list")
_WRAPPER_NAMES = frozenset(WRAPPERS)


def reason(exc: BaseException) -> str:
    """A JSON parser's error on one line, for a quarantine reason and the summary: yajl writes
    its message, then the text around the error and a line pointing at it (``(right here)
    ------^``); this keeps the message and the text up to the error (``… near '{"b": x'``).

    yajl cuts that text and places its caret in bytes: where the cut halves a character, its
    message comes as bytes (its Python form was the reason, ``b'parse error: …\\xe5\\xb9…'``).
    It is read as UTF-8, the halves of a character at either end left out."""
    said = exc.args[0] if len(exc.args) == 1 else str(exc)
    lines = (said if isinstance(said, bytes) else str(said).encode()).split(b"\n")
    message = lines[0].strip().decode(errors="replace")
    if len(lines) >= 3 and lines[2].rstrip().endswith(b"^"):
        before = lines[1][: len(lines[2].rstrip()) - 1]  # the caret: one past it
        text = before.decode(errors="ignore").strip()
        if text:
            message += f" near {text[-40:]!r}"
    return message


def broken(exc: BaseException) -> str:
    """Why the rest of a JSON file is quarantined, after the records before its break."""
    return f"JSON 格式错误，其后未读 / invalid JSON (the rest of the file): {reason(exc)}"


def records(
    stream: IO[bytes],
    wrappers: Iterable[str] = WRAPPERS,
    is_record: Callable[[dict[str, Any]], bool] | None = None,
) -> Iterator[Any]:
    """Each record of ``stream``, in order; a record nested deeper than :data:`MAX_DEPTH` comes
    as a :class:`Quarantined` without a position (:func:`placed` gives it one).

    A top-level array gives its items, or where it is an array of API pages (its first item
    is one: ``[{"Result": [...]}, {"Result": [...]}]``) each page's records, a page built at a
    time (each page was quarantined as one record). A top-level object gives the items of each
    array of objects held under one of ``wrappers`` (in any case), also within an object held
    so (``{"code": 0, "data": {"total": 3, "items": [...]}}``), streamed, unless one of its
    keys is a record's own (``is_record``: by default, a table's column; a list of up to
    :data:`HOLD_ITEMS` is held until the object's end tells); or else, where it is
    an API's page (:func:`_wrapped`), the records it holds (a detail response's one record,
    none for an empty page); or else is a record itself. A page or an error response that
    reports a failure and holds no records comes as a :class:`Quarantined` of the position
    ``file``, which refuses the file (:func:`_failure`). Objects one after another are read
    each so.
    """
    names = frozenset(name.casefold() for name in wrappers)
    if is_record is None:
        is_record = _has_column
    utf8 = _Utf8(base.buffered(stream))
    events: Events = iter(ijson.basic_parse(utf8, multiple_values=True, use_float=True))
    for event, value in events:
        if event == "start_array":
            items = _array(events, names, is_record)
        elif event == "start_map":
            items = _top(events, names, is_record)
        else:  # a top-level scalar: the caller reports it as not a record
            items = iter([value])
        for item in items:
            if utf8.marked and _holds(item, UNDECODABLE):
                raw = json.dumps(item, ensure_ascii=False)[:RAW_LIMIT]
                item = Quarantined("", undecodable(utf8.encoding), charsets.visible(raw))
            yield item


#: every byte below 0x20 as a space. JSON's own whitespace (tab, line feed, carriage return)
#: stays whitespace; a control character an export left raw inside a string (JSON wants it
#: escaped: a tab or line break pasted into an abstract), which stopped yajl and so ended the
#: file there, becomes a space and the record loads. No such byte is part of a UTF-8 character.
_CONTROLS_AS_SPACES = bytes.maketrans(bytes(range(32)), b" " * 32)
_TEXT_CONTROLS_AS_SPACES = dict.fromkeys(range(32), " ")


class _Utf8(charsets.Utf8Stream):
    """A JSON byte stream as the UTF-8 yajl reads, with :data:`_CONTROLS_AS_SPACES` applied:
    GBK and UTF-16 (``charsets.text_encoding`` of the first megabyte) are transcoded, a UTF-8
    byte-order mark dropped, and a byte not in the encoding is ``charsets.UNDECODABLE``
    (``marked`` counts them), where yajl stopped at the first and the rest of the file was
    lost (≈2 µs a 1 KB record). UTF-16 JSON — what Windows tools save as "Unicode" — stopped
    yajl at its first byte, and the whole file was quarantined."""

    def __init__(self, raw: io.BufferedReader) -> None:
        head = raw.peek(charsets.HEAD)[: charsets.HEAD]
        super().__init__(raw, charsets.text_encoding(head), charsets.MARK)
        self.marked = 0

    def encode(self, text: str) -> bytes:
        if UNDECODABLE in text:
            self.marked += text.count(UNDECODABLE)
        return text.encode().translate(_CONTROLS_AS_SPACES)


def _holds(value: Any, mark: str) -> bool:
    """Whether ``mark`` is in a string (or key) anywhere in ``value``."""
    if isinstance(value, str):
        return mark in value
    if isinstance(value, dict):
        return any(mark in key or _holds(item, mark) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds(item, mark) for item in value)
    return False


def placed(position: str, item: Any) -> Any:
    """``item`` of :func:`records`, a quarantined one given its ``position`` (one that refuses
    the file whole keeps its own: ``file``)."""
    if isinstance(item, Quarantined) and item.position != "file":
        return Quarantined(position, item.reason, item.raw)
    return item


class _TooDeep(Exception):
    pass


def _value(events: Events, event: str, value: Any) -> Any:
    """The value whose first event was just read; :class:`_TooDeep` (its events consumed)
    when it nests deeper than :data:`MAX_DEPTH`. Built here rather than by ijson's
    ``ObjectBuilder``: a cn-json record cost 7.7 µs so, 12.8 that way (5.2 by the prefixed C
    reader, whose memory grows with the square of the depth)."""
    if event == "start_map":
        current: Any = {}
    elif event == "start_array":
        current = []
    else:
        return value
    stack: list[tuple[Any, Any]] = []  # the containers above ``current``, with its key in each
    key: Any = None
    for event, value in events:
        if event == "map_key":
            key = value
        elif event == "start_map" or event == "start_array":
            child: Any = {} if event == "start_map" else []
            if current.__class__ is dict:
                current[key] = child
            else:
                current.append(child)
            stack.append((current, key))
            if len(stack) >= MAX_DEPTH:
                _skip(events, len(stack) + 1)
                raise _TooDeep
            current = child
        elif event == "end_map" or event == "end_array":
            if not stack:
                return current
            current, key = stack.pop()
        elif current.__class__ is dict:
            current[key] = value
        else:
            current.append(value)
    raise ijson.IncompleteJSONError("the file ends inside a value")


def _skip(events: Events, depth: int) -> None:
    for event, _ in events:
        if event in ("start_map", "start_array"):
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1
            if depth == 0:
                return
    raise ijson.IncompleteJSONError("the file ends inside a value")


#: how deep objects under wrapper keys are looked into for the records (``Result`` →
#: ``Data`` → the array is two)
MAX_WRAPPING = 4


#: the keys of an API's envelope besides the wrapper's: its status, message and paging (any
#: case). One of them beside a wrapper that holds no records tells an empty page or a detail
#: response (:func:`_wrapped`); an API's own keys beside them (天眼查's ``reason`` and
#: ``error_code``, 企查查's ``OrderNumber``, MyBatis-Plus's ``size`` and ``current``) no longer
#: make its page a record
ENVELOPE_KEYS = frozenset(
    "status code message msg success error errcode errmsg error_code errorcode err_code"
    " error_msg errormsg err_msg reason statuscode status_code paging page pageindex pagesize"
    " page_size pagenum pageno page_no pages pagecount totalpages total_pages size current"
    " total totalcount total_count totalrecords totalelements count hasmore has_more orderno"
    " ordernumber order_number requestid request_id traceid trace_id timestamp".split()
)


def _has_column(obj: dict[str, Any]) -> bool:
    """Whether one of ``obj``'s keys is a column of a table's record (``mapped.is_column``) and
    not an envelope's too (a record's ``status`` is an API's ``status`` as well): the default
    ``is_record``, which makes an object a record and not an API's page."""
    return any(mapped.is_column(key) and str(key).casefold() not in ENVELOPE_KEYS for key in obj)


def is_page(
    obj: Any,
    wrappers: Iterable[str] = WRAPPERS,
    is_record: Callable[[dict[str, Any]], bool] | None = None,
) -> bool:
    """Whether ``obj`` is an API's page (:func:`_wrapped`), empty or not, and no record."""
    names = frozenset(name.casefold() for name in wrappers)
    return _wrapped(obj, names, is_record or _has_column, 0) is not None


def holds_no_records(head: bytes) -> bool:
    """Whether a JSON file starting with ``head`` is recognised as holding no records: all of
    it lies in ``head`` (an empty page is small), and each of its values is an empty array, an
    array of empty pages, or an API's page whose wrappers hold nothing (:func:`_wrapped`:
    ``{"Result": []}``, ``{"Status": "201", "Result": null}``, ``{"data": {"items": []}}``).
    The loader takes a JSON file that gave no record for empty only so: else a shape the reader
    missed would have dropped its records without a word."""
    text = head.decode(charsets.text_encoding(head), "replace").lstrip("\ufeff")
    decoder = json.JSONDecoder()
    at, found = 0, False
    while True:
        while at < len(text) and text[at] in " \t\r\n":
            at += 1
        if at == len(text):
            return found
        try:
            value, at = decoder.raw_decode(text, at)
        except ValueError:  # not JSON, or cut by the end of ``head``
            return False
        if not _empty(value):
            return False
        found = True


def _empty(value: Any) -> bool:
    if isinstance(value, list):
        return all(_empty(item) for item in value)
    return isinstance(value, dict) and _wrapped(value, _WRAPPER_NAMES, _has_column, 0) == []


def unwrapped(
    obj: Any,
    wrappers: Iterable[str] = WRAPPERS,
    is_record: Callable[[dict[str, Any]], bool] | None = None,
) -> Iterator[Any]:
    """The records of ``obj``, a value read whole (a line of JSON lines), as :func:`records`
    finds them in a stream; ``obj`` itself when it wraps none. A page of an API written as one
    line of JSON lines was read as one record of unknown shape."""
    names = frozenset(name.casefold() for name in wrappers)
    yield from _read(obj, names, is_record or _has_column)


def _read(
    obj: Any, names: frozenset[str], is_record: Callable[[dict[str, Any]], bool]
) -> list[Any]:
    """What a value read whole gives: the records it holds where it is an API's page
    (:func:`_wrapped`), or itself; or where it is a page or an error response stating a
    failure and holding no records (:func:`_failure`), a :class:`Quarantined` that refuses the
    file whole, with the API's status and message (such a response passed as an empty page,
    and a failed download as a run that succeeded)."""
    held = _wrapped(obj, names, is_record, 0)
    if held:
        return held
    if held == [] or _envelope_only(obj, names):  # an empty page, or an error response
        failed = _failure(obj, names)
        if failed is not None:
            raw = json.dumps(obj, ensure_ascii=False, default=str)[:RAW_LIMIT]
            return [Quarantined("file", failed, raw)]
    return [obj] if held is None else held


def _envelope_only(obj: Any, names: frozenset[str]) -> bool:
    """Whether ``obj`` is an object of an envelope's keys and wrappers alone (an error response
    with text under its wrapper, or none): told at a record's first column."""
    if not isinstance(obj, dict):
        return False
    for key in obj:
        name = str(key).casefold()
        if name not in ENVELOPE_KEYS and name not in names:
            return False
    return True


#: the keys of an envelope stating how the request went (any case): a status (企查查's), a code
#: (HTTP's, or in its numbers), an error code (天眼查's), success (false for a failure)
_CODE_KEYS = frozenset({"code", "statuscode", "status_code"})
_ERROR_CODE_KEYS = frozenset({"error_code", "errorcode", "errcode", "err_code"})
#: … and of its message, the first given is said
_MESSAGE_KEYS = ("message", "msg", "errmsg", "error_msg", "errormsg", "err_msg", "reason", "error")
#: the statuses of no failure: 企查查's 200, and 201 (查询无结果: its query found nothing); its
#: failures are its other statuses, below 400 as well (101 当前的KEY无效, 112 剩余使用量已不足 …);
#: and the words and zero other APIs write for success
_STATUS_OK = frozenset({"200", "201", "0", "ok", "success", "true"})
#: the words of a code of no failure (a code in numbers fails from 400)
_CODE_OK = frozenset({"success", "ok"})
#: the error codes of no failure: none, and 天眼查's 300000 (经查无结果: no result); its
#: failures are its other codes (300001 请求失败, 300002 账号失效 …)
_ERROR_CODE_OK = frozenset({"0", "300000"})


def _failure(obj: dict[str, Any], names: frozenset[str]) -> str | None:
    """Why ``obj``, an API's page or error response holding no records, fails its file: the
    failure it states, with its status and message; None where it states none.

    A failure is a ``Status`` other than 200 or 201 (企查查's: ``"Status": "101"``, its key
    invalid, passed as an empty page), a code of 400 or more or a word other than success
    (``"code": 401``, ``"code": "A0230"``), an error code other than 0 and 天眼查's 300000
    (``"error_code": 300001``; 300000, no result, was refused as a failure), or ``"success":
    false``."""
    keys = {str(key).casefold(): key for key in obj}
    stated = [key for name, key in keys.items() if _failed(name, obj[key])]
    if not stated:
        return None
    said = ", ".join(f"{key} {_said(obj[key])}" for key in stated)
    messages = [obj[keys[name]] for name in _MESSAGE_KEYS if name in keys]
    messages += [obj[key] for name, key in keys.items() if name in names]  # "Result": "错误"
    message = next((m.strip() for m in messages if isinstance(m, str) and m.strip()), "")
    zh, en = (f"{said}：{message}", f"{said}: {message}") if message else (said, said)
    return f"接口返回失败（{zh}），没有记录 / the API answered a failure ({en}), no records"


def _failed(name: str, value: Any) -> bool:
    """Whether ``value`` under the key ``name`` (casefolded) states a failure."""
    if value is None or value == "" or isinstance(value, (dict, list)):
        return False
    if name == "status":
        return _word(value) not in _STATUS_OK
    if name in _CODE_KEYS:
        if isinstance(value, str) and not value.strip().isdigit():
            return _word(value) not in _CODE_OK
        return _number(value) >= 400
    if name in _ERROR_CODE_KEYS:
        return _word(value) not in _ERROR_CODE_OK
    return name == "success" and _word(value) == "false"


def _word(value: Any) -> str:
    """A status or code as text to compare: ``"200"`` for 200, ``"ok"`` for ``" OK "``."""
    return value.strip().casefold() if isinstance(value, str) else json.dumps(value)


def _said(value: Any) -> str:
    """A status as the API wrote it: ``500`` for ``"500"`` or 500, ``false``."""
    return value if isinstance(value, str) else json.dumps(value)


def _number(value: Any) -> int:
    """A status or code as a number (``500``, ``"500"``); -1 for one that is none."""
    if isinstance(value, bool):
        return -1
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.strip().isdigit() else -1


def _wrapped(
    obj: Any,
    names: frozenset[str],
    is_record: Callable[[dict[str, Any]], bool],
    depth: int,
) -> list[Any] | None:
    """The records ``obj`` wraps, where it is an API's page; None where it is not (a record, or
    not an object).

    A page has a key named as a wrapper and none a record's own (``is_record``: a table's
    column, an API's record key), whatever its other keys: a page of an API whose envelope
    has keys of its own (``{"result": {…}, "reason": "ok", "error_code": 0}``) was read as
    one record. Its records are those of every array of objects under a wrapper key, also
    within an object under one (the first alone was read, and an empty one before it ended the
    page, its records lost). Holding no such array it is a page only where its keys besides the
    wrappers are none, or one of them an envelope's (:data:`ENVELOPE_KEYS`): then it holds the
    one record under a wrapper key (a detail response, ``{"Status": "200", "Result": {…}}``),
    or none (an empty page: ``"Result": null`` or ``[]``); a record of columns not known here
    (a mapping file's) with an empty ``Data`` stays a record."""
    if not isinstance(obj, dict) or depth > MAX_WRAPPING:
        return None
    held = [value for key, value in obj.items() if str(key).casefold() in names]
    if not held or is_record(obj):
        return None
    records: list[Any] = []
    within: list[tuple[dict[str, Any], list[Any] | None]] = []  # each looked into once
    for value in held:
        if isinstance(value, list) and value and isinstance(value[0], dict):
            records.extend(value)
        elif isinstance(value, dict) and value:
            inner = _wrapped(value, names, is_record, depth + 1)
            if inner:
                records.extend(inner)
            else:
                within.append((value, inner))
    details = [value for value, inner in within if inner is None]  # objects of no page
    if records:  # and such an object under another wrapper key, where it is a record
        return records + [value for value in details if is_record(value)]
    if not _enveloped(obj, names):
        return None
    if all(value is None or value == [] or isinstance(value, dict) for value in held):
        return details  # a detail response's record, or none: an empty page
    return None  # text or numbers under a wrapper's name: no page's


def _enveloped(obj: dict[str, Any], names: frozenset[str]) -> bool:
    """Whether the keys of ``obj`` besides its wrappers' are an envelope's: none, or one of
    them in :data:`ENVELOPE_KEYS`."""
    others = {str(key).casefold() for key in obj} - names
    return not others or not others.isdisjoint(ENVELOPE_KEYS)


def _top(
    events: Events,
    names: frozenset[str],
    is_record: Callable[[dict[str, Any]], bool],
) -> Iterator[Any]:
    """A top-level object: the records it wraps as they come, or the object."""
    obj, streamed = yield from _object(events, names, is_record, 0)
    if streamed:  # a page, unless a record's column came after a list past :data:`HOLD_ITEMS`
        if is_record(obj):
            yield obj
        return
    yield from _read(obj, names, is_record)


#: how much of an array of objects under a wrapper key is held until the object holding it
#: shows whether it is a record (its list is its own: applicants, goods) or a page (the list
#: is its records): up to this many items and characters of text, then it is taken for a page
#: and streamed. A record's list is short and an API's page a few hundred records at most; a
#: whole export under one key stays streamed.
HOLD_ITEMS = 500
HOLD_CHARS = 2 * 1024 * 1024


class _Held:
    """The arrays of objects under wrapper keys an object has held (:func:`_object`), and the
    text they hold."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.chars = 0


def _object(
    events: Events,
    names: frozenset[str],
    is_record: Callable[[dict[str, Any]], bool],
    depth: int,
) -> Generator[Any, None, tuple[dict[str, Any], bool]]:
    """An object whose start was just read: yields the items of every array of objects under a
    wrapper key, also within an object under one, unless the object is a record (``is_record``:
    one of its keys is a record's own; the arrays are the record's, its applicants); returns
    the object, each array so yielded left empty in it, and whether one was yielded. Only the
    first such array was read, and an empty one before it ended the object: ``{"list": [],
    "data": […]}`` gave nothing.

    Such an array is held (up to :data:`HOLD_ITEMS` and :data:`HOLD_CHARS`) until the object
    ends: a record whose list came before its columns was split into its list's items, which
    were quarantined, and the record lost. Past the bound, or at an object under a wrapper key
    (whose own records stream), the object is taken for a page and its arrays streamed."""
    obj: dict[str, Any] = {}
    key = ""
    streamed = False
    held = _Held()
    try:
        for event, value in events:
            if event == "end_map":
                break
            if event == "map_key":
                key = value
                continue
            rest = events
            wrapper = key.casefold() in names and not is_record(obj)
            if wrapper and event == "start_array":
                first = next(events, ("", None))  # a wrapper holds objects: read its first
                rest = chain([first], events)
                if first[0] == "start_map":
                    array = repr(key)
                    if not streamed:
                        obj[key] = []
                        held.keys.append(key)
                        more = _hold(rest, array, held, obj[key])
                        if more is None:
                            continue
                        streamed, rest = True, more
                        yield from _release(obj, held)
                    yield from _items(rest, array)
                    obj[key] = []
                    continue
            elif wrapper and event == "start_map" and depth < MAX_WRAPPING:
                if held.keys:  # taken for a page: the records of the object under this key stream
                    streamed = True
                    yield from _release(obj, held)
                inner, within = yield from _object(events, names, is_record, depth + 1)
                streamed = streamed or within
                obj[key] = inner
                continue
            try:
                obj[key] = _value(rest, event, value)
            except _TooDeep:
                obj[key] = None  # a wrapper's paging or notes: not a record
    except Exception:  # broken JSON: the items held before it are given, as streamed ones were
        if not is_record(obj):
            yield from _release(obj, held)
        raise
    if held.keys and not is_record(obj):  # a page: its arrays' items are its records
        streamed = True
        yield from _release(obj, held)
    return obj, streamed


def _hold(events: Events, array: str, held: _Held, items: list[Any]) -> Events | None:
    """Reads into ``items`` the items of the array whose start was just read: None when all of
    them were read (its end too), else, the bounds of ``held`` reached, the events of the rest."""
    counted = _counted(events, held)
    for event, value in counted:
        if event == "end_array":
            return None
        if len(items) >= HOLD_ITEMS or held.chars >= HOLD_CHARS:
            return chain([(event, value)], events)
        items.append(_element(counted, event, value))
    raise ijson.IncompleteJSONError(f"the array {array} is not closed")


def _counted(events: Events, held: _Held) -> Events:
    """``events``, the characters of their text added to ``held``."""
    for event, value in events:
        if value.__class__ is str:
            held.chars += len(value)
        yield event, value


def _release(obj: dict[str, Any], held: _Held) -> Iterator[Any]:
    """The items of the arrays ``obj`` held, in turn, each left empty in it."""
    keys, held.keys = held.keys, []
    for key in keys:
        yield from obj[key]
        obj[key] = []


def _array(
    events: Events, names: frozenset[str], is_record: Callable[[dict[str, Any]], bool]
) -> Iterator[Any]:
    """A top-level array whose start was just read: its items, or, where its first item is an
    API's page (:func:`_wrapped`), the records of each page (an item no page is itself)."""
    items = _items(events, "at the top")
    first = next(items, _NO_ITEM)
    if first is _NO_ITEM:
        return
    if _wrapped(first, names, is_record, 0) is None and not _envelope_only(first, names):
        yield first
        yield from items
        return
    for item in chain([first], items):
        yield from _read(item, names, is_record)


_NO_ITEM = object()


def _items(events: Events, array: str) -> Iterator[Any]:
    """The items of the array whose start was just read, up to and including its end."""
    for event, value in events:
        if event == "end_array":
            return
        yield _element(events, event, value)
    raise ijson.IncompleteJSONError(f"the array {array} is not closed")


def _element(events: Events, event: str, value: Any) -> Any:
    """An array's item whose first event was just read, or a :class:`Quarantined` when it
    nests deeper than :data:`MAX_DEPTH`."""
    try:
        return _value(events, event, value)
    except _TooDeep:
        return Quarantined("", f"嵌套超过 {MAX_DEPTH} 层 / nested deeper than {MAX_DEPTH} levels")


#: how far a JSON line cut by a line break left raw in one of its strings is joined with the
#: lines after it: past this, its first line is quarantined and the others read on their own
JOIN_LINES = 8
JOIN_CHARS = 256 * 1024


def lines(text: io.TextIOWrapper) -> Iterator[tuple[str, Any]]:
    """``(position, object)`` per non-blank line of JSON lines; a line that is not JSON comes as
    a :class:`Quarantined` alone. A line that ends inside a string (an export left a line break
    pasted into an abstract unescaped) is joined with the next lines until the record is whole,
    the break read as a space, as :func:`records` reads it (up to :data:`JOIN_LINES` lines and
    :data:`JOIN_CHARS`); the record takes its first line's position. ``text`` is detached at the
    end (its byte stream stays open)."""
    numbered = _Numbered(text)
    try:
        for number, line in numbered:
            if line.strip():
                position = f"line {number}"
                yield position, _item(position, line, numbered, text.encoding)
    finally:
        base.release(text)


def paged_lines(
    text: io.TextIOWrapper, is_record: Callable[[dict[str, Any]], bool] | None = None
) -> Iterator[tuple[str, Any]]:
    """:func:`lines`, where a line holding an API's page (``{"Result": [{…}, …], "Paging": …}``
    written on one line) gives the records it wraps (:func:`unwrapped`), ``line N item M``
    each, and an empty page (``"Result": []``, ``null``) none: such a page was read as one
    record and quarantined for the fields it lacked. A line holding an array gives its items
    so, or its pages' records (``[{…}, {…}]`` was one row, "not a JSON object")."""
    for position, line in lines(text):
        if isinstance(line, Quarantined):
            yield position, line
            continue
        values = line if isinstance(line, list) else [line]
        items = [item for value in values for item in unwrapped(value, is_record=is_record)]
        if not isinstance(line, list) and len(items) == 1 and items[0] is line:
            yield position, line
        else:
            for i, item in enumerate(items):
                yield f"{position} item {i + 1}", item


def _item(position: str, line: str, after: _Numbered, encoding: str) -> Any:
    """The object of the JSON line ``line`` (with the lines it runs on over, from ``after``),
    or a :class:`Quarantined`."""
    if UNDECODABLE in line:
        return Quarantined(position, undecodable(encoding), charsets.visible(line[:RAW_LIMIT]))
    try:
        return _line(line)
    except ValueError as exc:
        whole = _joined(line, after)
        if whole is None:
            return Quarantined(position, f"JSON 格式错误 / invalid JSON: {exc}", line[:RAW_LIMIT])
        text, obj = whole
        if UNDECODABLE in text:
            return Quarantined(position, undecodable(encoding), charsets.visible(text[:RAW_LIMIT]))
        return obj
    except RecursionError:  # json's own limit on nesting (about 1,000 levels)
        return Quarantined(position, "嵌套过深 / nested too deep", line[:RAW_LIMIT])


def _joined(line: str, after: _Numbered) -> tuple[str, Any] | None:
    """``(text, object)`` of a JSON line that ends inside a string, joined with the lines after
    it up to the one that ends the record; None (the lines read given back to ``after``) when
    it does not end inside a string, or no line within the bounds makes it whole."""
    taken: list[tuple[int, str]] = []
    text = line
    while _ends_in_string(text) and len(taken) < JOIN_LINES and len(text) < JOIN_CHARS:
        following = next(after, None)
        if following is None:
            break
        taken.append(following)
        text += following[1]
        try:
            return text, _line(text)
        except (ValueError, RecursionError):
            continue
    after.again(taken)
    return None


def _ends_in_string(text: str) -> bool:
    """Whether JSON ``text`` (its control characters read as spaces) fails for a string that is
    never closed."""
    try:
        json.loads(text.rstrip("\r\n").translate(_TEXT_CONTROLS_AS_SPACES))
    except json.JSONDecodeError as exc:
        return exc.msg.startswith("Unterminated string")
    except (ValueError, RecursionError):
        return False
    return False


class _Numbered:
    """The lines of a text with their numbers (from 1); lines given back (:meth:`again`) come
    first."""

    def __init__(self, text: Iterable[str]) -> None:
        self.lines = enumerate(text, 1)
        self.back: list[tuple[int, str]] = []  # last first

    def __iter__(self) -> _Numbered:
        return self

    # Any, not tuple[int, str]: mypyc 2.4 compiles a __next__ returning a tuple to a slot C
    # rejects (tp_iternext must return an object)
    def __next__(self) -> Any:
        return self.back.pop() if self.back else next(self.lines)

    def again(self, lines: list[tuple[int, str]]) -> None:
        self.back.extend(reversed(lines))


def _line(line: str) -> Any:
    """One JSON line's value; one that fails only for control characters left raw in its
    strings is read with them as spaces, as :func:`records` reads them (the error raised is
    the first one)."""
    return base.or_cleaned(
        json.loads,
        line.rstrip("\r\n"),  # its end of line is no control character to retry for
        lambda text: text.translate(_TEXT_CONTROLS_AS_SPACES),
        ValueError,
    )


def is_json_lines(stream: io.BufferedReader) -> bool:
    """Whether the stream is JSON lines: its first non-blank line (in the file's encoding,
    ``charsets.text_encoding``) is a whole JSON object by itself, or one cut by a line break
    left raw in a string (:func:`lines` joins it). A line break before ``{`` is no sign: a
    sequence of pretty-printed records (``jq '.[]'`` output) or pages, and an envelope written
    one record a line (``{"Result":[`` on its first line), were read line by line and their
    records lost; they are read by :func:`records`, one value after another."""
    head = stream.peek(1 << 20)[: 1 << 20]
    text = head.decode(charsets.text_encoding(head), "ignore").lstrip(" \t\r\n\ufeff")
    if not text.startswith("{"):
        return False
    numbered = _Numbered(io.StringIO(text, newline=""))
    _, first = next(numbered)
    try:
        _line(first)
    except RecursionError:
        return True  # a whole line nested too deep: quarantined alone by :func:`lines`
    except ValueError:
        return _joined(first, numbered) is not None
    return True
