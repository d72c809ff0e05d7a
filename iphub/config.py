"""Settings, read from ``IPHUB_*`` environment variables when asked for (never at import)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IPHUB_", extra="ignore")

    store: str = "sqlite:///var/iphub.db"
    host: str = "127.0.0.1"
    port: int = 8000
    #: requests per client per ``rate_window`` seconds; 0 disables the limiter
    rate_limit: int = 120
    rate_window: float = 60.0
    #: trust X-Forwarded-For only from these proxy addresses
    trusted_proxies: tuple[str, ...] = ()
    demo_patents: int = 20_000
    demo_trademarks: int = 20_000
    demo_copyrights: int = 2_000
    #: who a crawled site's operator can reach: a URL and/or an e-mail address (User-Agent)
    crawl_contact: str = "+https://iphub.example/crawler; crawler@iphub.example"

    def crawl_user_agent(self) -> str:
        return (
            "iphub-crawler/0.1 (Guangzhou patent and trademark public service platform; "
            f"{self.crawl_contact})"
        )

    #: subscriptions, matches and the delivery outbox (SQLAlchemy URL); default beside the store
    alerts_db: str | None = None
    #: webhook targets allowed although private/loopback (CIDRs or host names; intranet use)
    webhook_allow: tuple[str, ...] = ()
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
        """The alerts database: IPHUB_ALERTS_DB, else ``alerts.db`` beside a SQLite store."""
        if self.alerts_db:
            return self.alerts_db
        if self.store.startswith("sqlite:///"):
            return f"sqlite:///{Path(self.store.removeprefix('sqlite:///')).parent / 'alerts.db'}"
        return "sqlite:///var/alerts.db"
