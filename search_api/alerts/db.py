"""The alerts database: a SQLite file by default, PostgreSQL by URL; schema by Alembic.

``open_db(url)`` returns an :class:`AlertsDB` (engine + session factory) and brings the schema
to the head revision (``search_api/alerts/migrations``). Nothing connects at import time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker


class AlertsURLError(ValueError):
    """The alerts database URL names no database iphub can use (a usage error)."""


class AlertsUnavailable(RuntimeError):
    """The alerts database named by a good URL cannot be reached or opened."""


def _sqlite_pragmas(dbapi_conn: Any, _: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    # 64 MiB of page cache (default 2 MiB): the matcher inserts hundreds of thousands of rows per
    # transaction into tables whose unique keys land all over their b-trees
    cur.execute("PRAGMA cache_size=-65536")
    cur.close()


_KNOWN = "sqlite:///path, postgresql://user@host/db"


def check_url(url: str) -> str:
    """``url`` as SQLAlchemy takes it, checked without connecting; :class:`AlertsURLError` for
    a URL that names no database iphub can use."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///").partition("?")[0]
        if not path or path == ":memory:":
            raise AlertsURLError(
                f"预警数据库 URL 未指明文件 / alerts database URL {url!r} names no database file"
            )
        return url
    if not url.startswith("postgresql+"):
        raise AlertsURLError(
            f"不支持的预警数据库 URL / unsupported alerts database URL {url!r} ({_KNOWN})"
        )
    try:
        make_url(url).get_dialect()
    except (ArgumentError, NoSuchModuleError) as exc:
        raise AlertsURLError(
            f"预警数据库 URL 无效 / invalid alerts database URL {url!r}: {exc}"
        ) from None
    return url


def make_engine(url: str) -> Engine:
    """An engine for ``url`` (:func:`check_url`); a SQLite file whose folder is not there is
    :class:`AlertsUnavailable`: a mistyped path is said to be one, not created."""
    url = check_url(url)
    if url.startswith("sqlite:///"):
        folder = Path(url.removeprefix("sqlite:///").partition("?")[0]).parent
        if not folder.is_dir():
            raise AlertsUnavailable(
                f"预警数据库所在目录不存在 / no folder {folder} for the alerts database {url}"
            )
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema to ``revision`` (idempotent)."""
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("search_api.alerts").joinpath("migrations"))
    )
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


class AlertsDB:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in a transaction: committed on success, rolled back on error."""
        with self.sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def open_db(url: str, *, upgrade: bool = True) -> AlertsDB:
    """The alerts database at ``url``, migrated to the head revision; a database that cannot
    be reached or opened is :class:`AlertsUnavailable` (one line for the CLI)."""
    engine = make_engine(url)
    if upgrade:
        try:
            migrate(engine)
        except DBAPIError as exc:
            engine.dispose()
            reason = str(exc.orig or exc).strip().splitlines()[0]
            raise AlertsUnavailable(
                f"预警数据库不可用 / alerts database unavailable: {_safe(url)}: {reason}"
            ) from None
    return AlertsDB(engine)


def _safe(url: str) -> str:
    """``url`` without a password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url
