"""The Forecast page's and the budget panel's calls into the core (cached on the ledger's
revision, so a save shows at once and nothing else rebuilds)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime

import streamlit as st

from core.auth.dashboard_users import UserScope
from core.budgets.lines import BudgetLine
from core.budgets.records import BudgetSaved, budgets, save_budget
from core.budgets.versus import BudgetVsActual, budget_vs_actual
from core.config import get_settings
from core.forecast.breakeven import CharterBreakEven, break_even_trips
from core.forecast.build import build_forecast
from core.forecast.model import Forecast, Scenario
from core.forecast.presets import Preset, lose_charter_weekends
from core.forecast.recurring import RecurringItem, add_recurring, list_recurring, remove_recurring
from core.forecast.scenarios import SavedScenario, add_scenario, list_scenarios, remove_scenario
from core.forecast.suggest import Suggestion, accept_suggestion, suggest_recurring
from core.ledger.models_budgets import Budget
from core.ledger.store import ledger_revision
from core.reports.request import ReportRequest
from core.reports.scope import resolve_scope
from dashboard.core_calls import BY_REQUEST, ledger


def today() -> date:
    """Today in the portfolio's time zone: the forecast's as-of."""
    return datetime.now(get_settings().tz).date()


def _revision() -> tuple[int, int]:
    return ledger_revision(ledger())


@st.cache_data(ttl=30, show_spinner=False, hash_funcs=BY_REQUEST)
def _budget_vs_actual(request: ReportRequest, revision: tuple[int, int]) -> BudgetVsActual:
    return budget_vs_actual(ledger(), request)


def budget_comparison(request: ReportRequest) -> BudgetVsActual:
    """Budget, actual and variance per account group for the request's scope and month."""
    return _budget_vs_actual(request, _revision())


@st.cache_data(ttl=30, show_spinner=False, hash_funcs=BY_REQUEST)
def _break_even(
    request: ReportRequest, day: date, revision: tuple[int, int]
) -> list[CharterBreakEven]:
    return break_even_trips(ledger(), request, today=day)


def break_even(request: ReportRequest) -> list[CharterBreakEven]:
    """Break-even trips by season of the scope's charter entities."""
    return _break_even(request, today(), _revision())


@st.cache_data(ttl=30, show_spinner="Forecasting…")
def _forecast(
    reader: UserScope,
    entity: str,
    as_of: date,
    weeks: int,
    scenario: Scenario | None,
    revision: tuple[int, int],
) -> Forecast:
    return build_forecast(ledger(), reader, entity, as_of, weeks, scenario)


def forecast(
    reader: UserScope, entity: str, as_of: date, weeks: int, scenario: Scenario | None = None
) -> Forecast:
    """The weekly cash forecast (the core checks the reader's scope)."""
    return _forecast(reader, entity, as_of, weeks, scenario, _revision())


def scope_ids(reader: UserScope, entity: str) -> tuple[str, ...]:
    """The entity ids of a page's scope, checked against the reader's."""
    return resolve_scope(ledger(), entity=entity, period=0, allowed=reader.entities).entity_ids


def weekends_lost(entity_ids: Sequence[str], month: int, as_of: date) -> Preset:
    """The "lose the charter weekends of a month" what-if, measured on the ledger."""
    return lose_charter_weekends(ledger(), entity_ids, month, as_of=as_of)


def recurring(reader: UserScope, entity_id: str | None) -> list[RecurringItem]:
    """The declared recurring items the reader may see."""
    return list_recurring(ledger(), reader, entity_id)


def declare(reader: UserScope, **fields: object) -> RecurringItem:
    """Declare a recurring item (Invalid lists every problem)."""
    return add_recurring(ledger(), reader, **fields)  # type: ignore[arg-type]


def undeclare(reader: UserScope, item_id: int) -> RecurringItem:
    """Remove a recurring item."""
    return remove_recurring(ledger(), reader, item_id)


def scenarios(reader: UserScope, entity_id: str | None) -> list[SavedScenario]:
    """The saved scenarios the reader may see."""
    return list_scenarios(ledger(), reader, entity_id)


def save_scenario(reader: UserScope, entity_id: str, scenario: Scenario) -> SavedScenario:
    """Save (or replace) a named scenario of one entity."""
    return add_scenario(ledger(), reader, entity_id=entity_id, scenario=scenario, replace=True)


def drop_scenario(reader: UserScope, entity_id: str, name: str) -> None:
    """Remove a saved scenario."""
    remove_scenario(ledger(), reader, entity_id, name)


def budget_rows(entity_id: str, year: int) -> list[Budget]:
    """An entity's budget lines of one year."""
    return budgets(ledger(), [entity_id], year * 100 + 1, year * 100 + 12)


def save_budget_lines(
    reader: UserScope, entity_id: str, lines: Sequence[BudgetLine], months: Collection[int]
) -> BudgetSaved:
    """Replace the budget of ``months`` (the core decides who may)."""
    return save_budget(ledger(), actor=reader, entity_id=entity_id, lines=lines, months=months)


def suggestions(reader: UserScope, entity_id: str, as_of: date) -> list[Suggestion]:
    """Candidate recurring items found in the history (the owner accepts or ignores them)."""
    return suggest_recurring(ledger(), reader, entity_id, as_of)


def accept(reader: UserScope, suggestion: Suggestion, name: str | None = None) -> RecurringItem:
    """Declare a suggested recurring item (the owner's choice)."""
    return accept_suggestion(ledger(), reader, suggestion, name=name)
