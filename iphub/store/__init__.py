"""Store backends behind one interface (``iphub.store.base.Store``), chosen by URL."""

from __future__ import annotations

from iphub.store.base import Store


def open_store(url: str) -> Store:
    """``sqlite:///path/to/file.db`` → embedded store; ``http(s)://host:9200`` → Elasticsearch."""
    if url.startswith("sqlite:///"):
        from iphub.store.embedded import EmbeddedStore

        return EmbeddedStore(url.removeprefix("sqlite:///"))
    if url.startswith(("http://", "https://")):
        from iphub.store.elastic import ElasticStore  # type: ignore[import-not-found,unused-ignore]

        store: Store = ElasticStore(url)
        return store
    raise ValueError(
        f"不支持的存储地址 / unsupported store URL {url!r}: use sqlite:///path or http://host:9200"
    )
