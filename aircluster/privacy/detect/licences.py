"""Driver's licence numbers, where a word for the licence stands right before them.

    driver_licences(text, found=None) -> [("DRIVER_LICENSE", start, end, score)]  # found: patterns.field_cues
    licence_field(name) -> bool        # "driver_license", "dl_number", "Führerscheinnummer": a licence number's key
    licence_value(value) -> bool       # shaped like a licence number (a key or column already said it is one)

A licence number has no shape of its own: "F89390310" (US states), "D123-4567-8901", "MORGA753116SM9IJ"
(UK), "B072RRE2I55" (Germany), twelve digits (France) are as much an order number, a serial or a
booking code. So a token is a licence only right after words that name one: "driver's license number
is", "Driving licence no.", "DL#", "licence number" where driving is named near it, "Führerscheinnummer:",
"numéro de permis de conduire :", "licencia/carné de conducir", "patente (di guida)", "rijbewijsnummer".
Between the words and the number only a few letter-only words may stand ("number", "is", "my", a state);
the first token with a digit is the number or nothing: "driving licence since 2015", "DL expires
03/12/2027", "driver's licence and phone 07700 900123" find none. A token shaped like an SSN or a date is
never one, and the number ends at the line's end or the sentence's.
"""

from __future__ import annotations

import re
from functools import lru_cache

from aircluster.privacy.detect.cues import Cues, Found, anchored

Hit = tuple[str, int, int, float]

LICENCE_CUE_KIND = "licence"
# Where every match of _CUE starts (one opening per alternative there; an alternative added to _CUE
# must add its opening here): the detector's shared cue pass finds them, and `driver_licences` tries
# _CUE only at those places.
LICENCE_OPENING_WORDS = (
    *"driver driving dl# licen führerschein fuehrerschein fahrerlaubnis permis licencia carn patente rijbewijs".split(),
    *("dl ", "dl\t"),  # "dl" only before "#", "no", "number": "DL: 500Mbps" is a download speed
)
_CUES = Cues({LICENCE_CUE_KIND: LICENCE_OPENING_WORDS})
_LICENCE = r"licen[cs]e|lic\.?"
_CUE = re.compile(
    r"(?<![\w])(?:"
    rf"driver[’']?s?[’']?[ \t_-]*(?:{_LICENCE})|driving[ \t_-]*(?:{_LICENCE}|permit)"
    r"|dl(?=#|[ \t]+(?:#|no\b|no\.|nr\b|nr\.|num\b|number\b))"
    r"|(?P<generic>licen[cs]e)(?=[ \t]*(?:#|no\b|no\.|nr\b|nr\.|num\b|number\b))"
    r"|f(?:ü|ue)hrerschein(?:nummer|-?nr\b\.?|-nummer)?|fahrerlaubnis(?:nummer)?"
    r"|permis[ \t]+de[ \t]+conduire"
    r"|(?:licencia|carn[eé]t?|permiso)[ \t]+de[ \t]+(?:conducir|conducción|manejo|manejar)"
    r"|patente(?:[ \t]+di[ \t]+guida)?"
    r"|rijbewijs(?:nummer|nr\b\.?)?"
    r")(?![^\W\d_])",
    re.IGNORECASE,
)
# "licence number" names a driving licence only when driving is named within this many characters.
_DRIVING_REACH = 60
_DRIVING = re.compile(r"(?i)driv|motorist|vehicle|(?<![a-z])(?:dvla|dmv)(?![a-z])")
# Between the cue and the number: separators, then at most this many words of letters only.
_MAX_FILLER_WORDS = 4
_REACH = 48  # characters after the cue in which the number must start
_SEPARATORS = re.compile(r"[ \t]*(?:[:#=(),’'\"-][ \t]*)*")
_WORD = re.compile(r"(?:[nN][°º]|[^\W\d_]+\.?)(?![\w])")
# Words after which the next token is something else than the licence number.
_STOP_WORDS = frozenset(
    "and or but phone tel telephone mobile cell fax ssn social security passport expires expiry expiration exp "
    "expired issued issue date dob born birth valid until since for years year months points class category "
    "renewal renewed suspended revoked test lesson lessons in at on from to with card photo copy scan "
    "plate plates registration reg kennzeichen plaque immatriculation matrícula matricula targa kenteken "
    "und oder seit gültig bis klasse ausgestellt et ou depuis valable jusqu y o desde hasta válido valido "
    "e o dal fino en sinds tot geldig".split()
)
# The number: groups of letters and digits joined by hyphens or by single spaces; a group after a space
# holds a digit ("MORGA 753116 SM9IJ", "D123 4567 8901"), so "F89390310 CA" ends at the number.
# The first group holds a digit too ("is F89390310" is no number), but for the UK's five letters of the
# surname before six digits ("MORGA 753116 SM9IJ").
_NUMBER = re.compile(
    r"(?:[A-Z]{5}[ ](?=\d{6}[ ]?[A-Z0-9]{5}\b))?(?=[A-Za-z-]*\d)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*"
    r"(?:[ ](?=[A-Z]*\d)[A-Z0-9]+(?:-[A-Z0-9]+)*){0,5}(?![\w@/])(?!\.\w)(?!-\w)"
)
_SSN_SHAPED = re.compile(r"\d{3}[- ]\d{2}[- ]\d{4}")
_DATE_SHAPED = re.compile(r"\d{1,4}[- ]\d{1,2}[- ]\d{1,4}|(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
# Letters and digits in a licence number: UK 16, France 12, Germany 11, most US states 7 to 13; the few
# shorter ones (a letter and four digits) are too like any other number to take.
MIN_CHARS, MAX_CHARS = 5, 20
SCORE = 0.85
FIELD_SCORE = 0.8
_MAX_FIELD = 64  # a longer value is no licence number alone, whatever its key says


def licence_value(value: str) -> bool:
    """Letters and digits, hyphens or spaces between groups, at least one digit, 5 to 20 of them; not an
    SSN's or a date's shape."""
    if _NUMBER.fullmatch(value) is None:
        return False
    chars = sum(c.isalnum() for c in value)
    return (
        MIN_CHARS <= chars <= MAX_CHARS
        and any(c.isdigit() for c in value)
        and _SSN_SHAPED.fullmatch(value) is None
        and _DATE_SHAPED.fullmatch(value) is None
    )


_FIELD_WORDS = re.compile(
    r"(?:(?:number|numero|número|numéro|num|no|nr)_(?:(?:of|de|del|di|della)_)?(?:the_)?)?"
    r"(?:driver_?s?_?licen[cs]e|driving_?licen[cs]e|driver_?licen[cs]e|dl|f(?:ü|ue)hrerschein|fahrerlaubnis"
    r"|permis_de_conduire|licencia_de_conducir|carne_de_conducir|carnet_de_conducir|patente|rijbewijs)"
    r"(?:_?(?:number|num|no|nr|nummer|numero|número|id))?"
)
_DL_NAMES = re.compile(r"(?:licen[cs]e|lic)_?(?:number|num|no|nr|id)")
# Words in a field's name that say its value is about the licence, not its number.
_NOT_NUMBER_FIELDS = re.compile(r"(?:date|expir|issue|valid|class|categor|state|country|photo|scan|type|status|klasse|ausstell)")


@lru_cache(maxsize=4096)  # the same few key names come with every record
def licence_field(name: str) -> bool:
    """Does a key or column's name say its value is a driver's licence number ("driver_license",
    "dlNumber", "DL No", "Führerscheinnummer", "numero_patente")? Its date, class or state is none."""
    k = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", name.strip(" \"'")).lower()
    k = re.sub(r"[\s.\-’']+", "_", k).strip("_").replace("__", "_")
    if _NOT_NUMBER_FIELDS.search(k):
        return False
    if _FIELD_WORDS.fullmatch(k):
        return True
    # "drivers_license_no", "license_number" of a driver: both a licence word and a driving word
    return _DL_NAMES.search(k) is not None and _DRIVING.search(k) is not None


def driver_licences(text: str, found: Found | None = None) -> list[Hit]:
    """The licence numbers in `text` that a licence word stands before (see the module's docstring)."""
    found = found if found is not None else _CUES.find(text)
    if not found.has(LICENCE_CUE_KIND):
        return []
    hits: list[Hit] = []
    taken = 0
    for cue in anchored(_CUE, text, found.starts(LICENCE_CUE_KIND)):
        if cue.start() < taken:
            continue
        if cue.group("generic") and not _driving_near(text, cue.start(), cue.end()):
            continue
        hit = _number_after(text, cue.end())
        if hit is not None:
            hits.append(hit)
            taken = hit[2]
    return hits


def _driving_near(text: str, start: int, end: int) -> bool:
    return _DRIVING.search(text, max(0, start - _DRIVING_REACH), min(len(text), end + _DRIVING_REACH)) is not None


def _number_after(text: str, pos: int) -> Hit | None:
    """The licence number in the few words after a cue ending at `pos`, if the first token with a digit is one."""
    limit = min(len(text), pos + _REACH)
    newline = text.find("\n", pos, limit)
    limit = limit if newline < 0 else newline
    words = 0
    while pos < limit:
        gap = _SEPARATORS.match(text, pos, limit)  # matches the empty string: never None
        pos = gap.end() if gap is not None else pos
        number = _NUMBER.match(text, pos)
        if number is not None and any(c.isdigit() for c in number.group()):
            value = number.group()
            return ("DRIVER_LICENSE", pos, pos + len(value), SCORE) if licence_value(value) else None
        word = _WORD.match(text, pos, limit)
        if word is None or words == _MAX_FILLER_WORDS or word.group().rstrip(".").lower() in _STOP_WORDS:
            return None
        if word.group().endswith(".") and len(word.group()) > 3 and word.group()[:-1].lower() not in ("lic", "num"):
            return None  # a sentence ends here ("my driving licence. Then")
        words += 1
        pos = word.end()
    return None


def licence_in_field(text: str, context: str) -> list[Hit]:
    """The whole value, when the field's name says it holds a licence number and it has the shape of one."""
    if len(text) > _MAX_FIELD or not licence_field(context):  # the key's answer is cached: test it first
        return []
    value = text.strip()
    if not licence_value(value):
        return []
    start = text.index(value)
    return [("DRIVER_LICENSE", start, start + len(value), FIELD_SCORE)]
