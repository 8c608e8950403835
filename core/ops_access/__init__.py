"""Operations sign-in by magic link: one-time codes, links, JWT sessions (over the ops store)."""
