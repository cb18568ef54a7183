"""US postal addresses as people type them: in lower case, abbreviated, on one line ("12 oak st, springfield il
62704", "4417 north kedzie avenue apt 2, chicago, il 60625", "po box 1234 austin tx 78701").

    us_addresses(text) -> [("LOCATION", start, end, score)]

The address rules read a street by its capitalized name; chat and forms often have none. A reader still knows the
shape: a house number, one to four words and a street type ("st", "avenue"), perhaps a unit ("apt 2"), then a town,
a state and a ZIP code. The shape needs its evidence at the end: a state (its code or its name) with a ZIP code or a
town before it, or a ZIP code alone; "2 main roads", "5 court cases" and "12 oak st" alone are no address, and a
street type that is a common noun too ("road", "way", "court") wants the ZIP code. A post
office box counts as the street. One span covers the address from its number through its ZIP code (or state).
"""

from __future__ import annotations

import re

from aircluster.privacy.detect.towns import US_STATE_CODES, US_STATE_NAMES

Hit = tuple[str, int, int, float]

SCORE = 0.7

# Abbreviations and words no sentence puts after a number and a word but an address: enough with a town and state.
_SURE_TYPES = "st|street|ave|av|avenue|rd|blvd|boulevard|dr|ln|ct|pl|pkwy|parkway|hwy|ter|cir|sq|trl|aly|plz|tpke|expy"
# Words that are common nouns too ("2 lane road bikes", "a 3 way split"): only with a ZIP code.
_PLAIN_TYPES = "road|drive|lane|court|place|way|highway|terrace|circle|square|trail|loop|row|alley|plaza|pike|turnpike"
_STREET_TYPES = f"{_SURE_TYPES}|{_PLAIN_TYPES}"
_PLAIN_TYPE = re.compile(rf"(?:{_PLAIN_TYPES})\b", re.IGNORECASE)
_DIRECTION = r"(?:n|s|e|w|ne|nw|se|sw|north|south|east|west)\.?"
_WORD = r"[a-z][a-z'’-]*|\d{1,3}(?:st|nd|rd|th)"  # "oak", "o'hare", "79th"
_UNIT_WORD = r"(?:apt|apartment|unit|ste|suite|fl|floor|rm|room|bldg)\.?"
_UNIT = rf"(?:,?[ \t]+{_UNIT_WORD}[ \t]*#?[ \t]*[a-z0-9-]{{1,6}}|,?[ \t]*#[ \t]*[a-z0-9-]{{1,6}})"
# The house number's first digit is read before the look-behind (which then sees the character before it): re skips to
# digits in C instead of trying the look-behind at every position.
_NUMBERED = (
    rf"\d(?<![\w.,/-].)\d{{0,5}}[a-z]?(?:[ \t]+1/2)?[ \t]+(?:{_DIRECTION}[ \t]+)?(?:(?:{_WORD})[ \t]+){{1,4}}"
    rf"(?P<type>{_STREET_TYPES})\.?(?:[ \t]+{_DIRECTION})?{_UNIT}?"
)
_BOX = r"(?<![\w.,/-])p\.?[ \t]?o\.?[ \t]+box[ \t]+\d{1,6}"
_TOWN = r"[a-z][a-z'’.-]*(?:[ \t]+[a-z][a-z'’.-]*){0,2}"
_STATE = "|".join(sorted({c.lower() for c in US_STATE_CODES} | {n.lower() for n in US_STATE_NAMES}, key=len, reverse=True))
_ZIP = r"\d{5}(?:-\d{4})?"
_ENDING = (
    rf"(?:(?:,?[ \t]+(?P<town>{_TOWN}))?,?[ \t]+(?P<state>{_STATE})\.?(?:,?[ \t]+(?P<zip1>{_ZIP}))?"
    # a ZIP code alone ends the address: a town after it is a European "postcode town" line, the other rules' own
    rf"|,?[ \t]+(?P<zip2>{_ZIP})(?![ \t]+[^\W\d_]))(?![\w-])"
)
_NUMBERED_ADDRESS = re.compile(_NUMBERED + _ENDING, re.IGNORECASE)
_BOX_ADDRESS = re.compile(_BOX + _ENDING, re.IGNORECASE)
# Every address holds a street type or "box": neither, no pass of the patterns.
_GATE = re.compile(rf"\b(?:{_STREET_TYPES}|box)\b", re.IGNORECASE)


def us_addresses(text: str) -> list[Hit]:
    if _GATE.search(text) is None:
        return []
    patterns = [_NUMBERED_ADDRESS, _BOX_ADDRESS] if "box" in text.lower() else [_NUMBERED_ADDRESS]
    hits: list[Hit] = []
    for m in (m for pattern in patterns for m in pattern.finditer(text)):
        zip_code = m.group("zip1") or m.group("zip2")
        if m.group("state") is not None and m.group("town") is None and zip_code is None:
            continue  # "12 oak st ca": a state alone after the street says too little
        if zip_code is None and "type" in m.re.groupindex and _PLAIN_TYPE.fullmatch(m.group("type")):
            continue  # "3 lane road bikes in texas": a common noun after a number, no ZIP code
        hits.append(("LOCATION", m.start(), m.end(), SCORE))
    return hits
