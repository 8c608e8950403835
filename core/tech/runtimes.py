"""End-of-life dates of runtimes, by the runtime names AWS and the inventory use.

Upstream end of life (no more security fixes), as published by the projects and collected on
endoflife.date. A runtime not listed has no known date (SaaS, or a name we do not know yet).
"""

from __future__ import annotations

from datetime import date

EOL_DATES: dict[str, date] = {
    "python3.8": date(2024, 10, 7),
    "python3.9": date(2025, 10, 31),
    "python3.10": date(2026, 10, 31),
    "python3.11": date(2027, 10, 31),
    "python3.12": date(2028, 10, 31),
    "python3.13": date(2029, 10, 31),
    "python3.14": date(2030, 10, 31),
    "nodejs16.x": date(2023, 9, 11),
    "nodejs18.x": date(2025, 4, 30),
    "nodejs20.x": date(2026, 4, 30),
    "nodejs22.x": date(2027, 4, 30),
    "nodejs24.x": date(2028, 4, 30),
    "postgres12": date(2024, 11, 21),
    "postgres13": date(2025, 11, 13),
    "postgres14": date(2026, 11, 12),
    "postgres15": date(2027, 11, 11),
    "postgres16": date(2028, 11, 9),
    "postgres17": date(2029, 11, 8),
    "mysql8.0": date(2026, 4, 30),
    "mysql8.4": date(2032, 4, 30),
    "php8.1": date(2025, 12, 31),
    "php8.2": date(2026, 12, 31),
    "php8.3": date(2027, 12, 31),
    "php8.4": date(2028, 12, 31),
    "ruby3.2": date(2026, 3, 31),
    "ruby3.3": date(2027, 3, 31),
    "ruby3.4": date(2028, 3, 31),
}


def eol_date(runtime: str) -> date | None:
    """The runtime's end-of-life date; None when unknown or not applicable."""
    return EOL_DATES.get(runtime.strip().lower())


def family(runtime: str) -> str:
    """``python3.11`` -> ``python``; ``postgres14`` -> ``postgres``."""
    return runtime.rstrip("0123456789.x")


def releases(family_name: str) -> list[str]:
    """Every known runtime of a family, oldest end of life first."""
    names = [r for r in EOL_DATES if family(r) == family_name]
    return sorted(names, key=EOL_DATES.__getitem__)
