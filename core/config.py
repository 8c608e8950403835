"""Settings from the environment and `.env` (CONTRACT section 2).

A plain dataclass read and checked once: no validation framework on the import path, since
the Lambda API's cold start pays for every import. Environment variables win over `.env`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.errors import Invalid


@dataclass(frozen=True)
class Settings:
    """Every setting the platform reads, validated by ``from_env``."""

    exec_data_dir: Path = Path("./data")
    database_url: str | None = None
    ops_backend: str = "sqlite"
    ops_table: str = "exec-ops"
    mail_backend: str = "outbox"
    app_url: str = "http://localhost:8787"
    dashboard_url: str = "http://localhost:8501"  # base of "Open in the dashboard" links
    weather_api_base: str = "https://api.weather.gov"  # the marine forecast service (NWS API)
    portfolio_tz: str = "America/Los_Angeles"
    home_port_lat: float = 32.7157
    home_port_lon: float = -117.1611
    jwt_secret: str | None = field(default=None, repr=False)
    jwt_secret_arn: str | None = None
    token_ttl_hours: float = 12.0
    invite_ttl_hours: float = 24.0
    ses_from_address: str | None = None
    report_bcc: str | None = None
    report_default_to: str | None = None
    ses_configuration_set: str | None = None
    ses_max_send_rate: float = 1.0
    stripe_api_key: str | None = field(default=None, repr=False)
    stripe_secret_arn: str | None = None
    stripe_webhook_secret: str | None = field(default=None, repr=False)
    stripe_webhook_secret_arn: str | None = None
    origin_verify_secret: str | None = field(default=None, repr=False)
    origin_verify_secret_arn: str | None = None  # CloudFront proves itself with this header
    stripe_api_base: str | None = None  # a Stripe-shaped server for tests and local runs
    git_repos: tuple[tuple[str, Path], ...] = ()  # (entity id, local repository path)
    pdf_page_size: str = "Letter"  # report PDFs: Letter or A4
    anomaly_first_time_min: float = 500.0  # dollars: a first-time counterparty above is flagged

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, dotenv: Path | None = None
    ) -> Settings:
        """Read ``env`` (default: `.env` overlaid by the process environment); Invalid
        lists every bad variable."""
        if env is None:
            values: dict[str, str] = {}
            path = dotenv or Path(".env")
            if path.is_file():
                from dotenv import dotenv_values

                values.update({k: v for k, v in dotenv_values(path).items() if v is not None})
            values.update(os.environ)
            env = values
        problems: list[str] = []

        def text(name: str, default: str | None = None) -> str | None:
            value = env.get(name)
            return value.strip() if value and value.strip() else default

        def number(name: str, default: float, low: float, high: float) -> float:
            raw = text(name)
            if raw is None:
                return default
            try:
                value = float(raw)
            except ValueError:
                problems.append(f"{name}={raw!r} is not a number")
                return default
            if not low <= value <= high:
                problems.append(f"{name}={raw} must be between {low:g} and {high:g}")
            return value

        def choice(name: str, default: str, options: tuple[str, ...]) -> str:
            value = text(name, default) or default
            if value not in options:
                problems.append(f"{name}={value!r} must be one of {', '.join(options)}")
            return value

        tz = text("PORTFOLIO_TZ", "America/Los_Angeles") or "America/Los_Angeles"
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(f"PORTFOLIO_TZ={tz!r} is not an IANA time zone")
        url = text("DATABASE_URL")
        if url and not url.startswith(("sqlite:///", "postgresql")):
            problems.append("DATABASE_URL must start with sqlite:/// or postgresql+psycopg://")
        secret = text("JWT_SECRET")
        if secret is not None and len(secret.encode()) < 32:
            problems.append("JWT_SECRET must be at least 32 bytes")
        dashboard_url = (text("DASHBOARD_URL") or "http://localhost:8501").rstrip("/")
        if not dashboard_url.startswith(("http://", "https://")):
            problems.append(f"DASHBOARD_URL={dashboard_url!r} must start with http:// or https://")
        weather_api_base = (text("WEATHER_API_BASE") or "https://api.weather.gov").rstrip("/")
        if not weather_api_base.startswith(("http://", "https://")):
            problems.append(f"WEATHER_API_BASE={weather_api_base!r} must start with http(s)://")
        git_repos: list[tuple[str, Path]] = []
        for item in (text("GIT_REPOS") or "").split(","):
            if not item.strip():
                continue
            entity, sep, path = item.strip().partition("=")
            if not sep or not entity.strip() or not path.strip():
                problems.append(f"GIT_REPOS item {item.strip()!r} must look like ENTITY_ID=/path")
                continue
            git_repos.append((entity.strip(), Path(path.strip()).expanduser()))
        settings = cls(
            exec_data_dir=Path(text("EXEC_DATA_DIR", "./data") or "./data"),
            database_url=url,
            ops_backend=choice("OPS_BACKEND", "sqlite", ("sqlite", "dynamodb")),
            ops_table=text("OPS_TABLE", "exec-ops") or "exec-ops",
            mail_backend=choice("MAIL_BACKEND", "outbox", ("outbox", "ses")),
            app_url=text("APP_URL", "http://localhost:8787") or "http://localhost:8787",
            dashboard_url=dashboard_url,
            weather_api_base=weather_api_base,
            portfolio_tz=tz,
            home_port_lat=number("HOME_PORT_LAT", 32.7157, -90, 90),
            home_port_lon=number("HOME_PORT_LON", -117.1611, -180, 180),
            jwt_secret=secret,
            jwt_secret_arn=text("JWT_SECRET_ARN"),
            token_ttl_hours=number("TOKEN_TTL_HOURS", 12, 0.01, 24 * 30),
            invite_ttl_hours=number("INVITE_TTL_HOURS", 24, 0.01, 24 * 30),
            ses_from_address=text("SES_FROM_ADDRESS"),
            report_bcc=text("REPORT_BCC"),
            report_default_to=text("REPORT_DEFAULT_TO"),
            ses_configuration_set=text("SES_CONFIGURATION_SET"),
            ses_max_send_rate=number("SES_MAX_SEND_RATE", 1.0, 0.001, 1000),
            stripe_api_key=text("STRIPE_API_KEY"),
            stripe_secret_arn=text("STRIPE_SECRET_ARN"),
            stripe_webhook_secret=text("STRIPE_WEBHOOK_SECRET"),
            stripe_webhook_secret_arn=text("STRIPE_WEBHOOK_SECRET_ARN"),
            origin_verify_secret=text("ORIGIN_VERIFY_SECRET"),
            origin_verify_secret_arn=text("ORIGIN_VERIFY_SECRET_ARN"),
            stripe_api_base=text("STRIPE_API_BASE"),
            git_repos=tuple(git_repos),
            pdf_page_size=choice("PDF_PAGE_SIZE", "Letter", ("Letter", "A4")),
            anomaly_first_time_min=number("ANOMALY_FIRST_TIME_MIN", 500.0, 0, 1e9),
        )
        if problems:
            raise Invalid("bad configuration", problems=problems)
        return settings

    @property
    def tz(self) -> ZoneInfo:
        """The reporting time zone."""
        return ZoneInfo(self.portfolio_tz)

    @property
    def outbox_dir(self) -> Path:
        """Where the outbox sender writes .eml files."""
        return self.exec_data_dir / "outbox"

    @property
    def ledger_url(self) -> str:
        """DATABASE_URL, or the SQLite file inside the data directory."""
        return self.database_url or f"sqlite:///{self.exec_data_dir / 'ledger.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return Settings.from_env()
