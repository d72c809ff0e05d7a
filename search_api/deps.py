"""Dependencies shared by the routes: the store and its async reader, the rate limit, the alerts
DB and its owner."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from iphub.config import Settings
from iphub.store.base import Store
from iphub.store.reader import AsyncReader, ThreadReader
from search_api.alerts.db import AlertsDB
from search_api.alerts.keys import authenticate
from search_api.alerts.models import Owner
from search_api.ratelimit import RateLimiter
from search_api.services.stats_cache import StatsCache


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_reader(request: Request) -> AsyncReader:
    """The reader the lifespan opened; an app run without its lifespan (a ``TestClient`` outside
    ``with``) reads its store in worker threads."""
    reader: AsyncReader | None = getattr(request.app.state, "reader", None)
    if reader is None:
        reader = request.app.state.reader = ThreadReader(get_store(request))
    return reader


def get_stats_cache(request: Request) -> StatsCache:
    cache: StatsCache | None = getattr(request.app.state, "stats_cache", None)
    if cache is None:
        cache = request.app.state.stats_cache = StatsCache()
    return cache


def rate_limit(request: Request) -> None:
    limiter: RateLimiter = request.app.state.limiter
    limiter.check(limiter.client_of(request))


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back on error —
    before the response is sent (``SessionDep``'s ``scope="function"``): committed after it, a
    client that created a subscription and listed at once could miss it, and a commit that
    failed would follow a 201."""
    db: AlertsDB = request.app.state.alerts
    with db.session() as session:
        yield session


StoreDep = Annotated[Store, Depends(get_store)]
ReaderDep = Annotated[AsyncReader, Depends(get_reader)]
StatsCacheDep = Annotated[StatsCache, Depends(get_stats_cache)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session, scope="function")]

UNAUTHORIZED = HTTPException(
    401,
    "需要有效的 API 密钥 / a valid API key is required",
    headers={"WWW-Authenticate": "Bearer"},
)


def get_owner(request: Request, session: SessionDep) -> Owner:
    """The owner of the request's API key (``Authorization: Bearer …`` or ``X-API-Key``).

    Missing, malformed, unknown and revoked keys all get the same 401.
    """
    auth = request.headers.get("authorization", "")
    key = auth[7:].strip() if auth[:7].lower() == "bearer " else request.headers.get("x-api-key")
    owner = authenticate(session, key)
    if owner is None:
        raise UNAUTHORIZED
    return owner


OwnerDep = Annotated[Owner, Depends(get_owner)]
