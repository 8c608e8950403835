"""Secret detectors: what a secret looks like, how it is masked, and what is only a placeholder.

Each detector looks at one file's lines and yields :class:`Hit` (line number, kind, the secret
text, its masked form). The secret text never leaves the scanner: callers keep only its
masked form and a hash (see ``core.sources.secret_scan``).

Kinds and severities:

    stripe-live-key          critical  sk_live_ / rk_live_ + 20 or more alphanumerics
    private-key              critical  a PEM ``-----BEGIN ... PRIVATE KEY-----`` block with key data
    stripe-webhook-secret    high      whsec_ + 20 or more alphanumerics
    aws-access-key-id        high      AKIA / ASIA + 16 upper-case letters or digits
    aws-secret-access-key    high      40 base64 characters assigned to aws_secret_access_key & co.
    env-secret               high      in .env / .env.*: a secret-looking name with a real value
    stripe-test-key          medium    sk_test_ / rk_test_ + 20 or more alphanumerics
    high-entropy-assignment  medium    a secret-looking name given a random-looking literal

A line containing ``secret-scan: allow`` is skipped (deliberate examples in docs and tests).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

ALLOW_MARKER = "secret-scan: allow"

SEVERITY = {
    "stripe-live-key": "critical",
    "private-key": "critical",
    "stripe-webhook-secret": "high",
    "aws-access-key-id": "high",
    "aws-secret-access-key": "high",
    "env-secret": "high",
    "stripe-test-key": "medium",
    "high-entropy-assignment": "medium",
}

# High-entropy threshold. Shannon entropy per character is capped by log2 of the alphabet and
# by log2 of the length (a 20-character string cannot exceed 4.32 bits), so a fixed number in
# bits favours long strings. We divide by that cap and call a value random-looking at >= 0.80:
# measured over 2,000 random strings each, 99% of random alphanumerics of 20+ characters score
# >= 0.84 and random hex of 32+ characters >= 0.81, while dashed phrases used as test secrets
# ("test-secret-that-is-at-least-32-bytes-long!") score 0.66-0.75. Word-like values (each run
# of letters or digits of one class: "bench-load-password-42") are never flagged: they are
# names and fixtures, and short ones can score high.
ENTROPY_RATIO = 0.80
MIN_ENTROPY_LENGTH = 20

_STRIPE = re.compile(r"\b(?P<prefix>(?:sk|rk)_(?P<mode>live|test)_)(?P<body>[A-Za-z0-9]{20,})")
_WEBHOOK = re.compile(r"\b(?P<prefix>whsec_)(?P<body>[A-Za-z0-9]{20,})")
_AWS_ID = re.compile(r"(?<![A-Z0-9])(?P<prefix>AKIA|ASIA)(?P<body>[A-Z0-9]{16})(?![A-Z0-9])")
_AWS_SECRET = re.compile(
    r"(?i:aws_?secret(?:_?access)?_?key|secret_?access_?key)[\"']?\s*[:=]\s*[\"']?"
    r"(?P<body>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"
)
_PEM_BEGIN = re.compile(r"-----BEGIN (?P<type>(?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----")
_PEM_END = re.compile(r"-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----")
_KEY_DATA = re.compile(r"[A-Za-z0-9+/=]{32,}")

# ``name = "value"``, ``name: value``, ``NAME=value``, ``"name": "value"``, ``name: str = "v"``;
# never ``==``, ``!=``, ``<=``, ``>=``.
_ASSIGN = re.compile(
    r"(?<![A-Za-z0-9_.\-])(?P<name>[A-Za-z_][A-Za-z0-9_.\-]*)[\"']?\s*"
    r"(?::\s*[A-Za-z_][\w\[\]., |]*?\s*)?"
    r"(?:(?<![=!<>])=(?!=)|:(?![:/]))\s*"
    r"(?P<value>\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|[^\s\"',;#()\[\]{}]+)"
)
_ENV_LINE = re.compile(
    r"^\s*(?:export\s+)?(?P<name>[A-Za-z_][A-Za-z0-9_.\-]*)\s*=\s*(?P<value>.*)$"
)

_SECRET_WORDS = frozenset(
    {"secret", "token", "password", "passwd", "pwd", "pass", "passphrase", "key", "apikey",
     "credential", "credentials", "auth", "privatekey", "secretkey", "accesskey", "signature"}
)  # fmt: skip
_SECRET_PARTS = ("secret", "token", "passw", "apikey", "privatekey", "credential")
# "key" alone is a secret (KEY, api_key, signing_key) except in these data-modelling names.
_DATA_KEYS = frozenset(
    {"foreign", "primary", "sort", "partition", "range", "hash", "cache", "lookup", "dict",
     "map", "row", "idempotency", "unique", "composite", "public", "index", "search", "object",
     "bucket", "table", "attribute", "attr", "group", "order", "cursor", "dedupe", "state"}
)  # fmt: skip
# A name ending in one of these holds a pointer to a secret, or data about it, not the secret.
_NOT_SECRET_SUFFIX = frozenset(
    {"arn", "url", "uri", "path", "file", "dir", "name", "id", "env", "var", "header", "ttl",
     "len", "length", "version", "type", "kind", "count", "hash", "digest", "prefix", "field",
     "param", "hours", "minutes", "seconds", "expires", "expiry", "at", "source", "store"}
)  # fmt: skip
_PLACEHOLDER_WORDS = (
    "changeme", "change-me", "change_me", "xxx", "example", "placeholder", "dummy", "redacted",
    "your-", "your_", "<", "todo", "fixme", "****", "...", "…", "notasecret", "not-a-secret",
)  # fmt: skip
_CODE_SUFFIXES = frozenset(
    {".py", ".pyi", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".go", ".rb", ".java", ".kt",
     ".cs", ".php", ".rs", ".swift", ".scala", ".c", ".h", ".cpp"}
)  # fmt: skip
LOCK_FILES = frozenset(
    {"package-lock.json", "yarn.lock", "pnpm-lock.yaml", "poetry.lock", "pipfile.lock",
     "uv.lock", "cargo.lock", "composer.lock", "gemfile.lock", "go.sum", "npm-shrinkwrap.json"}
)  # fmt: skip


@dataclass(frozen=True)
class Hit:
    """One secret in one file: where, what kind, the secret itself and its masked form."""

    line: int
    kind: str
    secret: str
    masked: str


def shannon_entropy(text: str) -> float:
    """Shannon entropy of ``text`` in bits per character (0 for an empty string)."""
    if not text:
        return 0.0
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in Counter(text).values())


def entropy_ratio(text: str) -> float:
    """Entropy as a share of the most a string of this length and alphabet can have (0..1)."""
    if len(text) < 2:
        return 0.0
    if re.fullmatch(r"[0-9a-f]+|[0-9A-F]+", text):
        alphabet = 16
    else:
        alphabet = sum(
            size
            for pattern, size in (
                (r"[a-z]", 26),
                (r"[A-Z]", 26),
                (r"[0-9]", 10),
                (r"[^a-zA-Z0-9]", 32),
            )
            if re.search(pattern, text)
        )
    return shannon_entropy(text) / math.log2(min(len(text), alphabet))


def mask(prefix: str, body: str) -> str:
    """``prefix…last4``: at most 4 characters of the body, none when the body is short."""
    tail = body[-4:] if len(body) >= 16 else ""
    return f"{prefix}…{tail}"


def is_placeholder(value: str) -> bool:
    """True for values that only stand in for a secret: templates, examples, repeated chars."""
    low = value.lower()
    if any(word in low for word in _PLACEHOLDER_WORDS):
        return True
    if "${" in value or "{{" in value or value.startswith("$") or ("{" in value and "}" in value):
        return True
    if "://" in value or low.startswith("arn:") or value.startswith(("/", "./", "~/")):
        return True  # a URL, an ARN or a path: where a secret lives, not the secret
    return len(set(value)) <= 4  # "aaaa...", "0000...", "abab...": nobody's real key


def looks_secret(name: str) -> bool:
    """True when a variable or key name says it holds a secret (api_key, JWT_SECRET, dbPassword)."""
    last = name.rsplit(".", 1)[-1]
    words = [w.lower() for w in re.split(r"[_\-]+|(?<=[a-z0-9])(?=[A-Z])", last) if w]
    if not words or words[-1] in _NOT_SECRET_SUFFIX:
        return False
    if words[-1] == "key" and len(words) > 1 and words[-2] in _DATA_KEYS:
        return False
    return any(w in _SECRET_WORDS or any(p in w for p in _SECRET_PARTS) for w in words)


def is_wordy(value: str) -> bool:
    """True for word-like values ("bench-load-password-42", "audit_rent_charges.id").

    Generated secrets mix letters and digits or cases inside a run; words and identifiers
    keep each run to one class. Entropy alone cannot tell them apart: short strings of distinct
    lower-case letters score as high as random ones.
    """
    return all(
        re.fullmatch(r"[a-z]+|[A-Z]+|[0-9]+", part)
        for part in re.split(r"[._\-/:@+ ]+", value)
        if part
    )


def _unquote(value: str) -> tuple[str, bool]:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'`":
        return value[1:-1], True
    return value, False


def is_env_file(filename: str) -> bool:
    """``.env`` and ``.env.*`` (``.env.local``, ``.env.production``...)."""
    return filename == ".env" or filename.startswith(".env.")


def detect(filename: str, lines: Sequence[str]) -> Iterator[Hit]:
    """Every secret in one file's lines (``filename`` decides the .env / code / lock rules)."""
    low_name = filename.lower()
    is_env = is_env_file(low_name)
    is_lock = low_name in LOCK_FILES or low_name.endswith(".lock")
    is_code = any(low_name.endswith(s) for s in _CODE_SUFFIXES)
    for number, line in enumerate(lines, start=1):
        if ALLOW_MARKER in line:
            continue
        found = list(_patterns(number, line, lines))
        yield from found
        if found or is_lock:
            continue  # hashes in lock files are random by design; one finding per line is enough
        if is_env:
            hit = _env_secret(number, line)
        else:
            hit = _high_entropy(number, line, quoted_only=is_code)
        if hit:
            yield hit


def _patterns(number: int, line: str, lines: Sequence[str]) -> Iterator[Hit]:
    for m in _STRIPE.finditer(line):
        if not is_placeholder(m["body"]):
            kind = "stripe-live-key" if m["mode"] == "live" else "stripe-test-key"
            yield Hit(number, kind, m[0], mask(m["prefix"], m["body"]))
    for m in _WEBHOOK.finditer(line):
        if not is_placeholder(m["body"]):
            yield Hit(number, "stripe-webhook-secret", m[0], mask(m["prefix"], m["body"]))
    for m in _AWS_ID.finditer(line):
        if not is_placeholder(m[0]):
            yield Hit(number, "aws-access-key-id", m[0], mask(m["prefix"], m["body"]))
    for m in _AWS_SECRET.finditer(line):
        if not is_placeholder(m["body"]) and entropy_ratio(m["body"]) >= ENTROPY_RATIO:
            yield Hit(number, "aws-secret-access-key", m["body"], mask("", m["body"]))
    m = _PEM_BEGIN.search(line)
    if m:
        data = _pem_data(line[m.end() :], lines[number : number + 60])
        if data:  # a bare BEGIN line (a parser's constant, docs) is not a key
            yield Hit(number, "private-key", data, m["type"])


def _pem_data(rest: str, following: Sequence[str]) -> str:
    """The base64 key material after a BEGIN marker, up to its END marker ("" if none)."""
    parts: list[str] = []
    for text in [rest, *following]:
        end = _PEM_END.search(text)
        chunk = text[: end.start()] if end else text
        parts.extend(_KEY_DATA.findall(chunk.replace("\\n", "\n")))
        if end:
            break
    return "".join(parts)


def _env_secret(number: int, line: str) -> Hit | None:
    m = _ENV_LINE.match(line)
    if not m or line.lstrip().startswith("#") or not looks_secret(m["name"]):
        return None
    raw = m["value"].strip()
    value, quoted = _unquote(raw)
    if not quoted:
        value = value.split(" #", 1)[0].strip()  # an inline comment
    if not value or is_placeholder(value):
        return None
    return Hit(number, "env-secret", value, mask(f"{m['name']}=", value))


def _high_entropy(number: int, line: str, *, quoted_only: bool) -> Hit | None:
    for m in _ASSIGN.finditer(line):
        value, quoted = _unquote(m["value"])
        if quoted_only and not quoted:
            continue  # in code an unquoted value is an expression (os.environ[...], a name)
        if len(value) < MIN_ENTROPY_LENGTH or " " in value or not looks_secret(m["name"]):
            continue
        if is_placeholder(value) or is_wordy(value) or entropy_ratio(value) < ENTROPY_RATIO:
            continue
        return Hit(number, "high-entropy-assignment", value, mask(f"{m['name']}=", value))
    return None
