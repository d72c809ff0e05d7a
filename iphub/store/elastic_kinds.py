"""One Elasticsearch index per record kind: the names, the routing, and their upkeep.

Patents, trademarks and copyrights each live behind their own alias, ``<base>-patents``,
``<base>-trademarks``, ``<base>-copyrights`` (``base``: the store's index name, ``iphub`` or the
URL path), each pointing to ``<alias>-v<version>`` made from ``index_mappings/<plural>.json``.
Reads and writes of one kind go to its alias; reads across kinds (by id, all counts, sources)
go to the three at once. Ingest bookkeeping stays in ``<legacy>-meta``.

Before this split every kind shared one index, ``<legacy>`` (``iphub-records`` for the default
base, else the base itself), of mapping ``records`` version 4. :func:`ensure` refuses such a store
(``NeedsReindex``) rather than serve empty new indices beside it, and :func:`reindex` copies it
into the three kind indices and swaps all the aliases in one atomic request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from elasticsearch import Elasticsearch

from iphub.records import RECORD_KINDS
from iphub.store import elastic_admin as admin
from iphub.store.elastic_admin import Json

#: Every kind of record, as ``record_type`` names it (copyrights are counted, not searched).
KINDS = RECORD_KINDS
#: The mapping (``index_mappings/<name>.json``) and alias suffix of each kind.
PLURAL = {"patent": "patents", "trademark": "trademarks", "copyright": "copyrights"}
DEFAULT_BASE = "iphub"
#: The single records index of the default base, before one index per kind.
DEFAULT_LEGACY = "iphub-records"


@dataclass(frozen=True)
class IndexNames:
    """The aliases of a store whose index name is ``base``."""

    base: str

    def of(self, kind: str) -> str:
        """The alias of one kind's index."""
        return f"{self.base}-{PLURAL[kind]}"

    @property
    def kinds(self) -> list[str]:
        """The alias of every kind's index, for reads across kinds."""
        return [self.of(kind) for kind in KINDS]

    @property
    def legacy(self) -> str:
        """The one records index (or alias) of this store before one index per kind."""
        return DEFAULT_LEGACY if self.base == DEFAULT_BASE else self.base

    @property
    def meta(self) -> str:
        """Batches and checkpoints: the name they had before, so they carry over."""
        return f"{self.legacy}-meta"


def ensure(es: Elasticsearch, names: IndexNames) -> None:
    """Create the kind indices on first use, or check their mapping versions; refuse a store
    that still has its one records index from before (``NeedsReindex``)."""
    missing = [kind for kind in KINDS if admin.concrete(es, names.of(kind)) is None]
    if missing and admin.concrete(es, names.legacy) is not None:
        raise admin.NeedsReindex(
            f"{names.legacy!r} holds every kind in one index, from before one index per kind; "
            f"run `iphub reindex --store URL` once to split it (searches answer until the swap)"
        )
    for kind in KINDS:
        admin.ensure(es, names.of(kind), PLURAL[kind])


def reindex(es: Elasticsearch, names: IndexNames, convert: Callable[[Json], Json]) -> int:
    """Rebuild every kind's index (``convert``: stored ``_source`` → new document) and swap its
    alias; a store from before one index per kind is split instead. Returns the records copied."""
    legacy = admin.concrete(es, names.legacy)
    present = [kind for kind in KINDS if admin.concrete(es, names.of(kind)) is not None]
    if legacy is not None and not present:
        return _split(es, names, legacy, convert)
    if legacy is not None and len(present) < len(KINDS):
        raise RuntimeError(
            f"{names.legacy!r} (one index for every kind) and the kind indices of {present} "
            f"both exist: delete the ones that are not wanted, then reindex"
        )
    copied = 0
    for kind in KINDS:
        copied += admin.rebuild(es, names.of(kind), PLURAL[kind], convert, source=["record"])[1]
    return copied


def _split(
    es: Elasticsearch, names: IndexNames, legacy: tuple[str, bool], convert: Callable[[Json], Json]
) -> int:
    """Copy each kind out of the one old index into its own, then in one ``_aliases`` request
    add the three aliases and drop the old alias (or plain index); finally delete the old index."""
    old, is_alias = legacy
    built: list[str] = []
    actions: list[Json] = []
    copied = 0
    try:
        for kind in KINDS:
            alias = names.of(kind)
            new = admin.next_name(es, alias, PLURAL[kind])
            built.append(new)
            query = {"term": {"record_type": kind}}
            copied += admin.build(es, new, PLURAL[kind], old, convert, ["record"], query)
            actions.append({"add": {"index": new, "alias": alias}})
        actions.append(
            {"remove": {"index": old, "alias": names.legacy}}
            if is_alias
            else {"remove_index": {"index": old}}
        )
        es.indices.update_aliases(actions=actions)
    except BaseException:
        for new in built:
            es.indices.delete(index=new, ignore_unavailable=True)
        raise
    if is_alias:
        es.indices.delete(index=old, ignore_unavailable=True)
    return copied


def drop(es: Elasticsearch, names: IndexNames) -> None:
    """Delete every kind's index and any records index from before (not the bookkeeping)."""
    for alias in [*names.kinds, names.legacy]:
        admin.drop(es, alias)
