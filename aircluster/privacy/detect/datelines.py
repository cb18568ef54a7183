"""The town (and its state) of a news story's dateline, by the shape wire services give it.

    dateline_places(text, known) -> hits   # "HOUSTON, Feb 26 - ...", "SUFFIELD, Conn., Feb 26 - ...", "SAN DIEGO - ..."

A story opens with the town it was filed from in capitals, its state or province after a comma when the town needs
one, then the date and a dash (Reuters: "NEW YORK, March 2 - "), or the agency's name in brackets (AP: "WASHINGTON
(AP) - "). The shape says what the words are better than the words do: the tagger reads "SUFFIELD, Conn." as a
person, "MILAN" as a given name. Without a date or an agency, a town in capitals before a dash is read only when it is
a known place (`known`): "WARNING - read this" is a heading.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Hit = tuple[str, int, int, float]

_TOWN = r"[A-Z][A-Z'’.-]*(?:[ ][A-Z][A-Z'’.-]*){0,3}"
# A US state or Canadian province as the wires write it after the town: "Conn.", "N.J.", "OKLA.", "Calif.", "Alberta".
_STATE = r"(?:[A-Z][A-Za-z]{1,4}\.|(?:[A-Z]\.){2,3}|[A-Z][a-z]+(?:[ ][A-Z][a-z]+)?)"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[a-zA-Z]*\.?"
_AGENCY = r"\((?:Reuters|REUTERS|AP|AFP|UPI|dpa|Xinhua|Bloomberg)\)"
_DATELINE = re.compile(
    rf"^[ \t]*(?P<town>{_TOWN})(?:[ ]?,[ ](?P<state>{_STATE}))?"
    rf"(?:(?P<dated>,?[ ]{_MONTH}[ ]\d{{1,2}}(?:,[ ]\d{{4}})?)[ ]?(?:{_AGENCY}[ ]?)?|[ ](?P<agency>{_AGENCY})[ ]?|[ ])"
    r"[-–—]+[ ]",
    re.MULTILINE,
)
SCORE = 0.9


def dateline_places(text: str, known: Callable[[str], bool]) -> list[Hit]:
    """The town and the state of each dateline at a line's start; `known(words)`: a place of the lists (lower case)."""
    if " -" not in text and " –" not in text and " —" not in text:
        return []
    hits: list[Hit] = []
    for m in _DATELINE.finditer(text):
        town = m.group("town").rstrip(".")
        if not any(c.isalpha() for c in town):
            continue
        if not (m.group("dated") or m.group("agency")) and not (m.group("state") or known(town.lower())):
            continue  # "WARNING - ...", "FAQ - ...": capitals before a dash, no date, no place
        hits.append(("LOCATION", m.start("town"), m.start("town") + len(town), SCORE))
        if m.group("state"):
            hits.append(("LOCATION", m.start("state"), m.end("state"), SCORE))
    return hits
