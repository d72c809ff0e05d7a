"""Settings, read from ``IPHUB_*`` environment variables when asked for (never at import)."""

from __future__ import annotations

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
