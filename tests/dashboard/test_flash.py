"""The flash helper: a message set before a rerun shows once, on the next run only."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _page() -> None:
    import streamlit as st

    from dashboard.flash import flash, show_flash

    show_flash()
    if st.button("save"):
        flash("Saved 2 target(s)", ":material/flag:")
        st.rerun()
    if st.button("fail"):
        flash("Stripe: no key", style="error")
        st.rerun()


def test_a_toast_shows_on_the_run_after_the_rerun_and_then_not_again() -> None:
    at = AppTest.from_function(_page).run()
    assert not at.toast
    at.button[0].click().run()
    assert [t.value for t in at.toast] == ["Saved 2 target(s)"]
    at.run()
    assert not at.toast


def test_an_error_style_shows_inline() -> None:
    at = AppTest.from_function(_page).run()
    at.button[1].click().run()
    assert [e.value for e in at.error] == ["Stripe: no key"]
    assert not at.toast
