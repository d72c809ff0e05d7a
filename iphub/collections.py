"""Key-industry databases (专题数据库): named, versioned definitions kept as data.

``iphub/data/collections.json`` defines each collection by IPC codes, key words (title and
abstract) and exclusions; :func:`query_of` writes it as one query of the query language. The
language's field ``coll=`` names a collection (``coll=nev AND dist=黄埔``): the plan compiles it
as that query (``iphub.store.plan``), so a collection is searched, exported, counted and
subscribed to like any query, and a saved query follows a new version of its definition. The
statistics endpoints' ``collection=`` is ``coll=`` ANDed onto ``q``. A definition changes by a
new ``version``; answers name it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from pydantic import BaseModel, Field

from iphub.query import KIND_QUERY_CODES


class Collection(BaseModel):
    id: str
    version: str
    name_zh: str
    name_en: str
    ipc: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    query: str = ""


class Collections(BaseModel):
    source: str
    collections: list[Collection]


def query_of(c: Collection) -> str:
    """``(ipc=(A OR B) OR ta=(w1 OR w2)) NOT (x OR y)``."""
    parts = []
    if c.ipc:
        parts.append(f"ipc=({' OR '.join(c.ipc)})")
    if c.keywords:
        parts.append(f"ta=({' OR '.join(_quoted(k) for k in c.keywords)})")
    text = f"({' OR '.join(parts)})"
    if c.exclude:
        text += f" NOT ({' OR '.join(c.exclude)})"
    return text


def _quoted(word: str) -> str:
    return f'"{word}"'


@cache
def collections() -> Collections:
    raw = (resources.files("iphub") / "data" / "collections.json").read_text("utf-8")
    found = Collections.model_validate(json.loads(raw))
    for c in found.collections:
        c.query = query_of(c)
    return found


def by_id() -> dict[str, Collection]:
    """Each collection under its id."""
    return {c.id: c for c in collections().collections}


def with_collection(text: str, collection: str | None, kind: str = "patent") -> str:
    """``text`` restricted to a collection (``coll=<id> AND (text)``); raises ``ValueError`` if
    it is unknown (or asked of trademarks: the definitions are of patents)."""
    if not collection:
        return text
    if "coll" not in KIND_QUERY_CODES[kind]:
        raise ValueError("专题库仅适用于专利 / collections apply to patents")
    known = by_id()
    collection = collection.strip().lower()  # as coll= reads it
    if collection not in known:
        raise ValueError(
            f"未知专题库 / unknown collection {collection!r} (known: {', '.join(known)})"
        )
    return f"coll={collection} AND ({text})" if text.strip() else f"coll={collection}"
