"""Pure metric functions: plain data in, numbers out (no I/O, no UI)."""
