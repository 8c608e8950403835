"""The alert email: what crossed, the value, the threshold, the previous value, the KPI's last
12 months as an inline chart, and a link to the report's page with its filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from core.alerts.conditions import describe_condition
from core.ledger.models_alerts import AlertRule
from core.periods import month_label, month_short
from core.reports.charts_png import chart_png
from core.reports.email import LINK_TEXT, TEMPLATES, RenderedEmail
from core.reports.formatting import format_value, kpi_value_text
from core.reports.links import PAGE_PATHS, scope_link
from core.reports.model import KPI, Chart, Series
from core.reports.palette import BLUE, GREY, RED

# autoescape=True, as for the report emails: every value in an alert is escaped
_ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined)
CHART_CID = "alert-kpi"


@dataclass(frozen=True)
class AlertFacts:
    """One firing of a rule, as the email tells it."""

    rule: AlertRule
    kpi: KPI
    previous: float | None
    period: int
    report_title: str
    entity_name: str
    history: list[tuple[int, KPI]]  # the last 12 months, oldest first
    as_of: datetime
    timezone: str


def headline(facts: AlertFacts) -> str:
    """``Runway is 4.2 months, below 6.0 months``; ``Cash is $1,200, off target``."""
    k, rule = facts.kpi, facts.rule
    value = kpi_value_text(k.id, k.value, k.unit)
    return f"{k.label} is {value}, {describe_condition(rule.condition, rule.threshold, k.unit)}"


def alert_link(facts: AlertFacts, base_url: str) -> str:
    """The report's page for the rule's entity and month (the alerts page if it has none)."""
    report = facts.rule.kpi.split(".", 1)[0]
    page = PAGE_PATHS.get(report)
    path = scope_link(page, facts.rule.entity, facts.period, compare="mom") if page else "/alerts"
    return base_url.rstrip("/") + path


def history_chart(facts: AlertFacts) -> Chart:
    """The KPI's last 12 months, with the threshold (or the target) as a dashed line."""
    k, rule = facts.kpi, facts.rule
    # bars: a month with a value stands out even between months without one (a lone point of
    # a line would not be drawn)
    series = [Series(k.label, [h.value for _, h in facts.history], kind="bar", color=BLUE)]
    if rule.threshold is not None:
        line = [rule.threshold] * len(facts.history)
        series.append(Series("Threshold", line, kind="line", color=RED, dash=True))
    elif any(h.target is not None for _, h in facts.history):
        targets = [h.target for _, h in facts.history]
        series.append(Series("Target", targets, kind="line", color=GREY, dash=True))
    return Chart(
        id=CHART_CID,
        title=f"{k.label}, last 12 months",
        x=[month_short(m) for m, _ in facts.history],
        series=series,
        unit=k.unit,
    )


def render_alert(facts: AlertFacts, *, dashboard_url: str, charts: bool = True) -> RenderedEmail:
    """Subject, HTML (the chart as ``cid:alert-kpi``) and plain text of one alert."""
    k, rule = facts.kpi, facts.rule
    chart = history_chart(facts)
    images = {CHART_CID: chart_png(chart)} if charts else {}
    base = dashboard_url.rstrip("/")
    view = {
        "rule_id": rule.id,
        "report_title": facts.report_title,
        "headline": headline(facts),
        "subject": f"Alert: {headline(facts)} ({facts.entity_name})",
        "entity_name": facts.entity_name,
        "period_label": month_label(facts.period),
        "as_of": facts.as_of.strftime("%a %-d %b %Y, %H:%M"),
        "timezone": facts.timezone,
        "value": kpi_value_text(k.id, k.value, k.unit),
        "threshold": (
            format_value(rule.threshold, k.unit)
            if rule.threshold is not None
            else "off target (status turned bad)"
        ),
        "previous": kpi_value_text(k.id, facts.previous, k.unit)
        if facts.previous is not None
        else "not evaluated before",
        "target": format_value(k.target, k.unit) if k.target is not None else "no target",
        "rule_text": (
            f"{rule.kpi} {describe_condition(rule.condition, rule.threshold, k.unit)}, "
            + (
                "once until back on the good side"
                if rule.mode == "once"
                else "every day while crossed"
            )
        ),
        "chart_cid": CHART_CID if charts else "",
        "chart_title": chart.title,
        "link": alert_link(facts, base),
        "alerts_link": f"{base}/alerts",
        "footer": f"You receive this because alert {rule.id} lists you.",
    }
    html = _ENV.get_template("alert.html.j2").render(a=view, link_text=LINK_TEXT)
    text = "\n".join(
        [
            view["subject"],
            "",
            f"{facts.report_title} · {facts.entity_name} · {view['period_label']}",
            f"Value now:      {view['value']}",
            f"Threshold:      {view['threshold']}",
            f"Previous value: {view['previous']}",
            f"Target:         {view['target']}",
            f"Rule:           {view['rule_text']}",
            "",
            f"{LINK_TEXT}: {view['link']}",
            f"Change or pause it: {view['alerts_link']}",
            "",
        ]
    )
    return RenderedEmail(str(view["subject"]), html, text, images)
