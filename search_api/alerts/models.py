"""Tables of the alerts database (SQLAlchemy 2 declarative; schema changes go through Alembic).

Owners hold API keys (only their SHA-256 is stored) and subscriptions. The matcher writes a
``Match`` per subscription × record (unique: a record alerts a subscriber once) and, in the same
transaction, an ``Outbox`` row per push channel; delivery workers claim outbox rows with a lease
and log every attempt in ``Delivery``. The Atom channel reads matches directly.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on SQLite (which drops the zone) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        return None if value is None else value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


class Base(DeclarativeBase):
    pass


class Owner(Base):
    __tablename__ = "owners"
    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("own"))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    #: normalised applicant key of the owner itself (trademark watch: "unrelated applicant")
    applicant_key: Mapped[str | None] = mapped_column(String(200))
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)


class ApiKey(Base):
    __tablename__ = "api_keys"
    #: SHA-256 hex of the key; keys are 256-bit random, so an unsalted hash suffices
    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner_id: Mapped[str] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"), index=True)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
    revoked: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class Subscription(Base):
    __tablename__ = "subscriptions"
    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("sub"))
    owner_id: Mapped[str] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    #: "query" (saved query) or "trademark_watch" (mark similarity, ``watch`` holds the mark)
    type: Mapped[str] = mapped_column(String(20), default="query")
    query: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(10))  # patent | trademark
    watch: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    channel: Mapped[str] = mapped_column(String(10))  # webhook | email | atom
    target: Mapped[str | None] = mapped_column(String(2000))  # webhook URL or e-mail address
    #: Standard Webhooks signing secret ("whsec_…"), needed in clear to sign
    secret: Mapped[str | None] = mapped_column(String(100))
    #: SHA-256 of the Atom feed's URL token
    feed_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    lang: Mapped[str] = mapped_column(String(5), default="zh")
    #: "none" (a message per match) or "daily" (one digest a day of the day's matches)
    digest: Mapped[str] = mapped_column(String(10), default="none", server_default="none")
    paused: Mapped[bool] = mapped_column(default=False)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
    updated: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)


class Match(Base):
    __tablename__ = "matches"
    __table_args__ = (UniqueConstraint("subscription_id", "record_id", name="uq_match"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subscription_id: Mapped[str] = mapped_column(
        ForeignKey("subscriptions.id", ondelete="CASCADE"), index=True
    )
    record_id: Mapped[str] = mapped_column(String(64))
    batch_id: Mapped[str | None] = mapped_column(String(64))
    #: what a message needs (title, number, date, applicants, similarity signals)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: daily-digest subscriptions: "pending" until put in a digest, then that digest's outbox id
    digest_id: Mapped[str | None] = mapped_column(String(40), index=True)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)


#: covering index for the matcher's "already matched?" lookup by record
Index("ix_matches_record_id", Match.record_id, Match.subscription_id)


class Outbox(Base):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt"),)
    #: the delivery id: stable across retries, the receiver's idempotency key
    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("msg"))
    subscription_id: Mapped[str] = mapped_column(
        ForeignKey("subscriptions.id", ondelete="CASCADE"), index=True
    )
    match_id: Mapped[int | None] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(30), default="match.created")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending|delivered|dead
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
    lease_owner: Mapped[str | None] = mapped_column(String(40))
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
    delivered: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class OwnerRate(Base):
    """Deliveries started per owner in one fixed rate window (per-subscriber rate limit)."""

    __tablename__ = "owner_rates"
    owner_id: Mapped[str] = mapped_column(
        ForeignKey("owners.id", ondelete="CASCADE"), primary_key=True
    )
    window_start: Mapped[dt.datetime] = mapped_column(UTCDateTime, primary_key=True)
    used: Mapped[int] = mapped_column(default=0)


class Delivery(Base):
    """One attempt to deliver an outbox row, successful or not."""

    __tablename__ = "deliveries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    outbox_id: Mapped[str] = mapped_column(ForeignKey("outbox.id", ondelete="CASCADE"), index=True)
    subscription_id: Mapped[str] = mapped_column(
        ForeignKey("subscriptions.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(30))
    attempt: Mapped[int] = mapped_column()
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
    ok: Mapped[bool] = mapped_column()
    status_code: Mapped[int | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[float] = mapped_column(default=0.0)
