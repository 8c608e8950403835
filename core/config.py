"""Settings from the environment and `.env` (CONTRACT section 2)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting the platform reads; validated once at start-up."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    exec_data_dir: Path = Field(default=Path("./data"), alias="EXEC_DATA_DIR")
    database_url: str | None = Field(default=None, alias="DATABASE_URL")
    ops_backend: Literal["sqlite", "dynamodb"] = Field(default="sqlite", alias="OPS_BACKEND")
    ops_table: str = Field(default="exec-ops", alias="OPS_TABLE")
    mail_backend: Literal["outbox", "ses"] = Field(default="outbox", alias="MAIL_BACKEND")
    app_url: str = Field(default="http://localhost:8787", alias="APP_URL")
    jwt_secret: str | None = Field(default=None, alias="JWT_SECRET", repr=False)
    jwt_secret_arn: str | None = Field(default=None, alias="JWT_SECRET_ARN")
    token_ttl_hours: float = Field(default=12, alias="TOKEN_TTL_HOURS", gt=0, le=24 * 30)
    invite_ttl_hours: float = Field(default=24, alias="INVITE_TTL_HOURS", gt=0, le=24 * 30)
    ses_from_address: str | None = Field(default=None, alias="SES_FROM_ADDRESS")
    report_bcc: str | None = Field(default=None, alias="REPORT_BCC")
    report_default_to: str | None = Field(default=None, alias="REPORT_DEFAULT_TO")
    ses_configuration_set: str | None = Field(default=None, alias="SES_CONFIGURATION_SET")
    ses_max_send_rate: float = Field(default=1.0, alias="SES_MAX_SEND_RATE", gt=0, le=1000)
    portfolio_tz: str = Field(default="America/Los_Angeles", alias="PORTFOLIO_TZ")
    home_port_lat: float = Field(default=32.7157, alias="HOME_PORT_LAT", ge=-90, le=90)
    home_port_lon: float = Field(default=-117.1611, alias="HOME_PORT_LON", ge=-180, le=180)

    @field_validator("portfolio_tz")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"PORTFOLIO_TZ={value!r} is not an IANA time zone") from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("sqlite:///", "postgresql")):
            raise ValueError("DATABASE_URL must start with sqlite:/// or postgresql+psycopg://")
        return value or None

    @property
    def tz(self) -> ZoneInfo:
        """The reporting time zone."""
        return ZoneInfo(self.portfolio_tz)

    @field_validator("jwt_secret")
    @classmethod
    def _strong_secret(cls, value: str | None) -> str | None:
        if value is not None and len(value.encode()) < 32:
            raise ValueError("JWT_SECRET must be at least 32 bytes")
        return value

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
    return Settings()
