"""Server-side request forgery guard for webhook targets (OWASP SSRF prevention).

A target must be ``http(s)``, and every address its host resolves to must be globally routable:
loopback, private (RFC 1918, ULA), link-local (169.254.0.0/16, e.g. cloud metadata), CGNAT,
multicast and reserved ranges are refused, unless the address or host is in the allow-list
(``IPHUB_WEBHOOK_ALLOW``: CIDRs or host names, for intranet deployments). The check runs at
registration and again before every delivery. At delivery the host is resolved once
(:func:`pin`) and the connection goes to the checked address, so a name that resolves to a
public address for the check and to an internal one a moment later (DNS rebinding) cannot get
through; a redirect's target is pinned and checked the same way.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeTarget(ValueError):
    """The webhook URL is malformed or points where iphub must not send requests.

    ``str()`` is the reason as the subscriber reads it (``中文 / English``); ``hint`` is for the
    operator only (the log, the outbox row's last error): it names server settings."""

    def __init__(self, message_zh: str, message_en: str, hint: str | None = None) -> None:
        super().__init__(f"{message_zh} / {message_en}")
        self.message_zh, self.message_en, self.hint = message_zh, message_en, hint

    def for_operator(self) -> str:
        return f"{self} ({self.hint})" if self.hint else str(self)


def _allowed(host: str, addr: Address, allow: Sequence[str]) -> bool:
    for entry in allow:
        try:
            if addr in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            if entry.lower() == host.lower():
                return True
    return False


#: ``socket.getaddrinfo``'s shape; a pure unit test may pass its own
Resolver = Callable[..., Sequence[tuple[Any, ...]]]


@dataclass(frozen=True)
class Pinned:
    """A checked target: connect to ``address`` and speak HTTP(S) to ``host`` (Host, SNI)."""

    scheme: str
    host: str
    port: int
    target: str  # path and query, what the request line carries
    address: Address


def resolve(host: str, port: int, resolver: Resolver = socket.getaddrinfo) -> list[Address]:
    try:
        infos = resolver(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeTarget("主机无法解析", f"host {host!r} does not resolve") from exc
    addrs: list[Address] = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        addrs.append(ip)
    if not addrs:
        raise UnsafeTarget("主机无法解析", f"host {host!r} does not resolve")
    return addrs


def pin(url: str, allow: Sequence[str] = (), resolver: Resolver = socket.getaddrinfo) -> Pinned:
    """Resolve ``url``'s host once and check every address; raise :class:`UnsafeTarget` unless
    all may receive webhooks. The caller connects to the returned address, never resolving the
    name again, so a DNS answer that changes between check and connect (rebinding) is not used.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTarget("webhook 地址须为 http(s) URL", "webhook URL must be http(s)")
    if parts.username or parts.password:
        raise UnsafeTarget("webhook 地址不可含账号密码", "no credentials in the webhook URL")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeTarget("端口无效", "invalid port") from exc
    addrs = resolve(parts.hostname, port, resolver)
    for addr in addrs:
        if addr.is_global and not addr.is_multicast:
            continue
        if _allowed(parts.hostname, addr, allow):
            continue
        raise UnsafeTarget(
            f"webhook 地址指向内网或本机地址（{addr}），不能接收推送",
            f"the webhook URL resolves to a non-public address ({addr}) and cannot receive alerts",
            hint=f"to admit an intranet target, add {addr} or {parts.hostname} to "
            "IPHUB_WEBHOOK_ALLOW",
        )
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Pinned(parts.scheme, parts.hostname, port, target, addrs[0])


def check_url(url: str, allow: Sequence[str] = ()) -> None:
    """Raise :class:`UnsafeTarget` unless ``url`` may receive webhooks (at registration)."""
    pin(url, allow)
