"""Pure domain and adapters of the portfolio executive platform (never imports streamlit)."""
