"""The categorization queue as an editable table: pick an account per line, save them all.

One table per business and direction (money in or out), since each offers its own accounts
(Income or Expenses, and Equity). "Save categories" moves every picked line at once through
the core, all or nothing; a refusal lists every problem and keeps the picks.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence

import pandas as pd
import streamlit as st

from core.auth.dashboard_users import UserScope
from core.errors import DomainError
from core.ledger.store import UncategorizedLine
from core.reports import csv_export
from core.reports.model import Report, Table
from dashboard import core_calls
from dashboard.filters import Filters
from dashboard.flash import flash

MAX_LINES = 300  # newest first; a longer queue is worked through in batches
ACCOUNT = "Account"


def money_in(line: UncategorizedLine) -> bool:
    """True for money received (the line waits on Income:Uncategorized)."""
    return line.path.startswith("Income")


def line_label(line: UncategorizedLine) -> str:
    """One line as a person reads it: date, business, description, amount."""
    return f"{line.date} · {line.entity_id} · {line.description} · ${abs(line.cents) / 100:,.2f}"


def show_problems(exc: DomainError, lines: Iterable[UncategorizedLine] = ()) -> None:
    """A refusal with every problem listed; ``line 12: ...`` names the line it is about."""
    named = {f"line {q.entry_id}:": f"{q.date} {q.description}:" for q in lines}
    problems = []
    for problem in exc.problems:
        head = problem.split(" ", 2)[:2]
        key = " ".join(head)
        problems.append(named[key] + problem[len(key) :] if key in named else problem)
    st.error(exc.message + "".join(f"\n- {p}" for p in problems), icon=":material/error:")


def groups(
    lines: Sequence[UncategorizedLine],
) -> dict[tuple[str, bool], list[UncategorizedLine]]:
    """The lines by (entity, money in), in the order their newest line comes."""
    out: dict[tuple[str, bool], list[UncategorizedLine]] = {}
    for line in lines:
        out.setdefault((line.entity_id, money_in(line)), []).append(line)
    return out


def editor_key(entity_id: str, incoming: bool, lines: Sequence[UncategorizedLine]) -> str:
    """A key that changes with the lines, so picks never slide onto other rows after a save."""
    ids = ",".join(str(q.entry_id) for q in lines).encode()
    return f"catq-{entity_id}-{'in' if incoming else 'out'}-{zlib.crc32(ids):08x}"


def _table(lines: Sequence[UncategorizedLine], accounts: list[str], key: str) -> dict[int, str]:
    """One editable table; the picks made in it (entry id -> account)."""
    frame = pd.DataFrame(
        {
            "Date": [q.date for q in lines],
            "Description": [q.description for q in lines],
            "Amount": [abs(q.cents) / 100 for q in lines],
            ACCOUNT: pd.Series([None] * len(lines), dtype="object"),
        },
        index=pd.Index([q.entry_id for q in lines], name="entry"),
    )
    edited = st.data_editor(
        frame,
        key=key,
        hide_index=True,
        width="stretch",
        num_rows="fixed",
        placeholder="pick an account",
        disabled=["Date", "Description", "Amount"],
        column_order=["Description", ACCOUNT, "Amount", "Date"],
        column_config={
            "Date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
            "Description": st.column_config.TextColumn("Description", width="medium"),
            "Amount": st.column_config.NumberColumn("Amount", format="dollar"),
            ACCOUNT: st.column_config.SelectboxColumn(
                ACCOUNT,
                options=accounts,
                width="medium",
                help="The account this line belongs to; type to search. Empty: leave it queued.",
            ),
        },
    )
    return {
        int(entry): str(account)
        for entry, account in edited[ACCOUNT].items()
        if isinstance(account, str) and account
    }


def queue_download(report: Report) -> None:
    """The read-only queue's "Download CSV" (the same file the report page offered)."""
    section = next((s for s in report.sections if s.id == "queue"), None)
    for item in section.items if section is not None else []:
        if isinstance(item, Table):
            st.download_button(
                "Download the queue (CSV)",
                csv_export.table_csv(item),
                file_name=f"{item.id}.csv",
                mime=csv_export.MIME,
                icon=":material/download:",
                key=f"dl_{item.id}",
            )


def category_queue(user: UserScope, f: Filters, report: Report) -> list[UncategorizedLine]:
    """The queue's editable tables and "Save categories" (with the report's queue table as a
    CSV download, formulas neutralised); returns the queued lines."""
    st.subheader("Categorization queue", divider="gray")
    queue_download(report)
    lines = core_calls.queue(f.request("accounting", user))
    if not lines:
        st.success("Nothing waits for a category.", icon=":material/done_all:")
        return lines
    shown = lines[:MAX_LINES]
    more = f" (the newest {len(shown):,} shown)" if len(lines) > len(shown) else ""
    st.caption(
        f"{len(lines):,} line(s) up to the end of the month wait for a category{more}. Pick an "
        "account in the Account column (type to search), then save them all at once."
    )
    names = dict(core_calls.entities(user.entities))
    picks: dict[int, str] = {}
    for (entity_id, incoming), group in groups(shown).items():
        accounts = core_calls.category_accounts(entity_id, money_in=incoming, user=user)
        way = "money in" if incoming else "money out"
        st.markdown(f"**{names.get(entity_id, entity_id)}** · {way} · {len(group)} line(s)")
        picks |= _table(group, accounts, editor_key(entity_id, incoming, group))
    st.caption(f"{len(picks)} line(s) picked." if picks else "No account picked yet.")
    if st.button(
        "Save categories",
        type="primary",
        icon=":material/save:",
        disabled=not picks,
        key="save_categories",
    ):
        try:
            out = core_calls.categorize_lines(picks, user)
        except DomainError as exc:
            show_problems(exc, shown)
            return lines
        flash(
            f"Categorized {out.moved_lines} line(s) (${out.moved_cents / 100:,.2f})",
            ":material/done_all:",
        )
        st.rerun()
    return lines
