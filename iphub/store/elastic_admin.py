"""Versioned Elasticsearch indices behind aliases, and rebuilding them with no downtime.

The store reads and writes through aliases (``iphub-patents``, ``iphub-records-meta``: see
``iphub.store.elastic_kinds``), each pointing to one concrete index named after its mapping
version (``iphub-patents-v7``; a rebuild of the same version gets ``-v7-2``, ``-v7-3`` ...).
:func:`ensure` creates the first version, or checks that the alias points to the version of
``index_mappings/<name>.json``. :func:`rebuild` builds (:func:`build`) the next index from the
current one, then swaps the alias in one atomic ``_aliases`` request and
deletes the old index: searches never see a half-built index.

The minimal server distribution has no ``_reindex`` API, so documents are copied by scanning the
old index with a point in time + ``search_after`` and bulk-indexing a fresh document made from
each one (for records: ``index_document`` from the stored record, so the copy is re-segmented).
Writes that reach the old index while a rebuild copies are not carried over: rebuild between
ingest runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import Any

from elastic_transport import TransportError
from elasticsearch import ApiError, BadRequestError, Elasticsearch
from elasticsearch.helpers import streaming_bulk

from iphub.store.base import StoreUnavailable

Json = dict[str, Any]
MAPPINGS = Path(__file__).resolve().parents[2] / "index_mappings"
PAGE = 1000
KEEP_ALIVE = "5m"


@cache
def mapping(name: str) -> Json:
    """``patents``, ``trademarks``, ``copyrights`` or ``meta``: ``index_mappings/<name>.json``."""
    body: Json = json.loads((MAPPINGS / f"{name}.json").read_text(encoding="utf-8"))
    return body


def version(name: str) -> int:
    return int(mapping(name)["mappings"]["_meta"]["version"])


class NeedsReindex(StoreUnavailable):
    """The index behind the alias cannot be used as is: ``iphub reindex`` rebuilds it.

    A kind of unavailability: the API answers 503 until an operator has rebuilt the index."""


def concrete(es: Elasticsearch, alias: str) -> tuple[str, bool] | None:
    """The index ``alias`` names, and whether it is an alias (False: a plain index of that name,
    from before versioned indices); None when neither exists."""
    if es.indices.exists_alias(name=alias):
        found = list(es.indices.get_alias(name=alias).body)
        if len(found) != 1:  # made by hand, or a swap done halfway by hand: not guessed at
            raise StoreUnavailable(
                f"别名 {alias!r} 指向 {len(found)} 个索引 / alias {alias!r} points to "
                f"{len(found)} indices ({', '.join(sorted(found))}): remove it from all but "
                f"the one to use (POST _aliases), then run again"
            )
        return found[0], True
    if es.indices.exists(index=alias):
        return alias, False
    return None


def _index_version(es: Elasticsearch, index: str) -> object:
    found = next(iter(es.indices.get_mapping(index=index).body.values()))
    return found["mappings"].get("_meta", {}).get("version")


def _create(es: Elasticsearch, index: str, name: str, alias: str | None, bulk: bool) -> None:
    body = mapping(name)
    settings = dict(body["settings"])
    if bulk:  # no refreshes while copying; the swap restores the mapping's settings
        settings["index"] = {**settings.get("index", {}), "refresh_interval": "-1"}
    es.indices.create(
        index=index,
        settings=settings,
        mappings=body["mappings"],
        aliases={alias: {}} if alias else None,
    )


def ensure(es: Elasticsearch, alias: str, name: str) -> str:
    """Create ``<alias>-v<version>`` behind ``alias`` if neither exists; else check that the
    alias's index has this mapping version. Returns the concrete index."""
    want = version(name)
    found = concrete(es, alias)
    if found is None:
        index = f"{alias}-v{want}"
        try:
            _create(es, index, name, alias, bulk=False)
            return index
        except BadRequestError as exc:  # created meanwhile by another process
            if exc.error not in (
                "resource_already_exists_exception",
                "invalid_alias_name_exception",
            ):
                raise
        found = concrete(es, alias)
        if found is None:
            raise StoreUnavailable(
                f"索引 {index!r} 存在但没有别名 {alias!r} / index {index!r} exists without the "
                f"alias {alias!r}: delete it if it is empty, or add the alias, then run again"
            ) from None
    index, is_alias = found
    if not is_alias:
        raise NeedsReindex(
            f"{alias!r} is a plain index from before versioned indices; run "
            f"`iphub reindex --store URL` once to move it behind an alias (no downtime)"
        )
    have = _index_version(es, index)
    if have != want:
        raise NeedsReindex(
            f"index {index!r} has mapping version {have}, this iphub needs {want} "
            f"(index_mappings/{name}.json): run `iphub reindex --store URL` to rebuild it"
        )
    return index


def next_name(es: Elasticsearch, alias: str, name: str) -> str:
    base = f"{alias}-v{version(name)}"
    candidates = (base if n == 1 else f"{base}-{n}" for n in range(1, 10_000))
    return next(c for c in candidates if not es.indices.exists(index=c))


def scan_pit(
    es: Elasticsearch,
    index: str,
    query: Json,
    sort: list[Json],
    source: list[str] | None = None,
    page: int = PAGE,
) -> Iterator[Json]:
    """Every hit of ``query`` in ``sort`` order, paged with a point in time + ``search_after``:
    one consistent view of the index however long the scan takes, and never a deep ``from``."""
    pit = es.open_point_in_time(index=index, keep_alive=KEEP_ALIVE)["id"]
    try:
        after: list[Any] | None = None
        while True:
            resp = es.search(
                pit={"id": pit, "keep_alive": KEEP_ALIVE},
                query=query,
                size=page,
                sort=sort,
                search_after=after,
                track_total_hits=False,
                source_includes=source,
            )
            pit = resp.get("pit_id", pit)
            hits: list[Json] = resp["hits"]["hits"]
            yield from hits
            if len(hits) < page:
                return
            after = hits[-1]["sort"]
    finally:
        with suppress(ApiError, TransportError):  # it expires by itself after KEEP_ALIVE
            es.close_point_in_time(id=pit)


def build(
    es: Elasticsearch,
    new: str,
    name: str,
    origin: str,
    convert: Callable[[Json], Json],
    source: list[str] | None = None,
    query: Json | None = None,
) -> int:
    """Create index ``new`` of mapping ``name`` and fill it with ``convert(_source)`` of every
    document of ``origin`` matching ``query``; refreshed, not yet behind an alias. Returns the
    documents copied; any document ``new`` rejects raises (the caller deletes ``new``)."""
    _create(es, new, name, None, bulk=True)
    hits = scan_pit(es, origin, query or {"match_all": {}}, [{"_shard_doc": "asc"}], source)
    actions = (
        {"_index": new, "_id": hit["_id"], "_source": convert(hit["_source"])} for hit in hits
    )
    copied, failed = 0, []
    for ok, item in streaming_bulk(
        es, actions, chunk_size=500, max_retries=5, raise_on_error=False
    ):
        if ok:
            copied += 1
        else:
            failed.append(item)
    if failed:
        raise RuntimeError(f"{len(failed)} documents rejected by {new}, e.g. {failed[0]}")
    es.indices.put_settings(index=new, settings={"index": {"refresh_interval": None}})
    es.indices.refresh(index=new)
    return copied


def rebuild(
    es: Elasticsearch,
    alias: str,
    name: str,
    convert: Callable[[Json], Json],
    source: list[str] | None = None,
) -> tuple[str, int]:
    """Build the next index of ``alias`` from the current one (``convert``: old ``_source`` →
    new document), swap the alias atomically and delete the old index. A plain index named like
    the alias is migrated the same way. Returns the new index and the documents copied; any
    document the new index rejects aborts the rebuild before the swap."""
    found = concrete(es, alias)
    if found is None:
        return ensure(es, alias, name), 0
    old, is_alias = found
    new = next_name(es, alias, name)
    try:
        copied = build(es, new, name, old, convert, source)
        remove: Json = (
            {"remove": {"index": old, "alias": alias}}
            if is_alias
            else {"remove_index": {"index": old}}
        )
        es.indices.update_aliases(actions=[remove, {"add": {"index": new, "alias": alias}}])
    except BaseException:
        es.indices.delete(index=new, ignore_unavailable=True)
        raise
    if is_alias:
        es.indices.delete(index=old, ignore_unavailable=True)
    return new, copied


def drop(es: Elasticsearch, alias: str) -> None:
    """Delete the index behind ``alias`` (or a plain index of that name), if any."""
    found = concrete(es, alias)
    if found is not None:
        es.indices.delete(index=found[0], ignore_unavailable=True)
