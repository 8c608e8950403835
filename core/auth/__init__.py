"""Who may do what: dashboard users and roles (magic codes and JWT come with the API)."""
