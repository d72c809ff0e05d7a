"""A real local webhook receiver (127.0.0.1) that verifies signatures and dedupes by id."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from search_api.alerts import signing


class Receiver:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.posts = 0  # every POST, duplicates included
        self.accepted: dict[str, dict[str, Any]] = {}  # delivery id → body, first copy only
        self.per_record: Counter[str] = Counter()  # record id → accepted deliveries
        self.bad_signatures = 0
        self.secret: str | None = None
        #: called with the delivery id before answering; returns a status code (or None for 200)
        self.behaviour: Callable[[str], int | None] = lambda _id: None
        self.after: Callable[[str], None] = lambda _id: None
        self.url = ""

    def handle(self, headers: dict[str, str], body: bytes) -> int:
        with self.lock:
            self.posts += 1
        if self.secret is not None:
            try:
                signing.verify(self.secret, headers, body)
            except signing.InvalidSignature:
                with self.lock:
                    self.bad_signatures += 1
                return 400
        msg_id = headers.get("webhook-id", "")
        status = self.behaviour(msg_id) or 200
        if status < 300:
            with self.lock:
                if msg_id not in self.accepted:  # idempotency: keep the first copy
                    data = json.loads(body)
                    self.accepted[msg_id] = data
                    for record in data["data"].get("records", []):
                        self.per_record[record["id"]] += 1
        return status


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            headers = {k.lower(): v for k, v in self.headers.items()}
            status = receiver.handle(headers, body)
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()
            self.wfile.flush()
            receiver.after(headers.get("webhook-id", ""))

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
