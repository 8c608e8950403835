"""The guest waiver: its text and version, and the rules of signing it (once; a guardian for
under-18s).
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from core.errors import Forbidden, Invalid, NotFound
from core.ops.models import Guest, OpsUser, Waiver
from core.ops.rules.base import OpsRules
from core.ops.rules.fields import MAX_PHONE, text_field
from core.ops.store import waiver_taken

WAIVER_VERSION = "2026-01"
WAIVER_TEXT = (
    "I understand that sailing involves risks, including injury. I will follow the captain's "
    "and crew's safety instructions, wear a life jacket when asked, and disclose any medical "
    "condition that may affect my safety. I release the operator from liability for injury "
    "not caused by its gross negligence."
)
WAIVER_SHA256 = hashlib.sha256(WAIVER_TEXT.encode()).hexdigest()


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class WaiverRules(OpsRules):
    """Waivers: the signed-in guest signs their own, once."""

    def sign_waiver(self, actor: OpsUser, event_id: str, form: dict[str, Any]) -> Guest:
        """Record the signed waiver of the guest signed in as ``actor``; under-18s need a
        guardian's name and signature. The first waiver is kept: signing again is refused
        (``already_signed``, or ``already_checked_in`` once aboard)."""
        if actor.role != "guest":
            raise Forbidden("only the guest signs their own waiver, from their waiver link")
        event = self.event(actor, event_id)
        guest = next((g for g in self._store.guests(event_id) if g.email == actor.email), None)
        if guest is None:  # removed since ``_event`` looked
            raise NotFound(f"no event {event_id}")
        if guest.status != "on_hold":
            raise waiver_taken(guest)
        fields: dict[str, str] = {}
        full_name = text_field(fields, "full_name", form.get("full_name"))
        contact = text_field(fields, "emergency_contact_name", form.get("emergency_contact_name"))
        phone = text_field(
            fields,
            "emergency_contact_phone",
            form.get("emergency_contact_phone"),
            max_len=MAX_PHONE,
        )
        signature = text_field(fields, "signature", form.get("signature"))
        if form.get("accept") is not True:
            fields["accept"] = "the waiver must be accepted"
        born: date | None = None
        try:
            born = date.fromisoformat(str(form.get("date_of_birth", "")))
        except ValueError:
            fields["date_of_birth"] = "a date like 1990-04-30"
        trip_day = event.starts_at.astimezone(self.tz).date()
        guardian = guardian_sig = None
        if born is not None:
            if born >= trip_day:
                fields["date_of_birth"] = "must be before the trip"
            elif _age_on(born, trip_day) < 18:
                guardian = text_field(fields, "guardian_name", form.get("guardian_name"))
                guardian_sig = text_field(
                    fields, "guardian_signature", form.get("guardian_signature")
                )
        if fields or born is None:
            raise Invalid("waiver not signed", fields=fields)
        waiver = Waiver(
            version=WAIVER_VERSION,
            text_sha256=WAIVER_SHA256,
            full_name=full_name,
            date_of_birth=born,
            emergency_contact_name=contact,
            emergency_contact_phone=phone,
            signature=signature,
            signed_at=self.clock(),
            guardian_name=guardian,
            guardian_signature=guardian_sig,
        )
        return self._store.sign_waiver(event_id, guest.id, waiver)
