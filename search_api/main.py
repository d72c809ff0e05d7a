"""Build the FastAPI app: ``/api/v1`` routes, problem+json errors, rate limit, static page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse

from iphub.config import Settings, read_settings
from iphub.store import open_store
from iphub.store.base import Store
from iphub.store.reader import open_reader
from nlp.segment import warm_up
from search_api import problems
from search_api.alerts.db import AlertsDB, open_db
from search_api.deps import rate_limit
from search_api.ratelimit import RateLimited, RateLimiter
from search_api.routes import (
    classifications,
    export,
    feeds,
    health,
    language,
    marks,
    records,
    search,
    stats,
    subscriptions,
)
from search_api.services.stats_cache import StatsCache
from search_api.static import mount_page


def create_app(
    settings: Settings | None = None, store: Store | None = None, alerts: AlertsDB | None = None
) -> FastAPI:
    settings = settings or read_settings()
    owns_store = store is None
    owns_alerts = alerts is None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if app.state.store is None:
            app.state.store = open_store(settings.store)
        if app.state.alerts is None:
            app.state.alerts = open_db(settings.alerts_url())  # migrates to the head revision
        # search and records read through it: AsyncElasticsearch for an ElasticStore
        app.state.reader = open_reader(app.state.store)
        warm_up()  # load the segmentation dictionary now, not on the first request
        yield
        await app.state.reader.aclose()
        app.state.reader = None
        if owns_store:
            app.state.store.close()
        if owns_alerts:
            app.state.alerts.close()

    app = FastAPI(
        title="iphub 知识产权大数据公共服务平台 API",
        version="1",
        description="Patent and trademark search for Guangzhou / 广州专利商标检索",
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.reader = None
    app.state.alerts = alerts
    app.state.settings = settings
    app.state.limiter = RateLimiter(
        Path(settings.store.removeprefix("sqlite:///")).parent / "ratelimit.db"
        if settings.store.startswith("sqlite:///")
        else Path("var/ratelimit.db"),
        settings.rate_limit,
        settings.rate_window,
        settings.trusted_proxies,
    )
    app.state.stats_cache = StatsCache()
    problems.install(app)

    @app.exception_handler(RateLimited)
    async def _limited(_: Request, exc: RateLimited) -> JSONResponse:
        return problems.problem(
            429,
            "请求过多 / Too many requests",
            f"请 {exc.retry_after} 秒后重试 / retry in {exc.retry_after}s",
            headers={"Retry-After": str(exc.retry_after)},
            code="rate_limited",
            message_zh=f"请求过多，请 {exc.retry_after} 秒后重试",
            message_en=f"too many requests: retry in {exc.retry_after}s",
        )

    api = APIRouter(
        prefix="/api/v1", dependencies=[Depends(rate_limit)], responses=problems.PROBLEM_RESPONSES
    )
    for module in (
        search,
        marks,
        records,
        export,
        health,
        language,
        subscriptions,
        feeds,
        stats,
        classifications,
    ):
        api.include_router(module.router)
    app.include_router(api)

    if not mount_page(app):

        @app.get("/", include_in_schema=False)
        def home() -> RedirectResponse:
            return RedirectResponse("/docs")

    return app
