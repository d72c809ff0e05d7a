"""Store backends behind one interface (``iphub.store.base.Store``), chosen by URL."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from iphub.store.base import Store

_FORMS = "sqlite:///path/to/file.db (sqlite:////abs/path) or http://host:9200"
#: what Elasticsearch refuses anywhere in an index name (``:`` too, since 7.0)
_INDEX_FORBIDDEN = '\\/*?"<>|, #:'
#: the bytes left for a store's index name: Elasticsearch's 255 hold it and the longest suffix
#: the store puts after it (``-trademarks-v7-2``: ``elastic_kinds``, ``elastic_admin.next_name``)
_INDEX_BYTES = 255 - len("-trademarks-v99-9999")


class StoreURLError(ValueError):
    """A store URL that names no store: the user's mistake, said in one line."""


def index_name_problem(name: str) -> tuple[str, str] | None:
    """Why Elasticsearch would refuse ``name`` (the path of a store URL) as the start of its
    index names, in Chinese and in English; None when it takes it. Its rules: lower case; none
    of ``\\ / * ? " < > | , # :`` nor a space; not starting with ``_ - +``; not ``.`` or ``..``;
    at most 255 bytes (less the suffix the store adds)."""
    if name in (".", ".."):
        return "不能是 . 或 ..", "may not be . or .."
    if name != name.lower():
        return "须为小写", "must be lower case"
    if bad := sorted({c for c in name if c in _INDEX_FORBIDDEN}):
        shown = " ".join(repr(c) for c in bad)
        return f"不能含 {shown}", f"may not contain {shown}"
    if name.startswith(("_", "-", "+")):
        return "不能以 _、-、+ 开头", "may not start with _, - or +"
    if (size := len(name.encode())) > _INDEX_BYTES:
        return (
            f"过长（{size} 字节，至多 {_INDEX_BYTES}）",
            f"too long ({size} bytes, at most {_INDEX_BYTES})",
        )
    return None


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
        if "?" in url or "#" in url:  # what follows would be dropped, not read as the index
            raise StoreURLError(
                f"存储地址不能带 ? 或 # / store URL {url!r} takes no query or fragment: "
                "its path is the index name"
            )
        name = parts.path.strip("/")
        if name and (problem := index_name_problem(name)):
            zh, en = problem
            raise StoreURLError(
                f"索引名 {name!r} 无效：{zh} / store URL {url!r}: index name {name!r} {en}"
            )
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
