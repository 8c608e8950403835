"""Amounts past the ledger's bound are bad input everywhere they enter, never a crash."""

from __future__ import annotations

from datetime import date

import pytest

from core.errors import Invalid
from core.ledger.amounts import MAX_CENTS
from core.ledger.csv_import import parse_amount
from core.ledger.store import LedgerStore
from core.sources.service import import_statement
from tests.conftest import BANK

NEAR_2_63 = "92233720368547758.08"  # 2**63 cents: one past the largest signed 64-bit integer


@pytest.mark.parametrize("text", [NEAR_2_63, f"-{NEAR_2_63}", "(10,000,000,000,000.01)", "9" * 400])
def test_parse_amount_refuses_amounts_past_the_bound(text: str) -> None:
    with pytest.raises(ValueError, match="largest amount"):
        parse_amount(text)


def test_the_bound_itself_is_accepted() -> None:
    assert parse_amount("$10,000,000,000,000.00") == MAX_CENTS
    assert parse_amount("-10000000000000") == -MAX_CENTS


def test_post_refuses_out_of_bound_lines_and_writes_nothing(store: LedgerStore) -> None:
    from core.ledger.store import NewEntry

    store.add_entity(id="a", name="A")
    huge = 2**63
    entry = NewEntry(
        entity_id="a",
        date=date(2026, 1, 2),
        description="too big",
        lines=[(BANK, huge), ("Income:Sales", -huge)],
    )
    with pytest.raises(Invalid) as err:
        store.post([entry])
    assert any("largest amount" in p for p in err.value.problems)
    assert store.line_count() == 0


def test_an_upload_with_a_huge_amount_is_refused_whole(store: LedgerStore) -> None:
    store.add_entity(id="a", name="A")
    content = f"date,description,amount\n2026-01-02,Fuel,-10.00\n2026-01-03,Wire,{NEAR_2_63}\n"
    with pytest.raises(Invalid) as err:
        import_statement(
            store,
            content=content.encode(),
            entity_id="a",
            account=BANK,
            role="owner",
            allowed=None,
            dry_run=False,
        )
    assert err.value.problems == [
        f"row 3: amount '{NEAR_2_63}' is beyond the largest amount the ledger takes "
        "(±10,000,000,000,000 dollars)"
    ]
    assert store.line_count() == 0
