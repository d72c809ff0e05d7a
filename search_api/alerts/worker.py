"""The delivery worker (``iphub alerts run``): claim outbox rows, send them, record the outcome.

Any number of workers may run against one database; the lease (``IPHUB_ALERTS_LEASE``) makes
each row theirs alone until it expires. Delivery is at-least-once with a stable delivery id: a
worker killed after the receiver's 2xx but before marking the row re-sends it after the lease,
with the same id, which an idempotent receiver drops. Before sending, a delivery takes a slot of
its owner's rate window (:mod:`search_api.alerts.ratelimit`) or is deferred to the next window.
``iphub serve`` runs this loop in a thread (:func:`start_thread`) unless told not to.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from dataclasses import dataclass

from iphub.config import Settings
from search_api.alerts import digest, mail, ratelimit, webhook
from search_api.alerts.db import AlertsDB
from search_api.alerts.models import now
from search_api.alerts.outbox import Attempt, Claimed, claim, defer, finish

DIGEST_EVERY = 60.0


@dataclass
class WorkerStats:
    delivered: int = 0
    failed: int = 0
    #: put back unsent because the owner's rate window was full
    deferred: int = 0
    digests: int = 0


def deliver(item: Claimed, settings: Settings) -> Attempt:
    sub, row = item.subscription, item.row
    if sub.channel == "webhook":
        return webhook.send(sub, row, item.payload, settings.webhook_allow)
    if sub.channel == "email":
        return mail.send(
            sub,
            row,
            item.payload,
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_from,
            settings.public_url,
        )
    return Attempt(False, error=f"channel {sub.channel!r} is not pushed", permanent=True)


def run_once(db: AlertsDB, settings: Settings, worker: str, stats: WorkerStats) -> int:
    """Claim and send one round; the number of rows handled (sent or deferred)."""
    items = claim(db, worker, settings.alerts_lease)
    for item in items:
        owner = item.subscription.owner_id
        wait = ratelimit.take(
            db, owner, settings.alerts_rate_limit, settings.alerts_rate_window, now()
        )
        if wait is not None:
            defer(db, worker, item, wait)
            stats.deferred += 1
            continue
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
    db: AlertsDB,
    settings: Settings,
    *,
    poll: float = 1.0,
    idle_exit: float | None = None,
    stop: threading.Event | None = None,
) -> WorkerStats:
    """Loop until interrupted, ``stop`` is set, or idle for ``idle_exit`` seconds. Due daily
    digests are built every ``DIGEST_EVERY`` seconds."""
    worker = f"{socket.gethostname()[:20]}-{os.getpid()}-{threading.get_ident() % 10_000}"
    stats = WorkerStats()
    stop = stop or threading.Event()
    idle_since = time.monotonic()
    digests_at = 0.0
    while not stop.is_set():
        if time.monotonic() - digests_at >= DIGEST_EVERY:
            stats.digests += digest.build_due(db, now(), settings.alerts_digest_hour)
            digests_at = time.monotonic()
        if run_once(db, settings, worker, stats):
            idle_since = time.monotonic()
            continue
        if idle_exit is not None and time.monotonic() - idle_since >= idle_exit:
            break
        stop.wait(poll)
    return stats


def start_thread(db: AlertsDB, settings: Settings, stop: threading.Event) -> threading.Thread:
    """Run the worker in a thread of this process (``iphub serve``) until ``stop`` is set."""
    thread = threading.Thread(
        target=run, args=(db, settings), kwargs={"stop": stop}, name="iphub-alerts-worker"
    )
    thread.start()
    return thread
