"""Reading real bank exports: preambles, balance lines, Chase's trailing cells, debit/credit
columns, explicit mappings and the row numbers a spreadsheet shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import Invalid
from core.ledger.bank_files import (
    BALANCE,
    PREAMBLE,
    ColumnMapping,
    parse_statement,
    sniff,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def test_bank_of_america_preamble_is_skipped_and_reported() -> None:
    parsed = parse_statement(FIXTURES / "bofa_checking.csv")
    assert parsed.header_row == 7
    assert parsed.mapping == ColumnMapping(date="Date", description="Description", amount="Amount")
    assert [(s.number, s.reason) for s in parsed.skipped] == [
        (1, PREAMBLE),
        (2, PREAMBLE),
        (3, PREAMBLE),
        (4, PREAMBLE),
        (5, PREAMBLE),
        (8, BALANCE),
    ]
    assert parsed.skipped[0].text == "Description,,Summary Amt."
    assert parsed.skipped[1].text == 'Beginning balance as of 03/01/2026,,"10,000.00"'
    assert [r.number for r in parsed.rows] == [9, 10, 11, 12, 13, 14]
    assert sum(r.cents for r in parsed.rows) == 2_200_10  # ending - beginning balance
    assert parsed.rows[1].description == "SHELL OIL 57442 SAUSALITO CA"


def test_chase_trailing_empty_cell_and_posting_date() -> None:
    parsed = parse_statement((FIXTURES / "chase_checking.csv").read_bytes())
    assert parsed.mapping.date == "Posting Date" and parsed.mapping.amount == "Amount"
    assert parsed.skipped == []
    assert len(parsed.rows) == 6 and sum(r.cents for r in parsed.rows) == 2_200_10
    # the trailing empty cell is ignored, a filled one past the header is still an error
    bad = b"Date,Description,Amount\n03/01/2026,Coffee,-4.50,surprise\n"
    with pytest.raises(Invalid) as err:
        parse_statement(bad)
    assert err.value.problems == ["row 2: has 4 columns, the header has 3"]


def test_debit_and_credit_columns_of_a_card_export() -> None:
    parsed = parse_statement(FIXTURES / "card_debit_credit.csv")
    assert parsed.mapping == ColumnMapping(
        date="Transaction Date", description="Description", debit="Debit", credit="Credit"
    )
    assert [r.cents for r in parsed.rows] == [-85_40, -12_75, 500_00, -41_99]


def test_an_explicit_mapping_overrides_detection() -> None:
    text = (
        b"Account summary\n\n"
        b"When,Payee,Memo,Value,Out\n"
        b"03/01/2026,Shell,card 4411,-10.00,\n"
        b"03/02/2026,Client,wire,250.00,\n"
    )
    with pytest.raises(Invalid, match="lacks a column"):  # no column is called a date
        parse_statement(text)
    mapping = ColumnMapping(date="When", description="Payee", amount="Value")
    parsed = parse_statement(text, mapping)
    assert [(r.number, r.description, r.cents) for r in parsed.rows] == [
        (4, "Shell", -10_00),
        (5, "Client", 250_00),
    ]
    assert [s.number for s in parsed.skipped] == [1]
    with pytest.raises(Invalid, match="no row of the file has the columns"):
        parse_statement(text, ColumnMapping(date="Day", description="Payee", amount="Value"))
    with pytest.raises(Invalid) as err:
        parse_statement(text, ColumnMapping(date="When", description=""))
    assert len(err.value.problems) == 2


def test_no_header_anywhere_names_what_the_first_row_lacks() -> None:
    with pytest.raises(Invalid, match="lacks a column: date"):
        parse_statement(b"Description,,Summary Amt.\nTotal credits,,5.00\n")


def test_windows_1252_text_and_binary_files() -> None:
    text = "Date,Description,Amount\n03/01/2026,Café Olé,-4.50\n"
    parsed = parse_statement(text.encode("cp1252"))
    assert parsed.rows[0].description == "Café Olé"
    with pytest.raises(Invalid, match="not a CSV text file"):
        parse_statement(b"PK\x03\x04\x00\x00binary")


def test_sniff_shows_the_first_rows_with_their_numbers() -> None:
    rows = sniff(FIXTURES / "bofa_checking.csv", limit=7)
    assert rows[0] == (1, ["Description", "", "Summary Amt."])
    assert rows[-1][0] == 8  # the blank line 6 is not shown, but counts
