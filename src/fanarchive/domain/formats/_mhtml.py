"""A web page saved as one file ("Webpage, Single File": `.mhtml`/`.mht` from Chrome, Edge and
Opera): a MIME `multipart/related` message whose first `text/html` part is the page, usually
quoted-printable, the rest its styles and images. Unpacked with the standard library's email
parser, in its lenient legacy policy, which records a damaged header as a defect instead of raising."""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass

from fanarchive.domain.formats.base import ParseError

_HEADER_LINE = re.compile(rb"^[A-Za-z][\w-]*:[ \t]")
# Chrome names the page's address in its own header; the page part repeats it.
_LOCATION_HEADERS = ("Snapshot-Content-Location", "Content-Location")


@dataclass
class SavedPage:
    html: bytes
    location: str | None


def is_mhtml(head: bytes) -> bool:
    """Whether the file starts as a MIME message of a page and its parts."""
    start = head.lstrip()[:4096]
    return _HEADER_LINE.match(start) is not None and b"multipart/related" in start.lower()


def unpack_mhtml(data: bytes) -> SavedPage:
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    if not message.is_multipart():
        raise ParseError("an MHTML file that is not multipart: it holds no page")
    for part in message.walk():
        if part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes) and payload.strip():
            locations = [message.get(_LOCATION_HEADERS[0]), part.get(_LOCATION_HEADERS[1])]
            location = next((str(value).strip() for value in locations if value), None)
            return SavedPage(html=payload, location=location)
    raise ParseError("the MHTML file holds no text/html part (no page was saved in it)")
