"""Run the app under uvicorn, accepting raw UTF-8 in the request target as browsers send it encoded.

A user pasting ``curl '…/search?q=ti=(电池'`` sends the Chinese characters as raw UTF-8 bytes.
HTTP requires them percent-encoded and uvicorn's parser refuses them before the app sees the
request, so the user gets a bare "Invalid HTTP request" instead of iphub's 400 naming the error's
position. This protocol percent-encodes non-ASCII bytes of the request line (only there), exactly
as a browser would have, and leaves everything else to uvicorn.
"""

from __future__ import annotations

import re

import h11
import uvicorn
from fastapi import FastAPI
from uvicorn.protocols.http.h11_impl import H11Protocol

_NON_ASCII = re.compile(rb"[\x80-\xff]")


def encode_request_line(data: bytes) -> bytes:
    """Percent-encode bytes ≥ 0x80 before the first CRLF of ``data``."""
    end = data.find(b"\r\n")
    end = len(data) if end < 0 else end
    line = data[:end]
    if not _NON_ASCII.search(line):
        return data
    return _NON_ASCII.sub(lambda m: b"%%%02X" % m.group()[0], line) + data[end:]


class Utf8TargetH11Protocol(H11Protocol):
    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.IDLE:
            data = encode_request_line(data)
        super().data_received(data)


def run(app: FastAPI, host: str, port: int) -> None:
    uvicorn.run(app, host=host, port=port, log_level="warning", http=Utf8TargetH11Protocol)
