"""Run a core call from a form and put each refusal under the field it is about."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from core.errors import DomainError


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def attempt(action: Callable[[], object], slots: dict[str, object]) -> bool:
    """Run a core call; on a refusal put each field's problem under its field (``slots``:
    field name -> an ``st.empty()`` under it) and the rest above; True when it went through."""
    try:
        action()
    except DomainError as exc:
        placed = False
        for name, problem in exc.fields.items():
            slot = slots.get(name)
            if slot is not None:
                slot.error(_sentence(problem), icon=":material/error:")  # type: ignore[attr-defined]
                placed = True
        if not placed or exc.problems:
            st.error(_sentence(exc.message), icon=":material/error:")
            for problem in exc.problems:
                st.caption(f"• {problem}")
        return False
    return True
