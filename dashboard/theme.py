"""The page's few CSS rules: a compact header, tiles of equal height, two tiles a row on phones.

Streamlit stacks columns one per row under 640 px and sizes each bordered container to its
content; these rules keep KPI tiles side by side (two on a phone) and level in a row. They
select the keyed containers ``components`` draws (``st-key-<key>`` classes).
"""

from __future__ import annotations

import streamlit as st

TILE_ROW = "tiles_"  # key prefix of a row of KPI tiles
TILE = f'[class*="st-key-{TILE_ROW}"] > [data-testid="stLayoutWrapper"]'  # one tile's box
HEADER = "report_header"
ATTENTION = "needs_attention"
TILE_NOTE = "tile-note"  # a KPI tile's small line under its status: day, target, last year

CSS = f"""
<style>
[data-testid="stMainBlockContainer"] {{ padding-top: 3.5rem; }}
[class*="st-key-{TILE_ROW}"] {{ align-items: stretch !important; }}
{TILE} {{
  flex: 1 1 0 !important; min-width: 12rem;
}}
{TILE} > [data-testid="stVerticalBlock"] {{
  height: 100%;
}}
[class*="st-key-{TILE_ROW}"] [class*="st-key-drill_"] {{ margin-top: auto; }}
.{TILE_NOTE} {{
  display: block; margin-top: 0.5rem; font-size: 0.875rem; color: rgba(49, 51, 63, 0.6);
}}
@media (max-width: 640px) {{
  [data-testid="stMainBlockContainer"] {{ padding-top: 4rem; }}  /* below the phone header */
  {TILE} {{
    flex: 1 1 calc(50% - 0.5rem) !important; min-width: calc(50% - 0.5rem);
    max-width: calc(50% - 0.25rem);
  }}
  {TILE} > [data-testid="stVerticalBlock"] {{
    padding: 0.6rem; gap: 0.4rem;
  }}
  [class*="st-key-{TILE_ROW}"] [data-testid="stMetricValue"] {{ font-size: 1.4rem; }}
  /* a phone is for a glance: value, change and status; the target line is on the laptop */
  [class*="st-key-{TILE_ROW}"] [data-testid="stMetricDeltaDescription"],
  [class*="st-key-{TILE_ROW}"] .{TILE_NOTE},
  [class*="st-key-{TILE_ROW}"] [class*="st-key-drill_"] {{ display: none; }}
}}
.st-key-{HEADER} h1 {{ font-size: 1.6rem; padding: 0; }}
.st-key-{HEADER} > div:nth-child(2) {{ flex: 1 1 0; min-width: 14rem; }}
.st-key-demo_banner [data-testid="stAlertContainer"] {{ padding: 0.3rem 0.75rem; }}
.st-key-demo_banner [data-testid="stAlertContainer"] p {{ font-size: 0.875rem; }}
.st-key-{ATTENTION} {{ margin-bottom: 0.75rem; }}
.st-key-{ATTENTION} ul {{ list-style: none; padding-left: 0; margin: 0; }}
.st-key-{ATTENTION} li {{ margin: 0.1rem 0; }}
.sev-bad {{ color: #d62728; }}
.sev-watch {{ color: #e67e00; }}
.sev-info {{ color: #808495; }}
</style>
"""


def apply() -> None:
    """Add the CSS to the page (once per run; an st.html style block takes no space)."""
    st.html(CSS)
