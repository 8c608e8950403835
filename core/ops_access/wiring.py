"""Build the ops rules and access service from settings (used by the API and the CLI)."""

from __future__ import annotations

from dataclasses import dataclass

from core.config import Settings
from core.delivery.senders import Sender, make_sender
from core.ops.factory import open_ops
from core.ops.service import OpsService
from core.ops.store import InboundEvents
from core.ops_access.access import AccessService
from core.ops_access.jwt_key import JwtKey


@dataclass(frozen=True)
class OpsAccess:
    """The ops rules, access (codes and tokens), webhook deliveries and the mail sender,
    over one store."""

    settings: Settings
    ops: OpsService
    access: AccessService
    sender: Sender
    inbound: InboundEvents


def build_ops_access(settings: Settings, *, sender: Sender | None = None) -> OpsAccess:
    """Open (and create if missing) the configured store, and wire everything on it
    (``sender``: default the configured one; the API passes one that counts for its metrics)."""
    opened = open_ops(settings)
    sender = sender or make_sender(settings)
    access = AccessService(
        opened.service, settings, codes=opened.codes, sender=sender, secret=JwtKey(settings).get
    )
    return OpsAccess(settings, opened.service, access, sender, opened.inbound)
