"""Mail delivery: build MIME messages, send through the outbox or SES v2, log every attempt."""
