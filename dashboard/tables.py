"""Report tables for Streamlit: every cell as tiles, emails and PDFs show it; raw CSV download.

A table with the same content is drawn from the same Arrow table (formatting every cell and
converting pandas to Arrow was ~2-4 ms a table on every run of every session), and its CSV is
written only when someone clicks Download.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd
import pyarrow as pa
import streamlit as st

from core.reports import csv_export
from core.reports.formatting import format_cell
from core.reports.model import Column, Table

TEXT_UNITS = ("text", "")  # as format_cell reads them
CACHED_TABLES = 128  # distinct tables kept converted: a few per report page and filter choice


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


@dataclass(frozen=True)
class _ByContent:
    """A table as a cache key: equal when every field is (a table holds lists, so no hash)."""

    content: str
    table: Table = field(compare=False)


@lru_cache(maxsize=CACHED_TABLES)
def _arrow(key: _ByContent) -> pa.Table:
    return pa.Table.from_pandas(frame(key.table), preserve_index=False)


def shown(t: Table) -> pa.Table:
    """The table's formatted cells as Arrow, shared by every run drawing the same content
    (callers must not change it)."""
    # the dataclass repr spells every field, floats exactly: equal reprs, equal tables
    return _arrow(_ByContent(repr(t), t))


def table(t: Table) -> None:
    """A table with its title, formatted cells and a CSV download of the raw numbers."""
    st.markdown(f"**{t.title}**")
    st.dataframe(shown(t), hide_index=True, column_config=column_config(t.columns), width="stretch")
    st.download_button(
        "Download CSV",
        lambda: csv_export.table_csv(t),
        file_name=f"{t.id}.csv",
        mime=csv_export.MIME,
        icon=":material/download:",
        key=f"dl_{t.id}",
    )
