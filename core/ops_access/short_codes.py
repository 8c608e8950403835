"""Short sign-in codes to type in the app (e.g. ``K7QM-3XPA``): the companion of a link's
long code, for someone who reads mail on a laptop and signs in on a phone.

8 characters of the unambiguous alphabet are about 40 bits: safe only with the claim limits
(five failures per email and per client address in 15 minutes), which is why a short code
is looked up together with the email it was sent to.
"""

from __future__ import annotations

import hashlib
import secrets

from core.ops_access.codes import ALPHABET, normalize

SHORT_LENGTH = 8


def new_short_code() -> str:
    """A fresh short code, shown as two groups of four (``K7QM-3XPA``)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(SHORT_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def short_hash(email: str, code: str) -> str:
    """The SHA-256 the store keeps for a short code: bound to the email it was sent to."""
    return hashlib.sha256(f"short:{email.strip().lower()}:{normalize(code)}".encode()).hexdigest()
