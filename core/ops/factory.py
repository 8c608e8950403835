"""Choose the ops store from settings; importing one backend never imports the other's."""

from __future__ import annotations

from typing import Any

from core.config import Settings
from core.ops.service import OpsService
from core.ops.store import OpsStore


def open_ops_store(settings: Settings, *, client: Any | None = None) -> OpsStore:
    """The configured backend (``OPS_BACKEND``), not yet initialized."""
    if settings.ops_backend == "dynamodb":
        from core.ops.dynamodb import DynamoOpsStore

        return DynamoOpsStore(settings.ops_table, client=client)
    from core.ops.sqlite import SqliteOpsStore

    return SqliteOpsStore(settings.exec_data_dir / "ops.db")


def ops_service(settings: Settings, store: OpsStore) -> OpsService:
    """The rules over ``store`` in the portfolio's time zone and home port."""
    return OpsService(store, tz=settings.tz, lat=settings.home_port_lat, lon=settings.home_port_lon)


def ops_for_reports(settings: Settings) -> OpsService:
    """The ops rules over the configured store, created if missing (reports read trips)."""
    store = open_ops_store(settings)
    store.init()
    return ops_service(settings, store)
