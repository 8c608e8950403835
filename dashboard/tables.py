"""Report tables for Streamlit: every cell as tiles, emails and PDFs show it; raw CSV download."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.reports import csv_export
from core.reports.formatting import format_cell
from core.reports.model import Column, Table

TEXT_UNITS = ("text", "")  # as format_cell reads them


def frame(t: Table) -> pd.DataFrame:
    """The table's cells as the page shows them, one text column per table column."""
    return pd.DataFrame(
        [{c.label: format_cell(row.get(c.key), c.unit) for c in t.columns} for row in t.rows],
        columns=[c.label for c in t.columns],
        dtype=object,
    )


def column_config(columns: list[Column]) -> dict[str, object]:
    """Numbers right-aligned, as in a ledger, though they arrive as formatted text."""
    return {
        c.label: st.column_config.TextColumn(c.label, alignment="right")
        for c in columns
        if c.unit not in TEXT_UNITS
    }


def table(t: Table) -> None:
    """A table with its title, formatted cells and a CSV download of the raw numbers."""
    st.markdown(f"**{t.title}**")
    st.dataframe(frame(t), hide_index=True, column_config=column_config(t.columns), width="stretch")
    st.download_button(
        "Download CSV",
        csv_export.table_csv(t),
        file_name=f"{t.id}.csv",
        mime=csv_export.MIME,
        icon=":material/download:",
        key=f"dl_{t.id}",
    )
