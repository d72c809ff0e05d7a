"""Atom feed (RFC 4287) of a subscription's matches, readable by any feed reader.

The feed is addressed by a secret token in its URL (only its SHA-256 is stored); entries are the
newest matches, each with a stable ``urn:iphub:match:<subscription>:<record>`` id so readers
never show one twice (a record watch's changes:
``urn:iphub:change:<subscription>:<record>:<batch>``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from xml.etree import ElementTree as ET

from search_api.alerts.models import Match, Subscription
from search_api.alerts.watch_models import RecordChange

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
_LABELS = {
    "zh": ("申请人", "日期", "相似信号", "变更"),
    "en": ("Applicants", "Date", "Signals", "Changes"),
}


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    el.text = text
    return el


def _stamp(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def render(
    sub: Subscription, matches: Sequence[Match | RecordChange], self_url: str, base_url: str
) -> bytes:
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": sub.lang})
    _text(feed, "id", f"urn:iphub:subscription:{sub.id}")
    _text(feed, "title", f"iphub · {sub.name}")
    _text(feed, "updated", _stamp(max((m.created for m in matches), default=sub.created)))
    ET.SubElement(feed, "link", {"rel": "self", "href": self_url, "type": MEDIA_TYPE})
    author = ET.SubElement(feed, "author")
    _text(author, "name", "iphub 知识产权大数据公共服务平台")
    _text(feed, "generator", "iphub")
    for m in matches:
        record = m.summary
        entry = ET.SubElement(feed, "entry")
        if isinstance(m, RecordChange):  # a record watch: one entry per change of a record
            _text(entry, "id", f"urn:iphub:change:{sub.id}:{m.record_id}:{m.batch_id}")
        else:
            _text(entry, "id", f"urn:iphub:match:{sub.id}:{m.record_id}")
        _text(entry, "title", f"{record.get('number', m.record_id)} {record.get('title', '')}")
        _text(entry, "updated", _stamp(m.created))
        link = f"{base_url.rstrip('/')}/api/v1/records/{m.record_id}"
        ET.SubElement(entry, "link", {"rel": "alternate", "href": link})
        label = _LABELS[sub.lang]
        lines = [
            f"{label[0]}: {', '.join(record.get('applicants', []))}",
            f"{label[1]}: {record.get('date') or ''}",
        ]
        if isinstance(m, RecordChange):  # what changed, in the feed's language
            changed = record.get("changed", {}).get(sub.lang) or record.get("signals", [])
            lines.append(f"{label[3]}: {'; '.join(changed)}")
        elif record.get("signals"):
            lines.append(f"{label[2]}: {', '.join(record['signals'])}")
        _text(entry, "summary", "\n".join(lines))
    out: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return out
