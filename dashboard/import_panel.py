"""/data's statement import: pick the business, upload, preview, correct the columns, import,
and the recent import runs with "Undo this import". Every rule is decided in the core."""

from __future__ import annotations

import hashlib
from datetime import UTC

import pandas as pd
import streamlit as st

from core.auth.dashboard_users import UserScope
from core.errors import DomainError
from core.ledger.bank_files import BALANCE, PREAMBLE, ColumnMapping, SkippedLine
from core.ledger.csv_import import StatementPreview
from core.ledger.models import ImportRun
from dashboard import data_calls

DEFAULT_ACCOUNT = "Assets:Bank:Checking"
NONE = "— none —"
ROLES = ("date", "description", "amount", "debit", "credit")
_UPLOADS = "import_uploads"  # bumped after an import: a new uploader key empties the widget
_DONE = "import_done"  # the last import's outcome, shown above the next upload
_CONFIRM = "import_undo_confirm"  # the run whose undo waits for "Yes, undo it"
_UNDO_OUTCOME = "import_undo_outcome"  # (run id, ok, message) shown next to that run


def show(user: UserScope, choices: dict[str, str]) -> None:
    """The import section: business, account, file, preview and import; then recent runs."""
    st.subheader("Import a bank or card statement")
    entity = st.selectbox(
        "Business this statement belongs to",
        list(choices),
        index=None,
        placeholder="Choose a business",
        format_func=choices.get,
        key="import_entity",
        help="Chosen for every import: a statement never goes to a business by default.",
    )
    account = st.text_input(
        "Account it was drawn from",
        value=DEFAULT_ACCOUNT,
        key="import_account",
        help="Assets:Bank:Checking for a bank account, Liabilities:Card:Visa for a card.",
    )
    upload = st.file_uploader(
        "CSV file",
        type=["csv"],
        key=f"import_file_{st.session_state.get(_UPLOADS, 0)}",
        help="As the bank exports it: a summary block above the header row is skipped.",
    )
    done = st.session_state.pop(_DONE, None)
    if done:
        st.success(done)
    if upload is None:
        st.caption("Upload a statement to see its rows before anything is written.")
    elif entity is None:
        st.warning("Choose the business this statement belongs to: nothing is read until you do.")
    else:
        _check_and_import(
            upload.getvalue(), upload.name, entity, choices[entity], account.strip(), user
        )
    recent_runs(user, choices)


def _check_and_import(
    content: bytes, file_name: str, entity: str, name: str, account: str, user: UserScope
) -> None:
    token = hashlib.sha256(content).hexdigest()[:12]
    chosen: ColumnMapping | None = st.session_state.get(f"import_mapping_{token}")
    preview: StatementPreview | None = None
    try:
        preview = data_calls.preview_statement(
            content, entity_id=entity, account=account, user=user, mapping=chosen
        )
    except DomainError as exc:
        st.error(f"This file cannot be imported as it is. {exc.message}")
        if exc.problems:
            st.code("\n".join(exc.problems), language=None)
    _mapping_editor(content, token, preview, chosen)
    if preview is None:
        return
    _show_preview(preview)
    new = sum(not r.duplicate for r in preview.rows)
    label = f"Import {new} rows" if new != 1 else "Import 1 row"
    if st.button(
        label if new else "Nothing new to import",
        type="primary",
        disabled=not new,
        key="import_go",
    ):
        try:
            result = data_calls.import_statement(
                content,
                entity_id=entity,
                account=account,
                user=user,
                dry_run=False,
                mapping=chosen,
                file_name=file_name,
            )
        except DomainError as exc:
            st.error(f"Nothing was imported. {exc.message}")
            if exc.problems:
                st.code("\n".join(exc.problems), language=None)
            return
        digest = result.anomalies  # "no anomalies" or "2 anomalies: ..."
        st.session_state[_DONE] = (
            f"Imported {result.rows} rows into {name} ({account}): {result.posted} new, "
            f"{result.skipped_duplicates} already there, {result.uncategorized} uncategorized. "
            f"Run {result.run_id} can be undone below."
            + (f" {digest[:1].upper()}{digest[1:]}." if digest else "")
        )
        st.session_state[_UPLOADS] = st.session_state.get(_UPLOADS, 0) + 1
        st.rerun()


def skipped_in_words(skipped: list[SkippedLine]) -> list[str]:
    """What was left out, a sentence per kind ("Skipped 5 lines before the header: ...")."""
    out = []
    above = [s for s in skipped if s.reason == PREAMBLE]
    if above:
        out.append(
            f"Skipped {_lines(len(above))} before the header row ({_rows(above)}): "
            "a bank summary or preamble, not transactions."
        )
    balances = [s for s in skipped if s.reason == BALANCE]
    if balances:
        out.append(
            f"Skipped {_lines(len(balances))} with a balance and no amount "
            f"({_rows(balances)}), not transactions."
        )
    other = [s for s in skipped if s.reason not in (PREAMBLE, BALANCE)]
    out.extend(f"Skipped row {s.number}: {s.reason}." for s in other)
    return out


def _lines(n: int) -> str:
    return "1 line" if n == 1 else f"{n} lines"


def _rows(lines: list[SkippedLine]) -> str:
    numbers = [s.number for s in lines]
    if len(numbers) == 1:
        return f"row {numbers[0]}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"rows {numbers[0]}–{numbers[-1]}"
    return "rows " + ", ".join(str(n) for n in numbers)


def money(cents: int) -> str:
    """Signed dollars as a statement shows them: ``$1,200.00`` / ``-$85.40``."""
    return f"{'-' if cents < 0 else ''}${abs(cents) / 100:,.2f}"


def _show_preview(preview: StatementPreview) -> None:
    used = ", ".join(
        f"{role} ← “{name}”" for role in ROLES if (name := getattr(preview.mapping, role))
    )
    st.caption(f"Header on row {preview.header_row}. Columns used: {used}.")
    for sentence in skipped_in_words(preview.skipped):
        st.info(sentence)
    if preview.skipped:
        with st.expander(f"The {_lines(len(preview.skipped))} left out"):
            st.code("\n".join(f"row {s.number}: {s.text}" for s in preview.skipped), language=None)
    duplicates = sum(r.duplicate for r in preview.rows)
    uncategorized = sum(r.account is None for r in preview.rows)
    st.markdown(
        f"**{len(preview.rows)} transactions** · {len(preview.rows) - duplicates} new · "
        f"{duplicates} already imported · {uncategorized} uncategorized"
    )
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Row": r.number,
                    "Date": r.day.isoformat(),
                    "Description": r.description,
                    "Amount": money(r.cents),
                    "Goes to": r.account or "uncategorized",
                    "Already imported": "yes, skipped" if r.duplicate else "",
                }
                for r in preview.rows
            ]
        ),
        hide_index=True,
        width="stretch",
        key="import_preview",
    )


def _mapping_editor(
    content: bytes, token: str, preview: StatementPreview | None, chosen: ColumnMapping | None
) -> None:
    """Selectboxes naming the columns by hand; open when detection failed."""
    with st.expander("Column mapping", expanded=preview is None or chosen is not None):
        head = data_calls.statement_head(content)
        if not head:
            st.caption("The file has no rows.")
            return
        numbers = [n for n, _ in head]
        start = numbers.index(preview.header_row) if preview else 0
        header_number = st.selectbox(
            "Header row",
            numbers,
            index=start,
            format_func=lambda n: f"row {n}: {', '.join(dict(head)[n])[:80]}",
            key=f"import_header_{token}",
        )
        cells = [c.strip() for c in dict(head)[header_number] if c.strip()]
        current = chosen or (preview.mapping if preview else None)
        options = [NONE, *cells]
        with st.form(f"import_mapping_form_{token}_{header_number}", border=False):
            picked = {}
            for col, role in zip(st.columns(len(ROLES)), ROLES, strict=True):
                name = getattr(current, role) if current else None
                picked[role] = col.selectbox(
                    role.capitalize(),
                    options,
                    index=options.index(name) if name in options else 0,
                    key=f"import_map_{role}_{token}_{header_number}",
                )
            use = st.form_submit_button("Use these columns")
        if chosen is not None and st.button("Detect the columns again", key=f"redetect_{token}"):
            del st.session_state[f"import_mapping_{token}"]
            st.rerun()
    if use:
        values = {r: (None if v == NONE else v) for r, v in picked.items()}
        mapping = ColumnMapping(
            date=values["date"] or "",
            description=values["description"] or "",
            amount=values["amount"],
            debit=values["debit"],
            credit=values["credit"],
        )
        if mapping.problems():
            st.error("Those columns cannot be used: " + "; ".join(mapping.problems()) + ".")
            return
        st.session_state[f"import_mapping_{token}"] = mapping
        st.rerun()


def recent_runs(user: UserScope, choices: dict[str, str]) -> None:
    """Each import run of the user's scope, newest first, with "Undo this import"."""
    st.subheader("Recent import runs")
    runs = data_calls.recent_imports(user)
    if not runs:
        st.info("No statement imported yet.")
        return
    for run in runs:
        with st.container(border=True, key=f"import_run_{run.id}"):
            _run_row(run, user, choices)


def run_text(run: ImportRun, choices: dict[str, str]) -> str:
    """One line about a run: when, who, file, business, rows, status."""
    when = run.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    status = (
        f"undone {run.undone_at.astimezone(UTC):%Y-%m-%d %H:%M} by {run.undone_by or '—'}"
        if run.undone_at is not None
        else "imported"
    )
    return (
        f"**Run {run.id}** · {when} · {run.created_by or '—'} · {run.file_name or 'a file'} · "
        f"{choices.get(run.entity_id, run.entity_id)} ({run.account}) · {run.rows} rows: "
        f"{run.imported} new, {run.duplicates} already there, {run.skipped_lines} lines skipped "
        f"· **{status}**"
    )


def _run_row(run: ImportRun, user: UserScope, choices: dict[str, str]) -> None:
    assert run.id is not None
    text_col, button_col = st.columns([5, 1.3], vertical_alignment="center")
    text_col.markdown(run_text(run, choices))
    outcome = st.session_state.get(_UNDO_OUTCOME)
    if outcome and outcome[0] == run.id:
        (st.success if outcome[1] else st.error)(outcome[2])
    if run.undone_at is not None:
        return
    if st.session_state.get(_CONFIRM) != run.id:
        if button_col.button("Undo this import", key=f"undo_{run.id}", width="stretch"):
            st.session_state[_CONFIRM] = run.id
            st.session_state.pop(_UNDO_OUTCOME, None)
            st.rerun()
        return
    st.warning(
        f"Undo run {run.id}? Its {run.imported} entries leave the ledger (wherever they were "
        "categorized since) with their monthly totals. The run stays listed, marked undone, "
        "and the file can be imported again."
    )
    yes_col, no_col, _ = st.columns([1.3, 1, 3])
    if yes_col.button("Yes, undo it", key=f"undo_yes_{run.id}", type="primary"):
        st.session_state.pop(_CONFIRM, None)
        try:
            undone = data_calls.undo_import(run.id, user)
        except DomainError as exc:
            st.session_state[_UNDO_OUTCOME] = (run.id, False, f"Nothing was undone. {exc.message}")
        else:
            st.session_state[_UNDO_OUTCOME] = (
                run.id,
                True,
                f"Run {run.id} undone: {undone.entries} entries removed.",
            )
        st.rerun()
    if no_col.button("Cancel", key=f"undo_no_{run.id}"):
        st.session_state.pop(_CONFIRM, None)
        st.rerun()
