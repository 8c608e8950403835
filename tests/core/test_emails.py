"""The one strict email address check."""

from __future__ import annotations

import pytest

from core.emails import clean_email, email_problem
from core.errors import Invalid


@pytest.mark.parametrize(
    "address", ["ann@example.com", "A.B+tag@Mail.Example.co.uk", "o'neil@ex-ample.org"]
)
def test_good_addresses(address: str) -> None:
    assert email_problem(address) is None
    assert clean_email(f" {address} ") == address.lower()


@pytest.mark.parametrize(
    "address",
    [
        "a@example.com,b@example.com",  # a comma would add a recipient
        "a@example.com\r\nBcc: x@evil.test",  # a line break would add a header
        "a@example.com\n",
        "a\tb@example.com",
        "a\x00@example.com",
        "a b@example.com",
        "a@@example.com",
        "a@example",
        "@example.com",
        "a@example..com",
        "a@-example.com",
        "a@exa_mple.com",
        ".a@example.com",
        "a;b@example.com",
        "<a@example.com>",
        "x" * 250 + "@example.com",  # over 254
        "",
    ],
)
def test_bad_addresses(address: str) -> None:
    assert email_problem(address) is not None
    with pytest.raises(Invalid) as err:
        clean_email(address, field="to")
    assert set(err.value.fields) == {"to"}


def test_not_text_is_not_an_address() -> None:
    assert email_problem(None) is not None
