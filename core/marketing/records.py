"""The marketing records the CMO report reads: channels, listings, bookings by month, campaigns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from core.ledger.models_marketing import Campaign, ChannelListing, MarketingChannel
from core.ledger.store import LedgerStore
from core.marketing import store as marketing
from core.marketing.store import BookingTotal
from core.periods import last_day


def fits(channel: MarketingChannel, kind: str) -> bool:
    """True when the channel is plausible for an entity of this kind."""
    kinds = {k.strip() for k in channel.fits.split(",")}
    return "*" in kinds or kind in kinds


@dataclass
class Cell:
    """Bookings of one (entity, channel) in one month, in cents."""

    bookings: int = 0
    value: int = 0
    commission: int = 0


@dataclass
class MarketingRecords:
    """Everything the CMO report reads, already limited to some entities."""

    channels: dict[str, MarketingChannel]
    entities: dict[str, tuple[str, str]]  # id -> (name, kind)
    listings: list[ChannelListing]
    totals: list[BookingTotal]
    campaigns: list[Campaign]
    _by_month: dict[int, dict[tuple[str, str], Cell]] = field(default_factory=dict)

    @classmethod
    def load(
        cls, store: LedgerStore, ids: Sequence[str], months: Sequence[int] | None = None
    ) -> MarketingRecords:
        """Read the marketing rows of the entities ``ids`` (filtered by entity in SQL); with
        ``months``, the bookings and campaigns of those months only."""
        ents = {e.id: (e.name, e.kind) for e in store.list_entities() if e.id in ids}
        records = cls(
            channels={c.id: c for c in marketing.channels(store)},
            entities=ents,
            listings=marketing.listings(store, ids),
            totals=marketing.booking_totals(store, ids, months),
            campaigns=marketing.campaigns(store, ids, months),
        )
        for t in records.totals:
            cell = records._by_month.setdefault(t.month, {}).setdefault(
                (t.entity_id, t.channel_id), Cell()
            )
            cell.bookings += t.bookings
            cell.value += t.value_cents
            cell.commission += t.commission_cents
        return records

    def cells(self, m: int) -> dict[tuple[str, str], Cell]:
        """(entity, channel) -> bookings in month ``m``."""
        return self._by_month.get(m, {})

    def listed(self, m: int) -> set[tuple[str, str]]:
        """(entity, channel) pairs listed by the end of month ``m``."""
        end = last_day(m)
        return {(li.entity_id, li.channel_id) for li in self.listings if li.listed_on <= end}

    def fees(self, m: int) -> dict[tuple[str, str], int]:
        """Monthly listing fees (cents) of the pairs listed in month ``m``."""
        out: dict[tuple[str, str], int] = {}
        for eid, cid in self.listed(m):
            ch = self.channels.get(cid)
            if ch and ch.monthly_fee_cents:
                out[(eid, cid)] = ch.monthly_fee_cents
        return out

    def is_direct(self, cid: str) -> bool:
        """True for channels the business owns (website, referrals)."""
        ch = self.channels.get(cid)
        return ch is not None and ch.kind == "direct"

    def campaigns_in(self, months: list[int]) -> list[Campaign]:
        """Campaigns sent in any of ``months``, oldest first."""
        wanted = set(months)
        return [c for c in self.campaigns if c.month in wanted]
