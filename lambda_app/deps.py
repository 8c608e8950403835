"""What the routes need, built once per Lambda container (lazily, to keep cold starts short)."""

from __future__ import annotations

from functools import lru_cache

from core.auth.wiring import OpsAccess, build_ops_access
from core.config import get_settings

Deps = OpsAccess


@lru_cache(maxsize=1)
def deps() -> OpsAccess:
    """The process-wide dependencies; tests call ``deps.cache_clear()`` between setups."""
    return build_ops_access(get_settings())
