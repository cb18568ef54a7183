"""People, places and dates of birth in GEDCOM, the genealogy files' interchange format, by its tags.

    gedcom_fields(text) -> hits      # "1 NAME Anna /Hansdotter/", "2 PLAC Löderup, Sweden", a birth's "2 DATE 2 OCT 1864"
    gramps_fields(text) -> hits      # Gramps XML: "<description>Marriage of Reed, Matthew and Gibbs, Mary", a place's
                                     # "<ptitle>Marion, IN</ptitle>" and "<pname value="Marion"/>"

A GEDCOM line is a level, an optional cross-reference id, a tag and a value ("0 @I0@ INDI", "1 NAME Anna /Hansdotter/",
"2 GIVN Anna"); the tags are fixed by the standard (GEDCOM 5.5), as HL7's fields are by theirs, so a value's tag says
what it is better than any reading of its words: a name the lists lack is a person's after NAME, a county after PLAC a
place, and a date under a birth (BIRT) the date of birth. Text is read as GEDCOM only when three lines or more have the
shape, one of them a record of level 0 or 1.

Genealogy programs describe each event by whom it happened to ("Birth of Gus Smith", "Marriage of Reed, Matthew and
Gibbs, Mary"), in a GEDCOM event's TYPE line and in the description of an event of Gramps' XML: the people there are
read from the description's fixed wording. Gramps' XML writes each place's title and names in elements of their own.
"""

from __future__ import annotations

import re

Hit = tuple[str, int, int, float]

_LINE = re.compile(r"^[ \t]*(\d{1,2})[ \t]+(?:@[^@\n]{1,22}@[ \t]+)?([A-Z_][A-Z0-9_]{2,31})(?:[ \t]([^\n]*))?$", re.MULTILINE)
_PERSON_TAGS = frozenset({"NAME", "GIVN", "SURN", "NICK", "_MARNM", "_AKA"})
_PLACE_TAGS = frozenset({"PLAC", "ADDR", "ADR1", "ADR2", "ADR3", "CITY", "STAE", "CTRY", "POST"})
# Records whose NAME is no person's: a source's, a repository's, a note's.
_NAMELESS_RECORDS = frozenset({"SOUR", "REPO", "NOTE", "OBJE", "HEAD", "FILE"})
# A calendar date with its day ("2 OCT 1864"): a year alone or "ABT 1897" dates no birth exactly.
_DAY_DATE = re.compile(r"\d{1,2} (?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC) \d{3,4}")
_PLACEHOLDER = frozenset({"not provided", "unknown", "n/a", "none", "?"})
SCORE = 0.85
_EVENTS = "Birth|Death|Marriage|Burial|Baptism|Christening|Cremation|Divorce|Engagement|Adoption"
# An event's description: the event, "of", one person or two joined by "and" ("Marriage of Landry, Maurice T. and
# Estrada, Mary Claire"), each written as names are (a capital first).
_EVENT_OF = re.compile(rf"(?:{_EVENTS}) of ([^\W\d_][^\n<]*?)(?: and ([^\W\d_][^\n<]*?))?[ \t]*")
_XML_DESCRIPTION = re.compile(rf"<description>((?:{_EVENTS}) of [^<\n]+)</description>")
_XML_PLACE = re.compile(r"<ptitle>([^<\n]*[^\W\d_][^<\n]*)</ptitle>|<pname value=\"([^\"\n]*[^\W\d_][^\"\n]*)\"")


def gedcom_fields(text: str) -> list[Hit]:
    if "\n" not in text:
        return []
    lines = list(_LINE.finditer(text))
    if len(lines) < 3 or not any(m.group(1) in ("0", "1") for m in lines):
        return []
    hits: list[Hit] = []
    tags: dict[int, str] = {}  # the tag of the latest line at each level: a line's parents
    for m in lines:
        level, tag = int(m.group(1)), m.group(2)
        tags[level] = tag
        for deeper in [k for k in tags if k > level]:
            del tags[deeper]
        if m.group(3) is None:
            continue
        start, end = m.start(3), m.end(3)
        value = text[start:end].rstrip(" \t\r,")  # "Alex Roitman,,,": the submitter's empty fields after the name
        end = start + len(value)
        if not value.strip() or value.lower() in _PLACEHOLDER:
            continue
        parents = [tags[k] for k in sorted(tags) if k < level]
        if tag in _PERSON_TAGS and not _NAMELESS_RECORDS.intersection(parents) and any(c.isalpha() for c in value):
            hits.append(("PERSON", start, end, SCORE))
        elif tag in _PLACE_TAGS and any(c.isalnum() for c in value):
            hits.append(("LOCATION", start, end, SCORE))
        elif tag == "DATE" and parents[-1:] == ["BIRT"] and _DAY_DATE.fullmatch(value):
            hits.append(("DATE_OF_BIRTH", start, end, SCORE))
        elif tag == "PHON" and sum(c.isdigit() for c in value) >= 7:
            hits.append(("PHONE_NUMBER", start, end, SCORE))
        elif tag == "TYPE":
            hits += _event_of(text, start, end)
    return hits


def gramps_fields(text: str) -> list[Hit]:
    """The people of the events Gramps' XML describes ("<description>Birth of Payne, James</description>") and its
    places ("<ptitle>Marion, IN</ptitle>", "<pname value="Marion"/>")."""
    hits: list[Hit] = []
    if "<description>" in text:
        for m in _XML_DESCRIPTION.finditer(text):
            hits += _event_of(text, m.start(1), m.end(1))
    if "<ptitle>" in text or "<pname " in text:
        hits += [("LOCATION", m.start(k), m.end(k), SCORE) for m in _XML_PLACE.finditer(text) for k in (1, 2) if m.group(k)]
    return hits


def _event_of(text: str, start: int, end: int) -> list[Hit]:
    m = _EVENT_OF.fullmatch(text, start, end)
    if m is None:
        return []
    return [("PERSON", m.start(k), m.end(k), SCORE) for k in (1, 2) if m.group(k) and m.group(k)[0].isupper()]
