"""The Data page's core: who may sync or import what, and imports stay all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import Settings
from core.errors import Forbidden, Invalid
from core.ledger.store import LedgerStore
from core.sources.runs import latest_runs
from core.sources.service import import_statement, run_source, setups

SAMPLE = (Path(__file__).resolve().parents[2] / "fixtures" / "bank_sample.csv").read_bytes()


def _book(store: LedgerStore) -> LedgerStore:
    store.add_entity(id="a", name="A")
    store.add_entity(id="b", name="B")
    return store


@pytest.mark.parametrize(
    ("role", "allowed", "entity"),
    [("cto", None, "a"), ("ceo", None, "a"), ("cfo", frozenset({"b"}), "a")],
)
def test_syncs_outside_role_or_scope_are_refused_before_anything_runs(
    store: LedgerStore, role: str, allowed: frozenset[str] | None, entity: str
) -> None:
    _book(store)
    settings = Settings(
        stripe_api_key="sk_" + "test_" + "x" * 24, stripe_api_base="http://127.0.0.1:9"
    )
    with pytest.raises(Forbidden):
        run_source(store, "stripe", entity, role=role, allowed=allowed, settings=settings)
    assert latest_runs(store, ["a", "b"]) == []


def test_git_sources_need_configured_repositories(store: LedgerStore, tmp_path: Path) -> None:
    _book(store)
    with pytest.raises(Invalid, match="GIT_REPOS"):
        run_source(store, "git", "a", role="owner", allowed=None, settings=Settings())
    ready = {s.source: s.ready for s in setups(Settings(git_repos=(("a", tmp_path),)), "a")}
    assert ready == {
        "stripe": False,
        "aws-costs": True,
        "aws-lambda": True,
        "git": True,
        "secret-scan": True,
    }
    assert not {s.source: s.ready for s in setups(Settings(), "a")}["git"]


def test_import_checks_then_imports_within_scope(store: LedgerStore) -> None:
    _book(store)
    kw = {"entity_id": "a", "account": "Assets:Bank:Checking", "role": "accountant"}
    dry = import_statement(store, content=SAMPLE, allowed=frozenset({"a"}), dry_run=True, **kw)
    assert dry.dry_run and dry.posted > 0 and store.line_count() == 0
    done = import_statement(store, content=SAMPLE, allowed=frozenset({"a"}), dry_run=False, **kw)
    assert done.posted == dry.posted and store.line_count() == 2 * done.posted
    with pytest.raises(Forbidden):
        import_statement(store, content=SAMPLE, allowed=frozenset({"b"}), dry_run=False, **kw)


def test_a_bad_statement_names_every_bad_row_and_writes_nothing(store: LedgerStore) -> None:
    _book(store)
    bad = (
        b"date,description,amount\n2026-01-02,Fuel,-10.00\nnot a date,Ice,-2\n2026-01-03,Dock,abc\n"
    )
    with pytest.raises(Invalid) as err:
        import_statement(
            store,
            content=bad,
            entity_id="a",
            account="Assets:Bank:Checking",
            role="owner",
            allowed=None,
            dry_run=False,
        )
    assert len(err.value.problems) == 2 and store.line_count() == 0
    with pytest.raises(Invalid, match="empty"):
        import_statement(
            store,
            content=b"  ",
            entity_id="a",
            account="Assets:Bank:Checking",
            role="owner",
            allowed=None,
            dry_run=False,
        )
