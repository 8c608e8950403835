"""The Operations page's weather: the trip card's forecast and go/no-go flag, and the form where
an admin sets each vessel's limits. The flag and the limits' checks are the core's
(``core.ops.go_no_go``, ``OpsService.set_vessel_weather``); nothing here decides one."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

import streamlit as st

from core.ops.go_no_go import Limits, TripWeather
from core.ops.models import OpsUser
from core.ops.service import OpsService
from dashboard.operations import act, local, plain

FLAG_BADGE = {
    "go": ("Go", "green", ":material/check_circle:"),
    "caution": ("Caution", "orange", ":material/warning:"),
    "no_go": ("No-go", "red", ":material/block:"),
    "unknown": ("Weather unknown", "gray", ":material/help:"),
}
LIMIT_LABELS = {
    "caution_wind_kt": "Caution: wind (kt)",
    "no_go_wind_kt": "No-go: wind (kt)",
    "caution_gust_kt": "Caution: gusts (kt)",
    "no_go_gust_kt": "No-go: gusts (kt)",
    "caution_wave_ft": "Caution: waves (ft)",
    "no_go_wave_ft": "No-go: waves (ft)",
}


def weather_panel(weather: TripWeather | None, tz: tzinfo | None) -> None:
    """The trip's wind, gusts and waves, the flag with its reasons, and the alerts."""
    if weather is None:
        return
    label, color, icon = FLAG_BADGE[weather.go_no_go]
    st.badge(f"Weather: {label}", color=color, icon=icon)  # type: ignore[arg-type]
    if weather.go_no_go == "unknown":
        st.caption(plain("No forecast: " + "; ".join(weather.reasons)))
        return
    cols = st.columns(3)
    shown = [
        ("Max wind", weather.wind_kt, "kt"),
        ("Max gusts", weather.gust_kt, "kt"),
        ("Max waves", weather.wave_ft, "ft"),
    ]
    for col, (name, value, unit) in zip(cols, shown, strict=True):
        col.metric(name, "n/a" if value is None else f"{value:g} {unit}", border=True)
    reasons = plain("; ".join(weather.reasons))
    if weather.go_no_go == "no_go":
        st.error(f"No-go: {reasons}", icon=":material/block:")
    elif weather.go_no_go == "caution":
        st.warning(f"Caution: {reasons}", icon=":material/warning:")
    for a in weather.alerts:
        st.caption(plain(f"{a.severity} alert: {a.headline}"))
    when = local(weather.fetched_at, tz) if weather.fetched_at else "?"  # type: ignore[arg-type]
    st.caption(plain(f"{weather.source}, fetched {when}; for the trip's window at its port"))


def vessel_limits_form(service: OpsService, actor: OpsUser, entities: list[str]) -> None:
    """Each vessel's weather limits (and port, if not the home port): a table and a form."""
    st.markdown("**Weather limits per vessel**")
    st.caption(
        "A trip is caution or no-go when its forecast reaches these (defaults shown). "
        "Leave the port empty for the portfolio's home port."
    )
    saved = service.vessel_weather_settings(actor)
    if saved:
        st.dataframe(
            [_row(s.entity, s.vessel, s.limits, s.lat, s.lon) for s in saved],
            hide_index=True,
            width="stretch",
        )
    defaults = Limits()
    with st.form("vessel-weather"):
        c1, c2 = st.columns(2)
        entity = c1.selectbox("Entity", entities, key="wx-entity")
        vessel = c2.text_input("Vessel", key="wx-vessel", placeholder="e.g. JADA")
        values: dict[str, Any] = {}
        for what in ("wind_kt", "gust_kt", "wave_ft"):  # a row each: caution beside no-go
            feet = what.endswith("_ft")
            for col, name in zip(st.columns(2), (f"caution_{what}", f"no_go_{what}"), strict=True):
                values[name] = col.number_input(
                    LIMIT_LABELS[name],
                    min_value=0.0,
                    value=float(getattr(defaults, name)),
                    step=0.5 if feet else 1.0,
                    format="%.1f" if feet else "%.0f",
                    key=f"wx-{name}",
                )
        p1, p2 = st.columns(2)
        lat = p1.number_input("Port latitude", value=None, format="%.4f", key="wx-lat")
        lon = p2.number_input("Port longitude", value=None, format="%.4f", key="wx-lon")
        if st.form_submit_button("Save limits", type="primary"):
            data = {**values, "lat": lat, "lon": lon}
            act(
                lambda: service.set_vessel_weather(actor, entity or "", vessel, data),
                f"Weather limits saved for {vessel}",
            )


def _row(
    entity: str, vessel: str, limits: Limits, lat: float | None, lon: float | None
) -> dict[str, Any]:
    return {
        "Entity": entity,
        "Vessel": vessel,
        "Caution (wind/gusts/waves)": (
            f"{limits.caution_wind_kt:g} kt / {limits.caution_gust_kt:g} kt / "
            f"{limits.caution_wave_ft:g} ft"
        ),
        "No-go (wind/gusts/waves)": (
            f"{limits.no_go_wind_kt:g} kt / {limits.no_go_gust_kt:g} kt / "
            f"{limits.no_go_wave_ft:g} ft"
        ),
        "Port": "home port" if lat is None or lon is None else f"{lat:.4f}, {lon:.4f}",
    }
