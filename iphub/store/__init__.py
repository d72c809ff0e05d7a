"""Store backends behind one interface (``iphub.store.base.Store``), chosen by URL."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from iphub.store.base import Store

_FORMS = "sqlite:///path/to/file.db (sqlite:////abs/path) or http://host:9200"


class StoreURLError(ValueError):
    """A store URL that names no store: the user's mistake, said in one line."""


def check_store_url(url: str) -> str:
    """``url`` if it names a store, else :class:`StoreURLError` saying why and what is meant.

    A SQLite URL takes its path after ``sqlite:///`` as SQLAlchemy does: relative to the working
    directory, absolute with a fourth slash.
    """
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        if not path or path.endswith("/"):
            raise StoreURLError(
                f"存储地址缺少文件名 / store URL {url!r} names no database file: use {_FORMS}"
            )
        return url
    if url.startswith(("http://", "https://")):
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises on a port that is not a number
        except ValueError as exc:
            raise StoreURLError(f"存储地址无效 / store URL {url!r}: {exc}") from None
        if not parts.hostname:
            raise StoreURLError(f"存储地址缺少主机 / store URL {url!r} names no host: use {_FORMS}")
        return url
    hint = f" (sqlite:///{url}?)" if "://" not in url and url.endswith(".db") else ""
    raise StoreURLError(f"不支持的存储地址 / unsupported store URL {url!r}{hint}: use {_FORMS}")


def open_store(url: str, *, create: bool = True) -> Store:
    """``sqlite:///path/to/file.db`` → embedded store; ``http(s)://host:9200`` → Elasticsearch.

    Raises :class:`StoreURLError` for a URL that names no store, and ``StoreUnavailable`` for a
    store that cannot be opened or reached — with ``create=False`` (a command that only reads),
    also for an embedded store whose file is not there, which would otherwise be created empty
    and answer "0 hits" for a mistyped path.
    """
    check_store_url(url)
    if url.startswith("sqlite:///"):
        from iphub.store.base import StoreUnavailable
        from iphub.store.embedded import EmbeddedStore

        path = Path(url.removeprefix("sqlite:///"))
        if not create and not path.exists():
            raise StoreUnavailable(
                f"没有存储 / no store at {path}: 先载入数据 / load one first "
                "(iphub ingest PATH, iphub demo), or name another with --store"
            )
        return EmbeddedStore(path)
    from iphub.store.elastic import ElasticStore  # type: ignore[import-not-found,unused-ignore]

    store: Store = ElasticStore(url)
    return store
