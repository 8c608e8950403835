"""Open the ops store from settings; importing one backend never imports the other's.

``open_ops`` is the one way in: the configured store, created if missing, under the rules,
with the narrow parts other services use. Nothing else opens, initializes and wraps a store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.config import Settings
from core.ops.service import OpsService
from core.ops.store import InboundEvents, LoginCodes, OpsStore
from core.ops.weather import NwsClient, user_agent


@dataclass(frozen=True)
class OpenOps:
    """One opened ops store, handed out by concern."""

    service: OpsService  # the rules over the charter records (and the nudges' marks)
    codes: LoginCodes  # login codes and counters, for the access service
    inbound: InboundEvents  # webhook deliveries
    backend: str  # ``sqlite`` or ``dynamodb``


def open_ops_store(settings: Settings, *, client: Any | None = None) -> OpsStore:
    """The configured backend (``OPS_BACKEND``), not yet initialized (``ops-init`` and
    tests that look at the records themselves)."""
    if settings.ops_backend == "dynamodb":
        from core.ops.dynamodb import DynamoOpsStore

        return DynamoOpsStore(settings.ops_table, client=client)
    from core.ops.sqlite import SqliteOpsStore

    return SqliteOpsStore(settings.exec_data_dir / "ops.db")


def ops_service(settings: Settings, store: OpsStore) -> OpsService:
    """The rules over ``store`` in the portfolio's time zone and home port, with the marine
    forecast from ``WEATHER_API_BASE``."""
    service = OpsService(
        store, tz=settings.tz, lat=settings.home_port_lat, lon=settings.home_port_lon
    )
    service.forecasts = NwsClient(settings.weather_api_base, agent=user_agent(settings.app_url))
    return service


def open_ops(settings: Settings, *, client: Any | None = None) -> OpenOps:
    """The configured store, created if missing, under the rules."""
    store = open_ops_store(settings, client=client)
    store.init()
    return OpenOps(ops_service(settings, store), codes=store, inbound=store, backend=store.backend)
