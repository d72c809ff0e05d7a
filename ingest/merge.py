"""Merging the same publication from two sources into one record.

Ids are deterministic (``iphub.numbers``), so a DOCDB and a CNIPA copy of ``CN114123456A`` meet
under one id. A record reloaded from the only source it came from is that source's newer word:
each field takes the newer value where it gives one (a corrected title, a new status) and keeps
the stored value where it gives none — a thinner row of an export, or a second export from
another provider (both ``csv``), never wipes an abstract, the applicants or a date. Otherwise
(two sources) every field keeps the richer of the two values — a value over an empty one, the
longer text, the longer list, a known status over ``unknown``, and between two of the same size
the one that says more (an agency with more agents, applicants with their addresses) — exact
ties go to the newer value, and ``sources`` lists every contributor. A merged record remembers
which source gave each value (``provenance``, for the values not of its first ``source``), so
a source's corrected delivery replaces what that source gave — a shorter corrected abstract
included — where it gives a value, and competes by richness only with the other sources'.
Merging is idempotent, ``merge(merge(a, b), b) == merge(a, b)``, and the loader merges the
versions of a record in the order it read them (``ingest.load``), so a resumed load equals an
uninterrupted one whatever the batch size.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel

from iphub.records import AnyRecord, LocalizedText

_KEEP = frozenset({"id", "record_type", "source", "sources", "provenance", "batch_id"})
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
    if isinstance(value, BaseModel):  # an agency, a party: how many of its fields say something
        return sum(richness(v) > 0 for v in value.__dict__.values())
    return 1


def detail(value: Any) -> int:
    """What separates two values of the same :func:`richness`: the characters and items they
    hold all told (an agency's agents, the addresses of a list of applicants)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list | tuple):
        return sum(detail(v) for v in value)
    if isinstance(value, dict):
        return sum(detail(v) for v in value.values())
    if isinstance(value, BaseModel):
        return sum(detail(v) for v in value.__dict__.values())
    return richness(value)


def _richer(a: Any, b: Any) -> bool:
    """Whether ``a`` says more than ``b``."""
    ra, rb = richness(a), richness(b)
    return ra > rb or (ra == rb and ra > 0 and detail(a) > detail(b))


def sources_of(record: AnyRecord) -> list[str]:
    return list(dict.fromkeys(record.sources or [record.source]))


def merge(old: AnyRecord, new: AnyRecord) -> AnyRecord:
    """``new`` merged onto ``old`` (see the module docstring); neither is modified."""
    old_sources, new_sources = sources_of(old), sources_of(new)
    if type(old) is not type(new):
        return new.model_copy(update={"sources": new_sources, "provenance": None})
    same_source = set(old_sources) <= set(new_sources)
    update: dict[str, Any] = {}
    if same_source:
        for name in type(new).model_fields:
            if name not in _KEEP:  # the source's newer value where it gives one
                a, b = getattr(old, name), getattr(new, name)
                update[name] = b if richness(b) else a
        update["sources"] = new_sources
        update["provenance"] = None
        return new.model_copy(update=update)
    given = old.provenance or {}
    provenance: dict[str, str] = {}
    for name in type(new).model_fields:
        if name in _KEEP:
            continue
        a, b = getattr(old, name), getattr(new, name)
        owner = given.get(name, old.source)  # the source that gave the stored value
        if a == b:  # the same value: still the giver's
            take_new = False
        elif owner in new_sources:  # that source's newer word on its own value
            take_new = richness(b) > 0
        else:
            take_new = not _richer(a, b)
        update[name] = b if take_new else a
        giver = new.source if take_new else owner
        if giver != old.source:
            provenance[name] = giver
    update["source"] = old.source
    update["sources"] = list(dict.fromkeys(old_sources + new_sources))
    update["provenance"] = provenance or None
    update["batch_id"] = new.batch_id
    return new.model_copy(update=update)


def is_merge(old: AnyRecord, new: AnyRecord) -> bool:
    """Whether storing ``new`` over ``old`` joins a source to another's record (counted as
    "merged"): ``new`` brings a source ``old`` does not list, onto a record of another source.
    Loading a source again onto a record it is part of already is no new merge."""
    old_sources, new_sources = set(sources_of(old)), set(sources_of(new))
    return bool(old_sources - new_sources) and not new_sources <= old_sources
