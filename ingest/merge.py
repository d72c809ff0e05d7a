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
Titles and abstracts are merged language by language (:data:`TEXTS`): DOCDB's English title
of a CN publication and an export's Chinese one are two texts, not rivals for one field, so
neither is lost (the longer English used to push the Chinese out, and a Chinese word found the
record no longer); the record shows its Chinese text first, then English, then the others.
Their provenance is kept per language (``title.zh``).
Merging is idempotent, ``merge(merge(a, b), b) == merge(a, b)``, and the loader merges the
versions of a record in the order it read them (``ingest.load``), so a resumed load equals an
uninterrupted one whatever the batch size.
"""

from __future__ import annotations

import re
from enum import Enum
from functools import cache
from typing import Any

from pydantic import BaseModel

from iphub.records import AnyRecord, LocalizedText
from nlp.segment import text_language

_KEEP = frozenset({"id", "record_type", "source", "sources", "provenance", "batch_id"})
_UNKNOWN = frozenset({"unknown", ""})
#: a text shown in one language and the list beside it of the same text in others
TEXTS = (("title", "titles"), ("abstract", "abstracts"))


@cache  # once a record class, not once a merge
def _in_languages(kind: type[AnyRecord]) -> frozenset[str]:
    """The fields of ``kind`` merged language by language (a copyright's title is plain text)."""
    fields = kind.model_fields
    return frozenset(name for pair in TEXTS if pair[1] in fields for name in pair)


#: the language a record shows first: Chinese, then English, then the others as given
_SHOWN_FIRST = {"zh": 0, "en": 1}


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
    hold all told (an agency's agents, the addresses of a list of applicants). Two known
    values of an enumeration say as much (a status: "valid" says no less than "pending")."""
    if isinstance(value, Enum):
        return richness(value)
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
    texts = _in_languages(type(new))
    update: dict[str, Any] = {}
    if same_source:
        for name in type(new).model_fields:
            if name not in _KEEP and name not in texts:
                a, b = getattr(old, name), getattr(new, name)
                update[name] = b if richness(b) else a  # the newer value where it gives one
        _merge_texts(old, new, update, {}, new_sources)
        update["sources"] = new_sources
        update["provenance"] = None
        return new.model_copy(update=update)
    given = old.provenance or {}
    provenance: dict[str, str] = {}
    for name in type(new).model_fields:
        if name in _KEEP or name in texts:
            continue
        a, b = getattr(old, name), getattr(new, name)
        owner = given.get(name, old.source)  # the source that gave the stored value
        take_new = _take_new(a, b, owner, new_sources, _script(new, name))
        update[name] = b if take_new else a
        giver = new.source if take_new else owner
        if giver != old.source:
            provenance[name] = giver
    _merge_texts(old, new, update, provenance, new_sources)
    update["source"] = old.source
    update["sources"] = list(dict.fromkeys(old_sources + new_sources))
    update["provenance"] = provenance or None
    update["batch_id"] = new.batch_id
    return new.model_copy(update=update)


def _take_new(
    a: Any, b: Any, owner: str, new_sources: list[str], script: re.Pattern[str] | None = None
) -> bool:
    """Whether a field (or one language of a text) takes the new value ``b`` over the stored
    ``a``, which ``owner`` gave. Of two lists of parties (``script``: the writing of the
    record's office, :func:`_script`), the one with more names in that writing first."""
    if a == b:  # the same value: still the giver's
        return False
    if owner in new_sources:  # that source's newer word on its own value
        return richness(b) > 0
    if script is not None and richness(a) and richness(b):
        own_a, own_b = _in_script(a, script), _in_script(b, script)
        if own_a != own_b:
            return own_b > own_a
    return not _richer(a, b)


#: the parties' fields, and the writing each office's own names are in: the same applicants as
#: filed in Chinese (an export, CNIPA's XML) and romanised by DOCDB (GUANGZHOU BATTERY CO LTD)
#: are the same list, and the longer romanised names won it — so ``pa=广州电池有限公司`` found
#: the record no more, and its Guangzhou district was lost with the Chinese address
_PARTY_FIELDS = frozenset({"applicants", "inventors"})
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_OFFICE_SCRIPTS = dict.fromkeys(("CN", "TW", "HK", "MO", "JP"), _CJK) | {"KR": _HANGUL}


def _script(record: AnyRecord, name: str) -> re.Pattern[str] | None:
    """The writing of ``record``'s office (its jurisdiction) for a field of parties; None for
    another field, or an office written in Latin letters."""
    if name not in _PARTY_FIELDS:
        return None
    return _OFFICE_SCRIPTS.get(getattr(record, "jurisdiction", "") or "")


def _in_script(parties: Any, script: re.Pattern[str]) -> int:
    """How many of ``parties`` are named in ``script``."""
    return sum(1 for p in parties if script.search(getattr(p, "name", "") or ""))


def _by_language(shown: LocalizedText | None, others: list[LocalizedText]) -> dict[str, Any]:
    """A record's texts of one kind by language, the shown one first (one text a language).
    A text labelled Chinese without one Chinese character is English: exports name no
    language, and their rows were read as Chinese before their texts were labelled by script
    (``text_language``), so a stored English title and the same title from the USPTO are one."""
    out: dict[str, LocalizedText] = {}
    for text in (shown, *others):
        if text is None or not text.text:
            continue
        if text.lang == "zh" and text_language(text.text) != "zh":
            text = text.model_copy(update={"lang": "en"})
        if text.lang not in out:
            out[text.lang] = text
    return out


def _merge_texts(
    old: AnyRecord,
    new: AnyRecord,
    update: dict[str, Any],
    provenance: dict[str, str],
    new_sources: list[str],
) -> None:
    """Merge each :data:`TEXTS` pair language by language into ``update``: the text of a
    language only one version gives is kept; of a language both give, the one the field rules
    choose (``_take_new``; a source's own text is its to correct). With ``provenance`` (a
    merge of two sources), the giver of each language not given by ``old.source`` is written
    under ``<field>.<lang>``; a record merged before texts were merged by language names its
    giver under the field's own name, read here as the giver of that field's languages."""
    given = old.provenance or {}
    for shown, others in TEXTS:
        if others not in type(new).model_fields:  # a copyright's title is plain text
            continue
        before = _by_language(getattr(old, shown), getattr(old, others))
        after = _by_language(getattr(new, shown), getattr(new, others))
        kept: list[LocalizedText] = []
        shown_before = getattr(getattr(old, shown), "text", None)
        for lang in dict.fromkeys([*before, *after]):
            a, b = before.get(lang), after.get(lang)
            field = shown if a is not None and a.text == shown_before else others
            owner = given.get(f"{shown}.{lang}") or given.get(field) or old.source
            take_new = b is not None and (a is None or _take_new(a, b, owner, new_sources))
            kept.append(b if take_new else a)  # type: ignore[arg-type]  # one is there
            giver = new.source if take_new else owner
            if giver != old.source:
                provenance[f"{shown}.{lang}"] = giver
        kept.sort(key=lambda t: _SHOWN_FIRST.get(t.lang, len(_SHOWN_FIRST)))
        if kept:
            update[shown], update[others] = kept[0], kept[1:]
        else:  # no text in any language: as the newer version has it (an empty title)
            update[shown], update[others] = getattr(new, shown) or getattr(old, shown), []


def is_merge(old: AnyRecord, new: AnyRecord) -> bool:
    """Whether storing ``new`` over ``old`` joins a source to another's record (counted as
    "merged"): ``new`` brings a source ``old`` does not list, onto a record of another source.
    Loading a source again onto a record it is part of already is no new merge."""
    old_sources, new_sources = set(sources_of(old)), set(sources_of(new))
    return bool(old_sources - new_sources) and not new_sources <= old_sources
