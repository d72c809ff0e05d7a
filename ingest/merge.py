"""Merging the same publication from two sources into one record.

Ids are deterministic (``iphub.numbers``), so a DOCDB and a CNIPA copy of ``CN114123456A`` meet
under one id. A record reloaded from the only source it came from replaces the stored one (the
source corrected itself); otherwise every field keeps the richer of the two values — a value
over an empty one, the longer text, the longer list, a known status over ``unknown`` — ties go
to the newer value, and ``sources`` lists every contributor. Merging is idempotent:
``merge(merge(a, b), b) == merge(a, b)``, so a resumed load equals an uninterrupted one.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from iphub.records import AnyRecord, LocalizedText

_KEEP = frozenset({"id", "record_type", "source", "sources", "batch_id"})
_UNKNOWN = frozenset({"unknown", ""})


def richness(value: Any) -> int:
    """How much a value says: 0 for empty or unknown; text and list length otherwise."""
    if value is None:
        return 0
    if isinstance(value, LocalizedText):
        return len(value.text)
    if isinstance(value, Enum):
        return 0 if value.value in _UNKNOWN else 1
    if isinstance(value, str):
        return 0 if value in _UNKNOWN else len(value)
    if isinstance(value, list | tuple | dict):
        return len(value)
    if isinstance(value, bool):
        return int(value)
    return 1


def sources_of(record: AnyRecord) -> list[str]:
    return list(dict.fromkeys(record.sources or [record.source]))


def merge(old: AnyRecord, new: AnyRecord) -> AnyRecord:
    """``new`` merged onto ``old`` (see the module docstring); neither is modified."""
    old_sources, new_sources = sources_of(old), sources_of(new)
    if type(old) is not type(new) or set(old_sources) <= set(new_sources):
        return new.model_copy(update={"sources": new_sources})
    update: dict[str, Any] = {}
    for name in type(new).model_fields:
        if name in _KEEP:
            continue
        a, b = getattr(old, name), getattr(new, name)
        update[name] = a if richness(a) > richness(b) else b
    update["source"] = old.source
    update["sources"] = list(dict.fromkeys(old_sources + new_sources))
    update["batch_id"] = new.batch_id
    return new.model_copy(update=update)


def is_merge(old: AnyRecord, new: AnyRecord) -> bool:
    """Whether storing ``new`` over ``old`` combines two sources (counted as "merged")."""
    return not set(sources_of(old)) <= set(sources_of(new))
