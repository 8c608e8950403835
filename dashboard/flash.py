"""A message that outlives ``st.rerun()``: set it before the rerun, show it on the next run."""

from __future__ import annotations

from typing import Literal

import streamlit as st

KEY = "_flash"
Style = Literal["toast", "success", "error"]


def flash(message: str, icon: str | None = None, *, style: Style = "toast") -> None:
    """Keep ``message`` for the next run of this session (a toast unless ``style`` says)."""
    st.session_state[KEY] = (message, icon, style)


def show_flash() -> None:
    """Show and forget the message kept by ``flash``, if any."""
    kept = st.session_state.pop(KEY, None)
    if not kept:
        return
    message, icon, style = kept
    if style == "toast":
        st.toast(message, icon=icon)
    else:
        (st.success if style == "success" else st.error)(message)
