"""The navigation's page list: built once per session and role, every page still reachable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dashboard import navigation
from tests.dashboard.conftest import sign_in


def test_the_page_list_is_built_once_per_session(
    ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[str] = []
    real = navigation._navigation

    def counted(role: str) -> Any:
        built.append(role)
        return real(role)

    monkeypatch.setattr(navigation, "_navigation", counted)
    at = sign_in("owner@example.com")
    at.run()
    at.switch_page("views/cfo.py").run()
    at.run()
    assert built == ["owner"]
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["CFO report"]
    other = sign_in("cto@example.com")  # another session: its own list, for its role
    assert built == ["owner", "cto"]
    assert [t.value for t in other.title] == ["CTO report"]


def test_a_kept_page_list_still_leaves_out_pages_outside_the_role(ledger_dir: Path) -> None:
    at = sign_in("cto@example.com")
    at.run()
    at.run()  # the kept list: the CFO page is still registered only as the access message
    with pytest.raises(ValueError, match="Known pages") as refused:
        at.switch_page("views/cfo.py")
    assert "views/cfo.py" not in str(refused.value).split("Known pages:")[1]
    assert [t.value for t in at.title] == ["CTO report"]
