"""One strict email address check for every door: ops users, guests, invites, login links,
dashboard users and report recipients.

Strict on purpose: an address ends up in a mail header, so a comma would add a recipient and a
line break would add a header. Accepted: ``local@domain.tld``, one ``@``, no whitespace, no
control characters, no ``,;<>()[]\\":``, labels of letters, digits and hyphens, at most 254
characters (RFC 5321's path limit).
"""

from __future__ import annotations

import re
import unicodedata

from core.errors import Invalid

MAX_LENGTH = 254
MAX_LOCAL = 64
_LOCAL = re.compile(r"^[^\s@,;<>()\[\]\\\":]+$")
_LABEL = re.compile(r"^[^\W_](?:(?:[^\W_]|-){0,61}[^\W_])?$")


def email_problem(raw: object) -> str | None:
    """Why ``raw`` is not an acceptable address, or None when it is."""
    if not isinstance(raw, str):
        return "not an email address"
    # control characters are refused anywhere, even at the ends (where strip() would hide them)
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in raw):
        return "no control characters (line breaks, tabs)"
    text = raw.strip(" ")
    if not text:
        return "required"
    if len(text) > MAX_LENGTH:
        return f"at most {MAX_LENGTH} characters"
    if text.count("@") != 1:
        return "not an email address (one @ needed)"
    local, domain = text.split("@")
    if not local or len(local) > MAX_LOCAL or not _LOCAL.match(local):
        return "not an email address"
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return "not an email address"
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return "not an email address"
    if len(labels[-1]) < 2 or labels[-1].isdigit():
        return "not an email address"
    return None


def is_email(raw: object) -> bool:
    """True for an acceptable address."""
    return email_problem(raw) is None


def clean_email(raw: object, *, field: str = "email") -> str:
    """The address trimmed and lower-cased; Invalid (naming ``field``) when unacceptable."""
    problem = email_problem(raw)
    if problem is not None:
        raise Invalid(f"{field}: {problem}", fields={field: problem})
    return str(raw).strip(" ").lower()
