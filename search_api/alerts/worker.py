"""The delivery worker (``iphub alerts run``): claim outbox rows, send them, record the outcome.

Any number of workers may run against one database; the lease (``IPHUB_ALERTS_LEASE``) makes
each row theirs alone until it expires. Delivery is at-least-once with a stable delivery id: a
worker killed after the receiver's 2xx but before marking the row re-sends it after the lease,
with the same id, which an idempotent receiver drops.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass

from iphub.config import Settings
from search_api.alerts import mail, webhook
from search_api.alerts.db import AlertsDB
from search_api.alerts.outbox import Attempt, Claimed, claim, finish


@dataclass
class WorkerStats:
    delivered: int = 0
    failed: int = 0


def deliver(item: Claimed, settings: Settings) -> Attempt:
    sub, row = item.subscription, item.row
    if sub.channel == "webhook":
        return webhook.send(sub, row, settings.webhook_allow)
    if sub.channel == "email":
        return mail.send(
            sub,
            row,
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_from,
            settings.public_url,
        )
    return Attempt(False, error=f"channel {sub.channel!r} is not pushed", permanent=True)


def run_once(db: AlertsDB, settings: Settings, worker: str, stats: WorkerStats) -> int:
    """Claim and send one round; the number of rows handled."""
    items = claim(db, worker, settings.alerts_lease)
    for item in items:
        attempt = deliver(item, settings)
        finish(
            db,
            worker,
            item.row,
            attempt,
            max_attempts=settings.alerts_max_attempts,
            backoff=settings.alerts_backoff,
        )
        if attempt.ok:
            stats.delivered += 1
        else:
            stats.failed += 1
    return len(items)


def run(
    db: AlertsDB, settings: Settings, *, poll: float = 1.0, idle_exit: float | None = None
) -> WorkerStats:
    """Loop until interrupted (or idle for ``idle_exit`` seconds)."""
    worker = f"{socket.gethostname()[:20]}-{os.getpid()}"
    stats = WorkerStats()
    idle_since = time.monotonic()
    while True:
        if run_once(db, settings, worker, stats):
            idle_since = time.monotonic()
            continue
        if idle_exit is not None and time.monotonic() - idle_since >= idle_exit:
            return stats
        time.sleep(poll)
