"""Pydantic's validation errors as the API's bilingual 422 ``invalid_parameter`` messages.

FastAPI reports a parameter or body field it cannot read with pydantic's English message
(``Input should be 'csv' or 'jsonl'``). The platform's users read Chinese first, so each error
is translated by its pydantic error type and context (the allowed values, the bound, the
length) into a Chinese and an English sentence that name the parameter and where it was sent
(query, path, header, body). A type without a sentence of its own gets a generic one that still
names the parameter, with pydantic's text beside it in English.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

#: where a parameter was sent: (Chinese, English)
_PLACES = {
    "query": ("查询参数", "query parameter"),
    "path": ("路径参数", "path parameter"),
    "header": ("请求头", "header"),
    "cookie": ("Cookie", "cookie"),
    "body": ("请求体字段", "body field"),
}

#: ``*_type`` errors: what the value should have been
_TYPES = {
    "string": ("字符串", "a string"),
    "int": ("整数", "an integer"),
    "float": ("数字", "a number"),
    "decimal": ("数字", "a number"),
    "bool": ("布尔值（true 或 false）", "a boolean (true or false)"),
    "list": ("数组", "an array"),
    "tuple": ("数组", "an array"),
    "set": ("数组", "an array"),
    "frozen_set": ("数组", "an array"),
    "dict": ("对象", "an object"),
    "model": ("对象", "an object"),
    "model_attributes": ("对象", "an object"),
    "dataclass": ("对象", "an object"),
    "date": ("日期（YYYY-MM-DD）", "a date (YYYY-MM-DD)"),
    "datetime": ("日期时间（ISO 8601）", "a date and time (ISO 8601)"),
    "bytes": ("字符串", "a string"),
    "none_required": ("null", "null"),
}

#: parsing errors: the text could not be read as …
_PARSING = {
    "int_parsing": "int",
    "int_from_float": "int",
    "float_parsing": "float",
    "bool_parsing": "bool",
    "date_parsing": "date",
    "date_from_datetime_parsing": "date",
    "datetime_parsing": "datetime",
    "datetime_from_date_parsing": "datetime",
}

#: bound errors: context key, Chinese and English comparison
_BOUNDS = {
    "greater_than": ("gt", "应大于", "must be greater than"),
    "greater_than_equal": ("ge", "应不小于", "must be at least"),
    "less_than": ("lt", "应小于", "must be less than"),
    "less_than_equal": ("le", "应不大于", "must be at most"),
    "multiple_of": ("multiple_of", "应为此数的倍数：", "must be a multiple of"),
}

_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def _allowed(expected: str) -> list[str]:
    """The values of pydantic's ``expected`` context (``'a', 'b' or 'c'``, ``1 or 2``)."""
    quoted = _QUOTED.findall(expected)
    if quoted:
        return quoted
    return [v.strip() for v in re.split(r",| or ", expected) if v.strip()]


def _where(loc: Sequence[Any]) -> tuple[str, str]:
    """The parameter an error is about, in both languages (``查询参数 nc[0]``)."""
    place, *path = loc or ("body",)
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    zh, en = _PLACES.get(str(place), ("参数", "parameter"))
    if not name:
        return ("请求体", "the request body") if place == "body" else (zh, en)
    return f"{zh} {name}", f"{en} {name}"


def _sentence(kind: str, ctx: Mapping[str, Any], msg: str) -> tuple[str, str]:
    """Chinese and English predicate of an error of pydantic type ``kind`` (no subject)."""
    if kind == "missing":
        return "为必填项", "is required"
    if kind in ("literal_error", "enum"):
        values = _allowed(str(ctx.get("expected", "")))
        return f"应为以下之一：{'、'.join(values)}", f"must be one of: {', '.join(values)}"
    if kind in _PARSING or kind.endswith("_type"):
        zh, en = _TYPES.get(_PARSING.get(kind, kind.removesuffix("_type")), ("", ""))
        if zh:
            return f"应为{zh}", f"must be {en}"
    if kind in _BOUNDS:
        key, zh, en = _BOUNDS[kind]
        return f"{zh} {ctx.get(key)}", f"{en} {ctx.get(key)}"
    if kind == "finite_number":
        return "应为有限的数字", "must be a finite number"
    if kind in ("string_too_short", "string_too_long"):
        if kind == "string_too_short":
            n = ctx.get("min_length")
            return f"至少应有 {n} 个字符", f"must have at least {n} characters"
        n = ctx.get("max_length")
        return f"最多 {n} 个字符", f"must have at most {n} characters"
    if kind == "too_short":
        n = ctx.get("min_length")
        return f"至少应有 {n} 项", f"must have at least {n} items"
    if kind == "too_long":
        n = ctx.get("max_length")
        return f"最多 {n} 项", f"must have at most {n} items"
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern")
        return f"格式不符（{pattern}）", f"must match {pattern}"
    if kind == "extra_forbidden":
        return "不是可用的字段", "is not a known field"
    if kind == "json_invalid":
        return "不是有效的 JSON", f"is not valid JSON ({ctx.get('error', '')})"
    if kind in ("value_error", "assertion_error"):
        text = str(ctx.get("error", msg)).removeprefix("Value error, ")
        zh, sep, en = text.partition(" / ")  # the API's own validators write both languages
        return f"无效：{zh}", f"is invalid: {en if sep else text}"
    return "的值无效", f"is invalid: {msg}"


def translate(error: Mapping[str, Any]) -> dict[str, Any]:
    """One error of ``RequestValidationError.errors()`` as the problem's ``errors[]`` entry:
    location, pydantic's type and message (``msg``), and ``message_zh`` / ``message_en``."""
    loc = list(error.get("loc", ()))
    kind = str(error.get("type", ""))
    msg = str(error.get("msg", ""))
    subject_zh, subject_en = _where(loc[:1] if kind == "json_invalid" else loc)
    zh, en = _sentence(kind, error.get("ctx") or {}, msg)
    if kind == "missing":
        message_zh = f"缺少{subject_zh}"
    else:  # a space after a Latin parameter name, none after a Chinese word
        message_zh = f"{subject_zh}{' ' if subject_zh[-1].isascii() else ''}{zh}"
    return {
        "loc": loc,
        "type": kind,
        "msg": msg,
        "message_zh": message_zh,
        "message_en": f"{subject_en} {en}",
    }
