"""Request and response bodies of ``/api/v1/subscriptions``.

Responses never carry another owner's data, API keys, or stored secrets: the webhook signing
secret and the Atom feed URL (whose token is the secret) are shown once, when created.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from search_api.bodies import RequestBody

Channel = Literal["webhook", "email", "atom"]
Kind = Literal["patent", "trademark"]
Lang = Literal["zh", "en"]
SubscriptionType = Literal["query", "trademark_watch", "record_watch", "profile", "squatting_watch"]
Digest = Literal["none", "daily"]


class Watch(RequestBody):
    """A trademark watch: the mark to protect and its Nice classes."""

    mark: str = Field(min_length=1, max_length=100)
    nice_classes: list[int] = Field(default_factory=list, max_length=45)
    #: warn from this score (0–1) on; the default is tuned on the evaluation set
    threshold: float | None = Field(default=None, ge=0, le=1)
    holder: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="商标权利人名称：其本人的申请不预警 / the mark holder's name: filings by the "
        "holder itself (same normalised applicant) are not reported",
    )


class RecordWatch(RequestBody):
    """A record watch: records by number (any form ``iphub.numbers`` reads) and/or all records of
    applicants; fires when a watched record's legal status, owners or family change."""

    numbers: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(
        default_factory=list, max_length=1000
    )
    applicants: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list, max_length=20, description="applicant names or keys"
    )


class ProfileRequest(RequestBody):
    """A profile feed (精准推送): a firm names itself; iphub builds a profile from its records."""

    applicant: str = Field(min_length=1, max_length=200, description="the firm's name or key")
    top_n: int = Field(default=10, ge=1, le=50, description="most records pushed per batch")
    min_features: int = Field(
        default=2, ge=1, le=10, description="profile terms and IPC groups a record must match"
    )


class SquattingWatch(RequestBody):
    """Squatting warnings (恶意抢注预警): imitations of the owner's marks or of well-known marks by
    unrelated applicants; with ``bulk``, also every filing of a mass imitator or class spreader."""

    marks: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        default_factory=list, max_length=100
    )
    nice_classes: list[Annotated[int, Field(ge=1, le=45)]] = Field(
        default_factory=list, max_length=45
    )
    holders: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list, max_length=20, description="the owner's own applicant names"
    )
    well_known: bool = True
    bulk: bool = False


class SubscriptionCreate(RequestBody):
    name: str = Field(min_length=1, max_length=200)
    type: SubscriptionType = "query"
    query: str = Field(default="", max_length=2000, description="iphub query language")
    kind: Kind = "patent"
    watch: Watch | None = None
    records: RecordWatch | None = None
    profile: ProfileRequest | None = None
    squatting: SquattingWatch | None = None
    channel: Channel
    target: str | None = Field(
        default=None, max_length=2000, description="webhook URL or e-mail address; none for atom"
    )
    lang: Lang = "zh"
    digest: Digest = Field(
        default="none",
        description="none: a message per match; daily: one digest a day (webhook, email)",
    )


class SubscriptionUpdate(RequestBody):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    query: str | None = Field(default=None, max_length=2000)
    watch: Watch | None = None
    records: RecordWatch | None = None
    squatting: SquattingWatch | None = None
    target: str | None = Field(default=None, max_length=2000)
    lang: Lang | None = None
    digest: Digest | None = None
    paused: bool | None = None


class ProfileSummary(BaseModel):
    """A profile feed in short (its terms, classes and competitors: ``GET …/{id}/profile``)."""

    applicant: str = Field(description="the firm's applicant key")
    records: int = Field(description="the firm's patents the profile was built from")
    top_n: int
    min_features: int


class Notice(BaseModel):
    """Something the owner should know about a subscription that was still accepted."""

    code: str
    message_zh: str
    message_en: str


class SubscriptionOut(BaseModel):
    id: str
    name: str
    type: str
    query: str
    kind: str
    watch: Watch | None
    records: RecordWatch | None = None
    unresolved: list[str] = Field(
        default_factory=list, description="a record watch's numbers not (yet) in the store"
    )
    squatting: SquattingWatch | None = None
    profile: ProfileSummary | None = None
    warnings: list[Notice] = Field(
        default_factory=list,
        description="accepted, but worth knowing: no_records (a profile with no patents yet)",
    )
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


class WatchedOut(BaseModel):
    """What a record watch last saw of one record."""

    record_id: str
    status: str
    applicants: list[str]
    family_id: str | None
    batch_id: str | None
    updated: dt.datetime


class Counted(BaseModel):
    key: str
    count: int


class Competitor(BaseModel):
    key: str
    similarity: float = Field(description="cosine similarity of the IPC-group mix")
    shared: list[str] = Field(description="the profile's IPC groups they file in")


class ProfileOut(BaseModel):
    """What a profile feed pushes, and why: built from the firm's own records, editable."""

    applicant: str
    records: int = Field(description="the firm's patents the profile was built from")
    ipc_groups: list[Counted]
    terms: list[Counted]
    industries: list[Counted]
    competitors: list[Competitor]
    top_n: int
    min_features: int
    edited: bool = Field(description="changed by the owner since it was built")
    built: dt.datetime


class ProfileEdit(RequestBody):
    """Replace parts of a profile (lists replace, they do not merge); ``rebuild`` starts over."""

    ipc_groups: list[Annotated[str, Field(min_length=1, max_length=20)]] | None = Field(
        default=None, max_length=50
    )
    terms: list[Annotated[str, Field(min_length=1, max_length=50)]] | None = Field(
        default=None, max_length=50
    )
    competitors: list[Annotated[str, Field(min_length=1, max_length=200)]] | None = Field(
        default=None, max_length=20
    )
    top_n: int | None = Field(default=None, ge=1, le=50)
    min_features: int | None = Field(default=None, ge=1, le=10)
    rebuild: bool = False
