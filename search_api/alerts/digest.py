"""Daily digests: a day's matches of a subscription in one delivery (webhook POST or e-mail).

The matcher marks a daily-digest subscription's new matches ``digest_id = 'pending'`` and writes
no outbox row for them. From ``IPHUB_ALERTS_DIGEST_HOUR`` (China Standard Time) on, the worker
builds each such subscription's digest of the matches made before that day's midnight: in one
transaction it claims the pending matches (``UPDATE … SET digest_id = <id> WHERE digest_id =
'pending'``, so two builders never take one match) and writes one outbox row whose id is the
digest's idempotency key, ``dig_<subscription>_<YYYYMMDD>``: stable across retries and
deterministic, so a subscription never gets two digests for one day. The message (records in
record-id order) is built from the matches at delivery, like single-match messages.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from search_api.alerts.db import AlertsDB
from search_api.alerts.matcher import PENDING, PUSH_CHANNELS
from search_api.alerts.models import Match, Outbox, Subscription
from search_api.alerts.outbox import DIGEST_EVENT

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")


def cutoff(at: dt.datetime, hour: int) -> dt.datetime:
    """Matches made before this instant are due in a digest at ``at`` (a local midnight)."""
    local = at.astimezone(CHINA)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight if local.hour >= hour else midnight - dt.timedelta(days=1)


def digest_id(subscription_id: str, day: dt.date) -> str:
    return f"dig_{subscription_id.removeprefix('sub_')}_{day:%Y%m%d}"


def build_due(db: AlertsDB, at: dt.datetime, hour: int) -> int:
    """Build every digest due at ``at``; the number of digests written."""
    until = cutoff(at, hour)
    day = (until - dt.timedelta(days=1)).date()
    with db.session() as session:
        due = session.scalars(
            select(Match.subscription_id)
            .where(Match.digest_id == PENDING, Match.created < until)
            .distinct()
        ).all()
    built = 0
    for sub_id in due:
        try:
            built += _build(db, sub_id, digest_id(sub_id, day), until, day)
        except IntegrityError:  # another worker wrote this digest at the same moment
            continue
    return built


def _build(db: AlertsDB, sub_id: str, did: str, until: dt.datetime, day: dt.date) -> int:
    with db.session() as session:
        sub = session.get(Subscription, sub_id)
        if sub is None or session.get(Outbox, did) is not None:
            return 0  # today's digest exists already: late matches wait for the next one
        taken = session.execute(
            update(Match)
            .where(
                Match.subscription_id == sub_id,
                Match.digest_id == PENDING,
                Match.created < until,
            )
            .values(digest_id=did)
        ).rowcount  # type: ignore[attr-defined]
        if not taken or sub.channel not in PUSH_CHANNELS:
            return 0
        session.add(
            Outbox(
                id=did,
                subscription_id=sub_id,
                event=DIGEST_EVENT,
                payload={"digest": {"date": day.isoformat(), "count": taken}},
            )
        )
        session.flush()
    return 1
