"""Marketing data: booking channels, listings, bookings and blast campaigns (demo and store)."""
