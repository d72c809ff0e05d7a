"""Tables of record watches (Alembic revision 0003): snapshots of watched records, and changes.

The store keeps only a record's current version, so a record watch keeps what it last saw of
each watched record (legal status, applicants' keys, family id) in ``watched_records`` and, when
a batch brings a different version, writes a ``record_changes`` row (unique subscription × record
× batch: a re-run of the batch adds nothing) and, for push channels, an outbox row in the same
transaction as the snapshot update.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from search_api.alerts.models import Base, UTCDateTime, now


class WatchedRecord(Base):
    __tablename__ = "watched_records"
    __table_args__ = (Index("ix_watched_records_record_id", "record_id"),)
    subscription_id: Mapped[str] = mapped_column(
        ForeignKey("subscriptions.id", ondelete="CASCADE"), primary_key=True
    )
    record_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: legal status (patent) or status (trademark) as last seen
    status: Mapped[str] = mapped_column(String(20))
    #: sorted applicant keys as last seen
    applicants: Mapped[list[str]] = mapped_column(JSON)
    family_id: Mapped[str | None] = mapped_column(String(64))
    batch_id: Mapped[str | None] = mapped_column(String(64))
    updated: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)


class RecordChange(Base):
    __tablename__ = "record_changes"
    __table_args__ = (
        UniqueConstraint("subscription_id", "record_id", "batch_id", name="uq_record_change"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subscription_id: Mapped[str] = mapped_column(
        ForeignKey("subscriptions.id", ondelete="CASCADE"), index=True
    )
    record_id: Mapped[str] = mapped_column(String(64))
    batch_id: Mapped[str] = mapped_column(String(64))
    #: the record summary with ``changes`` (field, before, after) and readable ``signals``
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
