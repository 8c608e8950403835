"""MIME messages: text + HTML alternatives, inline images by Content-ID, attached files, BCC
kept off headers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from core.emails import is_email
from core.errors import Invalid

MAX_RECIPIENTS = 50  # SES: To + CC + BCC per message


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message (a report's PDF or spreadsheet)."""

    filename: str
    mime: str  # maintype/subtype
    data: bytes


@dataclass(frozen=True)
class Outgoing:
    """One message to send: who to, what, and the images the HTML references."""

    sender: str
    to: list[str]
    subject: str
    text: str
    html: str | None = None
    bcc: list[str] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)
    attachments: tuple[Attachment, ...] = ()


def clean_addresses(addresses: list[str]) -> list[str]:
    """Lower-cased, de-duplicated addresses; Invalid listing every bad one."""
    out: list[str] = []
    bad = []
    for raw in addresses:
        for part in re.split(r"[,;\s]+", raw or ""):
            if not part:
                continue
            if not is_email(part):
                bad.append(part)
            elif part.lower() not in out:
                out.append(part.lower())
    if bad:
        raise Invalid(
            "bad recipient address", problems=[f"{b!r} is not an email address" for b in bad]
        )
    if not out:
        raise Invalid("no recipient given")
    return out


def to_mime(msg: Outgoing) -> EmailMessage:
    """The message as MIME. BCC is not written into the headers (the envelope carries it)."""
    mime = EmailMessage()
    mime["From"] = msg.sender
    mime["To"] = ", ".join(msg.to)
    mime["Subject"] = msg.subject
    mime["Date"] = formatdate(localtime=False)
    mime["Message-ID"] = make_msgid(domain=msg.sender.split("@")[-1])
    mime.set_content(msg.text)
    if msg.html is not None:
        mime.add_alternative(msg.html, subtype="html")
        html_part = mime.get_payload()[-1]
        for cid, png in msg.images.items():
            html_part.add_related(
                png, maintype="image", subtype="png", cid=f"<{cid}>", filename=f"{cid}.png"
            )
    for file in msg.attachments:  # the message becomes multipart/mixed around the body
        maintype, subtype = file.mime.split("/", 1)
        mime.add_attachment(file.data, maintype=maintype, subtype=subtype, filename=file.filename)
    return mime


def batches(msg: Outgoing) -> list[Outgoing]:
    """Split so that To + BCC stay within SES's 50 recipients per message."""
    room = MAX_RECIPIENTS - len(msg.bcc)
    if room <= 0:
        raise Invalid(f"at most {MAX_RECIPIENTS - 1} BCC addresses")
    return [
        Outgoing(
            msg.sender,
            msg.to[i : i + room],
            msg.subject,
            msg.text,
            msg.html,
            msg.bcc,
            msg.images,
            msg.attachments,
        )
        for i in range(0, len(msg.to), room)
    ]
