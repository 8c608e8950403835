"""Scenarios: ``--adjust PREFIX=PCT`` and ``--one-off DATE=AMOUNT`` texts, and named scenarios
saved per entity (add, list, remove, load)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from core.auth.dashboard_users import UserScope
from core.errors import Conflict, Invalid, NotFound
from core.forecast.access import authorize_edit, authorize_read, visible
from core.forecast.model import Adjust, OneOff, Scenario
from core.forecast.recurring import account_problem
from core.forecast.values import iso_day, money, percent
from core.ledger.models import Entity
from core.ledger.models_forecast import ForecastScenario
from core.ledger.revision import bump_revision
from core.ledger.store import LedgerStore


@dataclass(frozen=True)
class SavedScenario:
    """A named scenario saved for one entity."""

    id: int
    entity_id: str
    scenario: Scenario


def parse_adjust(text: str, problems: list[str]) -> Adjust | None:
    """``Income:Charters=-25%`` to an Adjust, else a problem."""
    prefix, sep, pct_text = text.partition("=")
    if not sep:
        problems.append(f"--adjust {text!r} must look like Income:Charters=-25%")
        return None
    why = account_problem(prefix.strip())
    if why is not None:
        problems.append(f"--adjust {text!r}: {why}")
    pct = percent(pct_text, f"--adjust {text!r}:", problems)
    if why is not None or pct is None:
        return None
    return Adjust(prefix.strip(), pct)


def parse_one_off(text: str, problems: list[str]) -> OneOff | None:
    """``2026-12-15=-18000`` (optionally ``=LABEL`` after) to a OneOff, else a problem."""
    parts = text.split("=", 2)
    if len(parts) < 2:
        problems.append(f"--one-off {text!r} must look like 2026-12-15=-18000")
        return None
    day = iso_day(parts[0], f"--one-off {text!r}: date", problems)
    amount = money(parts[1], f"--one-off {text!r}: amount", problems)
    if day is None or amount is None:
        return None
    return OneOff(day, amount, parts[2].strip() if len(parts) > 2 else "")


def parse_scenario(
    adjusts: Sequence[str], one_offs: Sequence[str], name: str | None = None
) -> Scenario:
    """A scenario from ``--adjust`` and ``--one-off`` texts; Invalid lists every problem."""
    problems: list[str] = []
    parsed_adjusts = [parse_adjust(a, problems) for a in adjusts]
    parsed_one_offs = [parse_one_off(o, problems) for o in one_offs]
    if problems:
        raise Invalid("the scenario has bad input", problems=problems)
    return Scenario(
        name=name,
        adjusts=tuple(a for a in parsed_adjusts if a is not None),
        one_offs=tuple(o for o in parsed_one_offs if o is not None),
    )


def _dump(scenario: Scenario) -> tuple[str, str]:
    adjusts = [
        {
            "prefix": a.prefix,
            "pct": str(a.pct),
            "start": a.start.isoformat() if a.start else None,
            "end": a.end.isoformat() if a.end else None,
        }
        for a in scenario.adjusts
    ]
    one_offs = [
        {"day": o.day.isoformat(), "amount": str(o.amount), "label": o.label}
        for o in scenario.one_offs
    ]
    return json.dumps(adjusts), json.dumps(one_offs)


def _load(row: ForecastScenario) -> SavedScenario:
    def day(text: str | None) -> date | None:
        return date.fromisoformat(text) if text else None

    adjusts = tuple(
        Adjust(a["prefix"], Decimal(a["pct"]), day(a.get("start")), day(a.get("end")))
        for a in json.loads(row.adjusts)
    )
    one_offs = tuple(
        OneOff(date.fromisoformat(o["day"]), Decimal(o["amount"]), o.get("label", ""))
        for o in json.loads(row.one_offs)
    )
    return SavedScenario(int(row.id or 0), row.entity_id, Scenario(row.name, adjusts, one_offs))


def add_scenario(
    store: LedgerStore,
    reader: UserScope,
    *,
    entity_id: str,
    scenario: Scenario,
    replace: bool = False,
    now: datetime | None = None,
) -> SavedScenario:
    """Save ``scenario`` under its name for ``entity_id`` (Conflict when the name is taken,
    unless ``replace``); Invalid lists every problem."""
    authorize_edit(reader, entity_id)
    name = (scenario.name or "").strip()
    problems = [] if name else ["the scenario needs a name"]
    if scenario.empty:
        problems.append("the scenario changes nothing: give --adjust or --one-off")
    adjusts, one_offs = _dump(scenario)
    with store.session() as s:
        if s.get(Entity, entity_id) is None:
            problems.insert(0, f"unknown entity {entity_id!r}")
        if problems:
            raise Invalid("the scenario was not saved", problems=problems)
        old = s.exec(  # type: ignore[call-overload]
            select(ForecastScenario).where(
                ForecastScenario.entity_id == entity_id, ForecastScenario.name == name
            )
        ).scalar_one_or_none()
        if old is not None and not replace:
            raise Conflict(f"{entity_id} already has a scenario named {name!r}")
        row = old or ForecastScenario(entity_id=entity_id, name=name)
        row.adjusts, row.one_offs = adjusts, one_offs
        row.created_by, row.created_at = reader.email, now or datetime.now(UTC)
        s.add(row)
        bump_revision(s.connection())
        try:
            s.commit()
        except IntegrityError as exc:  # another writer saved the same name first
            raise Conflict(f"{entity_id} already has a scenario named {name!r}") from exc
        s.refresh(row)
    return _load(row)


def list_scenarios(
    store: LedgerStore, reader: UserScope, entity_id: str | None = None
) -> list[SavedScenario]:
    """The saved scenarios the reader may see, of one entity or of all, by entity and name."""
    if entity_id is not None:
        store.get_entity(entity_id)
        authorize_read(reader, entity_id)
        ids = [entity_id]
    else:
        ids = visible(reader, [e.id for e in store.list_entities()])
    q = select(ForecastScenario).where(ForecastScenario.entity_id.in_(ids))
    with store.session() as s:
        rows = [_load(r) for r in s.exec(q).scalars()]  # type: ignore[call-overload]
    return sorted(rows, key=lambda r: (r.entity_id, r.scenario.name or ""))


def scenarios_named(
    store: LedgerStore, reader: UserScope, entity_ids: Sequence[str], name: str
) -> dict[str, Scenario]:
    """The scenarios called ``name`` of those ``entity_ids`` the reader may see, by entity;
    NotFound when none has one."""
    found = {
        r.entity_id: r.scenario
        for r in list_scenarios(store, reader)
        if r.entity_id in entity_ids and r.scenario.name == name
    }
    if not found:
        raise NotFound(f"no scenario named {name!r} (see `python -m core scenario list`)")
    return found


def remove_scenario(store: LedgerStore, reader: UserScope, entity_id: str, name: str) -> None:
    """Remove the scenario ``name`` of ``entity_id`` (NotFound when there is none)."""
    authorize_edit(reader, entity_id)
    with store.session() as s:
        gone = s.exec(  # type: ignore[call-overload]
            delete(ForecastScenario).where(
                ForecastScenario.entity_id == entity_id, ForecastScenario.name == name
            )
        ).rowcount
        if not gone:
            raise NotFound(f"{entity_id} has no scenario named {name!r}")
        bump_revision(s.connection())
        s.commit()
