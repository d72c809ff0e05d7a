"""``GET /api/v1/feeds/{token}.atom``: a subscription's Atom feed, addressed by its secret token."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request, Response
from sqlalchemy import select

from search_api.alerts import atom
from search_api.alerts.keys import digest
from search_api.alerts.models import Match, Subscription
from search_api.alerts.watch_models import RecordChange
from search_api.deps import SessionDep, SettingsDep

router = APIRouter(prefix="/feeds", tags=["subscriptions"])
FEED_SIZE = 100


@router.get(
    "/{token}.atom",
    response_class=Response,
    responses={200: {"content": {atom.MEDIA_TYPE: {}}, "description": "Atom feed (RFC 4287)"}},
)
def atom_feed(
    token: Annotated[str, Path(min_length=20, max_length=100)],
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """订阅的 Atom 源 / The subscription's newest matches as an Atom feed."""
    sub = session.scalars(
        select(Subscription).where(Subscription.feed_token_hash == digest(token))
    ).one_or_none()
    if sub is None:
        raise HTTPException(404, "未找到订阅源 / no such feed")
    matches: Sequence[Match | RecordChange]
    if sub.type == "record_watch":
        matches = session.scalars(
            select(RecordChange)
            .where(RecordChange.subscription_id == sub.id)
            .order_by(RecordChange.id.desc())
            .limit(FEED_SIZE)
        ).all()
    else:
        matches = session.scalars(
            select(Match)
            .where(Match.subscription_id == sub.id)
            .order_by(Match.id.desc())
            .limit(FEED_SIZE)
        ).all()
    body = atom.render(sub, matches, str(request.url), settings.public_url)
    return Response(body, media_type=atom.MEDIA_TYPE)
