"""The merchant in a bank description, and a rule pattern about it (not about the town).

``SHELL OIL 57442 SAUSALITO CA`` is bought at Shell in Sausalito: a rule should match every
Shell station, so the pattern is ``\\bSHELL\\s+OIL\\b``. Left out: card and ACH wording before
the merchant (``POS``, ``CHECKCARD 0412``, ``PURCHASE AUTHORIZED ON 04/12``), payment
processors' prefixes (``SQ *``, ``TST*``, ``PAYPAL *``), and from the first store number,
reference, masked card number, date or phone number on; without such a number, a trailing
``CITY ST`` (a US state code and the town before it).
"""

from __future__ import annotations

import re

LEADING_NOISE = frozenset(
    {
        "POS",
        "ACH",
        "CARD",
        "DEBIT",
        "CREDIT",
        "PURCHASE",
        "PAYMENT",
        "ONLINE",
        "CHECKCARD",
        "RECURRING",
        "AUTHORIZED",
        "PREAUTHORIZED",
        "ON",
        "VISA",
        "MC",
        "WITHDRAWAL",
        "WEB",
        "ELECTRONIC",
    }
)
# words that start a reference field: everything from them on is not the merchant
FIELD_WORDS = frozenset({"REF", "CONF", "TRACE", "PPD"})  # and any word with a colon
TRAILING_NOISE = frozenset({"STORE", "STR", "NO", "LOC", "ON"})
STATES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "DC",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "PR",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
    ]
)
# first words of two-word towns (SAN DIEGO, LOS GATOS, ST LOUIS...)
TOWN_PREFIXES = frozenset(
    [
        "SAN",
        "SANTA",
        "LOS",
        "LAS",
        "NEW",
        "FORT",
        "FT",
        "ST",
        "SAINT",
        "EL",
        "LA",
        "PORT",
        "MOUNT",
        "MT",
        "NORTH",
        "SOUTH",
        "EAST",
        "WEST",
        "PALM",
        "CHULA",
        "MILL",
        "HALF",
        "DEL",
        "CORTE",
    ]
)
_PROCESSOR = re.compile(r"^(SQ|TST|SP|PP|PAYPAL|PY|IN|DD|WPY|CKE|ZLR|BT|PAR|IC)\s*\*\s*", re.I)
_ACH_NAME = re.compile(r"\bCO NAME:\s*(.+?)(?=\s+(?:ORIG ID|CO ID|DESC DATE|CO ENTRY)|$)", re.I)
_DIGIT_WORD = re.compile(r"^\d+-[A-Za-z]{3,}$")  # 7-ELEVEN
_MAX_WORDS = 5


def _is_word(token: str) -> bool:
    """A token that can be part of a merchant name (no store number, date, mask or field)."""
    bare = token.rstrip("#:").upper()
    if _DIGIT_WORD.match(token):
        return True
    if any(c.isdigit() for c in token) or token.startswith("#") or ":" in token:
        return False
    if re.fullmatch(r"X{3,}\w*", bare) or bare in FIELD_WORDS or token in {"-", "--", "—"}:
        return False
    return any(c.isalpha() for c in token)


def _before_star(token: str) -> str:
    """``AMAZON.COM*2K4XX1`` -> ``AMAZON.COM``: a star starts an order or product code."""
    return token.split("*", 1)[0] or token


def _drop_town(words: list[str]) -> list[str]:
    """``BLUE BOTTLE COFFEE OAKLAND CA`` -> ``BLUE BOTTLE COFFEE`` (never down to nothing)."""
    if len(words) < 3 or words[-1].upper() not in STATES:
        return words
    kept = words[:-2]
    if len(kept) > 1 and kept[-1].upper() in TOWN_PREFIXES:
        kept = kept[:-1]
    return kept or words


def merchant_name(description: str) -> str:
    """The merchant part of a bank description, as written (``SHELL OIL``)."""
    text = " ".join(description.split())
    ach = _ACH_NAME.search(text)
    if ach:  # Chase's ACH lines: ORIG CO NAME:STRIPE ORIG ID:1800948598 ...
        text = ach.group(1)
    tokens = text.split(" ")
    # card and ACH wording, dates and masked numbers before the merchant
    start = 0
    while start < len(tokens) and (
        tokens[start].upper() in LEADING_NOISE or not _is_word(_before_star(tokens[start]))
    ):
        start += 1
    rest = _PROCESSOR.sub("", " ".join(tokens[start:]))
    if "*" in rest.strip("*"):
        # AMAZON.COM*2K4XX1 / UBER *TRIP: what follows the star is an order or product code
        rest = rest.strip("*").split("*", 1)[0]
    words: list[str] = []
    cut = False
    for token in rest.split():
        if not _is_word(token):
            cut = True
            break
        words.append(token)
    if not cut:
        words = _drop_town(words)
    while len(words) > 1 and words[-1].upper() in TRAILING_NOISE:
        words.pop()
    if not words:
        return text
    return " ".join(words[:_MAX_WORDS])


def merchant_pattern(description: str) -> str:
    """A case-insensitive regular expression matching the merchant wherever it appears."""
    words = merchant_name(description).split()
    body = r"\s+".join(re.escape(w) for w in words)
    head = r"\b" if re.match(r"\w", words[0]) else ""
    tail = r"\b" if re.search(r"\w$", words[-1]) else ""
    return f"{head}{body}{tail}"
