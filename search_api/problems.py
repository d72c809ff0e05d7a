"""RFC 9457 problem details: every error the API gives is ``application/problem+json``."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from iphub.clearance import MarkSearchError
from iphub.describe import NoTerms
from iphub.query import QuerySyntaxError
from iphub.search import ResultWindowError
from iphub.store.aggregate import UnknownDimension
from iphub.store.base import StoreUnavailable, UnknownFacet
from search_api.alerts.ssrf import UnsafeTarget
from search_api.alerts.subscriptions import NotFound as SubscriptionNotFound

PROBLEM = "application/problem+json"


class Problem(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    code: str | None = None
    position: int | None = None
    message_zh: str | None = None
    message_en: str | None = None
    errors: list[dict[str, Any]] | None = None


def problem(
    status: int, title: str, detail: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body = Problem(title=title, status=status, detail=detail, **extra)
    return JSONResponse(
        body.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM, headers=headers
    )


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem, "content": {PROBLEM: {}}, "description": desc}
    for code, desc in [
        (400, "Malformed query or parameter / 检索式或参数有误"),
        (401, "Missing or invalid API key / API 密钥无效"),
        (404, "Not found / 未找到"),
        (422, "Invalid parameter / 参数无效"),
        (429, "Too many requests / 请求过多"),
        (503, "Store unavailable / 存储暂不可用"),
    ]
}


def _allowed_methods(request: Request) -> list[str]:
    """Every method the OpenAPI document lists at the request's path (several routes may)."""
    methods: set[str] = set()
    for template, item in request.app.openapi().get("paths", {}).items():
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, request.url.path):
            methods |= {m.upper() for m in item if m.isalpha()}
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


def _bilingual(
    exc: QuerySyntaxError | MarkSearchError | NoTerms, title: str, **extra: Any
) -> JSONResponse:
    """A 400 of an error that has a code and its message in both languages."""
    return problem(
        400, title, str(exc), code=exc.code, message_zh=exc.message_zh,
        message_en=exc.message_en, **extra,
    )  # fmt: skip


def install(app: FastAPI) -> None:
    @app.exception_handler(QuerySyntaxError)
    async def _syntax(_: Request, exc: QuerySyntaxError) -> JSONResponse:
        return _bilingual(exc, "检索式有误 / Malformed query", position=exc.position)

    @app.exception_handler(MarkSearchError)
    async def _mark(_: Request, exc: MarkSearchError) -> JSONResponse:
        where = [{"loc": ["query", exc.parameter], "msg": exc.message_en}]
        return _bilingual(exc, "参数有误 / Bad parameter", errors=where)

    @app.exception_handler(NoTerms)
    async def _no_terms(_: Request, exc: NoTerms) -> JSONResponse:
        return _bilingual(exc, "参数有误 / Bad parameter")

    @app.exception_handler(ResultWindowError)
    async def _window(_: Request, exc: ResultWindowError) -> JSONResponse:
        return problem(400, "结果窗口超限 / Result window exceeded", str(exc), code="result_window")

    @app.exception_handler(UnknownFacet)
    async def _facet(_: Request, exc: UnknownFacet) -> JSONResponse:
        return problem(400, "未知分面 / Unknown facet", str(exc), code="unknown_facet")

    @app.exception_handler(UnknownDimension)
    async def _dimension(_: Request, exc: UnknownDimension) -> JSONResponse:
        return problem(
            400,
            "未知统计维度 / Unknown dimension",
            str(exc),
            code="unknown_dimension",
            errors=[{"loc": ["query", "group_by"], "msg": exc.name, "allowed": exc.allowed}],
        )

    @app.exception_handler(StoreUnavailable)
    async def _down(_: Request, exc: StoreUnavailable) -> JSONResponse:
        return problem(
            503,
            "存储暂不可用 / Store unavailable",
            str(exc),
            headers={"Retry-After": "10"},
            code="store_unavailable",
        )

    @app.exception_handler(SubscriptionNotFound)
    async def _no_subscription(_: Request, exc: SubscriptionNotFound) -> JSONResponse:
        # another owner's subscription answers exactly as an unknown one
        message = f"未找到订阅 / no subscription {exc.args[0] if exc.args else ''!r}"
        return problem(404, message, message)

    @app.exception_handler(UnsafeTarget)
    async def _unsafe(_: Request, exc: UnsafeTarget) -> JSONResponse:
        return problem(
            400, "不允许的 webhook 地址 / Webhook target refused", str(exc), code="unsafe_target"
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in exc.errors()
        ]
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
        return problem(
            422, "参数无效 / Invalid parameter", detail, code="invalid_parameter", errors=errors
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # Starlette lists only the first route's methods for a path
            headers["Allow"] = ", ".join(_allowed_methods(request))
        return problem(exc.status_code, str(exc.detail), str(exc.detail), headers=headers)

    @app.exception_handler(ValueError)
    async def _value(_: Request, exc: ValueError) -> JSONResponse:
        return problem(400, "参数有误 / Bad parameter", str(exc), code="bad_parameter")
