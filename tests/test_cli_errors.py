"""The console script turns an unreachable store into one line and exit code 3."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path


def test_unreachable_store_is_a_one_line_error() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "iphub.cli",
            "search",
            "电池",
            "--store",
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).parents[1],
        check=False,
    )
    assert result.returncode == 3
    assert "store unavailable" in result.stderr
    assert "Traceback" not in result.stderr
