"""Magic-link access to operations: invites, self-service login links, claims, sessions.

Codes are single use and stored only as hashes; invites live INVITE_TTL_HOURS, login links
10 minutes, guest waiver links INVITE_TTL_HOURS too (resend for a fresh one). A link opens a
confirmation screen in the app; only the POST of the code spends it. Roles are re-read from
the store on every request, and a token older than the user's token version no longer works.

A guest waiver link only ever gives a guest session: the token says ``guest`` and the session
acts as a guest bound to the email, even when that email also belongs to crew or an admin.
Invites stay within the inviting admin's entities.
"""

from __future__ import annotations

import logging
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from core.config import Settings
from core.delivery.message import Outgoing
from core.delivery.senders import Sender, sender_address
from core.emails import clean_email
from core.errors import Forbidden, Invalid, RateLimited, Unauthorized, Unavailable
from core.ops.login_codes import LoginCode
from core.ops.models import USER_ROLES, Event, Guest, OpsUser, Scope, utcnow, within
from core.ops.service import OpsService
from core.ops.store import LoginCodes
from core.ops_access.codes import code_hash, new_code
from core.ops_access.short_codes import new_short_code, short_hash
from core.ops_access.tokens import issue, refused, verify
from core.ops_access.trip_mail import send_trip_changes

LOGIN_LINK_TTL = timedelta(minutes=10)
FAILED_CLAIMS_LIMIT = 5
WINDOW_SECONDS = 15 * 60
LINKS_PER_EMAIL = 3
LINKS_PER_ADDRESS = 10
# every login-link answer takes this long, known email or not: it covers a usual SES send
LOGIN_LINK_MIN_SECONDS = 0.5
TEMPLATES = Path(__file__).with_name("templates")
GUEST_PURPOSE = "guest"
GUEST_ROLE = "guest"


def _one_line(text: str) -> str:
    """Header-safe text: control characters (CR/LF would start a new header) become spaces."""
    return "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)


logger = logging.getLogger(__name__)


@lru_cache(maxsize=2)
def _templates(html: bool) -> Any:
    """Jinja2 environments, built on first mail (jinja2 stays off the cold-start path)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    # HTML autoescapes whatever the file name; the text part is never read as markup
    return Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=html, undefined=StrictUndefined
    )


@dataclass(frozen=True)
class Invitation:
    """A created code and its link (shown once to the admin)."""

    code: str
    link: str
    expires_at: datetime
    user: OpsUser
    short_code: str = ""  # to type in the app instead of opening the link


@dataclass(frozen=True)
class Session:
    """A claimed code: the token and who it is for."""

    token: str
    expires_at: datetime
    user: OpsUser


class AccessService:
    """Codes, links and tokens: users through the ops service, codes and counters in
    ``codes`` (``core.ops.factory.open_ops`` gives both, over one store)."""

    def __init__(
        self,
        ops: OpsService,
        settings: Settings,
        *,
        codes: LoginCodes,
        sender: Sender,
        secret: Callable[[], str],
        clock: Callable[[], datetime] = utcnow,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.ops = ops
        self.codes = codes
        self.settings = settings
        self.sender = sender
        self.secret = secret
        self.clock = clock
        self.sleep = sleep

    # links ---------------------------------------------------------------------------------
    def link(self, code: str) -> str:
        """The sign-in link, built from APP_URL only (never from a request's Host)."""
        return f"{self.settings.app_url.rstrip('/')}/#/claim?code={quote(code)}"

    def _mail(
        self,
        user: OpsUser,
        subject: str,
        intro: str,
        button: str,
        link: str,
        note: str,
        short_code: str = "",
    ) -> None:
        values = {"name": user.name, "intro": intro, "button": button, "link": link, "note": note}
        values["short_code"] = short_code
        self.sender.send(
            Outgoing(
                sender=sender_address(self.settings),
                to=[user.email],
                subject=_one_line(subject),
                text=_templates(False).get_template("link.txt.j2").render(**values),
                html=_templates(True).get_template("link.html.j2").render(**values),
            )
        )

    def _code_for(
        self, user: OpsUser, purpose: str, ttl: timedelta, event_id: str | None = None
    ) -> tuple[str, str, datetime]:
        """A link code and its short code (same grant and expiry; spending one spends both)."""
        code, short = new_code(), new_short_code()
        long_hash, typed_hash = code_hash(code), short_hash(user.email, short)
        expires = self.clock() + ttl
        self.codes.put_code(LoginCode(long_hash, user.id, purpose, expires, event_id, typed_hash))
        self.codes.put_code(LoginCode(typed_hash, user.id, purpose, expires, event_id, long_hash))
        return code, short, expires

    def invite(
        self,
        admin: OpsUser,
        *,
        email: str,
        name: str,
        role: str,
        event_id: str | None = None,
        licence_expires: date | None = None,
        entities: Iterable[str] | None = None,
        send: bool = True,
    ) -> Invitation:
        """Create (or re-invite) a user and email a sign-in link valid INVITE_TTL_HOURS.

        The invitee works for ``entities``, which must lie within the admin's scope; by default
        a new person gets the admin's scope and someone already on the crew keeps theirs. An
        admin cannot change someone who also works for entities it does not manage.
        """
        if admin.role != "admin":
            raise Forbidden("only admins invite")
        email = clean_email(email)
        if role not in USER_ROLES:
            raise Invalid("user not invited", fields={"role": f"one of {', '.join(USER_ROLES)}"})
        asked: Scope = None if entities is None else frozenset(entities)
        if asked is not None and not asked:
            raise Invalid("user not invited", fields={"entities": "at least one entity"})
        if event_id is not None:
            self.ops.event(admin, event_id)
        user = self.ops.find_user(email)
        crew = user if user is not None and user.role != GUEST_ROLE else None
        if crew is not None and not within(crew.entities, admin.entities):
            raise Forbidden(f"{email} also works for entities you do not manage")
        # not asked: someone already on the crew keeps their scope (a re-sent invite never
        # widens it); anyone else gets the inviting admin's
        scope: Scope = (
            asked if asked is not None else crew.entities if crew is not None else admin.entities
        )
        if not within(scope, admin.entities):
            raise Forbidden("you can only invite people to the entities you manage")
        if user is None:
            user = self.ops.add_user(
                email=email,
                name=name,
                role=role,
                licence_expires=licence_expires,
                entities=scope,
            )
        else:
            changed = replace(
                user,
                role=role,
                licence_expires=licence_expires or user.licence_expires,
                entities=scope,
            )
            if changed != user:
                user = self.ops.save_user(changed)
        code, short, expires = self._code_for(
            user, "invite", timedelta(hours=self.settings.invite_ttl_hours), event_id
        )
        link = self.link(code)
        if send:
            self._mail(
                user,
                "You're invited to charter operations",
                f"{admin.name} invited you as {role}. Open the link to sign in.",
                "Sign in",
                link,
                f"The link works once and expires in {self.settings.invite_ttl_hours:g} hours.",
                short,
            )
        return Invitation(code, link, expires, user, short)

    def admin_link(self, email: str, name: str = "") -> Invitation:
        """Create (or re-invite) an ops admin over every entity: the operator's bootstrap
        (``ops-admin``)."""
        email = clean_email(email)
        user = self.ops.find_user(email)
        if user is None:
            user = self.ops.add_user(email=email, name=name or email.split("@")[0], role="admin")
        elif user.role != "admin" or user.entities is not None:
            user = self.ops.save_user(replace(user, role="admin", entities=None))
        code, short, expires = self._code_for(
            user, "invite", timedelta(hours=self.settings.invite_ttl_hours)
        )
        return Invitation(code, self.link(code), expires, user, short)

    def guest_link(self, admin: OpsUser, event_id: str, guest_id: str) -> Invitation:
        """Email a guest a fresh waiver link (valid INVITE_TTL_HOURS; a guest session only).

        Also the resend: each call issues a new code. The admin must manage the event.
        Unavailable (code ``mail_not_sent``) when the mail cannot be sent.
        """
        event, guest = self.ops.guest(admin, event_id, guest_id)
        user = self.ops.find_user(guest.email) or self.ops.add_user(
            email=guest.email, name=guest.name, role=GUEST_ROLE
        )
        ttl = timedelta(hours=self.settings.invite_ttl_hours)
        code, short, expires = self._code_for(user, GUEST_PURPOSE, ttl, event_id)
        link = self.link(code)
        try:
            self._mail(
                replace(user, name=guest.name),
                f"Your waiver for {event.title}",
                f"{admin.name} added you to {event.title}. "
                "Please sign the waiver before you board.",
                "Sign the waiver",
                link,
                f"The link works once and expires in {self.settings.invite_ttl_hours:g} hours; "
                "ask the office for a new one if it has expired.",
                short,
            )
        except Exception:  # SES refusal, outbox disk error, a header the mail lib refuses
            # the cause is for the log (it may name AWS limits); the admin gets what to do
            logger.exception("waiver email to guest %s of event %s not sent", guest.id, event_id)
            raise Unavailable(
                f"the waiver email to {guest.email} could not be sent; {guest.name} "
                "stays on the manifest: resend the waiver link",
                code="mail_not_sent",
            ) from None
        return Invitation(code, link, expires, user, short)

    def add_guest(
        self, admin: OpsUser, event_id: str, *, email: str, name: str
    ) -> tuple[Guest, Invitation]:
        """Put a guest on the manifest (on hold) and email their waiver link. If the mail
        fails the guest stays on the manifest and Unavailable ``mail_not_sent`` says so."""
        guest = self.ops.add_guest(admin, event_id, email=email, name=name)
        return guest, self.guest_link(admin, event_id, guest.id)

    def login_link(self, email: str, client: str) -> None:
        """Email a 10-minute link if the address is a user; the same answer and time if not.

        Whatever the store or the mail service does for a known address (fail, or take long)
        stays inside: errors are logged, and the answer always comes LOGIN_LINK_MIN_SECONDS
        after the request began. A send still running then finishes in the background.
        """
        started = time.monotonic()
        email = email.strip().lower()
        now = self.clock()
        per_email = self.codes.count_hit(f"link:email:{email}", WINDOW_SECONDS, now)
        per_client = self.codes.count_hit(f"link:client:{client}", WINDOW_SECONDS, now)
        user = self.ops.find_user(email)
        if user is not None and per_email <= LINKS_PER_EMAIL and per_client <= LINKS_PER_ADDRESS:
            sending = threading.Thread(target=self._send_login_link, args=(user,), daemon=True)
            sending.start()
            sending.join(max(0.0, LOGIN_LINK_MIN_SECONDS - (time.monotonic() - started)))
            if sending.is_alive():
                logger.warning("login link for user %s still sending at the time floor", user.id)
        left = LOGIN_LINK_MIN_SECONDS - (time.monotonic() - started)
        if left > 0:
            self.sleep(left)

    def _send_login_link(self, user: OpsUser) -> None:
        """Make and mail a login code; any failure is logged, never told to the caller."""
        try:
            code, short, _ = self._code_for(user, "login", LOGIN_LINK_TTL)
            self._mail(
                user,
                "Your sign-in link",
                "Here is the sign-in link you asked for.",
                "Sign in",
                self.link(code),
                "The link (or the code) works once and expires in 10 minutes.",
                short,
            )
        except Exception:  # an SES or store failure must not tell known addresses apart
            logger.exception("login link for user %s not sent", user.id)

    def claim(self, code: str, client: str) -> Session:
        """Spend a code for a session token; five failures from one address lock it out."""
        return self._spend(code_hash(code) if code else None, client)

    def claim_short(self, email: str, short_code: str, client: str) -> Session:
        """Spend a short code typed in the app, with the email it was sent to; five failures
        for one email, or from one address, lock it out (40 bits need the limit)."""
        email = email.strip().lower()
        return self._spend(short_hash(email, short_code), client, f"claim-fail:email:{email}")

    def _spend(self, hashed: str | None, client: str, *more_keys: str) -> Session:
        now = self.clock()
        if self.codes.count_hit(f"claim-try:{client}", WINDOW_SECONDS, now) > 50:
            raise RateLimited("too many attempts; try again in 15 minutes")
        # reserve a failure before looking at the code, atomically: a burst of guesses cannot
        # all pass a check made before any of them is counted
        keys = [f"claim-fail:{client}", *more_keys]
        for n, key in enumerate(keys):
            if not self.codes.reserve_hit(key, FAILED_CLAIMS_LIMIT, WINDOW_SECONDS, now):
                for held in keys[:n]:  # a refusal is not a failure of the other keys
                    self.codes.release_hit(held, WINDOW_SECONDS, now)
                raise RateLimited("too many failed attempts; try again in 15 minutes")
        found = self.codes.take_code(hashed, now) if hashed else None
        if found is not None and found.pair_hash and not self.codes.take_code(found.pair_hash, now):
            found = None  # its link or short code was spent first (or at the same moment)
        if found is None:  # the reservations stay: they are this failure
            raise Unauthorized("this code is not valid: it was used, has expired or is mistyped")
        for key in keys:
            self.codes.release_hit(key, WINDOW_SECONDS, now)  # a success is no failure
        user = self.ops.user(found.user_id)
        if found.purpose == GUEST_PURPOSE:  # a waiver link never gives more than a guest session
            user = replace(user, role=GUEST_ROLE)
        token, expires = issue(
            user_id=user.id,
            role=user.role,
            version=user.token_version,
            secret=self.secret(),
            now=now,
            ttl=timedelta(hours=self.settings.token_ttl_hours),
        )
        return Session(token, expires, user)

    # trips ---------------------------------------------------------------------------------
    def change_event(self, actor: OpsUser, event_id: str, data: dict[str, Any]) -> Event:
        """Change a trip (``OpsService.change_event``) and send the emails that change calls
        for; a failed send is logged and never undoes the change."""
        event, mails = self.ops.change_event(actor, event_id, data)
        send_trip_changes(self.sender, sender_address(self.settings), mails)
        return event

    def cancel_event(self, actor: OpsUser, event_id: str) -> Event:
        """Cancel a trip (``change_event`` to cancelled), telling its people if it is soon."""
        return self.change_event(actor, event_id, {"status": "cancelled"})

    # sessions ------------------------------------------------------------------------------
    def authenticate(self, token: str) -> OpsUser:
        """The user behind a bearer token, read fresh; Unauthorized if revoked or unknown."""
        claims = verify(token, secret=self.secret(), now=self.clock())
        try:
            user = self.ops.user(claims.user_id)
        except Exception as exc:  # NotFound: the user was removed
            raise refused("the user no longer exists") from exc
        if user.token_version != claims.version:
            raise refused("signed out (token version changed)")
        if claims.role == GUEST_ROLE:  # a guest session stays one whatever the email's role
            return replace(user, role=GUEST_ROLE)
        return user

    def logout_all(self, user: OpsUser) -> None:
        """Every token issued before now stops working."""
        stored = self.ops.user(user.id)  # not the session's view (a guest session)
        self.ops.save_user(replace(stored, token_version=stored.token_version + 1))
