"""Request and response bodies of ``/api/v1/subscriptions``.

Responses never carry another owner's data, API keys, or stored secrets: the webhook signing
secret and the Atom feed URL (whose token is the secret) are shown once, when created.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Channel = Literal["webhook", "email", "atom"]
Kind = Literal["patent", "trademark"]
Lang = Literal["zh", "en"]
Digest = Literal["none", "daily"]


class Watch(BaseModel):
    """A trademark watch: the mark to protect and its Nice classes."""

    model_config = ConfigDict(extra="forbid")
    mark: str = Field(min_length=1, max_length=100)
    nice_classes: list[int] = Field(default_factory=list, max_length=45)
    #: warn from this score (0–1) on; the default is tuned on the evaluation set
    threshold: float | None = Field(default=None, ge=0, le=1)


class SubscriptionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    type: Literal["query", "trademark_watch"] = "query"
    query: str = Field(default="", max_length=2000, description="iphub query language")
    kind: Kind = "patent"
    watch: Watch | None = None
    channel: Channel
    target: str | None = Field(
        default=None, max_length=2000, description="webhook URL or e-mail address; none for atom"
    )
    lang: Lang = "zh"
    digest: Digest = Field(
        default="none",
        description="none: a message per match; daily: one digest a day (webhook, email)",
    )


class SubscriptionUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, min_length=1, max_length=200)
    query: str | None = Field(default=None, max_length=2000)
    watch: Watch | None = None
    target: str | None = Field(default=None, max_length=2000)
    lang: Lang | None = None
    digest: Digest | None = None
    paused: bool | None = None


class SubscriptionOut(BaseModel):
    id: str
    name: str
    type: str
    query: str
    kind: str
    watch: Watch | None
    channel: str
    target: str | None
    lang: str
    digest: str
    paused: bool
    created: dt.datetime
    updated: dt.datetime


class SubscriptionCreated(SubscriptionOut):
    secret: str | None = Field(
        default=None, description="webhook signing secret (Standard Webhooks), shown only now"
    )
    feed_url: str | None = Field(default=None, description="secret Atom feed URL, shown only now")


class DeliveryOut(BaseModel):
    delivery_id: str
    event: str
    attempt: int
    at: dt.datetime
    ok: bool
    status_code: int | None
    error: str | None
    duration_ms: float


class OutboxOut(BaseModel):
    delivery_id: str
    event: str
    status: str
    attempts: int
    next_attempt: dt.datetime
    delivered: dt.datetime | None


class TestFired(BaseModel):
    delivery_id: str
