"""One-time login codes: unambiguous alphabet, stored only as SHA-256, single use."""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
CODE_LENGTH = 10


def new_code() -> str:
    """A fresh random code (about 50 bits)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize(code: str) -> str:
    """Upper-case, without spaces or dashes people add when typing."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_hash(code: str) -> str:
    """The SHA-256 the store keeps in place of the code."""
    return hashlib.sha256(normalize(code).encode()).hexdigest()
