"""``/api/v1/subscriptions``: an owner's saved queries and trademark watches, and their deliveries.

Authenticated by API key (:func:`search_api.deps.get_owner`); an owner sees only its own
subscriptions — another owner's id answers 404, exactly like an unknown one (``svc.NotFound``,
answered by ``search_api.problems``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from search_api.alerts import subscriptions as svc
from search_api.alerts.schemas import (
    DeliveryOut,
    ProfileEdit,
    ProfileOut,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionOut,
    SubscriptionUpdate,
    TestFired,
    WatchedOut,
)
from search_api.deps import OwnerDep, SessionDep, SettingsDep, StoreDep

router = APIRouter(prefix="/subscriptions", tags=["subscriptions"])
SubId = Annotated[str, Path(min_length=1, max_length=40)]


@router.post("", status_code=201)
def create_subscription(
    body: SubscriptionCreate,
    owner: OwnerDep,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
) -> SubscriptionCreated:
    """新建订阅 / Create a subscription; the query is validated (400 with its position).

    Types: ``query`` (saved query), ``trademark_watch``, ``record_watch`` (records by number or
    applicant: status, owner, family changes), ``profile`` (精准推送 from the firm's own records),
    ``squatting_watch`` (恶意抢注预警).
    """
    return svc.create(session, owner, body, settings.webhook_allow, settings.public_url, store)


@router.get("")
def list_subscriptions(owner: OwnerDep, session: SessionDep) -> list[SubscriptionOut]:
    """我的订阅 / The caller's subscriptions."""
    return [svc.out(s) for s in svc.list_for(session, owner)]


@router.get("/{sub_id}")
def get_subscription(sub_id: SubId, owner: OwnerDep, session: SessionDep) -> SubscriptionOut:
    return svc.out(svc.get(session, owner, sub_id))


@router.patch("/{sub_id}")
def update_subscription(
    sub_id: SubId,
    body: SubscriptionUpdate,
    owner: OwnerDep,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
) -> SubscriptionOut:
    return svc.out(svc.update(session, owner, sub_id, body, settings.webhook_allow, store))


def _set_paused(session: SessionDep, owner: OwnerDep, sub_id: str, paused: bool) -> SubscriptionOut:
    sub = svc.update(session, owner, sub_id, SubscriptionUpdate(paused=paused), ())
    return svc.out(sub)


@router.post("/{sub_id}/pause")
def pause_subscription(sub_id: SubId, owner: OwnerDep, session: SessionDep) -> SubscriptionOut:
    """暂停 / Pause: the matcher skips it until resumed."""
    return _set_paused(session, owner, sub_id, True)


@router.post("/{sub_id}/resume")
def resume_subscription(sub_id: SubId, owner: OwnerDep, session: SessionDep) -> SubscriptionOut:
    return _set_paused(session, owner, sub_id, False)


@router.delete("/{sub_id}", status_code=204)
def delete_subscription(sub_id: SubId, owner: OwnerDep, session: SessionDep) -> Response:
    svc.delete(session, owner, sub_id)
    return Response(status_code=204)


@router.post("/{sub_id}/test", status_code=202)
def test_fire(sub_id: SubId, owner: OwnerDep, session: SessionDep) -> TestFired:
    """试发送 / Queue a test message through the normal delivery path."""
    return TestFired(delivery_id=svc.test_fire(session, owner, sub_id).id)


@router.get("/{sub_id}/deliveries")
def delivery_history(
    sub_id: SubId,
    owner: OwnerDep,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[DeliveryOut]:
    """投递记录 / Delivery attempts, newest first."""
    rows = svc.deliveries(session, owner, sub_id, limit)
    return [
        DeliveryOut(
            delivery_id=d.outbox_id,
            event=d.event,
            attempt=d.attempt,
            at=d.at,
            ok=d.ok,
            status_code=d.status_code,
            error=d.error,
            duration_ms=d.duration_ms,
        )
        for d in rows
    ]


@router.get("/{sub_id}/profile")
def get_profile(sub_id: SubId, owner: OwnerDep, session: SessionDep) -> ProfileOut:
    """推送画像 / A profile feed's profile: what it pushes and why."""
    return ProfileOut.model_validate(svc.profile(session, owner, sub_id))


@router.put("/{sub_id}/profile")
def put_profile(
    sub_id: SubId, body: ProfileEdit, owner: OwnerDep, session: SessionDep, store: StoreDep
) -> ProfileOut:
    """修改画像 / Edit the profile (lists replace), or rebuild it from the firm's records."""
    edited = svc.edit_profile(session, owner, sub_id, body.model_dump(), store)
    return ProfileOut.model_validate(edited)


@router.get("/{sub_id}/watched")
def watched_records(
    sub_id: SubId,
    owner: OwnerDep,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[WatchedOut]:
    """监控的记录 / What a record watch last saw of each watched record."""
    rows = svc.watched(session, owner, sub_id, limit)
    return [
        WatchedOut(
            record_id=r.record_id,
            status=r.status,
            applicants=r.applicants,
            family_id=r.family_id,
            batch_id=r.batch_id,
            updated=r.updated,
        )
        for r in rows
    ]
