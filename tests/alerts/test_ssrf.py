"""The SSRF guard pins the address it checked: one resolution, every address checked, the
connection made to that address (DNS rebinding closed), redirects pinned and checked again."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from iphub.config import InvalidSetting, read_settings
from search_api.alerts import ssrf, webhook

ALLOW = ("127.0.0.0/8",)


class FakeResolver:
    """Answers from a script, one answer per call, and counts the calls (a pure unit)."""

    def __init__(self, *answers: list[str]) -> None:
        self.answers = list(answers)
        self.calls = 0

    def __call__(self, host: str, port: int, **_: Any) -> list[tuple[Any, ...]]:
        self.calls += 1
        addrs = self.answers.pop(0)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addrs]


def test_pin_resolves_once_and_keeps_the_checked_address() -> None:
    resolver = FakeResolver(["93.184.215.14"], ["127.0.0.1"])  # the second answer: rebinding
    pinned = ssrf.pin("https://hooks.example.com/in?x=1", (), resolver)
    assert resolver.calls == 1
    assert (pinned.scheme, pinned.host, pinned.port, pinned.target) == (
        "https",
        "hooks.example.com",
        443,
        "/in?x=1",
    )
    assert str(pinned.address) == "93.184.215.14"


@pytest.mark.parametrize(
    "answer",
    [
        ["93.184.215.14", "10.0.0.5"],  # one bad address among good ones is enough to refuse
        ["169.254.169.254"],
        ["::ffff:127.0.0.1"],
        ["fe80::1%eth0"],
        ["100.64.0.1"],
        ["224.0.0.1"],
    ],
)
def test_pin_refuses_any_non_public_address(answer: list[str]) -> None:
    with pytest.raises(ssrf.UnsafeTarget, match="non-public address") as refused:
        ssrf.pin("http://hooks.example.com/", (), FakeResolver(answer))
    # the subscriber reads a plain reason; the operator's remedy is kept apart for the log
    assert "IPHUB_WEBHOOK_ALLOW" not in str(refused.value)
    assert "IPHUB_WEBHOOK_ALLOW" in refused.value.for_operator()


@pytest.mark.parametrize(
    "value",
    ["10.0.0.0/8", "10.0.0.0/8,intranet.local", "10.0.0.0/8 intranet.local", '["10.0.0.0/8"]'],
)
def test_the_allow_list_is_read_from_the_environment_as_documented(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    """``IPHUB_WEBHOOK_ALLOW`` as architecture.md writes it: CIDRs or host names, comma- or
    space-separated (a JSON list too)."""
    monkeypatch.setenv("IPHUB_WEBHOOK_ALLOW", value)
    allow = read_settings().webhook_allow
    assert allow[0] == "10.0.0.0/8"
    pinned = ssrf.pin("http://intranet.local/", allow, FakeResolver(["10.1.2.3"]))
    assert str(pinned.address) == "10.1.2.3"


@pytest.mark.parametrize("value", ["[10.0.0.0/8", "10.0.0.0/33", "[1, 2]"])
def test_a_bad_allow_list_names_the_variable(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("IPHUB_WEBHOOK_ALLOW", value)
    with pytest.raises(InvalidSetting, match="invalid environment setting: IPHUB_WEBHOOK_ALLOW="):
        read_settings()


def test_pin_admits_allow_listed_addresses_and_refuses_bad_urls() -> None:
    pinned = ssrf.pin("http://intranet.local:8080/", ("10.0.0.0/8",), FakeResolver(["10.1.2.3"]))
    assert (str(pinned.address), pinned.port, pinned.target) == ("10.1.2.3", 8080, "/")
    for bad in ("ftp://x.example/", "http://u:p@x.example/", "http://x.example:99999/", "x"):
        with pytest.raises(ssrf.UnsafeTarget):
            ssrf.pin(bad, (), FakeResolver(["93.184.215.14"]))
    with pytest.raises(ssrf.UnsafeTarget, match="does not resolve"):
        ssrf.pin("http://x.example/", (), FakeResolver([]))


@contextmanager
def http_server(status: int, location: str | None = None) -> Iterator[dict[str, Any]]:
    """A real 127.0.0.1 server answering every POST with ``status`` (and ``Location``)."""
    seen: dict[str, Any] = {"posts": 0, "host": None, "body": b""}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            seen["body"] = self.rfile.read(int(self.headers.get("content-length", "0")))
            seen["posts"] += 1
            seen["host"] = self.headers.get("host")
            self.send_response(status)
            if location:
                self.send_header("location", location)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    seen["url"] = f"http://127.0.0.1:{server.server_address[1]}/hook"
    seen["port"] = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield seen
    finally:
        server.shutdown()
        server.server_close()


def test_connection_goes_to_the_pinned_address_with_the_name_as_host() -> None:
    """The name never resolves (``.invalid``): the request can only arrive by the pinned address."""
    with http_server(204) as seen:
        port = seen["port"]
        pinned = ssrf.pin(f"http://hooks.invalid:{port}/hook", ALLOW, FakeResolver(["127.0.0.1"]))
        conn = webhook.connection(pinned)
        conn.request("POST", pinned.target, body=b"{}", headers={"content-type": "text/json"})
        assert conn.getresponse().status == 204
        conn.close()
    assert seen["host"] == f"hooks.invalid:{port}"


def test_redirects_are_pinned_and_checked_again() -> None:
    headers = {"content-type": "application/json"}
    with http_server(204) as final, http_server(308, final["url"]) as hop:
        assert webhook.post(hop["url"], b'{"a":1}', headers, ALLOW) == 204
        assert (hop["posts"], final["posts"], final["body"]) == (1, 1, b'{"a":1}')
    with http_server(307, "http://169.254.169.254/latest/meta-data/") as hop:
        with pytest.raises(ssrf.UnsafeTarget, match="169.254.169.254"):
            webhook.post(hop["url"], b"{}", headers, ALLOW)
    with http_server(204) as final, http_server(302, final["url"]) as hop:
        assert webhook.post(hop["url"], b"{}", headers, ALLOW) == 302  # not followed
        assert final["posts"] == 0
