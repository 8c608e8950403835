"""What a dashboard load session is: the user it signs in as, what it checks, its outcome."""

from __future__ import annotations

from dataclasses import dataclass

OWNER = "owner@example.com"
PASSWORD = "bench-load-password-42"
CFO_LABELS = ("Revenue", "Expenses", "Net income", "Cash")
MIN_CHARTS = 4
MIN_KPIS = 8


@dataclass
class Session:
    """One session's outcome (a browser context or a protocol client); times in seconds."""

    ok: bool = False
    sign_in_s: float | None = None
    cfo_s: float | None = None  # the timed open of /cfo, all sessions at once
    compare_s: float | None = None  # then "Compare with" changed (protocol clients)
    ceo_s: float | None = None  # then /ceo opened from the sidebar (protocol clients)
    error: str | None = None
    exception_boxes: int = 0
    charts: int = 0
    kpis: int = 0
    clicked_at: float | None = None  # epoch s of the CFO click: where the server's runs start
