"""The Elasticsearch server the tests use: ``IPHUB_ES_URL``, set by ``make test``.

Unset, the tests that need it are skipped; set but unreachable, they fail. And web servers that
are not Elasticsearch, for the tests of a ``--store`` pointing at one (:func:`web_server`).
"""

from __future__ import annotations

import http.server
import os
import socket
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial

import pytest

ES_URL_VAR = "IPHUB_ES_URL"
SKIP_REASON = f"{ES_URL_VAR} not set: `make test` starts Elasticsearch and sets it"
needs_elasticsearch = pytest.mark.skipif(not os.environ.get(ES_URL_VAR), reason=SKIP_REASON)


def es_url() -> str:
    return os.environ[ES_URL_VAR].rstrip("/")


def fresh_index(prefix: str) -> str:
    """A new index name, so runs and checkouts sharing one server never meet."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def free_port() -> int:
    """A local port nothing listens on (bound once, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


class _Page(http.server.BaseHTTPRequestHandler):
    """Every request answered ``status`` with a page of HTML, as a web server that is not
    Elasticsearch answers what it does not serve."""

    status = 200

    def _answer(self) -> None:
        body = b"<!DOCTYPE html><html><body>It works!</body></html>\n"
        self.send_response(self.status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = _answer  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextmanager
def web_server(status: int | None = None) -> Iterator[str]:
    """A web server that is not Elasticsearch, on a free port of 127.0.0.1, until the block
    ends; yields its URL. Python's ``http.server`` over an empty folder (404 to HEAD and GET,
    501 to PUT), or, with ``status``, one answering every request so with a page of HTML."""
    with tempfile.TemporaryDirectory() as folder:
        handler: Callable[..., http.server.BaseHTTPRequestHandler]
        if status is None:
            handler = partial(_Quiet, directory=folder)
        else:
            handler = type("Page", (_Page,), {"status": status})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()
            thread.join(10)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass
