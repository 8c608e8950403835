"""Categorization rules (RULES.yaml): a list, first match wins.

- {match: "SHELL|CHEVRON", account: Expenses:Fuel, cost_behavior: variable}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from core.errors import Invalid
from core.ledger.models import COST_BEHAVIORS
from core.ledger.store import account_root


@dataclass(frozen=True)
class Rule:
    """Descriptions matching ``pattern`` (case-insensitive search) go to ``account``."""

    pattern: re.Pattern[str]
    account: str
    cost_behavior: str | None = None


def load_rules(path: str) -> list[Rule]:
    """Parse and check a rules file; Invalid lists every bad rule by number."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise Invalid(f"rules file {path} does not exist") from exc
    except (OSError, yaml.YAMLError) as exc:
        raise Invalid(f"rules file {path} is not valid YAML: {exc}") from exc
    if not isinstance(raw, list):
        raise Invalid(f"rules file {path} must be a YAML list of {{match, account}} items")
    rules: list[Rule] = []
    problems: list[str] = []
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or "match" not in item or "account" not in item:
            problems.append(f"rule {n}: needs 'match' and 'account'")
            continue
        unknown = set(item) - {"match", "account", "cost_behavior"}
        if unknown:
            problems.append(f"rule {n}: unknown keys {', '.join(sorted(map(str, unknown)))}")
        try:
            pattern = re.compile(str(item["match"]), re.IGNORECASE)
        except re.error as exc:
            problems.append(f"rule {n}: match {item['match']!r} is not a valid regex ({exc})")
            continue
        try:
            account_root(str(item["account"]))
        except Invalid as exc:
            problems.append(f"rule {n}: {exc.message}")
            continue
        behavior = item.get("cost_behavior")
        if behavior is not None and behavior not in COST_BEHAVIORS:
            problems.append(f"rule {n}: cost_behavior must be fixed or variable")
            continue
        rules.append(Rule(pattern, str(item["account"]), behavior))
    if problems:
        raise Invalid(f"rules file {path} has problems; nothing was imported", problems=problems)
    return rules


def match_rule(rules: list[Rule], description: str) -> Rule | None:
    """The first rule whose pattern is found in the description."""
    return next((r for r in rules if r.pattern.search(description)), None)
