"""Postal addresses written as a block of lines, read by their layout.

    address_blocks(text, places) -> [("LOCATION", start, end, score)]     # one span per line

An address on an envelope, a label or in a signature is a column of short lines in a fixed order (the
Universal Postal Union's S42 layout): the street line (a number and a name, "203 Monteadores",
"Opplands gate 8", "P.O. Box 94079"), maybe a unit ("Suite 273", "Flat 954"), then the town with its
postcode and state in some order ("2315 HAMAR", "Boston, MA 02110", "NESSELWÄNGLE"), maybe the country.
The town on its own line is a word that the sentence rules and the tagger cannot read as a place: the
layout can. A block is taken only when it starts with a street line and closes on evidence that it is
an address: a unit line, a postcode beside a town, or a known country or town (with a short code, "Germany
580"). The street's number may carry a staircase and a flat ("Puistokaari 1 E 18", "Valurink. 4A11"), the
postcode a country's letters ("FIN-00330"), the town line its region ("Minto, NSW, 2566"). Every line of it is a
LOCATION; the recipient's name above the street line is not read here. Lines may carry the prefix of
a quoted reply ("> ") or of a list, which is left out of the spans, or a field's label that the lines around
repeat (a fielded record's "S: 26a Sheen Road" over "S: Richmond", as the kernel's CREDITS write an address). In
such a record a town's line over a known country's is an address without a street ("S: Ronneby" over "S: Sweden").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from collections.abc import Set as AbstractSet

from aircluster.privacy.detect.lexicon import Lexicon

Hit = tuple[str, int, int, float]

_PREFIX = re.compile(r"[ \t]*(?:[>|*•?#-]+[ \t]*)*")
# A word of a street line; one that starts with digits has letters after them ("8th", "2-chome", "4F")
_WORD = r"(?:[^\W\d_]|\d{1,4}-?(?=[^\W\d_]))[\w'’.-]*"
_WORDS = rf"{_WORD}(?:[ \t]+{_WORD}){{0,5}}"
# "12", "12a", "12/3", "4A11" and "1 A 13" (a Nordic house, staircase and flat: "Puistokaari 1 E 18")
_NUMBER = r"\d{1,5}(?:[a-zA-Z]\d{1,3}|[a-zA-Z]|[ \t][A-Z][ \t]?\d{1,3}(?!\d))?(?:[/-]\d{1,4}[a-zA-Z]?)?\.?"
# After the street on its line: "Apt 4", "#662", "Bldg 5, Suite 550"
_STREET_UNITS = r"(?:,?[ \t]+(?:(?:apt|apartment|suite|ste|unit|flat|bldg|building|floor|fl|room|rm)\.?[ \t]*#?|#)\d+\w*){0,2}"
# "47 Veres Pálné u.", "12 Skolegyden, Fifth Floor", "P.O. Box 94079": a street line on its own evidence
_STREET = re.compile(
    rf"(?:{_NUMBER},?[ \t]+{_WORDS}(?:,[ \t]*{_WORDS})?(?:[ \t]+\d{{1,5}})?{_STREET_UNITS}"
    r"|(?:p\.?[ \t]?o\.?[ \t]?box|postfach|apartado|boîte postale|bp)[ \t]+\d+)",
    re.IGNORECASE,
)
# "Opplands gate 8", "Hauptstraße 12", "Bahnhofstr.79": the number after the name, a street when a street word says so or
# the next line is a postcode and a town ("Rx 12345" or "Zimmer 12" above a name is none)
_STREET_NUMBER_LAST = re.compile(rf"{_WORDS}(?:,?[ \t]+|(?<=\.)){_NUMBER}(?:,?[ \t]+{_WORDS})?")
_UNIT = re.compile(
    r"(?:apt|apartment|suite|ste|unit|flat|floor|fl|room|rm|building|bldg|wohnung|appartement|piso|puerta)\.?[ \t]*#?\d+\w*",
    re.IGNORECASE,
)
_CODE = (
    r"(?:\d{5}-\d{4}|\d{5}-\d{3}|\d{2}-\d{3}|\d{3} \d{2}|\d{4} ?[A-Z]{2}|[A-Z]\d[A-Z] ?\d[A-Z]\d"
    r"|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]{1,3}-?\d{4,5}|\d{4,5})"
)
# After a town only, where a phone's or a reference's digits cannot pass for one: Japan's "101-0052", and the six
# digits of China, India and Russia ("Saint-Petersburg    198035")
_CODE_AFTER_TOWN = rf"(?:{_CODE}|\d{{3}}-\d{{4}}|\d{{6}})"
_TOWN = r"[^\W\d_][^\d\n,;:!?]{0,40}?"
_NOT_PHONE = r"(?!(?i:tel|telephone|phone|ph|fax|mobile|mob|cell)\b)"  # "Tel 555-1234" is no town and code
_STATE = r"[A-Z]{2,3}"
# "2315 HAMAR", "HAMAR 2315", "Boston, MA 02110-1301", "Canada 8705", "4515", "NY"; a region between the town
# and the code: "Minto, NSW, 2566", "Markham, Ontario L3R 2Z6"
_CODE_TOWN = re.compile(
    rf"{_CODE}[ \t]+{_TOWN}|{_NOT_PHONE}{_TOWN}(?:,[ \t]*{_TOWN})?,?[ \t]+(?:{_STATE},?[ \t]+)?{_CODE_AFTER_TOWN}"
)
_LOCALITY_CODE = re.compile(rf"{_CODE_TOWN.pattern}|{_CODE}")
_STATE_LINE = re.compile(_STATE)  # "NY" alone on a line: part of a block, no evidence of one
_YEAR = re.compile(r"(?:19|20)\d\d")
_LOCALITY = re.compile(rf"{_TOWN}(?:,[ \t]*{_TOWN}){{0,2}}")  # "Amsterdam", "Masaka, Uganda, East Africa"
_PLACE_NUMBER = re.compile(r"([^\W\d_][^\d\n,;:!?]{0,40}?)[ \t]+\d{1,5}")
_UNIT_WORDS = frozenset({"unit", "suite", "building", "bldg", "floor", "room", "flat"})
MAX_LINES = 6  # after the street line
SCORE = 0.85


# "S: ", "Addr: ": a field's label opening a line, left out when the line before or after opens with it too
_LABEL = re.compile(r"[^\W\d_][\w-]{0,11}:[ \t]+")


def _lines(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    """(start, end) of each line's content: the quote or list prefix, a label the lines around repeat, and
    trailing spaces and commas left out; and each line's label that was left out ("" for none)."""
    out = []
    labels: list[tuple[str, int]] = []  # each line's label (without its spaces) and length, or ("", 0)
    pos = 0
    for line in text.split("\n"):
        prefix = _PREFIX.match(line)  # always matches (every part optional)
        a = pos + (prefix.end() if prefix else 0)
        b = pos + len(line.rstrip(" \t,;"))
        out.append((a, max(a, b)))
        found = _LABEL.match(text, a, max(a, b)) if ":" in line else None
        labels.append((found.group().rstrip(), len(found.group())) if found else ("", 0))
        pos += len(line) + 1
    stripped = [""] * len(out)
    for i, (label, length) in enumerate(labels):
        before = labels[i - 1][0] if i else ""
        after = labels[i + 1][0] if i + 1 < len(labels) else ""
        if label and label in (before, after):
            out[i] = (out[i][0] + length, out[i][1])
            stripped[i] = label
    return out, stripped


def address_blocks(
    text: str, lexicon: Lexicon, people: Sequence[Hit] = (), country_codes: AbstractSet[str] = frozenset()
) -> list[Hit]:
    """The lexicon's places (a line that is one closes a block), street words and names (a line of a
    first and a last name is a person, not a town); `people`: PERSON findings of the other recognizers,
    whose lines end a block too ("Dr. Anna Weber" under a street is the addressee, not the town);
    `country_codes`: ISO 3166's two letters ("GB"), a block's last line in a register."""
    lines, labels = _lines(text)
    taken = sorted((h[1], h[2]) for h in people)
    lower_text = not any(map(str.isupper, text))  # a town in lower case counts only where everything is
    hits: list[Hit] = []
    i = 0
    while i < len(lines):
        a, b = lines[i]
        if not (a < b and any(map(str.isdigit, text[a:b])) and _is_street(text, lines, i, lexicon)):
            i += 1
            continue
        block = [(a, b)]
        proof = False
        last = 0  # the block's last line that is an address's for sure: an unknown town after it is not
        j = i + 1
        while j < len(lines) and j <= i + MAX_LINES:
            s, t = lines[j]
            piece = text[s:t]
            coded = _LOCALITY_CODE.fullmatch(piece) is not None and not _YEAR.fullmatch(piece)
            # A person's line ends the block, but not a town's with its postcode ("Austin  TX  78753" is no one)
            if s >= t or (_overlaps(taken, s, t) and not (coded and any(map(str.isdigit, piece)))):
                break
            sure = True
            if _UNIT.fullmatch(piece):
                proof = True
            elif coded:
                sure = lower_text or not _first_letter(piece).islower()
                proof = proof or sure
            elif _STATE_LINE.fullmatch(piece):
                pass
            elif _LOCALITY.fullmatch(piece) and len(piece.split()) <= 4 and not _is_name(piece, lexicon):
                sure = any(part.strip().rstrip(".").lower() in lexicon.places for part in (piece, *piece.split(",")))
                proof = proof or sure
            elif (number := _PLACE_NUMBER.fullmatch(piece)) and number.group(1).lower() in lexicon.places:
                proof = True  # "Germany 580": a known country with a short code (the town above it is one)
            else:
                break
            block.append((s, t))
            if sure:
                last = len(block) - 1
            j += 1
        # the street line alone, or a block without evidence, is left to the other recognizers
        if proof and last >= 1:
            hits += [("LOCATION", s, t, SCORE) for s, t in block[: last + 1]]
            i = i + last + 1
        else:
            i += 1
    if any(labels):
        hits += _town_over_country(text, lines, labels, lexicon, taken, hits)
    if country_codes:
        hits += _ending_in_country_code(text, lines, lexicon, country_codes, taken, hits)
    return hits


def _ending_in_country_code(
    text: str,
    lines: list[tuple[int, int]],
    lexicon: Lexicon,
    country_codes: AbstractSet[str],
    taken: list[tuple[int, int]],
    hits: list[Hit],
) -> list[Hit]:
    """A register's address whose street line has no number to start a block ("Foundry Lane" over "Horsham  West
    Sussex  RH13 5PY" over "GB"): read upwards from its last line, a country's code alone, under a town with its
    postcode. The line above the town is the street when it has a digit or a street or unit word; the entry's first
    line, its holder, is not read."""
    found = sorted((h[1], h[2]) for h in hits)
    out: list[Hit] = []
    for i in range(1, len(lines)):
        (s, t), (a, b) = lines[i], lines[i - 1]
        if text[s:t] not in country_codes or (i + 1 < len(lines) and lines[i + 1][0] < lines[i + 1][1]):
            continue  # the code closes the entry: the text's last line, or one before an empty line
        town = text[a:b]
        if not (_CODE_TOWN.fullmatch(town) and any(map(str.isdigit, town))) or _overlaps(found, s, t):
            continue
        out.append(("LOCATION", s, t, SCORE))
        if not _overlaps(found, a, b):
            out.append(("LOCATION", a, b, SCORE))
        c, d = lines[i - 2] if i >= 2 else (0, 0)
        if _street_without_number(text, c, d, lexicon) and not _overlaps(taken, c, d) and not _overlaps(found, c, d):
            out.append(("LOCATION", c, d, SCORE))
    return out


def _street_without_number(text: str, start: int, end: int, lexicon: Lexicon) -> bool:
    """A line of up to eight words with a digit, a street word or a unit ("Harston Mill", "Unit X Business Pk")."""
    piece = text[start:end]
    words = [w.strip(".,").lower() for w in piece.split()]
    return 0 < len(words) <= 8 and (
        any(map(str.isdigit, piece)) or any(w in lexicon.street_words or w in _UNIT_WORDS for w in words)
    )


def _town_over_country(
    text: str, lines: list[tuple[int, int]], labels: list[str], lexicon: Lexicon, taken: list[tuple[int, int]], hits: list[Hit]
) -> list[Hit]:
    """A fielded record's address without a street: a town's line over a known country's, both under the same label
    ("S: Ronneby" over "S: Sweden"); the town one to three words, no person's name, no line read already."""
    found = sorted((h[1], h[2]) for h in hits)
    out: list[Hit] = []
    for i in range(len(lines) - 1):
        (a, b), (s, t) = lines[i], lines[i + 1]
        if not labels[i] or labels[i] != labels[i + 1] or text[s:t].lower() not in lexicon.places:
            continue
        town = text[a:b]
        if (
            _LOCALITY.fullmatch(town)
            and "," not in town
            and len(town.split()) <= 3
            and town[:1].isupper()
            and town.lower() not in lexicon.common_words
            and not _is_name(town, lexicon)
            and not _overlaps(taken, a, b)
            and not _overlaps(found, a, b)
        ):
            out += [("LOCATION", a, b, SCORE), ("LOCATION", s, t, SCORE)]
    return out


def _first_letter(piece: str) -> str:
    return next((c for c in piece if c.isalpha()), "")


def _is_street(text: str, lines: list[tuple[int, int]], i: int, lexicon: Lexicon) -> bool:
    a, b = lines[i]
    if _STREET.fullmatch(text, a, b):
        return True
    if not _STREET_NUMBER_LAST.fullmatch(text, a, b):
        return False
    words = [w.strip(".,").lower() for w in text[a:b].split()]
    suffixes = _suffixes(lexicon)
    if any(w in lexicon.street_words or w.endswith(suffixes) for w in words):  # "hauptstraße" ends in "straße"
        return True
    if i + 1 < len(lines):
        s, t = lines[i + 1]
        return _CODE_TOWN.fullmatch(text, s, t) is not None and not _first_letter(text[s:t]).islower()
    return False


def _is_name(piece: str, lexicon: Lexicon) -> bool:
    """Two to four words, the first a first name and the last a surname, the whole no known place."""
    words = piece.lower().split()
    return (
        2 <= len(words) <= 4
        and words[0] in lexicon.first_names
        and words[-1] in lexicon.last_names
        and piece.lower() not in lexicon.places
    )


_SUFFIXES: dict[int, tuple[str, ...]] = {}


def _suffixes(lexicon: Lexicon) -> tuple[str, ...]:
    """Street words long enough to end a compound ("straße", "gasse", "weg" is too short)."""
    key = id(lexicon.street_words)
    if key not in _SUFFIXES:
        _SUFFIXES[key] = tuple(sorted(w for w in lexicon.street_words if len(w) >= 5 and w.isalpha()))
    return _SUFFIXES[key]


_LONGEST_NAME = 200  # characters: a PERSON finding reaching into a line starts at most this far before it


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether a span of `spans` (sorted) overlaps [start, end)."""
    lo, hi = bisect_left(spans, (start - _LONGEST_NAME,)), bisect_left(spans, (end,))
    return any(start < b for _, b in spans[lo:hi])
