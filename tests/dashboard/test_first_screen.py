"""The first screen of a report page, from a hand-built Report: header, since-yesterday strip,
four headline tiles, Needs attention, then the rest."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core.reports.model import KPI, Pace


def _page(attention: bool = True, movements: bool = True) -> None:
    from core.reports.model import (
        KPI,
        Attention,
        Finding,
        KpiGroup,
        Movement,
        Pace,
        Report,
        Section,
    )
    from dashboard.components import render_report

    def k(kid: str, value: float, pace: Pace | None = None) -> KPI:
        return KPI(kid, kid.title(), value, "USD", None, "up", "none", None, None, pace)

    ids = ["a", "b", "c", "d", "e", "f"]
    pace = Pace(day=25, days=30, target=800.0, last_month=700.0, last_year=None)
    report = Report(
        "cfo",
        "CFO report",
        "all",
        "All entities",
        "2026-11",
        "2026-11-25T08:00:00-08:00",
        "America/Los_Angeles",
        "USD",
        [k(kid, 1000.0, pace if kid == "a" else None) for kid in ids],
        sections=[
            Section(
                "headline",
                "All entities · Nov 2026",
                [KpiGroup(ids[:4]), KpiGroup(ids[4:]), Finding("Cash is up.", "info")],
            ),
            Section("pnl", "Profit and loss", [Finding("A loss month.", "bad")]),
        ],
        headline=["c", "a", "b", "d"],
        attention=[
            Attention("3 uncategorized lines", "watch", "/accounting?entity=all#q", "u"),
            Attention("Net income is off target", "bad", "/cfo?entity=all&drill=n", "n"),
        ]
        if attention
        else [],
        since_yesterday=[Movement("cash", "Cash", 1200.0, "USD", "/cfo?entity=all")]
        if movements
        else [],
    )
    render_report(report)


def _texts(at: AppTest) -> list[str]:
    return [str(m.value) for m in at.markdown]


def test_headline_tiles_come_first_then_needs_attention_then_the_rest() -> None:
    at = AppTest.from_function(_page).run()
    assert not at.exception, at.exception
    assert [m.label for m in at.metric] == ["C", "A", "B", "D", "E", "F"]  # no tile twice
    assert [t.value for t in at.title] == ["CFO report"]
    subheaders = [s.value for s in at.subheader]
    assert subheaders == ["Profit and loss"]  # the scope heading is not repeated
    texts = _texts(at)
    head = next(i for i, t in enumerate(texts) if "All entities · Nov 2026" in t)
    strip = next(i for i, t in enumerate(texts) if "Since yesterday" in t)
    needs = texts.index("##### Needs attention")
    assert head < strip < needs
    listed = texts[needs + 1]
    assert listed.index("Net income is off target") > 0
    assert 'href="/accounting?entity=all#q" target="_self"' in listed
    assert 'href="/cfo?entity=all&amp;drill=n"' in listed
    assert "<b>+$1,200</b>" in texts[strip] and 'href="/cfo?entity=all"' in texts[strip]
    # findings are plain sentences with an icon, not coloured boxes
    assert not at.info and not at.error and not at.warning
    assert ":red[:material/cancel:] A loss month." in texts
    notes = [t for t in texts if 'class="tile-note"' in t]  # each tile's status and its note
    paced = '<span class="tile-note">Day 25 of 30 · Target to date $800'
    assert any(paced in t for t in notes), notes


def test_nothing_needs_attention_is_said() -> None:
    at = AppTest.from_function(_page, kwargs={"attention": False, "movements": False}).run()
    assert not at.exception, at.exception
    texts = _texts(at)
    assert any("Nothing needs attention" in t for t in texts)
    assert not any("Since yesterday" in t for t in texts)  # no strip without movements
