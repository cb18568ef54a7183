"""Small value shapes every synthetic family draws: runs of random characters, card and IBAN check
digits, month names, clock times and PEM blocks.

Every draw takes the caller's `random.Random`, so a family's posts depend on its seed alone.
"""

from __future__ import annotations

import random
import string

ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"),
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "es": (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
}


def pick(r: random.Random, chars: str, k: int) -> str:
    """`k` characters drawn from `chars`."""
    return "".join(r.choice(chars) for _ in range(k))


def digits(r: random.Random, k: int) -> str:
    return pick(r, string.digits, k)


def luhn_digit(body: str) -> str:
    """The check digit that makes `body` + it pass the Luhn check."""
    total = 0
    for i, d in enumerate(reversed(body)):
        n = int(d) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


def luhn_ok(number: str) -> bool:
    return luhn_digit(number[:-1]) == number[-1]


def fail_luhn(number: str) -> str:
    """`number`, its last digit changed if it passes the Luhn check: distractors of card length must not
    be valid cards by chance (1 in 10)."""
    if luhn_ok(number):
        return number[:-1] + str((int(number[-1]) + 1) % 10)
    return number


def iban_check_digits(country: str, bban: str) -> str:
    """ISO 13616 check digits (two, zero-padded) for an IBAN of `country` with account part `bban`."""
    n = int("".join(str(int(c, 36)) for c in bban + country + "00"))
    return f"{98 - n % 97:02d}"


def numeric_date(shape: str, year: int, month: int, day: int, month_first: bool, loc: str, r: random.Random) -> str:
    """A date as a form writes it in digits: "iso" (1987-03-05), "dmy" (05/03/1987) or "numeric": month
    first when `month_first` (as in the US, with or without leading zeros), with dots in Germany, else
    day first."""
    match shape:
        case "iso":
            return f"{year}-{month:02d}-{day:02d}"
        case "dmy":
            return f"{day:02d}/{month:02d}/{year}"
        case "numeric":
            if month_first:
                return r.choice([f"{month:02d}/{day:02d}/{year}", f"{month}/{day}/{year}"])
            if loc == "de_DE":
                return f"{day:02d}.{month:02d}.{year}"
            return f"{day:02d}/{month:02d}/{year}"
    raise ValueError(f"no numeric date shape {shape!r}")


def hms(seconds: int) -> str:
    """A timecode as recordings and transcripts show one: 01:02:03."""
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def private_key(r: random.Random) -> str:
    """A PEM private-key block with random base64 lines."""
    b64 = string.ascii_letters + string.digits + "+/"
    body = "\n".join("".join(r.choice(b64) for _ in range(64)) for _ in range(r.randint(3, 6)))
    kind = r.choice(["RSA ", "EC ", "OPENSSH ", ""])
    return f"-----BEGIN {kind}PRIVATE KEY-----\n{body}\n-----END {kind}PRIVATE KEY-----"
