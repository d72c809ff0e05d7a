"""The real server process: raw UTF-8 in the request target reaches the app (and its 400)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from iphub.store.embedded import EmbeddedStore
from search_api.server import encode_request_line
from tests.conformance.contract import load


def test_encode_request_line_only_touches_the_first_line() -> None:
    raw = "GET /s?q=ti=(电池 HTTP/1.1\r\nX-Name: 电\r\n\r\n".encode()
    out = encode_request_line(raw)
    assert out.startswith(b"GET /s?q=ti=(%E7%94%B5%E6%B1%A0 HTTP/1.1\r\n")
    assert out.endswith("X-Name: 电\r\n\r\n".encode())
    assert encode_request_line(b"GET / HTTP/1.1\r\n\r\n") == b"GET / HTTP/1.1\r\n\r\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    path = tmp_path_factory.mktemp("server") / "iphub.db"
    store = EmbeddedStore(path)
    load(store)
    store.close()
    port = _free_port()
    env = os.environ | {"IPHUB_STORE": f"sqlite:///{path}", "IPHUB_PORT": str(port)}
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "iphub.cli", "serve"],
        env=env,
        cwd=Path(__file__).parents[2],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            proc.kill()
            pytest.fail(f"server did not start on port {port} (exit code {proc.poll()})")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _raw_get(port: int, target: str) -> tuple[int, dict[str, object]]:
    request = f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


def test_raw_utf8_malformed_query_is_400_with_position(server: int) -> None:
    status, body = _raw_get(server, "/api/v1/patents/search?q=ti%3D(电池")
    assert status == 400
    assert (body["code"], body["position"]) == ("unbalanced_parenthesis", 3)


def test_raw_utf8_query_searches(server: int) -> None:
    status, body = _raw_get(server, "/api/v1/patents/search?q=锂电池")
    assert status == 200
    assert body["total"] == 3
