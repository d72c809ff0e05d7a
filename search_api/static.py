"""Serve the built web page (``frontend/dist``) the whitenoise way, with ServeStatic under ASGI.

Vite names every asset ``assets/<name>-<hash>.<ext>``, so those are cached as immutable; the
build writes ``.gz`` and ``.br`` beside each text file and ServeStatic picks the one the browser
accepts. The mount never claims ``/api`` paths, so the API's own 404 and 405 answers stand.
The page routes in the browser (``/patents?q=…``, ``/records/CN…``), so a path that is
neither a file, nor under ``/api/``, nor a file name (no dot in its last segment) is answered
with ``index.html``, which is never cached without revalidation.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING
from wsgiref.headers import Headers

from fastapi import FastAPI
from servestatic import ServeStaticASGI
from starlette.routing import Match, Mount

from search_api import problems

if TYPE_CHECKING:
    from starlette.types import Receive, Scope, Send

DIST = Path(__file__).resolve().parent.parent / "frontend" / "dist"
HASHED_ASSET = re.compile(r"^/assets/.+-[A-Za-z0-9_-]{8,}\.\w+$")


async def _not_found(scope: Scope, receive: Receive, send: Send) -> None:
    response = problems.no_such_path(scope.get("path", ""))
    await response(scope, receive, send)


def _revalidate_html(headers: Headers, path: str, url: str) -> None:
    if path.endswith(".html"):
        headers["Cache-Control"] = "no-cache"


def is_page_path(path: str) -> bool:
    """A path the page's own router answers: not the API, not a file name."""
    if path == "/api" or path.startswith("/api/"):
        return False
    return "." not in path.rsplit("/", 1)[-1]


class PageFiles(ServeStaticASGI):  # type: ignore[misc]
    """ServeStatic that answers unknown page paths with ``index.html``."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and path not in self.files and is_page_path(path):
            scope = {**scope, "path": "/"}
        await super().__call__(scope, receive, send)


class PageMount(Mount):
    """A mount at ``/`` that leaves ``/api`` to the API, so a wrong method there stays a 405."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = scope.get("path", "")
        if path == "/api" or path.startswith("/api/"):
            return Match.NONE, {}
        return super().matches(scope)


def mount_page(app: FastAPI, dist: Path = DIST) -> bool:
    """Mount the page at ``/`` (after every API route) if it has been built; say whether."""
    if not (dist / "index.html").is_file():
        return False
    page = PageFiles(
        _not_found,
        root=dist,
        index_file=True,
        immutable_file_test=lambda _path, url: bool(HASHED_ASSET.match(url)),
        add_headers_function=_revalidate_html,
    )
    app.router.routes.append(PageMount("/", app=page, name="page"))
    return True
