"""A made-up R lazy-load database for the builders' tests: R's XDR serialization, as far as `rlazyload.unserialize`
reads it (integers, strings, lists with a names attribute), so a test can write a package of the same form as the
Debian one and draw from it without the package."""

from __future__ import annotations

import struct


def r_int(n: int) -> bytes:
    return struct.pack(">i", n)


def r_chars(s: str) -> bytes:
    data = s.encode("utf-8")
    return r_int(9) + r_int(len(data)) + data


def r_strings(values: list[str]) -> bytes:
    return r_int(16) + r_int(len(values)) + b"".join(r_chars(v) for v in values)


def r_named_list(items: dict[str, bytes]) -> bytes:
    """A list with a names attribute (a data frame as far as the reader sees it)."""
    names = r_int(2 | 1024) + r_int(1) + r_chars("names") + r_strings(list(items)) + r_int(254)
    return r_int(19 | 512) + r_int(len(items)) + b"".join(items.values()) + names


def r_serialized(obj: bytes) -> bytes:
    return b"X\n" + r_int(2) + r_int(0x040202) + r_int(0x020300) + obj
