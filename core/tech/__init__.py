"""Tech data: the stack inventory, cloud costs and usage, security findings and git history."""
