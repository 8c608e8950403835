"""The charter-operations rules, one module per concern, combined by ``core.ops.service``."""
