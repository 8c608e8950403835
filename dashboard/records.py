"""The /records page: forms for the records the audit pages read, and a CSV upload per table.

Every write goes through the core with the signed-in user as the actor; the core decides who
may add what, checks every field and posts the journal entries. A refusal is shown under the
field it is about; an upload with a bad row writes nothing and lists every problem by row.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.auth.dashboard_users import UserScope
from core.errors import DomainError
from core.ledger.models_records import DELIVERY_STAGES
from core.records.delivery_forms import FAMILY as DELIVERY
from core.records.delivery_stages import advance_delivery_job, stage_fields
from core.records.form_fields import FormField
from core.records.forms import RecordForm, add_record
from core.records.record_tables import (
    FAMILIES,
    forms_of,
    load_table_csv,
    recent_records,
    record_options,
)
from core.reports import csv_export
from dashboard import core_calls
from dashboard.field_errors import attempt
from dashboard.flash import flash, show_flash

MAX_SHOWN_PROBLEMS = 50


def _round(table: str) -> int:
    """How many records went in through ``table``'s form: part of its keys, so it starts empty."""
    return int(st.session_state.get(f"_rec_round_{table}", 0))


def _done(table: str, message: str) -> None:
    st.session_state[f"_rec_round_{table}"] = _round(table) + 1
    flash(message, ":material/check_circle:")
    st.rerun()


def _widget(spec: FormField, key: str, actor: UserScope, entity_id: str) -> Any:
    """The input of one field; what it holds (None when left empty)."""
    label = spec.label + ("" if spec.required else " (optional)")
    if spec.ref:
        options = dict(record_options(core_calls.ledger(), actor, spec.ref, entity_id=entity_id))
        return st.selectbox(
            label, list(options), index=None, format_func=options.get, key=key,
            placeholder="Choose…" if options else "None yet: add one first",
        )  # fmt: skip
    if spec.kind == "choice":
        return st.selectbox(label, spec.choices, index=None, key=key, placeholder="Choose…")
    if spec.kind == "date":
        return st.date_input(label, value=None, key=key, format="YYYY-MM-DD")
    if spec.kind == "int":
        return st.number_input(label, value=None, min_value=0, step=1, key=key)
    if spec.kind == "money":
        return st.text_input(label, key=key, placeholder="0.00")
    return st.text_input(label, key=key)


def _form(actor: UserScope, entity_id: str, form: RecordForm) -> None:
    n = _round(form.table)
    with st.form(f"rec_{form.table}_{entity_id}_{n}", border=True):
        st.markdown(f"**New {form.title.lower()}**")
        if form.posts:
            st.caption(f"Posts {form.posts}.")
        columns = st.columns(3 if len(form.fields) > 6 else 2)
        values: dict[str, Any] = {}
        slots: dict[str, object] = {}
        for i, spec in enumerate(form.fields):
            with columns[i % len(columns)]:
                key = f"rec_{form.table}_{spec.name}_{entity_id}_{n}"
                values[spec.name] = _widget(spec, key, actor, entity_id)
                slots[spec.name] = st.empty()
        submitted = st.form_submit_button(
            f"Add {form.title.lower()}", type="primary", icon=":material/add:"
        )
    if not submitted:
        return
    added: list[str] = []
    if attempt(
        lambda: added.append(
            add_record(core_calls.ledger(), actor, form, entity_id=entity_id, fields=values)
        ),
        slots,
    ):
        _done(form.table, f"Added {form.title.lower()} {added[0].split(':', 1)[-1]}")


def _advance(actor: UserScope, entity_id: str) -> None:
    """Move a delivery job on: the job, the stage, and the days and amounts it passes."""
    n = _round("delivery_advance")
    with st.form(f"rec_adv_{entity_id}_{n}", border=True):
        st.markdown("**Move a job to a later stage**")
        st.caption(
            "Fill the days and amounts of the stages the job passes; leave the rest empty. "
            "Posts what those stages post (costs, invoice, payment)."
        )
        specs = (
            FormField("job", "Job", ref="delivery_jobs"),
            FormField("stage", "New stage", "choice", choices=DELIVERY_STAGES[1:]),
            *stage_fields(DELIVERY_STAGES[-1]),
        )
        columns = st.columns(3)
        values: dict[str, Any] = {}
        slots: dict[str, object] = {}
        for i, spec in enumerate(specs):
            with columns[i % len(columns)]:
                key = f"rec_adv_{spec.name}_{entity_id}_{n}"
                values[spec.name] = _widget(spec, key, actor, entity_id)
                slots[spec.name] = st.empty()
        submitted = st.form_submit_button("Move the job on", icon=":material/arrow_forward:")
    if not submitted:
        return
    if attempt(lambda: advance_delivery_job(core_calls.ledger(), actor, entity_id, values), slots):
        job = str(values["job"]).split(":", 1)[-1]
        _done("delivery_advance", f"Moved job {job} to {values['stage']}")


def _upload(actor: UserScope, entity_id: str, form: RecordForm) -> None:
    with st.expander(f"Upload {form.plural.lower()} from a CSV file", icon=":material/upload:"):
        st.caption(
            "One record per row under the template's header. Dates as 2026-11-25, amounts in "
            "dollars; leave id empty to have one made. One bad row and nothing is written."
        )
        st.download_button(
            "Download the template",
            form.template_header(),
            file_name=f"{form.table}.csv",
            mime=csv_export.MIME,
            icon=":material/download:",
            key=f"rec_tpl_{form.table}",
        )
        n = _round(form.table)
        upload = st.file_uploader("CSV file", type=["csv"], key=f"rec_csv_{form.table}_{n}")
        if upload is None or not st.button(
            f"Add every row to {form.plural.lower()}", key=f"rec_load_{form.table}_{n}"
        ):
            return
        try:
            added = load_table_csv(
                core_calls.ledger(), actor, form.table, entity_id=entity_id,
                content=upload.getvalue(),
            )  # fmt: skip
        except DomainError as exc:
            st.error(exc.message[:1].upper() + exc.message[1:], icon=":material/error:")
            shown = exc.problems[:MAX_SHOWN_PROBLEMS]
            if shown:
                st.markdown("\n".join(f"- {p}" for p in shown))
            if len(exc.problems) > len(shown):
                st.caption(f"… and {len(exc.problems) - len(shown)} more")
            return
        _done(form.table, f"Added {added} {form.title.lower()}(s) from {upload.name}")


def _cell(value: Any, entity_id: str) -> Any:
    if isinstance(value, str):
        return value.removeprefix(f"{entity_id}:")  # ids without the business prefix
    return value


def _heading(column: str) -> str:
    """``amount_cents`` -> ``Amount ($)``, ``client_id`` -> ``Client``."""
    words = column.removesuffix("_cents").removesuffix("_id").replace("_", " ")
    return words[:1].upper() + words[1:] + (" ($)" if column.endswith("_cents") else "")


def _recent(actor: UserScope, entity_id: str, form: RecordForm) -> None:
    rows = recent_records(core_calls.ledger(), actor, form.table, entity_id=entity_id)
    if not rows:
        st.caption(f"No {form.plural.lower()} yet.")
        return
    frame = pd.DataFrame(
        [
            {
                _heading(k): v / 100 if k.endswith("_cents") else _cell(v, entity_id)
                for k, v in row.items()
                if k != "entity_id" and "fingerprint" not in k
            }
            for row in rows
        ]
    )
    st.caption(f"The newest {len(rows)} {form.title.lower()}(s)")
    st.dataframe(frame, hide_index=True, width="stretch", height=min(38 + 35 * len(rows), 300))


def _family(actor: UserScope, entity_id: str, family: str) -> None:
    forms = {f.table: f for f in forms_of(family)}
    table = st.segmented_control(
        "Record", list(forms), format_func=lambda t: forms[t].plural,
        default=next(iter(forms)), required=True, key=f"rec_table_{family}",
    )  # fmt: skip
    form = forms[table or next(iter(forms))]
    _form(actor, entity_id, form)
    if family == DELIVERY:
        _advance(actor, entity_id)
    _upload(actor, entity_id, form)
    _recent(actor, entity_id, form)


def show(actor: UserScope) -> None:
    """The whole page for the signed-in ``actor`` (owner, CFO or accountant)."""
    st.title("Records")
    st.caption(
        "Rental units and leases, delivery jobs, clients and invoices: what the Rental, "
        "Yacht delivery and Client billing pages read. Each record posts its entries."
    )
    show_flash()
    choices = dict(core_calls.entities(actor.entities))
    if not choices:
        st.info("No businesses in your scope yet: the owner adds them on the Businesses page.")
        return
    entity_id = st.selectbox("Business", list(choices), format_func=choices.get, key="rec_entity")
    for family, tab in zip(FAMILIES, st.tabs(list(FAMILIES.values())), strict=True):
        with tab:
            _family(actor, entity_id, family)
