"""open_ops: the configured store, created if missing, handed out by concern."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from core.config import Settings
from core.ops.factory import open_ops
from core.ops.login_codes import LoginCode
from core.ops.models import utcnow
from core.ops_access.codes import code_hash


def test_open_ops_creates_the_store_and_hands_out_its_parts_over_it(tmp_path: Path) -> None:
    settings = Settings.from_env({"EXEC_DATA_DIR": str(tmp_path), "OPS_BACKEND": "sqlite"})
    opened = open_ops(settings)
    assert opened.backend == "sqlite" and (tmp_path / "ops.db").exists()
    user = opened.service.add_user(email="a@example.com", name="A", role="admin")
    later = utcnow() + timedelta(minutes=5)
    opened.codes.put_code(LoginCode(code_hash("ABCD2345"), user.id, "login", later))
    again = open_ops(settings)  # safe to open again: the same records
    assert again.service.find_user("a@example.com") == user
    assert again.codes.take_code(code_hash("ABCD2345"), utcnow()) is not None
    assert again.inbound.inbound_events("stripe", utcnow() - timedelta(hours=1)) == []
