"""Settings, read from ``IPHUB_*`` environment variables when asked for (never at import)."""

from __future__ import annotations

import ipaddress
import json
import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict, SettingsError

#: a list-valued setting as the environment gives it: ``a,b``, ``a b`` or a JSON list
Items = Annotated[tuple[str, ...], NoDecode]


class InvalidSetting(ValueError):
    """An ``IPHUB_*`` variable whose value the setting cannot take (one line for the CLI)."""


def split_items(value: Any) -> Any:
    """``"10.0.0.0/8, intranet.local"`` or ``'["10.0.0.0/8"]'`` → a tuple; other types pass."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not a JSON list ({exc.msg})") from None
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ValueError("a JSON list must hold strings")
        return tuple(i.strip() for i in items if i.strip())
    return tuple(i for i in re.split(r"[,\s]+", text) if i)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IPHUB_", extra="ignore")

    store: str = "sqlite:///var/iphub.db"
    host: str = "127.0.0.1"
    port: int = 8000
    #: requests per client per ``rate_window`` seconds; 0 disables the limiter
    rate_limit: int = 120
    rate_window: float = 60.0
    #: trust X-Forwarded-For only from these proxy addresses
    trusted_proxies: Items = ()
    demo_patents: int = 20_000
    demo_trademarks: int = 20_000
    demo_copyrights: int = 2_000
    #: who a crawled site's operator can reach: a URL and/or an e-mail address (User-Agent)
    crawl_contact: str = "+https://iphub.example/crawler; crawler@iphub.example"

    _items = field_validator("trusted_proxies", "webhook_allow", mode="before")(split_items)

    @field_validator("webhook_allow")
    @classmethod
    def _networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for entry in value:
            if "/" in entry:
                try:
                    ipaddress.ip_network(entry, strict=False)
                except ValueError:
                    raise ValueError(f"{entry!r} is not a CIDR network") from None
        return value

    def crawl_user_agent(self) -> str:
        return (
            "iphub-crawler/0.1 (Guangzhou patent and trademark public service platform; "
            f"{self.crawl_contact})"
        )

    #: subscriptions, matches and the delivery outbox (SQLAlchemy URL); default beside the store
    alerts_db: str | None = None
    #: webhook targets allowed although private/loopback (CIDRs or host names; intranet use)
    webhook_allow: Items = ()
    #: seconds a delivery worker holds a claimed outbox row before another may take it
    alerts_lease: float = 60.0
    #: attempts before an outbox row is dead-lettered; back-off is base × 2^attempt seconds
    alerts_max_attempts: int = 8
    alerts_backoff: float = 30.0
    #: deliveries started per owner (API key holder) per ``alerts_rate_window`` seconds; the
    #: rest wait for the next window (deferred, never dropped); 0 disables the limit
    alerts_rate_limit: int = 120
    alerts_rate_window: float = 60.0
    #: hour (China Standard Time, UTC+8) from which the previous day's digests are sent
    alerts_digest_hour: int = Field(default=8, ge=0, le=23)
    #: `iphub serve` also runs the delivery worker (turn off with --no-worker or here)
    alerts_worker: bool = True
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_from: str = "iphub <alerts@iphub.localhost>"
    #: public base URL used in links of e-mails, webhooks and Atom feeds
    public_url: str = "http://127.0.0.1:8000"

    def alerts_url(self) -> str:
        """The alerts database: IPHUB_ALERTS_DB, else ``alerts.db`` beside a SQLite store (whose
        folder the store makes), else in ``var/``, made here: a folder iphub chose is iphub's to
        make (a named database's missing folder is a mistyped path, refused by ``open_db``)."""
        if self.alerts_db:
            return self.alerts_db
        if self.store.startswith("sqlite:///"):
            return f"sqlite:///{Path(self.store.removeprefix('sqlite:///')).parent / 'alerts.db'}"
        Path("var").mkdir(exist_ok=True)
        return "sqlite:///var/alerts.db"


def read_settings() -> Settings:
    """The settings from the environment; a value that does not fit is :class:`InvalidSetting`
    naming the variable, in place of pydantic's multi-line report."""
    try:
        return Settings()
    except SettingsError as exc:  # pragma: no cover - every complex field decodes itself
        raise InvalidSetting(f"设置无效 / invalid setting: {exc}") from None
    except ValidationError as exc:
        wrong = "; ".join(
            f"IPHUB_{str(e['loc'][0]).upper()}={e.get('input')!r}: {e['msg']}" for e in exc.errors()
        )
        raise InvalidSetting(f"环境变量取值无效 / invalid environment setting: {wrong}") from None
