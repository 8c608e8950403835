"""Build the ops rules and access service from settings (used by the API and the CLI)."""

from __future__ import annotations

from dataclasses import dataclass

from core.auth.access import AccessService
from core.auth.jwt_key import JwtKey
from core.config import Settings
from core.delivery.senders import Sender, make_sender
from core.ops.factory import open_ops_store, ops_service
from core.ops.service import OpsService


@dataclass(frozen=True)
class OpsAccess:
    """The ops rules, access (codes and tokens) and the mail sender, over one store."""

    settings: Settings
    ops: OpsService
    access: AccessService
    sender: Sender


def build_ops_access(settings: Settings) -> OpsAccess:
    """Open (and create if missing) the configured store, and wire everything on it."""
    store = open_ops_store(settings)
    store.init()
    ops = ops_service(settings, store)
    sender = make_sender(settings)
    access = AccessService(ops, settings, sender=sender, secret=JwtKey(settings).get)
    return OpsAccess(settings, ops, access, sender)
