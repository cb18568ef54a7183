"""A person's age, where the words around a number say it is one.

    ages(text, found=None) -> [("AGE", start, end, score)]   # found: a shared cue pass (patterns.field_cues)

An age on its own identifies nobody, but next to a name, a town or a diagnosis it narrows the people
a record can be about to a handful (HIPAA's Safe Harbor counts ages above 89 as identifiers). A
number is an age only after or before words that say so: "54 year old", "49 y/o", "aged 72",
"Age: 45", "I just turned 22", "I'm 34.", "male, 34", "my 40th birthday", and the German, French and
Spanish forms people write ("34 Jahre alt", "j'ai 34 ans", "tengo 34 años"). A bare number, "turned
90 degrees" or "I'm 5 minutes away" is none. Ages above 120 are none.
"""

from __future__ import annotations

import re

from aircluster.privacy.detect.cues import SEARCH_WHOLE_BELOW, Cues, Found, anchored

Hit = tuple[str, int, int, float]

_N = r"(?P<n>\d{1,3})"
# Words after "turned 40" / "I'm 40" that make the number something else than an age.
_NOT_AGE_AFTER = (
    r"(?![ \t]*(?:%|°|degrees?|percent|per|times|minutes?|mins?|hours?|hrs?|seconds?|secs?|days?|weeks?|months?"
    r"|pages?|points?|pts|km|kms|miles?|mi|m|cm|mm|kg|kgs|lbs?|pounds?|feet|ft|inch(?:es)?|euros?|dollars?"
    r"|am|pm|a\.m\.|p\.m\.|o'clock|[.,]\d|:\d|/\d|-\d))"
)
_PATTERNS = (
    # "54 year old", "54-year-old", "54 yrs old", "54 years of age", "49 y/o", "49yo", "49 y.o."
    rf"\b{_N}[ -]?(?:years?|yrs?)[ -]old\b|\b{_N}[ -]?years? of age\b|\b{_N}[ -]?(?:y/o|y\.o\.|yo)(?![a-z])",
    # "aged 72", "age 45", "Age: 45", "at the age of 45", "Alter: 45", "Âge : 45", "Edad: 45"
    rf"\b(?:aged|age|alter|âge|edad|età)[ \t]*(?::|of)?[ \t]*{_N}\b{_NOT_AGE_AFTER}",
    # "I just turned 22", "I'll turn 46", "turning 30 this year"
    rf"\bturn(?:ed|s|ing)?[ \t]+{_N}\b{_NOT_AGE_AFTER}"
    r"(?=[ \t]*(?:$|[.,!?;)\n]|years?\b|this\b|today\b|next\b|last\b|on\b|in\b|and\b))",
    # "I'm 34." "i am 49, from Leeds" (a sentence end, a comma or "and" after: "I'm 5 minutes away" is none)
    rf"\b(?:i'm|i am|im|she's|he's|she is|he is)[ \t]+{_N}\b{_NOT_AGE_AFTER}(?=[ \t]*(?:$|[.,!?;)\n]|and\b|now\b|years?\b))",
    # "male, 34", "Female 29", "34, female", "34/F", "34M" in a profile or an advert
    rf"\b(?:male|female|man|woman|boy|girl)[ \t]*,?[ \t]+{_N}\b{_NOT_AGE_AFTER}",
    rf"\b{_N}[ \t]*(?:,[ \t]*(?:male|female)\b|/[ \t]*[mfMF]\b)",
    # "my 40th birthday"
    rf"\b{_N}(?:st|nd|rd|th)[ \t]+birthday\b",
    # "34 Jahre alt", "j'ai 34 ans", "âgé de 34 ans", "tengo 34 años", "34 años de edad"
    rf"\b{_N}[ \t]+jahre?[ \t]+alt\b|\bj'ai[ \t]+{_N}[ \t]+ans\b|\bâgée?[ \t]+de[ \t]+{_N}[ \t]+ans\b"
    rf"|\btengo[ \t]+{_N}[ \t]+años\b|\b{_N}[ \t]+años[ \t]+de[ \t]+edad\b",
)
_AGE = re.compile("|".join(f"(?:{p.replace('(?P<n>', '(')})" for p in _PATTERNS), re.IGNORECASE)
# Every match of _AGE starts at a number after a word boundary or at one of these words (the ones the
# alternatives above open with): `ages` tries the large case-insensitive alternation only there.
AGE_OPENING_WORDS = (
    *"aged age alter âge edad età turn i'm im she's he's male female man woman boy girl j'ai âgé tengo".split(),
    *("i am", "she is", "he is"),
)
AGE_CUE_KIND = "age_open"  # the kind under which a shared cue pass (patterns.CUES) finds them
_CUES = Cues({AGE_CUE_KIND: AGE_OPENING_WORDS})
_NUMBER_START = re.compile(r"\b\d")
_NUMBER = re.compile(r"\d{1,3}")
MAX_AGE = 120
SCORE = 0.8


def ages(text: str, found: Found | None = None) -> list[Hit]:
    """The ages in `text`: each span is the number alone ("a <AGE> year old woman", "turned <AGE>"),
    so a redaction keeps the words that say what was there. `found`: a cue pass over `text` that
    looked for AGE_OPENING_WORDS as AGE_CUE_KIND (else `ages` makes its own)."""
    hits: list[Hit] = []
    for m in anchored(_AGE, text, _starts(text, found)):
        number = _NUMBER.search(text, m.start(), m.end())
        if number is not None and int(number.group()) <= MAX_AGE:
            hits.append(("AGE", number.start(), number.end(), SCORE))
    return hits


def _starts(text: str, found: Found | None = None) -> list[int] | None:
    """Where a match of _AGE may start (None: anywhere, when the cue pass cannot lower-case `text`, or
    `text` is short enough to search whole)."""
    if len(text) < SEARCH_WHOLE_BELOW:
        return None
    words = (found if found is not None else _CUES.find(text)).starts(AGE_CUE_KIND)
    if words is None:
        return None
    return sorted({*words, *(m.start() for m in _NUMBER_START.finditer(text))})
