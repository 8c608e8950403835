"""One report model, several renderers: builders make a Report; pages and emails render it."""
