"""Budget lines from a ``month,account,amount`` CSV or the page's editor, and every reason a
set of lines cannot be saved (all or nothing: each bad line is named by its line number)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from core.errors import Invalid
from core.ledger.bank_files import Source, parse_amount, read_records
from core.ledger.store import account_root
from core.periods import format_period, parse_period

COLUMNS = ("month", "account", "amount")
BUDGET_ROOTS = ("Income", "Expenses")


@dataclass(frozen=True)
class BudgetLine:
    """One budgeted amount: ``cents`` in the account's natural sense (earned or spent)."""

    month: int  # yyyymm
    account: str
    cents: int
    number: int = 0  # the line of the file (or the editor's row) it came from


def parse_budget_csv(source: Source) -> list[BudgetLine]:
    """Every line of a ``month,account,amount`` file, or Invalid listing every bad line."""
    records = read_records(source)
    if not records:
        raise Invalid("the budget file is empty; it needs the header month,account,amount")
    header_number, header = records[0]
    names = [c.strip().lower() for c in header]
    if sorted(names) != sorted(COLUMNS):
        raise Invalid(
            f"line {header_number}: the header must be month,account,amount; "
            f"found {','.join(header)}"
        )
    where = {name: names.index(name) for name in COLUMNS}
    lines: list[BudgetLine] = []
    problems: list[str] = []
    for number, cells in records[1:]:
        if len(cells) != len(COLUMNS):
            problems.append(
                f"line {number}: {len(cells)} columns, expected 3 (month,account,amount)"
            )
            continue
        month_text, account, amount_text = (cells[where[c]].strip() for c in COLUMNS)
        row_problems: list[str] = []
        try:
            month = parse_period(month_text)
        except Invalid as exc:
            row_problems.append(exc.message)
            month = 0
        try:
            cents = parse_amount(amount_text)
        except ValueError as exc:
            row_problems.append(str(exc))
            cents = 0
        if row_problems:
            problems.extend(f"line {number}: {p}" for p in row_problems)
            continue
        lines.append(BudgetLine(month=month, account=account, cents=cents, number=number))
    if not lines and not problems:
        problems.append("the budget file has a header but no lines")
    if problems:
        raise Invalid("no budget was saved", problems=problems)
    return lines


def budget_problems(lines: Sequence[BudgetLine], accounts: Collection[str]) -> list[str]:
    """Every reason ``lines`` cannot be saved for an entity with ledger ``accounts``."""
    problems: list[str] = []
    seen: dict[tuple[int, str], int] = {}
    for line in lines:
        at = f"line {line.number}: "
        why = _account_problem(line.account, accounts)
        if why:
            problems.append(at + why)
            continue
        if line.cents < 0:
            problems.append(
                at + f"amount {line.cents / 100:,.2f} is negative; a budget is what "
                "you expect to earn or spend"
            )
        key = (line.month, line.account)
        if key in seen:
            problems.append(
                at + f"{line.account} is budgeted twice for {format_period(line.month)} "
                f"(also line {seen[key]})"
            )
            continue
        seen[key] = line.number
    for (month, account), number in seen.items():
        for (other_month, other), other_number in seen.items():
            if other_month == month and account.startswith(other + ":"):
                problems.append(
                    f"line {number}: {account} is under {other}, also budgeted for "
                    f"{format_period(month)} (line {other_number}); budget one or the other"
                )
    return problems


def _account_problem(account: str, accounts: Collection[str]) -> str | None:
    try:
        root = account_root(account)
    except Invalid as exc:
        return exc.message
    if root not in BUDGET_ROOTS:
        return f"account {account!r} is not under Income or Expenses"
    if not any(a == account or a.startswith(account + ":") for a in accounts):
        return f"no account {account} (nor any under it) in this entity's books"
    return None
