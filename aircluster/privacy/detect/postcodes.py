"""Postal codes next to a place the detector found: they become part of that LOCATION.

    attach_postcodes(text, hits) -> hits          # after the overlaps are resolved

A postcode alone names an area of a few thousand homes and is no finding (a policy may keep it), but
written beside an address it is part of the address: "Boston, MA 02110-1301", "4200 Hibberdene",
"Hornby South\\n  NY\\n  4671", "P.O. Box 94079, 1090 GB Amsterdam". So a postcode written right after
a LOCATION (a comma, spaces or one line break between, optionally a state code such as "MA" or "NSW"
before it), or right before one at the start of a line or after a comma, widens that LOCATION to take
it in. The shapes are the common national ones: five digits with or without "-1234" (US, DE, FR, ES,
IT, MX ...), four (AT, CH, DK, NO, BE, AU, HU ...), "123 45" (SE, CZ, SK, GR), "1234 AB" (NL),
"A1A 1A1" (CA), "SW1A 1AA" (UK), "00-950" (PL), "12345-678" (BR). A year after a town ("Leeds 2019")
or a number with a unit or a clock time after it is none.
"""

from __future__ import annotations

import re

Hit = tuple[str, int, int, float]

_CODE = (
    r"(?:\d{5}-\d{4}|\d{5}-\d{3}|\d{2}-\d{3}|\d{3} \d{2}|\d{4} ?[A-Z]{2}(?![A-Za-z])|[A-Z]\d[A-Z] ?\d[A-Z]\d"
    r"|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]{1,2}-\d{4,5}|\d{4,5})"
)
# The end of a postcode: the end of the text or line, punctuation, or a word (a country) after a space.
_CODE_END = r"(?=$|[ \t]*(?:[\n,;)]|\.(?!\d)|[ \t][A-Z]))"
_STATE = r"[A-Z]{2,3}"
_AFTER = re.compile(
    r"(?:[ \t]*,[ \t]*|[ \t]+|[ \t]*\n[ \t]*|[ \t]*,[ \t]*\n[ \t]*)"
    rf"(?:{_STATE}(?:[ \t]*,?[ \t]+|[ \t]*\n[ \t]*))?({_CODE}){_CODE_END}"
)
_BEFORE = re.compile(rf"(?<![\w-])({_CODE})[ \t]+$")
_REACH = 24  # characters looked at before a place: a postcode and its spaces
_YEAR = re.compile(r"(?:19|20)\d\d")
# Postcodes with a hyphen that the phone recognizer also reads as a number ("02110-1301", "08050-595"):
# right after a place they are the postcode.
_PHONE_LIKE = re.compile(r"\d{5}-\d{3,4}")


def attach_postcodes(text: str, hits: list[Hit]) -> list[Hit]:
    """`hits`, non-overlapping and sorted by start, with each LOCATION widened over a postcode beside it."""
    out = list(hits)
    for k, h in enumerate(out):
        if h[0] != "LOCATION":
            continue
        start, end = h[1], h[2]
        nxt = out[k + 1] if k + 1 < len(out) else None
        if nxt is not None and nxt[0] == "PHONE_NUMBER" and _PHONE_LIKE.fullmatch(text, nxt[1], nxt[2]):
            m = _AFTER.match(text, end, nxt[2])
            if m and m.end(1) == nxt[2]:
                out[k + 1] = ("", nxt[1], nxt[1], 0.0)  # taken in below, dropped at the end
                nxt = None
        limit = nxt[1] if nxt is not None else len(text)
        m = _AFTER.match(text, end, limit)
        if m and not _YEAR.fullmatch(m.group(1)):
            end = m.end(1)
        floor = max(out[k - 1][2] if k else 0, start - _REACH)
        b = _BEFORE.search(text, floor, start)
        # only at a line's start or after a comma ("P.O. Box 1, 1090 GB Amsterdam"), not "since 2019 Leeds"
        if b and not _YEAR.fullmatch(b.group(1)) and _char_before(text, b.start(1)) in ("", "\n", ","):
            start = b.start(1)
        if (start, end) != (h[1], h[2]):
            out[k] = (h[0], start, end, h[3])
    return [h for h in out if h[0]]


def _char_before(text: str, i: int) -> str:
    """The last character before `i` that is no space or tab ("" at the start of the text)."""
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    return text[i - 1] if i else ""
