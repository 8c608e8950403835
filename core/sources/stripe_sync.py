"""Stripe balance transactions -> balanced journal entries, pulled incrementally.

Each balance transaction becomes one entry: the Stripe balance (``Assets:Cash:Stripe``, a cash
account, so it counts in the CFO's cash) for the net, Stripe fees for the fee, and the other
side by type: income for charges, refunds against income, the bank for payouts, chargebacks
for disputes; anything else goes to the uncategorized queue like an unmatched bank row.

Paging is newest first (Stripe's order). Each page is posted in one transaction together with
the cursor ``{"since", "after", "high"}``: ``since`` bounds the pull below (``created[gte]``),
``after`` is the last transaction posted in this pass (``starting_after``), ``high`` the newest
``created`` seen. A rate limit or network failure leaves whole pages and a cursor that resumes
after the last of them; entries are fingerprinted by transaction id, so re-running adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.config import Settings, get_settings
from core.errors import Invalid, Unavailable
from core.ledger.store import LedgerStore, NewEntry
from core.secret_value import CachedSecret
from core.sources.runs import Progress, load_cursor, no_progress, save_cursor, sync_run

SOURCE = "stripe"
CURRENCY = "usd"  # the ledger's currency
BALANCE = "Assets:Cash:Stripe"
FEES = "Expenses:Stripe Fees"
COUNTER: dict[str, str] = {
    "charge": "Income:Sales",
    "payment": "Income:Sales",
    "refund": "Income:Refunds",
    "payment_refund": "Income:Refunds",
    "payment_failure_refund": "Income:Refunds",
    "stripe_fee": FEES,
    "stripe_fx_fee": FEES,
    "tax_fee": FEES,
    "adjustment": "Expenses:Chargebacks",  # Stripe's dispute debits and reversals
    "dispute": "Expenses:Chargebacks",
}
PAYOUTS = ("payout", "payout_cancel", "payout_failure")
COST_BEHAVIORS = {FEES: "variable", "Expenses:Chargebacks": "variable"}


def counter_account(txn: dict[str, Any], bank: str) -> str:
    """The account on the other side of the Stripe balance for this transaction."""
    kind = str(txn.get("type"))
    if kind in PAYOUTS:
        return bank
    if str(txn.get("reporting_category", "")).startswith("dispute"):
        return "Expenses:Chargebacks"
    if kind in COUNTER:
        return COUNTER[kind]
    return "Income:Uncategorized" if txn.get("amount", 0) > 0 else "Expenses:Uncategorized"


def txn_problems(txn: dict[str, Any]) -> list[str]:
    """Why a balance transaction cannot be posted (empty when it can)."""
    tid = txn.get("id") if isinstance(txn.get("id"), str) else "?"
    problems = [
        f"{tid}: {name} is not a whole number of cents"
        for name in ("amount", "fee", "net", "created")
        if not isinstance(txn.get(name), int) or isinstance(txn.get(name), bool)
    ]
    if tid == "?":
        problems.append("a transaction has no id")
    if problems:
        return problems
    if txn["net"] != txn["amount"] - txn["fee"]:
        problems.append(f"{tid}: net {txn['net']} is not amount {txn['amount']} - fee {txn['fee']}")
    if str(txn.get("currency", "")).lower() != CURRENCY:
        problems.append(
            f"{tid}: currency {txn.get('currency')!r}; this ledger posts {CURRENCY.upper()} only"
        )
    return problems


def entry_for(txn: dict[str, Any], entity_id: str, tz: ZoneInfo, *, bank: str) -> NewEntry | None:
    """The journal entry of a (valid) balance transaction; None for an all-zero one."""
    amount, fee, net = txn["amount"], txn["fee"], txn["net"]
    if amount == 0 and fee == 0:
        return None
    counter = counter_account(txn, bank)
    lines = [(BALANCE, net), (counter, -amount)]
    if fee:
        lines.append((FEES, fee))
    text = (txn.get("description") or "").strip()
    kind = str(txn["type"]).replace("_", " ")
    return NewEntry(
        entity_id=entity_id,
        date=datetime.fromtimestamp(txn["created"], UTC).astimezone(tz).date(),
        description=f"Stripe {kind}: {text}" if text else f"Stripe {kind}",
        lines=[(path, cents) for path, cents in lines if cents],
        memo=txn["id"],
        source=SOURCE,
        fingerprint=f"stripe:{txn['id']}",
        cost_behaviors={p: b for p, b in COST_BEHAVIORS.items() if p in {a for a, _ in lines}},
    )


def stripe_client(settings: Settings, *, secrets_client: Any | None = None) -> Any:
    """A StripeClient from STRIPE_API_KEY or STRIPE_SECRET_ARN (and STRIPE_API_BASE, if set)."""
    import stripe

    key = settings.stripe_api_key
    if not key and settings.stripe_secret_arn:
        key = CachedSecret(settings.stripe_secret_arn, client=secrets_client).get()
    if not key:
        raise Invalid("Stripe is not configured: set STRIPE_API_KEY or STRIPE_SECRET_ARN")
    bases = {"api": settings.stripe_api_base} if settings.stripe_api_base else None
    return stripe.StripeClient(key, base_addresses=bases, max_network_retries=3)  # type: ignore[arg-type]


def translate_error(exc: Exception, posted: int, after: str | None) -> Exception:
    """A Stripe error as a core error, saying what was posted before it (if anything)."""
    import stripe

    where = (
        f"; {posted} entries were posted and the next run resumes after {after}" if after else ""
    )
    if isinstance(exc, stripe.AuthenticationError | stripe.PermissionError):
        return Invalid(f"Stripe refused the API key: {exc.user_message or exc}")
    if isinstance(exc, stripe.RateLimitError):
        return Unavailable(f"Stripe is rate limiting this key{where or '; nothing was posted'}")
    if isinstance(exc, stripe.APIConnectionError):
        return Unavailable(f"could not reach Stripe ({exc.user_message}){where}")
    if isinstance(exc, stripe.InvalidRequestError):
        return Invalid(f"Stripe refused the request: {exc.user_message or exc}{where}")
    return Unavailable(f"Stripe failed: {exc.user_message or exc}{where}")  # type: ignore[attr-defined]


def sync_stripe(
    store: LedgerStore,
    entity_id: str,
    *,
    client: Any | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
    page_size: int = 100,
    bank: str = "Assets:Bank:Checking",
    now: Callable[[], datetime] | None = None,
) -> str:
    """Pull new balance transactions into ``entity_id``'s books; a one-line summary."""
    import stripe

    settings = settings or get_settings()
    report = progress or no_progress
    with sync_run(store, entity_id, SOURCE) as run:
        client = client or stripe_client(settings)
        cursor = load_cursor(store, entity_id, SOURCE) or {"since": 0, "after": None, "high": 0}
        since, after, high = int(cursor["since"]), cursor.get("after"), int(cursor["high"])
        seen = posted = pages = 0
        newest: int | None = None
        earliest: date | None = None  # of the entries posted: where the anomaly digest starts
        report(0.0, "asking Stripe for new balance transactions")
        while True:
            params: dict[str, Any] = {"limit": page_size, "created": {"gte": since}}
            if after:
                params["starting_after"] = after
            try:
                page = client.v1.balance_transactions.list(params=params)
            except stripe.StripeError as exc:
                raise translate_error(exc, posted, after) from exc
            data: Sequence[dict[str, Any]] = [t.to_dict() for t in page.data]
            problems = [p for t in data for p in txn_problems(t)]
            if problems:
                raise Invalid(
                    "Stripe sent transactions this ledger cannot post; nothing of that page "
                    "was written",
                    problems=problems,
                )
            entries = [
                e
                for t in data
                if (e := entry_for(t, entity_id, settings.tz, bank=bank)) is not None
            ]
            if data:
                after = data[-1]["id"]
                high = max(high, max(t["created"] for t in data))
                newest = newest if newest is not None else data[0]["created"]
            done = not page.has_more or not data
            state = (
                {"since": high, "after": None, "high": high}
                if done
                else {"since": since, "after": after, "high": high}
            )
            result = store.post(
                entries, also=lambda conn, s=state: save_cursor(conn, entity_id, SOURCE, s)
            )
            seen, posted, pages = seen + len(data), posted + result.posted, pages + 1
            if result.posted:
                earliest = min([e.date for e in entries] + ([earliest] if earliest else []))
            run.items = posted
            if done:
                break
            oldest = data[-1]["created"]
            share = (
                (newest - oldest) / (newest - since)
                if since and newest and newest > since
                else 1 - 1 / (pages + 1)
            )
            day = datetime.fromtimestamp(oldest, UTC).astimezone(settings.tz).date()
            report(min(0.99, share), f"{seen:,} transactions read, back to {day:%Y-%m-%d}")
        report(1.0, "done")
        run.message = (
            f"{posted:,} new entries from {seen:,} Stripe transactions "
            f"({seen - posted:,} already posted or empty)"
        )
        if earliest is not None:
            from core.close.anomalies import digest_after_write

            run.message += f"; {digest_after_write(store, entity_id, earliest)}"
        return run.message
