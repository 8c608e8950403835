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


def test_git_sources_need_configured_repositories(
    store: LedgerStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _book(store)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
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


def test_git_and_secret_scan_run_over_the_configured_repositories(
    store: LedgerStore, tmp_path: Path
) -> None:
    from tests.core.sources.test_git_history import Repo

    _book(store)
    repo = Repo(tmp_path / "crew-app")
    repo.commit("c1", "2026-10-05T10:00:00Z")
    # a leaked key, built at run time so this test file itself stays clean
    body = "4eC39HqLyjWD" + "arjtT1zdp7dc"
    (repo.path / "settings.py").write_text('STRIPE_KEY = "' + "sk_" + "live_" + body + '"\n')
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "settings", when="2026-10-06T10:00:00Z")
    settings = Settings(git_repos=(("a", repo.path),))
    shares: list[float] = []
    git = run_source(
        store,
        "git",
        "a",
        role="accountant",
        allowed=frozenset({"a"}),
        settings=settings,
        progress=lambda share, _t: shares.append(share),
    )
    assert "2" in git and shares and max(shares) <= 1.0
    scan = run_source(store, "secret-scan", "a", role="owner", allowed=None, settings=settings)
    assert "1 findings" in scan or "1 finding" in scan
    runs = {r.source: r for r in latest_runs(store, ["a"])}
    assert runs["git"].status == runs["secret-scan"].status == "ok"
    assert runs["git"].items == 2 and runs["secret-scan"].items >= 1
    with store.engine.connect() as conn:
        titles = [r[0] for r in conn.exec_driver_sql("select title from security_findings")]
    assert any("settings.py" in t for t in titles)
    assert all(body not in t for t in titles)  # never the secret itself
