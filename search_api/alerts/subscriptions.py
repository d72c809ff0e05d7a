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
from iphub.clearance import MarkSearchError, checked
from iphub.search import search
from iphub.store.base import Store, StoreUnavailable
from iphub.store.plan import understand
from search_api.alerts import profiles, record_watch, signing, ssrf
from search_api.alerts.keys import digest
from search_api.alerts.models import Delivery, Outbox, Owner, Subscription, now
from search_api.alerts.schemas import (
    Notice,
    ProfileSummary,
    RecordWatch,
    SquattingWatch,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionOut,
    SubscriptionUpdate,
    Watch,
)
from search_api.alerts.watch_models import WatchedRecord

_EMAIL = re.compile(r"^[^@\s<>\"(),;:]+@[^@\s<>\"(),;:]+\.[^@\s<>\"(),;:]+$")


class NotFound(LookupError):
    pass


#: the subscription types, as the messages name them
_TYPE_NAMES = {
    "query": ("检索式订阅", "saved query"),
    "trademark_watch": ("商标监控", "trademark watch"),
    "record_watch": ("记录监控", "record watch"),
    "profile": ("精准推送", "profile feed"),
    "squatting_watch": ("抢注预警", "squatting watch"),
}


class WrongType(ValueError):
    """An action of one subscription type asked of a subscription of another (a 400)."""

    def __init__(self, sub_id: str, wanted: str, found: str) -> None:
        (want_zh, want_en), (found_zh, found_en) = _TYPE_NAMES[wanted], _TYPE_NAMES[found]
        self.message_zh = f"仅适用于{want_zh}：订阅 {sub_id!r} 是{found_zh}"
        self.message_en = f"applies only to a {want_en}: {sub_id!r} is a {found_en}"
        self.wanted, self.found = wanted, found
        super().__init__(f"{self.message_zh} / {self.message_en}")


def validate_query(text: str, kind: str) -> None:
    """Raise ``QuerySyntaxError`` (code, position) unless ``text`` compiles for ``kind``."""
    understand(text, kind)  # type: ignore[arg-type]


def saved_query(text: str, kind: str, store: Store | None) -> str:
    """The query a subscription saves: ``text`` as written, or — when its words find nothing in
    the store and its Chinese words as exact strings do — those strings (``"池正极材"``), as the
    search answers it: the matcher runs a saved query as written, so it follows what the search
    showed. The strings are of the query as written (numbers not yet given their fields) and
    kept only if they compile; a store that cannot answer, or refuses the query over the whole
    store (a prefix of too many terms), leaves it as written, as the matcher runs it per batch.
    Raises ``QuerySyntaxError`` for a query that does not compile."""
    validate_query(text, kind)
    if store is None or not text.strip():
        return text
    try:
        if not search(store, kind, text, size=1).as_strings:  # type: ignore[arg-type]
            return text
    except (StoreUnavailable, q.QuerySyntaxError):
        return text
    strings = q.as_strings(q.parse(text))
    if strings is None:
        return text
    saved = q.to_text(strings)
    try:
        validate_query(saved, kind)
    except q.QuerySyntaxError:  # the quotes took it past a limit: as written
        return text
    return saved


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


#: a profile built from no records: accepted (the firm may file later), said so
NO_RECORDS = Notice(
    code="no_records",
    message_zh="未找到该申请人的专利，画像为空，暂不会推送：待其专利入库后重建画像"
    "（PUT …/profile，rebuild），或手动添加检索词和 IPC 组",
    message_en="no patents of this applicant were found, so the profile is empty and pushes "
    "nothing: rebuild it once its patents are loaded (PUT …/profile with rebuild), or add "
    "terms and IPC groups by hand",
)


def _empty(profile: dict[str, object]) -> bool:
    """A profile built from no records and given nothing to push by hand."""
    parts = ("records", "terms", "ipc_groups", "competitors")
    return not any(profile.get(name) for name in parts)


def out(sub: Subscription) -> SubscriptionOut:
    spec = sub.watch or {}
    records = squatting = None
    if sub.type == "record_watch":
        records = RecordWatch(numbers=spec["numbers"], applicants=spec["applicants"])
    if sub.type == "squatting_watch":
        squatting = SquattingWatch.model_validate(spec)
    profile = None
    if sub.type == "profile" and spec:
        profile = ProfileSummary(
            applicant=spec["applicant"], records=spec.get("records", 0),
            top_n=spec["top_n"], min_features=spec["min_features"],
        )  # fmt: skip
    return SubscriptionOut(
        id=sub.id,
        name=sub.name,
        type=sub.type,
        query=sub.query,
        kind=sub.kind,
        watch=Watch.model_validate(spec) if sub.type == "trademark_watch" and spec else None,
        records=records,
        unresolved=spec.get("unresolved", []) if records else [],
        squatting=squatting,
        profile=profile,
        warnings=[NO_RECORDS] if profile is not None and _empty(spec) else [],
        channel=sub.channel,
        target=sub.target,
        lang=sub.lang,
        digest=sub.digest,
        paused=sub.paused,
        created=sub.created,
        updated=sub.updated,
    )


#: the body field each subscription type needs (the others must be absent)
_SPEC_FIELD = {
    "trademark_watch": "watch",
    "record_watch": "records",
    "profile": "profile",
    "squatting_watch": "squatting",
}
_KIND = {"trademark_watch": "trademark", "squatting_watch": "trademark", "record_watch": "any"}


#: a similar-mark search's parameters as a watch's fields
_WATCH_FIELD = {"mark": "mark", "nc": "nice_classes"}


def _check_marks(watch: Watch | SquattingWatch) -> None:
    """Refuse a watched mark or class the similar-mark search refuses (``empty_mark``: nothing
    to compare, ``bad_nice_class``), with the same codes, naming the body field."""
    if isinstance(watch, Watch):
        try:
            checked(watch.mark, watch.nice_classes)
        except MarkSearchError as exc:
            raise exc.at("body", "watch", _WATCH_FIELD[exc.parameter]) from None
        return
    for i, mark in enumerate(watch.marks):
        try:
            checked(mark, watch.nice_classes)
        except MarkSearchError as exc:
            raise exc.at("body", "squatting", "marks", i) from None


def _check_spec(body: SubscriptionCreate) -> None:
    wanted = _SPEC_FIELD.get(body.type)
    for name in _SPEC_FIELD.values():
        given = getattr(body, name) is not None
        if name == wanted and not given:
            raise ValueError(
                f"{body.type} 订阅需要 {name} / a {body.type} subscription needs {name}"
            )
        if name != wanted and given:
            raise ValueError(f"{name} 不适用于 {body.type} / {name} does not apply to {body.type}")
    if body.records is not None and not (body.records.numbers or body.records.applicants):
        raise ValueError("请至少给出一个号码或申请人 / a record watch needs numbers or applicants")
    if (marked := body.watch or body.squatting) is not None:
        _check_marks(marked)
    if body.type in ("record_watch", "profile") and body.query:
        raise ValueError(
            f"{body.type} 订阅不使用检索式 / a {body.type} subscription takes no query"
        )


def create(
    session: Session,
    owner: Owner,
    body: SubscriptionCreate,
    allow: Sequence[str],
    base_url: str,
    store: Store | None = None,
) -> SubscriptionCreated:
    _check_spec(body)
    kind = _KIND.get(body.type, "patent" if body.type == "profile" else body.kind)
    query = body.query
    if kind != "any":
        query = saved_query(body.query, kind, store if body.type == "query" else None)
    _check_digest(body.channel, body.digest)
    spec = body.watch or body.squatting
    sub = Subscription(
        owner_id=owner.id,
        name=body.name,
        type=body.type,
        query=query,
        kind=kind,
        watch=spec.model_dump() if spec else None,
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
    if body.records is not None or body.profile is not None:
        if store is None:  # pragma: no cover - the API always passes its store
            raise RuntimeError("record watches and profiles need the store")
        if body.records is not None:
            sub.watch = record_watch.start(
                session, store, sub, body.records.numbers, body.records.applicants
            )
        if body.profile is not None:
            p = body.profile
            sub.watch = profiles.build(store, p.applicant, p.top_n, p.min_features)
        session.flush()
    feed_url = f"{base_url.rstrip('/')}/api/v1/feeds/{token}.atom" if token else None
    return SubscriptionCreated(**out(sub).model_dump(), secret=sub.secret, feed_url=feed_url)


def get(session: Session, owner: Owner, sub_id: str) -> Subscription:
    sub = session.get(Subscription, sub_id)
    if sub is None or sub.owner_id != owner.id:
        raise NotFound(sub_id)
    return sub


def _of_type(session: Session, owner: Owner, sub_id: str, wanted: str) -> Subscription:
    """The owner's subscription ``sub_id`` (else ``NotFound``), if it is of type ``wanted``."""
    sub = get(session, owner, sub_id)
    if sub.type != wanted:
        raise WrongType(sub_id, wanted, sub.type)
    return sub


def list_for(session: Session, owner: Owner) -> list[Subscription]:
    stmt = select(Subscription).where(Subscription.owner_id == owner.id)
    return list(session.scalars(stmt.order_by(Subscription.created, Subscription.id)))


def update(
    session: Session,
    owner: Owner,
    sub_id: str,
    body: SubscriptionUpdate,
    allow: Sequence[str],
    store: Store | None = None,
) -> Subscription:
    sub = get(session, owner, sub_id)
    if body.records is not None:
        if sub.type != "record_watch":
            raise ValueError("records 仅用于记录监控 / records is only for record_watch")
        if not (body.records.numbers or body.records.applicants) or store is None:
            raise ValueError(
                "请至少给出一个号码或申请人 / a record watch needs numbers or applicants"
            )
        sub.watch = record_watch.start(
            session, store, sub, body.records.numbers, body.records.applicants
        )
    if body.squatting is not None:
        if sub.type != "squatting_watch":
            raise ValueError("squatting 仅用于抢注预警 / squatting is only for squatting_watch")
        _check_marks(body.squatting)
        sub.watch = body.squatting.model_dump()
    if body.query is not None:
        if sub.kind == "any":
            raise ValueError("记录监控不使用检索式 / a record watch takes no query")
        if body.query != sub.query:  # an edit form sends the query it showed, changed or not
            sub.query = saved_query(body.query, sub.kind, store if sub.type == "query" else None)
    if body.watch is not None:
        if sub.type != "trademark_watch":
            raise ValueError("watch 仅用于商标监控 / watch is only for trademark_watch")
        _check_marks(body.watch)
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


def profile(session: Session, owner: Owner, sub_id: str) -> dict[str, object]:
    sub = _of_type(session, owner, sub_id, "profile")
    if not sub.watch:
        raise NotFound(sub_id)
    return dict(sub.watch)


def edit_profile(
    session: Session, owner: Owner, sub_id: str, changes: dict[str, object], store: Store
) -> dict[str, object]:
    """Apply the owner's edits, or rebuild from the firm's records (``rebuild``)."""
    sub = _of_type(session, owner, sub_id, "profile")
    if not sub.watch:
        raise NotFound(sub_id)
    current = dict(sub.watch)
    if changes.pop("rebuild", False):
        current = profiles.build(
            store, str(current["applicant"]), int(current["top_n"]), int(current["min_features"])
        )
    if any(v is not None for v in changes.values()):
        current = profiles.edit(current, changes)
    sub.watch = current
    sub.updated = now()
    session.flush()
    return current


def watched(session: Session, owner: Owner, sub_id: str, limit: int) -> list[WatchedRecord]:
    sub = _of_type(session, owner, sub_id, "record_watch")
    return record_watch.watched(session, sub.id, limit)
