"""The fixture website: ``tests/fixtures/site/`` served on 127.0.0.1 by a real HTTP server in a
thread, with a log of every request and a few misbehaving paths.

Files are served with ``ETag`` and ``Last-Modified`` and answer conditional requests with 304, as
a well-run site does. ``flaky`` paths answer 429 with ``Retry-After`` the first time, ``slow``
paths sleep before answering (past the crawler's timeout).
"""

from __future__ import annotations

import hashlib
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SITE = Path(__file__).resolve().parent.parent / "fixtures" / "site"


@dataclass(frozen=True)
class Hit:
    path: str
    status: int
    at: float  # time.monotonic() when the request arrived
    conditional: bool
    user_agent: str


@dataclass
class Site:
    root: Path
    url: str = ""
    log: list[Hit] = field(default_factory=list)
    flaky: dict[str, int] = field(default_factory=dict)  # path → Retry-After seconds (once)
    slow: dict[str, float] = field(default_factory=dict)  # path → seconds before answering
    lock: threading.Lock = field(default_factory=threading.Lock)

    def hits(self, path: str, status: int | None = None) -> list[Hit]:
        with self.lock:
            return [h for h in self.log if h.path == path and status in (None, h.status)]

    def paths(self, status: int | None = None) -> list[str]:
        with self.lock:
            return [h.path for h in self.log if status in (None, h.status)]

    def clear(self) -> None:
        with self.lock:
            self.log.clear()


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib's name
            pass

        def _answer(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None):
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            arrived = time.monotonic()
            path = self.path.split("?", 1)[0]
            conditional = "If-None-Match" in self.headers or "If-Modified-Since" in self.headers
            ua = self.headers.get("User-Agent", "")
            with site.lock:  # logged on arrival: a slow answer may outlive the client
                index = len(site.log)
                site.log.append(Hit(path, 0, arrived, conditional, ua))
            try:
                status = self._serve(path)
            except (BrokenPipeError, ConnectionResetError):
                status = 499  # the client gave up (nginx's code for it)
            with site.lock:
                if index < len(site.log) and site.log[index].at == arrived:
                    site.log[index] = Hit(path, status, arrived, conditional, ua)

        def _serve(self, path: str) -> int:
            with site.lock:
                wait = site.flaky.pop(path, None)
            if wait is not None:
                self._answer(429, b"slow down", {"Retry-After": str(wait)})
                return 429
            if path in site.slow:
                time.sleep(site.slow[path])
            file = site.root / path.lstrip("/")
            if file.is_dir():
                file = file / "index.html"
            if ".." in path or not file.is_file():
                self._answer(404, b"not found")
                return 404
            body = file.read_bytes()
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'  # noqa: S324 - not security
            headers = {
                "ETag": etag,
                "Last-Modified": formatdate(file.stat().st_mtime, usegmt=True),
                "Content-Type": "text/plain"
                if file.suffix == ".txt"
                else "text/html; charset=utf-8",
            }
            if self.headers.get("If-None-Match") == etag:
                self._answer(304, b"", headers)
                return 304
            self._answer(200, body, headers)
            return 200

    return Handler


@contextmanager
def serve_site(tmp: Path) -> Iterator[Site]:
    """A copy of the fixture site (so a test may change a page) served until the block ends."""
    root = tmp / "site"
    shutil.copytree(SITE, root)
    site = Site(root)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
