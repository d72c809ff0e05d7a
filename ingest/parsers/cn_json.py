"""JSON records as Chinese commercial IP data APIs return them (企查查-style field names).

Four record shapes, told apart by their keys (samples in ``../shared/data/cn-json``):

- patents: ``ApplicationNumber``, ``PublicationNumber``, ``Title``, ``Abstract``,
  ``AssigneestringList``, ``InventorStringList``, ``Agency``, ``Agent`` (a JSON-encoded list),
  ``IPCList``, ``KindCodeDesc`` (发明公布 / 发明授权 / 实用新型 / 外观设计), ``LegalStatusDesc``,
  ``PatentLegalHistory`` [{``Desc``, ``LegalStatus``, ``LegalStatusDate``}];
- trademarks: ``RegNo``, ``IntCls``, ``Name``, ``AppDate``, ``ApplicantCn``/``ApplicantEn``,
  ``Agent``, ``FlowStatusDesc``;
- software copyright (软件著作权): ``RegisterNo`` (``2016SR309930``), ``Name``, ``ShortName``,
  ``VersionNo``, ``Category``, ``Owner``, ``PublishDate``, ``RegisterAperDate``;
- works copyright (作品著作权): ``RegisterNo`` (``国作登字-…``), ``Category``, ``FinishDate``,
  ``PublishDate``, ``RegisterDate``.

A file is a JSON array, an object wrapping one (``Result``/``data``/``items`` …:
``json_stream.WRAPPERS``), such values one after another (pretty-printed records or pages,
``jq '.[]'`` output), or JSON lines (of records or of pages).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from itertools import islice
from typing import IO, Any, cast

from ingest.parsers import json_stream
from ingest.parsers.base import (
    Item,
    Quarantined,
    buffered,
    guarded,
    parse_date,
    split_names,
    text_stream,
)
from ingest.parsers.dates import instant_date
from ingest.parsers.mapped import build_copyright, build_patent, build_trademark
from iphub.records import (
    AnyRecord,
    Copyright,
    LegalEvent,
    Trademark,
)

NAME = "cn-json"


def iter_objects(stream: IO[bytes]) -> Iterator[tuple[str, Any]]:
    """``(position, object)`` from a JSON array / wrapper object / JSON lines stream, streamed.

    A line of JSON lines that is not JSON is quarantined alone; broken JSON elsewhere ends the
    stream after the records before it (``json_stream.JSONError``).
    """
    reader = buffered(stream)
    if json_stream.is_json_lines(reader):
        yield from json_stream.paged_lines(text_stream(reader), is_record)
        return
    for i, obj in enumerate(json_stream.records(reader, is_record=is_record)):
        yield f"item {i + 1}", json_stream.placed(f"item {i + 1}", obj)


#: the keys that make an object a record (:func:`build`), and not an API's envelope
RECORD_KEYS = frozenset({"PublicationNumber", "ApplicationNumber", "RegNo", "RegisterNo"})


def is_record(obj: dict[str, Any]) -> bool:
    return not RECORD_KEYS.isdisjoint(obj)


def parse(stream: IO[bytes], skip: int = 0) -> Iterator[Item]:
    for position, obj in split(stream, skip):
        yield from parse_document(position, obj)


def split(stream: IO[bytes], skip: int = 0) -> Iterator[tuple[str, Any]]:
    """``(position, object)`` from ``skip`` on, one object in memory at a time; broken JSON
    ends the file with one quarantined entry for the rest, at the item where it broke (the
    records before it load; before any, the file is refused whole)."""
    read = skip
    try:
        for item in islice(iter_objects(stream), skip, None):
            read += 1
            yield item
    except (json_stream.JSONError, UnicodeDecodeError) as exc:
        position = f"item {read + 1}" if read else "file"
        yield position, Quarantined(position, json_stream.broken(exc))


def parse_document(position: str, obj: Any) -> list[Item]:
    if isinstance(obj, Quarantined):
        return [obj]

    def raw() -> str:
        return json.dumps(obj, ensure_ascii=False, default=str)

    if not isinstance(obj, dict):
        return [Quarantined(position, "不是 JSON 对象 / not a JSON object", raw())]
    return list(guarded(position, raw, lambda: build(obj)))


def build(obj: dict[str, Any]) -> AnyRecord:
    if "PublicationNumber" in obj or "ApplicationNumber" in obj:
        return _patent(obj)
    if "RegNo" in obj and "IntCls" in obj:
        return _trademark(obj)
    if "RegisterNo" in obj:
        return _copyright(obj)
    raise ValueError(f"无法识别的记录结构 / unknown record shape, keys: {sorted(obj)[:12]}")


def _listed(raw: object) -> object:
    """A list field as the APIs give it: a list (of lists), a JSON list in a string
    (``'["甲公司","乙公司"]'``, read leniently: :func:`_json_list`), or text the shared rules
    split (``甲公司;乙公司``). A list's names are split as a text's are (``["甲公司;乙公司"]``)."""
    if isinstance(raw, str):
        if not raw.strip().startswith("["):
            return raw
        raw = _json_list(raw.strip())
    if not isinstance(raw, list):
        return raw
    out: list[object] = []
    for item in raw:
        listed = _listed(item) if isinstance(item, list | str) else [item]
        out.extend(split_names(listed) if isinstance(listed, str) else cast(list[object], listed))
    return out


_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _json_list(text: str) -> list[Any]:
    """A JSON list written in a string; one that is broken (cut, or its quotes unescaped) gives
    the strings whole in it, else its text between the brackets, split as names are."""
    try:
        value = json.loads(text)
    except ValueError:
        quoted = _QUOTED.findall(text)
        if quoted:
            return [_unescaped(q) for q in quoted]
        return split_names(re.sub(r"[\[\]]", ";", text).replace(",", ";"))
    return value if isinstance(value, list) else [value]


def _unescaped(text: str) -> str:
    try:
        return str(json.loads(f'"{text}"'))
    except ValueError:
        return text


def _classes(raw: object) -> object:
    """IPCList: its symbols as one text the shared rules split (``;`` ``,`` … between them),
    where they come as a list, in a string or with several symbols in one item."""
    listed = _listed(raw)
    return ";".join(str(c) for c in listed if c is not None) if isinstance(listed, list) else listed


def _patent(obj: dict[str, Any]) -> AnyRecord:
    patent = build_patent(
        {
            "application_number": obj.get("ApplicationNumber"),
            "application_date": _date(obj.get("ApplicationDate")),
            "publication_number": obj.get("PublicationNumber"),
            "publication_date": _date(obj.get("PublicationDate")),
            "title": _text(obj.get("Title"), "名称", "Title"),
            "abstract": _text(obj.get("Abstract"), "摘要", "Abstract", "\n"),
            "applicants": _listed(obj.get("AssigneestringList")),
            "inventors": _listed(obj.get("InventorStringList")),
            "agency": obj.get("Agency"),
            "agents": _listed(obj.get("Agent")),
            "ipc": _classes(obj.get("IPCList")),
            "kind": obj.get("KindCodeDesc"),
            "legal_status": obj.get("LegalStatusDesc"),
        },
        NAME,
    )
    history = _history(obj.get("PatentLegalHistory"))
    # the record's own history, else what its kind says of a grant (KindCodeDesc 发明授权
    # beside an application's publication: ``mapped.build_patent``)
    patent.legal_events = history or patent.legal_events
    return patent


#: SQL Server's null date (``1900-01-01T00:00:00``), as .NET's 0001-01-01 is
_SQL_NULL = re.compile(r"1900-0?1-0?1(?:[T ]0?0:00(?::00(?:\.0+)?)?)?")


def _date(raw: object) -> object:
    """A date as the APIs write it, for the table builder's rules (``mapped._date``, which
    reads an instant as its day in Beijing, ``dates.instant_date``): SQL Server's null date
    is no date; anything else as it is."""
    if isinstance(raw, str) and _SQL_NULL.fullmatch(raw.strip()):
        return None
    return raw


def _history(raw: object) -> list[LegalEvent]:
    """PatentLegalHistory: a list of events (``{Desc, LegalStatus, LegalStatusDate}``), or as
    the APIs also give it: JSON in a string, one event's object, texts (``2016-10-12 公开``). A
    shape none of these is refused with a reason, not Python's error."""

    def unreadable() -> ValueError:
        said = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False, default=str)
        return ValueError(f"法律状态无法读取 / PatentLegalHistory unreadable: {said[:80]!r}")

    if isinstance(raw, str):
        text = raw.strip()
        try:
            raw = json.loads(text) if text[:1] in ("[", "{") else [text]
        except ValueError:
            raise unreadable() from None
    if raw is None:
        return []
    events = []
    for event in [raw] if isinstance(raw, dict) else raw if isinstance(raw, list) else [raw]:
        if isinstance(event, dict):
            events.append(
                LegalEvent(
                    date=_legal_date(event.get("LegalStatusDate")),
                    code=str(event.get("LegalStatus") or "") or None,
                    description=str(_text(event.get("Desc"), "法律状态", "Desc") or ""),
                )
            )
        elif isinstance(event, str) and event.strip():
            m = _DATED_EVENT.fullmatch(event.strip())
            dated = m is not None and m[2]
            events.append(
                LegalEvent(
                    date=_legal_date(m[1]) if m and dated else None,
                    description=m[2] if m and dated else event.strip(),
                )
            )
        elif event is not None and event != "":
            raise unreadable()
    return events


#: a legal event given as text: its date, then what happened (``2016-10-12 公开``)
_DATED_EVENT = re.compile(
    r"(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?|\d{8})"
    r"\s*[:：,，]?\s*(.*)"
)


def _legal_date(raw: object) -> dt.date | None:
    """A legal event's date; one that is none is refused naming its field, as a record's are."""
    try:
        return parse_date(instant_date(_date(raw)))  # not through the table builder
    except ValueError as exc:
        raise ValueError(f"法律状态日 / LegalStatusDate: {exc}") from None


#: the keys under which an API's text object holds the Chinese text, any case
_TEXT_KEYS = ("cn", "zh", "zh-cn", "zh_cn", "chinese", "value", "text")


def _text(raw: object, zh: str, field: str, between: str = "") -> object:
    """A text field as the APIs give it: text, or a list of texts (the first that is not
    empty, or all joined ``between`` them: an abstract's paragraphs), or an object holding
    the Chinese text (``{"Cn": …, "En": …}``). Another shape is refused with a reason (it was
    stored as its Python form, ``['一种电池']``)."""
    if raw is None or isinstance(raw, str | int | float):
        return raw
    if isinstance(raw, list):
        texts = [str(t).strip() for t in (_text(i, zh, field, between) for i in raw) if t]
        texts = [t for t in texts if t]
        return (between.join(texts) if between else texts[0]) if texts else None
    if isinstance(raw, dict):
        folded = {str(key).casefold(): value for key, value in raw.items()}
        for key in _TEXT_KEYS:
            if isinstance(folded.get(key), str) and folded[key].strip():
                return folded[key]
    said = json.dumps(raw, ensure_ascii=False, default=str)[:80]
    raise ValueError(f"{zh}无法读取 / {field} unreadable: {said}")


def _trademark(obj: dict[str, Any]) -> Trademark:
    cn, en = obj.get("ApplicantCn"), obj.get("ApplicantEn")
    return build_trademark(
        {
            "number": obj["RegNo"],
            "mark_text": _text(obj.get("Name"), "商标名称", "Name"),
            "nice_classes": obj.get("IntCls"),
            "application_date": _date(obj.get("AppDate")),
            "applicants": cn if split_names(cn) else en,
            "agency": obj.get("Agent"),
            "status": obj.get("FlowStatusDesc"),
        },
        NAME,
    )


def _copyright(obj: dict[str, Any]) -> Copyright:
    return build_copyright(
        {
            "number": obj["RegisterNo"],
            "title": _text(obj.get("Name"), "名称", "Name"),
            "short_name": obj.get("ShortName"),
            "version": obj.get("VersionNo"),
            "category": obj.get("Category"),
            "applicants": obj.get("Owner"),
            "completion_date": _date(obj.get("FinishDate")),
            "first_publication_date": _date(obj.get("PublishDate")),
            "registration_date": _date(obj.get("RegisterAperDate") or obj.get("RegisterDate")),
        },
        NAME,
    )
