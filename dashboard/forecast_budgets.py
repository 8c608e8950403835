"""On the Forecast page: the owner's budget editor (one business, one year) and break-even
trips by season for the charter businesses, with how a trip and each average are counted."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.auth.dashboard_users import UserScope
from core.budgets.access import may_edit_budgets
from core.budgets.lines import BudgetLine
from core.errors import DomainError, Invalid
from core.forecast.breakeven import CHARTER_INCOME, CharterBreakEven, SeasonBreakEven
from core.periods import format_period, month_label, parse_period
from core.reports.formatting import format_value
from core.reports.request import ReportRequest
from core.reports.scope import ALL, MINE
from dashboard import forecast_calls
from dashboard.flash import flash

COLUMNS = ["Month", "Account", "Amount"]


def _text(cell: object) -> str:
    """A text cell of the editor ("" for an empty one, which pandas reads as NaN)."""
    return "" if cell is None or pd.isna(cell) else str(cell).strip()  # type: ignore[call-overload]


def _lines(table: pd.DataFrame) -> tuple[list[BudgetLine], list[str]]:
    """The editor's rows as budget lines (row numbers from 1), and the rows that are not."""
    lines, problems = [], []
    for number, row in enumerate(table.itertuples(index=False), start=1):
        month_text, account, amount = _text(row[0]), _text(row[1]), row[2]
        if not month_text and not account:
            continue  # an empty row the editor added
        try:
            month = parse_period(month_text)
        except Invalid as exc:
            problems.append(f"line {number}: {exc.message}")
            continue
        if amount is None or pd.isna(amount):
            problems.append(f"line {number}: the amount is empty")
            continue
        lines.append(BudgetLine(month, account, round(float(amount) * 100), number))
    return lines, problems


def budget_editor(user: UserScope, entity: str, year: int) -> None:
    """The year's budget of one business as an editable table (the owner's)."""
    st.subheader("Budget", anchor="budget")
    if not may_edit_budgets(user.role):
        st.caption("The owner sets budgets; the CFO and Accounting pages compare them.")
        return
    if entity in (ALL, MINE):
        st.caption("A budget belongs to one business: pick one in the sidebar to edit it.")
        return
    rows = forecast_calls.budget_rows(entity, year)
    table = pd.DataFrame(
        [[format_period(b.month), b.account, b.amount_cents / 100] for b in rows], columns=COLUMNS
    )
    st.caption(
        f"{year}, one line per month and account group (e.g. `Expenses:Marketing` covers the "
        "accounts under it); amounts earned or spent, positive. Saving replaces the year's "
        "budget, all lines or none. A file works too: "
        f"`python -m core budget import FILE.csv --entity {entity}` (month,account,amount)."
    )
    edited = st.data_editor(
        table,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        key=f"fc_budget_{entity}_{year}",
        column_config={
            "Month": st.column_config.TextColumn("Month", help="YYYY-MM", required=True),
            "Account": st.column_config.TextColumn("Account", required=True),
            "Amount": st.column_config.NumberColumn("Amount", format="dollar", min_value=0),
        },
    )
    if st.button("Save budget", icon=":material/save:", key="fc_budget_save"):
        lines, problems = _lines(edited)
        try:
            if problems:
                raise Invalid("no budget was saved", problems=problems)
            months = {year * 100 + m for m in range(1, 13)}
            saved = forecast_calls.save_budget_lines(user, entity, lines, months)
        except DomainError as exc:
            st.error(exc.message)
            for p in exc.problems:
                st.caption(f"• {p}")
            return
        flash(saved.summary(), ":material/save:")
        st.rerun()


def _cents(value: float | None) -> str:
    return format_value(None if value is None else value / 100, "USD")


def _covered(s: SeasonBreakEven) -> str:
    """Whether the trips run covered the season's fixed costs."""
    if s.break_even is None:
        return "—"
    return "yes" if s.trips_per_month >= s.break_even else "no"


def break_even_frame(charter: CharterBreakEven) -> pd.DataFrame:
    """One row per season of one charter business."""
    return pd.DataFrame(
        [
            {  # the answer and what it is measured against first: a phone shows those
                "Season": s.season.title(),
                "Break-even trips a month": "—" if s.break_even is None else round(s.break_even, 1),
                "Trips run a month": round(s.trips_per_month, 1),
                "Covered": _covered(s),
                "Revenue per trip": _cents(s.revenue_per_trip),
                "Variable cost per trip": _cents(s.variable_per_trip),
                "Fixed costs a month": _cents(s.fixed_per_month),
                "Months": ", ".join(month_label(m)[:3] for m in s.months),
            }
            for s in charter.seasons
        ]
    )


def break_even_section(request: ReportRequest, names: dict[str, str]) -> None:
    """Break-even trips by season for each charter business of the scope."""
    st.subheader("Break-even trips", anchor="break-even-trips")
    charters = forecast_calls.break_even(request)
    if not charters:
        st.caption(f"No charter business here (none has {CHARTER_INCOME} in the last 12 months).")
        return
    first, last = charters[0].first, charters[0].last
    st.caption(
        f"From {month_label(first)} to {month_label(last)} (the last 12 whole months). "
        f"**A trip** is one entry crediting {CHARTER_INCOME} (a completed charter; deposits and "
        "intercompany charters are not trips). For each season's months: **revenue per trip** "
        "= charter income ÷ trips; **variable cost per trip** = expenses marked variable "
        "(crew, fuel, commissions) ÷ trips; **fixed costs a month** = the other expenses ÷ "
        "months. **Break-even trips** = fixed costs a month ÷ (revenue − variable cost per "
        "trip), against the trips actually run. Summer Jun-Sep, shoulder Apr-May and Oct, "
        "winter Nov-Mar."
    )
    for charter in charters:
        st.markdown(f"**{names.get(charter.entity_id, charter.entity_id)}**")
        st.dataframe(break_even_frame(charter), hide_index=True, width="stretch")
