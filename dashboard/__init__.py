"""The Streamlit UI kit: the only package besides views/ that imports streamlit."""
