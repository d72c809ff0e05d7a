"""Per-client rate limit that holds across worker processes (a fixed window in SQLite).

The client is the peer address; ``X-Forwarded-For`` counts only when the peer is a trusted proxy,
so a spoofed header cannot reset a client's budget.
"""

from __future__ import annotations

import math
import sqlite3
import threading
import time
from pathlib import Path

from fastapi import Request


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after}s")
        self.retry_after = retry_after


class RateLimiter:
    def __init__(
        self, path: Path, limit: int, window: float, trusted_proxies: tuple[str, ...] = ()
    ) -> None:
        self.limit = limit
        self.window = window
        self.trusted = frozenset(trusted_proxies)
        self._local = threading.local()
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS hits (client TEXT, slot INTEGER, n INTEGER, "
                "PRIMARY KEY (client, slot))"
            )

    def _db(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=5, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            self._local.conn = conn
        return conn

    def client_of(self, request: Request) -> str:
        peer = request.client.host if request.client else "unknown"
        forwarded = request.headers.get("x-forwarded-for")
        if forwarded and peer in self.trusted:
            return forwarded.split(",")[-1].strip() or peer
        return peer

    def check(self, client: str) -> None:
        if self.limit <= 0:
            return
        now = time.time()
        slot = int(now // self.window)
        db = self._db()
        row = db.execute(
            "INSERT INTO hits VALUES (?, ?, 1) ON CONFLICT (client, slot) DO UPDATE "
            "SET n = n + 1 RETURNING n",
            (client, slot),
        ).fetchone()
        if slot % 50 == 0:
            db.execute("DELETE FROM hits WHERE slot < ?", (slot - 1,))
        if int(row[0]) > self.limit:
            raise RateLimited(max(1, math.ceil((slot + 1) * self.window - now)))
