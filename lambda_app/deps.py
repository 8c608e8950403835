"""What the routes need, built once per Lambda container (lazily, to keep cold starts short)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.auth.wiring import OpsAccess


@lru_cache(maxsize=1)
def deps() -> OpsAccess:
    """The process-wide dependencies; tests call ``deps.cache_clear()`` between setups."""
    from core.auth.wiring import build_ops_access
    from core.config import get_settings

    return build_ops_access(get_settings())
