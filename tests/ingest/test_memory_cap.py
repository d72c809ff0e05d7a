"""``bench.ingest_rss --memory-limit``: the cap a load runs under is real.

The bench reports a 1 GB load's memory as the cap it ran under (BENCHMARKS.md); these tests hold
that a process under :class:`bench.ingest_rss.MemoryCap` cannot keep more than the cap — it is
killed, and the report says so — and that one within it runs and is reported clean. They need a
memory cgroup this process may make (root on Linux, as in CI) and skip with that reason
elsewhere.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from bench.ingest_rss import MB, MemoryCap

#: a child that writes ``n`` MB (written bytes are resident; a zeroed allocation may not be)
HOLD = "import sys; held = b'x' * (int(sys.argv[1]) * 1024 * 1024); print(len(held))"


@pytest.fixture
def cap() -> Iterator[MemoryCap]:
    try:
        made = MemoryCap(64)
    except SystemExit as exc:  # no memory cgroup here, or not ours to make
        pytest.skip(f"needs a memory cgroup it may create: {exc}")
    yield made
    made.close()


def _hold(cap: MemoryCap, mb: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - this interpreter
        [sys.executable, "-c", HOLD, str(mb)],
        preexec_fn=cap.enter(),  # noqa: PLW1509 - no thread of this test is running
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_a_process_over_the_cap_is_killed_and_reported(cap: MemoryCap) -> None:
    done = _hold(cap, 160)
    assert done.returncode == -9, done.stderr
    report = cap.report()
    assert report["memory_limit_mb"] == 64
    assert report["oom_kills"] >= 1


def test_a_process_within_the_cap_runs_and_is_reported_clean(cap: MemoryCap) -> None:
    done = _hold(cap, 16)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(16 * MB)
    report = cap.report()
    assert report["oom_kills"] == 0
    assert 16 <= report["cgroup_peak_mb"] <= 64  # what it held was charged to the cap's group
