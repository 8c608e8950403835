"""The bookkeeper's work on the books, authorised per reader: import runs, undo, categorising."""
