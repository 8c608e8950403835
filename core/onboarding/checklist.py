"""The setup checklist of a first run, computed from what exists (never stored as ticks).

Each step is done when the ledger shows it: a business of your own, an imported statement or
a Stripe sync, no line left to categorise, a target, a CFO or accountant signed up, a report
schedule. Demo businesses never count. Dismissing the checklist is stored once per install
(``ledger_meta``), so every owner stops seeing it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, exists, select

from core.auth.dashboard_users import UserScope
from core.ledger.models import (
    Account,
    DashboardUser,
    Entity,
    JournalEntry,
    JournalLine,
    LedgerMeta,
    Subscription,
    Target,
)
from core.ledger.models_sources import SourceSync
from core.ledger.store import LedgerStore, path_ends_with, upsert_insert
from core.onboarding.owner import require_owner_now

DISMISSED_KEY = "setup_checklist_dismissed"
IMPORT_SOURCES = ("csv", "stripe")  # JournalEntry.source of a statement import, a Stripe sync
INVITED_ROLES = ("cfo", "accountant")


@dataclass(frozen=True)
class SetupStep:
    """One step: what to do, whether it is done, and the page (url path) where it is done."""

    id: str
    title: str
    done: bool
    page: str
    hint: str


@dataclass(frozen=True)
class SetupChecklist:
    """The steps in order, and whether the owner dismissed the list."""

    steps: tuple[SetupStep, ...]
    dismissed: bool

    @property
    def complete(self) -> bool:
        """True when every step is done."""
        return all(s.done for s in self.steps)

    @property
    def next_step(self) -> SetupStep | None:
        """The first step not done yet."""
        return next((s for s in self.steps if not s.done), None)


def _any(conn: Connection, query: object) -> bool:
    return bool(conn.scalar(select(exists(query))))  # type: ignore[arg-type]


def setup_checklist(store: LedgerStore) -> SetupChecklist:
    """Each step done or not, from the ledger as it is now."""
    with store.engine.connect() as conn:
        own = select(Entity.id).where(Entity.is_demo.is_(False))
        has_business = _any(conn, own)
        imported = _any(
            conn,
            select(JournalEntry.id).where(
                JournalEntry.entity_id.in_(own), JournalEntry.source.in_(IMPORT_SOURCES)
            ),
        ) or _any(
            conn,
            select(SourceSync.id).where(
                SourceSync.entity_id.in_(own),
                SourceSync.source == "stripe",
                SourceSync.status == "ok",
            ),
        )
        waiting = _any(
            conn,
            select(JournalLine.id)
            .join(Account, Account.id == JournalLine.account_id)
            .where(Account.entity_id.in_(own), path_ends_with(Account.path, ":Uncategorized")),
        )
        targets = _any(conn, select(Target.kpi_id).where(Target.entity_id.in_(own)))
        invited = _any(
            conn, select(DashboardUser.email).where(DashboardUser.role.in_(INVITED_ROLES))
        )
        demo = select(Entity.id).where(Entity.is_demo.is_(True))
        # a schedule for "all" counts too: the demo never schedules one
        scheduled = _any(conn, select(Subscription.id).where(Subscription.entity.not_in(demo)))
        dismissed = bool(
            conn.scalar(select(LedgerMeta.value).where(LedgerMeta.key == DISMISSED_KEY))
        )
    steps = (
        SetupStep("businesses", "Add your businesses", has_business, "businesses",
                  "Name each business and pick its kind; its accounts are set up for you."),
        SetupStep("import", "Import a statement (or connect Stripe)", imported, "data",
                  "Upload a bank or card CSV on the Data page, or sync Stripe."),
        SetupStep("categorise", "Categorise the imported lines", imported and not waiting,
                  "accounting",
                  "Give every uncategorised line an account in the Accounting page's queue, "
                  "or make a rule."),
        SetupStep("targets", "Set targets", targets, "cfo",
                  "Open Targets on the CFO page and enter the month's figures."),
        SetupStep("invite", "Invite your CFO or accountant", invited, "users",
                  "Add a dashboard user with the cfo or accountant role."),
        SetupStep("schedule", "Schedule a morning email", scheduled, "reports",
                  "Pick a report and a time on the Reports page."),
    )  # fmt: skip
    return SetupChecklist(steps=steps, dismissed=dismissed)


def set_checklist_dismissed(store: LedgerStore, actor: UserScope, *, dismissed: bool) -> None:
    """Hide (or show again) the setup checklist for everyone (owner only)."""
    with store.engine.begin() as conn:
        require_owner_now(conn, actor, "dismiss the setup checklist")
        stmt = upsert_insert(conn.dialect.name)(LedgerMeta).values(
            key=DISMISSED_KEY, value=int(dismissed)
        )
        conn.execute(
            stmt.on_conflict_do_update(index_elements=["key"], set_={"value": int(dismissed)})
        )
