"""Value formats checked from their definitions, not from the generators: what every synthetic family's
tests use to tell that a labeled card, IBAN or birth date is a real one of its kind."""

from __future__ import annotations

import ipaddress
import re
from datetime import date

# IBAN lengths from the ISO 13616 registry, for the countries the generators' locales use
IBAN_LENGTHS = {"GB": 22, "DE": 22, "FR": 27, "ES": 24, "IE": 22, "NL": 18, "IT": 27, "BE": 16, "AT": 20, "CH": 21}

_MONTH_LISTS = (
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"],
    ["januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember"],
    ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
    ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
)
MONTH_NAMES = {m: i + 1 for months in _MONTH_LISTS for i, m in enumerate(months)}
MONTH_NAMES |= {m[:3]: i + 1 for i, m in enumerate(_MONTH_LISTS[0])}  # "Jan", "SEP"


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def mod97(s: str) -> int:
    """ISO 7064 MOD 97-10 over an IBAN-like string (the first four characters moved to the end)."""
    s = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in s)) % 97


def iban_ok(value: str) -> bool:
    """An IBAN (plain or grouped in fours) of a registered country, of that country's length, check digits right."""
    s = value.replace(" ", "")
    return bool(re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", s)) and IBAN_LENGTHS.get(s[:2]) == len(s) and mod97(s) == 1


def parse_birth_date(value: str) -> date:
    """A birth date as people write one (ISO, d/m/y or m/d/y, spelled-out months in English, German, French
    or Spanish); a birthday without a year is checked in a leap year (2000)."""
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{1,2})([./])(\d{1,2})\2(\d{4})", value):
        a, b, year = int(m[1]), int(m[3]), int(m[4])
        for day, month in ((a, b), (b, a)):  # d/m or m/d: one reading must be a real date
            try:
                return date(year, month, day)
            except ValueError:
                pass
        raise ValueError(value)
    if m := re.fullmatch(r"(\d{1,2})(?:er)?\.? (?:de )?(\w+)(?: (?:de )?(\d{4}))?", value):
        return date(int(m[3] or 2000), MONTH_NAMES[m[2].lower()], int(m[1]))
    if m := re.fullmatch(r"(\w+) (\d{1,2})(?:, (\d{4}))?", value):
        return date(int(m[3] or 2000), MONTH_NAMES[m[1].lower()], int(m[2]))
    raise ValueError(value)


def check_value(entity: str, value: str, born: tuple[int, int] = (1850, 2020)) -> None:
    """Assert that a labeled value is a real one of its entity, as every family labels them (see synth_sealed's
    labeling convention): a birth date's year lies in `born` (a year-less birthday is read in 2000)."""
    if entity == "EMAIL_ADDRESS":
        assert re.fullmatch(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[a-z]{2,}", value)
    elif entity == "PHONE_NUMBER":
        assert re.fullmatch(r"\+?[\d ().\-/x]+", value) and len(re.sub(r"\D", "", value)) >= 7
    elif entity == "CREDIT_CARD":
        assert re.fullmatch(r"\d+([ -]\d+)*", value)
        digits = re.sub(r"\D", "", value)
        assert 12 <= len(digits) <= 19 and luhn_ok(digits)
    elif entity == "IBAN":
        assert iban_ok(value)
    elif entity == "US_SSN":
        m = re.fullmatch(r"(\d{3})([- ]?)(\d{2})\2(\d{4})", value)
        assert m and m[1] not in ("000", "666") and not m[1].startswith("9") and m[3] != "00" and m[4] != "0000"
    elif entity == "IP_ADDRESS":
        ipaddress.ip_address(value)
    elif entity == "URL":
        assert re.fullmatch(r"https?://[\w.-]+\.[a-z]{2,}(/\S*)?", value) and value[-1] not in ".,;:)\"'"
        assert not re.search(r"[?&](token|sig|key|pwd)=", value), value  # credential links are SECRETs
    elif entity == "LOCATION":
        assert "\n" not in value and value[-1] not in ",.;:" and any(c.isalpha() for c in value)
    elif entity == "DATE_OF_BIRTH":
        year = parse_birth_date(value).year
        assert year == 2000 or born[0] <= year <= born[1], value
    elif entity == "PERSON":
        assert "\n" not in value and not value.startswith("@") and not value.endswith(("'s", ",", ":"))
        assert any(c.isalpha() for c in value)
    elif entity == "SECRET":
        assert len(value) >= 8 and not value.startswith(("Bearer", "Basic ", "password=", "pwd=", "sid="))
    else:
        raise AssertionError(f"unexpected entity {entity}")
