"""Marketing tables (SQLModel): booking channels, listings, bookings and blast campaigns.

Money is integer cents. Channels are shared data (a catalogue with the assumptions the OTA
sequencing model uses); every other row belongs to one entity.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

CHANNEL_KINDS = ("direct", "listing", "ota", "marketplace")


class MarketingChannel(SQLModel, table=True):
    """A booking or lead channel and the assumptions used to forecast a new listing on it."""

    __tablename__ = "marketing_channels"
    id: str = Field(primary_key=True, max_length=64)
    name: str
    kind: str = "ota"  # direct | listing | ota | marketplace
    fits: str = "*"  # comma-separated entity kinds it is plausible for; "*" = any
    commission_pct: float = 0.0  # share of booking value the channel keeps, 0..100
    reach_factor: float = 0.0  # extra shoppers reached per current monthly booking
    conversion: float = 0.0  # share of those shoppers who book
    cannibalization_pct: float = 0.0  # share of its bookings that would have come direct
    monthly_fee_cents: int = 0  # listing / membership / ads fee while listed
    sort: int = 0


class ChannelListing(SQLModel, table=True):
    """An entity listed on a channel since a date."""

    __tablename__ = "marketing_listings"
    __table_args__ = (UniqueConstraint("entity_id", "channel_id", name="uq_listing"),)
    id: int | None = Field(default=None, primary_key=True)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    channel_id: str = Field(foreign_key="marketing_channels.id")
    listed_on: dt.date


class ChannelBooking(SQLModel, table=True):
    """One booking (or won job) that came in through a channel."""

    __tablename__ = "marketing_bookings"
    id: int | None = Field(default=None, primary_key=True)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    channel_id: str = Field(foreign_key="marketing_channels.id")
    booked_on: dt.date
    month: int = Field(index=True)  # yyyymm of booked_on, for fast monthly rollups
    value_cents: int
    commission_cents: int = 0


class Campaign(SQLModel, table=True):
    """An email or SMS blast and what it brought in."""

    __tablename__ = "marketing_campaigns"
    id: int | None = Field(default=None, primary_key=True)
    entity_id: str = Field(foreign_key="entities.id", index=True)
    name: str
    medium: str = "email"  # email | sms
    sent_on: dt.date
    month: int = Field(index=True)
    cost_cents: int = 0
    sends: int = 0
    opens: int = 0
    clicks: int = 0
    bookings: int = 0
    revenue_cents: int = 0
