"""Subscription lifecycle: validate, create, update, pause, delete, test-fire — per owner.

Every lookup is scoped to the owner, so another owner's id is indistinguishable from an unknown
one (the API answers 404 for both). Saved queries are parsed and compiled for their record kind
at creation and on update, so a bad query is a 400 with its position now, not a failure later.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from iphub import query as q
from iphub.store.plan import compile_query
from search_api.alerts import signing, ssrf
from search_api.alerts.keys import digest
from search_api.alerts.models import Delivery, Outbox, Owner, Subscription, now
from search_api.alerts.schemas import (
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionOut,
    SubscriptionUpdate,
    Watch,
)

_EMAIL = re.compile(r"^[^@\s<>\"(),;:]+@[^@\s<>\"(),;:]+\.[^@\s<>\"(),;:]+$")


class NotFound(LookupError):
    pass


def validate_query(text: str, kind: str) -> None:
    """Raise ``QuerySyntaxError`` (code, position) unless ``text`` compiles for ``kind``."""
    compile_query(q.guess_fields(q.parse(text), ipc=kind == "patent"), kind)  # type: ignore[arg-type]


def _check_target(channel: str, target: str | None, allow: Sequence[str]) -> str | None:
    if channel == "atom":
        if target:
            raise ValueError("Atom 订阅无需目标地址 / atom subscriptions take no target")
        return None
    if not target:
        raise ValueError(f"{channel} 订阅需要目标地址 / a {channel} subscription needs a target")
    if channel == "email":
        if not _EMAIL.match(target):
            raise ValueError("电子邮件地址无效 / invalid e-mail address")
        return target
    ssrf.check_url(target, allow)
    return target


def _check_digest(channel: str, digest: str) -> None:
    if digest != "none" and channel == "atom":
        raise ValueError(
            "Atom 订阅源由阅读器拉取，不支持每日汇总 / atom feeds are pulled: no daily digest"
        )


def out(sub: Subscription) -> SubscriptionOut:
    return SubscriptionOut(
        id=sub.id,
        name=sub.name,
        type=sub.type,
        query=sub.query,
        kind=sub.kind,
        watch=Watch.model_validate(sub.watch) if sub.watch else None,
        channel=sub.channel,
        target=sub.target,
        lang=sub.lang,
        digest=sub.digest,
        paused=sub.paused,
        created=sub.created,
        updated=sub.updated,
    )


def create(
    session: Session, owner: Owner, body: SubscriptionCreate, allow: Sequence[str], base_url: str
) -> SubscriptionCreated:
    kind = "trademark" if body.type == "trademark_watch" else body.kind
    if body.type == "trademark_watch" and body.watch is None:
        raise ValueError("商标监控需要 watch.mark / a trademark watch needs watch.mark")
    if body.type == "query" and body.watch is not None:
        raise ValueError("watch 仅用于商标监控 / watch is only for trademark_watch")
    validate_query(body.query, kind)
    _check_digest(body.channel, body.digest)
    sub = Subscription(
        owner_id=owner.id,
        name=body.name,
        type=body.type,
        query=body.query,
        kind=kind,
        watch=body.watch.model_dump() if body.watch else None,
        channel=body.channel,
        target=_check_target(body.channel, body.target, allow),
        lang=body.lang,
        digest=body.digest,
    )
    token = None
    if body.channel == "webhook":
        sub.secret = signing.new_secret()
    if body.channel == "atom":
        token = secrets.token_urlsafe(32)
        sub.feed_token_hash = digest(token)
    session.add(sub)
    session.flush()
    feed_url = f"{base_url.rstrip('/')}/api/v1/feeds/{token}.atom" if token else None
    return SubscriptionCreated(**out(sub).model_dump(), secret=sub.secret, feed_url=feed_url)


def get(session: Session, owner: Owner, sub_id: str) -> Subscription:
    sub = session.get(Subscription, sub_id)
    if sub is None or sub.owner_id != owner.id:
        raise NotFound(sub_id)
    return sub


def list_for(session: Session, owner: Owner) -> list[Subscription]:
    stmt = select(Subscription).where(Subscription.owner_id == owner.id)
    return list(session.scalars(stmt.order_by(Subscription.created, Subscription.id)))


def update(
    session: Session, owner: Owner, sub_id: str, body: SubscriptionUpdate, allow: Sequence[str]
) -> Subscription:
    sub = get(session, owner, sub_id)
    if body.query is not None:
        validate_query(body.query, sub.kind)
        sub.query = body.query
    if body.watch is not None:
        if sub.type != "trademark_watch":
            raise ValueError("watch 仅用于商标监控 / watch is only for trademark_watch")
        sub.watch = body.watch.model_dump()
    if body.target is not None:
        sub.target = _check_target(sub.channel, body.target, allow)
    if body.digest is not None:
        _check_digest(sub.channel, body.digest)
    for name in ("name", "lang", "digest", "paused"):
        value = getattr(body, name)
        if value is not None:
            setattr(sub, name, value)
    sub.updated = now()
    session.flush()
    return sub


def delete(session: Session, owner: Owner, sub_id: str) -> None:
    session.delete(get(session, owner, sub_id))


def test_fire(session: Session, owner: Owner, sub_id: str) -> Outbox:
    """Queue a ``subscription.test`` message through the normal outbox path."""
    sub = get(session, owner, sub_id)
    if sub.channel == "atom":
        raise ValueError("Atom 订阅由阅读器拉取，无法推送测试 / atom feeds are pulled, not pushed")
    row = Outbox(
        subscription_id=sub.id,
        event="subscription.test",
        payload={"subscription_id": sub.id, "subscription_name": sub.name, "records": []},
    )
    session.add(row)
    session.flush()
    return row


def deliveries(session: Session, owner: Owner, sub_id: str, limit: int) -> list[Delivery]:
    sub = get(session, owner, sub_id)
    stmt = select(Delivery).where(Delivery.subscription_id == sub.id)
    return list(session.scalars(stmt.order_by(Delivery.id.desc()).limit(limit)))
