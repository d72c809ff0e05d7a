"""RFC 9457 problem details: every error the API gives is ``application/problem+json``."""

from __future__ import annotations

import logging
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
from search_api.alerts.subscriptions import WrongType
from search_api.validation import translate

PROBLEM = "application/problem+json"
log = logging.getLogger(__name__)


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


def _bilingual(exc: Exception, title: str, code: str | None = None, **extra: Any) -> JSONResponse:
    """A 400 of an error that says its message in both languages (``message_zh``,
    ``message_en``) and has a code (its own ``code``, else ``code``)."""
    return problem(
        400, title, str(exc), code=code or getattr(exc, "code", None),
        message_zh=getattr(exc, "message_zh", None), message_en=getattr(exc, "message_en", None),
        **extra,
    )  # fmt: skip


def no_such_path(path: str) -> JSONResponse:
    """The 404 of a path that no route (and no file of the page) answers."""
    zh, en = f"没有这个地址：{path}", f"no such path: {path}"
    return problem(
        404, "未找到 / Not Found", f"{zh} / {en}", code="not_found", message_zh=zh, message_en=en
    )


#: titles and codes of the statuses the API raises as ``HTTPException``
_STATUS = {
    400: ("参数有误 / Bad parameter", "bad_parameter"),
    401: ("未授权 / Unauthorized", "unauthorized"),
    404: ("未找到 / Not Found", "not_found"),
    405: ("请求方法不受支持 / Method Not Allowed", "method_not_allowed"),
}


def _from_http(
    request: Request, exc: StarletteHTTPException, headers: dict[str, str]
) -> JSONResponse:
    """An ``HTTPException`` as a bilingual problem. A route gives its detail as ``中文 / English``;
    Starlette's own 404 (no route) and 405 (no such method) only the status phrase."""
    status, path = exc.status_code, request.url.path
    title, code = _STATUS.get(status, (str(exc.detail), None))
    zh, sep, en = str(exc.detail).partition(" / ")
    if status == 404 and str(exc.detail) == "Not Found":
        return no_such_path(path)
    if status == 405 and str(exc.detail) == "Method Not Allowed":
        allowed = headers.get("Allow", "")
        zh = f"{path} 不接受 {request.method} 请求，可用：{allowed}"
        en = f"{path} does not accept {request.method}; allowed: {allowed}"
    elif not sep:
        zh = en = str(exc.detail)
    return problem(
        status, title, f"{zh} / {en}" if zh != en else zh, headers=headers, code=code,
        message_zh=zh, message_en=en,
    )  # fmt: skip


def install(app: FastAPI) -> None:
    @app.exception_handler(QuerySyntaxError)
    async def _syntax(_: Request, exc: QuerySyntaxError) -> JSONResponse:
        return _bilingual(exc, "检索式有误 / Malformed query", position=exc.position)

    @app.exception_handler(MarkSearchError)
    async def _mark(_: Request, exc: MarkSearchError) -> JSONResponse:
        where = [
            {"loc": list(exc.loc), "msg": exc.message_en, "message_zh": exc.message_zh,
             "message_en": exc.message_en}
        ]  # fmt: skip
        return _bilingual(exc, "参数有误 / Bad parameter", errors=where)

    @app.exception_handler(NoTerms)
    async def _no_terms(_: Request, exc: NoTerms) -> JSONResponse:
        return _bilingual(exc, "参数有误 / Bad parameter")

    @app.exception_handler(ResultWindowError)
    async def _window(_: Request, exc: ResultWindowError) -> JSONResponse:
        return _bilingual(exc, "结果窗口超限 / Result window exceeded", "result_window")

    @app.exception_handler(UnknownFacet)
    async def _facet(_: Request, exc: UnknownFacet) -> JSONResponse:
        return _bilingual(exc, "未知分面 / Unknown facet", "unknown_facet")

    @app.exception_handler(UnknownDimension)
    async def _dimension(_: Request, exc: UnknownDimension) -> JSONResponse:
        where = [{"loc": ["query", "group_by"], "msg": exc.name, "allowed": exc.allowed}]
        return _bilingual(
            exc, "未知统计维度 / Unknown dimension", "unknown_dimension", errors=where
        )

    @app.exception_handler(StoreUnavailable)
    async def _down(_: Request, exc: StoreUnavailable) -> JSONResponse:
        return problem(
            503,
            "存储暂不可用 / Store unavailable",
            str(exc),
            headers={"Retry-After": "10"},
            code="store_unavailable",
            message_zh="数据存储暂不可用，请稍后再试",
            message_en="the data store is unavailable; please try again shortly",
        )

    @app.exception_handler(SubscriptionNotFound)
    async def _no_subscription(_: Request, exc: SubscriptionNotFound) -> JSONResponse:
        # another owner's subscription answers exactly as an unknown one
        sub_id = exc.args[0] if exc.args else ""
        zh, en = f"未找到订阅 {sub_id!r}", f"no subscription {sub_id!r}"
        return problem(
            404, "未找到订阅 / No such subscription", f"{zh} / {en}", code="not_found",
            message_zh=zh, message_en=en,
        )  # fmt: skip

    @app.exception_handler(WrongType)
    async def _wrong_type(_: Request, exc: WrongType) -> JSONResponse:
        return _bilingual(
            exc, "订阅类型不符 / Not for this subscription type", "wrong_subscription_type"
        )

    @app.exception_handler(UnsafeTarget)
    async def _unsafe(_: Request, exc: UnsafeTarget) -> JSONResponse:
        if exc.hint:  # the operator's remedy names server settings: the log, not the user
            log.warning("webhook target refused: %s", exc.for_operator())
        return _bilingual(exc, "不允许的 webhook 地址 / Webhook target refused", "unsafe_target")

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [translate(e) for e in exc.errors()]
        zh = "；".join(e["message_zh"] for e in errors)
        en = "; ".join(e["message_en"] for e in errors)
        return problem(
            422, "参数无效 / Invalid parameter", f"{zh} / {en}", code="invalid_parameter",
            message_zh=zh, message_en=en, errors=errors,
        )  # fmt: skip

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # Starlette lists only the first route's methods for a path
            headers["Allow"] = ", ".join(_allowed_methods(request))
        return _from_http(request, exc, headers)

    @app.exception_handler(ValueError)
    async def _value(_: Request, exc: ValueError) -> JSONResponse:
        zh, sep, en = str(exc).partition(" / ")  # the API's messages are "中文 / English"
        return problem(
            400, "参数有误 / Bad parameter", str(exc), code="bad_parameter",
            message_zh=zh if sep else None, message_en=en if sep else None,
        )  # fmt: skip
