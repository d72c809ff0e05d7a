"""API keys: 256-bit random bearer tokens, stored only as their SHA-256.

Unknown, revoked and malformed keys are indistinguishable to the caller (the API answers the
same 401 for each); keys are compared by hash lookup, never by string equality on the secret.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from search_api.alerts.models import ApiKey, Owner

PREFIX = "iph_"
_SHAPE = re.compile(r"^iph_[A-Za-z0-9_-]{43}$")


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_owner(
    session: Session, name: str, email: str | None = None, applicant_key: str | None = None
) -> tuple[Owner, str]:
    """A new owner and its first API key (the only time the key is seen in clear). An owner is
    told apart by its name: a blank one is ``ValueError``."""
    name = name.strip()
    if not name:
        raise ValueError("所有者名称不能为空 / the owner needs a name")
    owner = Owner(name=name, email=email, applicant_key=applicant_key)
    session.add(owner)
    session.flush()
    return owner, issue_key(session, owner)


def issue_key(session: Session, owner: Owner) -> str:
    key = PREFIX + secrets.token_urlsafe(32)
    session.add(ApiKey(hash=digest(key), owner_id=owner.id))
    session.flush()
    return key


def revoke_key(session: Session, key: str) -> bool:
    row = session.get(ApiKey, digest(key))
    if row is None or row.revoked is not None:
        return False
    row.revoked = dt.datetime.now(dt.UTC)
    return True


def authenticate(session: Session, key: str | None) -> Owner | None:
    """The owner of a valid, unrevoked key; ``None`` for anything else."""
    if not key or not _SHAPE.match(key):
        return None
    row = session.execute(
        select(Owner)
        .join(ApiKey, ApiKey.owner_id == Owner.id)
        .where(ApiKey.hash == digest(key), ApiKey.revoked.is_(None))
    ).scalar_one_or_none()
    return row
