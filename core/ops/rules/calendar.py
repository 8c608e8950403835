"""The rules of the calendar feed ([crew-plus]): a secret feed token per person, the trips the
feed shows, and a trip change that tells the people on it.

A feed token is derived from a server secret and a random nonce kept per person (HMAC), so the
same URL can be shown again without storing the token: only its SHA-256 is stored, and a
lookup by that hash finds the person. Rotating draws a new nonce: the old hash stops
resolving. A changed server secret gives new tokens too (the stored hash is replaced on the
next ask).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from core.errors import NotFound, RateLimited
from core.ops.calendar_records import FeedKey
from core.ops.ics import FeedEntry
from core.ops.models import Event, OpsUser
from core.ops.rules.base import OpsRules
from core.ops.rules.fields import require_role
from core.ops.trip_changes import TripChangeMail, calendar_changed, change_mails

FEED_SINCE = timedelta(days=30)  # trips shown from this long ago ...
FEED_AHEAD = timedelta(days=90)  # ... to this far ahead
FEED_HITS_PER_CLIENT = 120  # feed fetches per client address per window (apps poll hourly)
FEED_WINDOW_SECONDS = 15 * 60
NO_FEED = "no such calendar"  # one answer for unknown, rotated and malformed tokens


def feed_token_hash(token: str) -> str:
    """The SHA-256 the store keeps in place of a feed token."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def feed_url(app_url: str, token: str) -> str:
    """The feed's address, built from APP_URL only (never from a request's Host)."""
    return f"{app_url.rstrip('/')}/api/calendar/{token}.ics"


def _derive(secret: str, user_id: str, nonce: str) -> str:
    mac = hmac.new(secret.encode(), f"calendar-feed:{user_id}:{nonce}".encode(), "sha256")
    return base64.b32encode(mac.digest()[:20]).decode().lower()  # 32 letters and digits


@dataclass(frozen=True)
class Feed:
    """What a feed token opens: whose feed, and their trips."""

    user: OpsUser
    entries: list[FeedEntry]
    at: datetime


class CalendarRules(OpsRules):
    """Feed tokens, the feed, and trip changes with their emails."""

    if TYPE_CHECKING:  # from EventRules, beside this mixin in OpsService

        def update_event(self, actor: OpsUser, event_id: str, data: dict[str, Any]) -> Event: ...

        def timing(self, event: Event) -> Any: ...

    def feed_token(self, actor: OpsUser, secret: str, *, rotate: bool = False) -> str:
        """The actor's feed token (any signed-in role): made on first ask and the same after;
        ``rotate`` makes a new one and the old one stops working."""
        key = self._store.feed_key(actor.id)
        if key is None or rotate:
            key = FeedKey(actor.id, secrets.token_hex(16), "", self.clock())
        token = _derive(secret, actor.id, key.nonce)
        if feed_token_hash(token) != key.token_hash:
            self._store.put_feed_key(
                FeedKey(actor.id, key.nonce, feed_token_hash(token), key.created_at)
            )
        return token

    def feed(self, token: str, client: str) -> Feed:
        """The trips behind a feed token (public: the token is the credential). Unknown,
        rotated and malformed tokens all take the same path to the same NotFound."""
        now = self.clock()
        hits = self._store.count_hit(f"ics:client:{client}", FEED_WINDOW_SECONDS, now)
        if hits > FEED_HITS_PER_CLIENT:
            raise RateLimited("too many calendar fetches; try again in 15 minutes")
        user_id = self._store.feed_user(feed_token_hash(token))
        if user_id is None:
            raise NotFound(NO_FEED)
        try:
            user = self._store.get_user(user_id)
        except NotFound:
            raise NotFound(NO_FEED) from None
        return Feed(user, self._entries(user, now), now)

    def _entries(self, user: OpsUser, now: datetime) -> list[FeedEntry]:
        start, end = now - FEED_SINCE, now + FEED_AHEAD
        if user.role == "guest":
            held = [(e, "guest") for e in self._store.list_events(start, end)]
        else:
            held = []
            for claim in self._store.user_claims(user.id):
                if start <= claim.starts_at < end:
                    try:
                        held.append((self._store.get_event(claim.event_id), claim.role))
                    except NotFound:
                        continue
        return [
            FeedEntry(e, self.timing(e), role, self._store.sequence(e.id))
            for e, role in sorted(held, key=lambda pair: pair[0].starts_at)
            if start <= e.starts_at < end and self.sees(user, e)  # never another entity's trip
        ]

    def change_event(
        self, actor: OpsUser, event_id: str, data: dict[str, Any]
    ) -> tuple[Event, list[TripChangeMail]]:
        """``update_event`` (admin), counting the change for calendar apps, and the emails
        the trip's people get when it changes close to departure (``change_mails``)."""
        require_role(actor, "admin")  # before the lookup: a non-admin is told 403, as ever
        before = self.event(actor, event_id)
        after = self.update_event(actor, event_id, data)
        if calendar_changed(before, after):
            self._store.bump_sequence(event_id)
        return after, change_mails(
            before, after, self._people_on(after), now=self.clock(), tz=self.tz
        )

    def _people_on(self, event: Event) -> list[str]:
        """The emails of the trip's slot holders and guests."""
        emails = [g.email for g in self._store.guests(event.id)]
        for claim in self._store.claims(event.id):
            try:
                emails.append(self._store.get_user(claim.user_id).email)
            except NotFound:  # a removed user: the trip's other people still hear
                continue
        return emails
