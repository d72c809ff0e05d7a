"""Dependencies shared by the routes: the store and the per-client rate limit."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from iphub.store.base import Store
from search_api.ratelimit import RateLimiter
from search_api.services.stats_cache import StatsCache


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_stats_cache(request: Request) -> StatsCache:
    cache: StatsCache | None = getattr(request.app.state, "stats_cache", None)
    if cache is None:
        cache = request.app.state.stats_cache = StatsCache()
    return cache


def rate_limit(request: Request) -> None:
    limiter: RateLimiter = request.app.state.limiter
    limiter.check(limiter.client_of(request))


StoreDep = Annotated[Store, Depends(get_store)]
StatsCacheDep = Annotated[StatsCache, Depends(get_stats_cache)]
