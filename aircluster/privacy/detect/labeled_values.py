"""Values whose name says what they are: cells under a table header, and the values of keys.

    table_columns(text) -> hits      # CSV, TSV, ";" or "|"-separated rows under a naming header
    key_values(text) -> hits         # "dob": "1961-04-03", PASSWORD=..., city: Leeds, <phone>...</phone>, address "..."
    hl7_fields(text) -> hits         # PID|1||MRN||SMITH^JOHN||19610403|...: fields fixed by HL7 v2

A column or key name is a stronger cue than any word in a sentence: "1958-09-20" under "dob" is a birth
date, "Quorra Velandt" under "full_name" is a person whatever the word lists say. The value must still
have the shape of what the name announces.
"""

from __future__ import annotations

import re
from functools import lru_cache

from aircluster.privacy.detect.licences import licence_field, licence_value

Hit = tuple[str, int, int, float]

# ---- tables: a header row names what each column holds ----------------------------------------------

_DELIMITERS = (",", "\t", ";", "|")
_HEADER_CELL = re.compile(r"[\"']?[A-Za-z][A-Za-z0-9_ ./()-]{0,40}[\"']?")
_CELL = {d: re.compile(r'"(?:[^"\n]|"")*"|[^' + re.escape(d) + r"\n]*") for d in _DELIMITERS}
_PERSON_COLUMNS = frozenset(
    "name full_name fullname full name customer customer_name contact contact_name owner "
    "author buyer seller recipient first_name last_name surname given_name holder "
    "cardholder card_holder account_holder passenger guest employee member attendee "
    "participant patient student driver applicant who volunteer person".split()
)
_COLUMN_VALUE = {
    "DATE_OF_BIRTH": re.compile(
        r"(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)?\d{2}"
        r"|\d{1,2}\.?\s+[A-Za-zéû]{3,9}\.?\s+\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}"
    ),
    "US_SSN": re.compile(r"\d{3}[- ]?\d{2}[- ]?\d{4}"),
    "PHONE_NUMBER": re.compile(r"\+?[\d(][\d ().-]{5,18}\d(?:\s?(?:x|ext\.?)\s?\d{1,5})?"),
    "SECRET": re.compile(r"\S{8,}"),
    "PERSON": re.compile(r"[^\W\d_][\w'’.-]*(?:,?[ \t][^\W\d_][\w'’.-]*){0,3}"),
}


def _shaped(kind: str, value: str) -> bool:
    """Does `value` have the shape of what its column or key announces?"""
    return licence_value(value) if kind == "DRIVER_LICENSE" else _COLUMN_VALUE[kind].fullmatch(value) is not None


_PLACEHOLDER_CELL = re.compile(r"[A-Z]{1,4}|(?i:n/?a|none|null|tbc|tbd|unknown|vacant|open|-+|—)")


def _column_entity(name: str) -> str | None:
    n = name.strip("\"' ").lower().replace("-", "_")
    tokens = set(re.split(r"[_\s.]+", n))
    if "birth" in n or tokens & {"dob", "bday", "geburtsdatum", "naissance"}:
        return "DATE_OF_BIRTH"
    if "ssn" in n or "social_security" in n:
        return "US_SSN"
    if licence_field(n):
        return "DRIVER_LICENSE"
    if any(w in n for w in ("phone", "mobile", "tel", "cell", "fax", "whatsapp")):
        return "PHONE_NUMBER"
    if any(w in n for w in ("password", "passwd", "secret", "token", "api_key", "apikey", "access_key")):
        return "SECRET"
    if n in _PERSON_COLUMNS or n.replace(" ", "_") in _PERSON_COLUMNS:
        return "PERSON"
    return None


def _cells(text: str, start: int, end: int, delimiter: str) -> list[tuple[int, int]]:
    """(start, end) of each cell of one line, quotes excluded."""
    out: list[tuple[int, int]] = []
    pos = start
    cell = _CELL[delimiter]
    while True:
        m = cell.match(text, pos, end)
        if m is None:  # the cell pattern matches the empty string too; kept for the type checker
            return out
        a, b = m.span()
        if b - a >= 2 and text[a] == '"' and text[b - 1] == '"':
            a, b = a + 1, b - 1
        out.append((a, b))
        pos = m.end()
        if pos >= end or text[pos] != delimiter:
            return out
        pos += 1


def _lines(text: str) -> list[tuple[int, int]]:
    lines = []
    pos = 0
    while pos <= len(text):
        nl = text.find("\n", pos)
        nl = len(text) if nl < 0 else nl
        lines.append((pos, nl))
        pos = nl + 1
    return lines


def _header(text: str, a: int, b: int) -> tuple[str, list[tuple[int, int]], list[str | None]] | None:
    """The delimiter, cells and column kinds of a header line naming at least one PII column."""
    if b - a > 400:
        return None
    for delimiter in _DELIMITERS:
        if text.count(delimiter, a, b) < 1:
            continue
        header = _cells(text, a, b, delimiter)
        cells = [text[x:y].strip() for x, y in header]
        if not all(_HEADER_CELL.fullmatch(c) for c in cells if c or delimiter != "|"):
            continue
        kinds = [_column_entity(c) if c else None for c in cells]
        if any(kinds):
            return delimiter, header, kinds
    return None


def table_columns(text: str) -> list[Hit]:
    """Cells of CSV, TSV or ";"/"|"-separated rows under a header that names their content
    ("full_name", "date_of_birth", "ssn", "phone", "api_key"), when the cell has the shape of that
    content. A column name is a stronger cue than any word in a sentence: "1958-09-20" under "dob" is a
    birth date."""
    hits: list[Hit] = []
    lines = _lines(text)
    i = 0
    while i < len(lines):
        a, b = lines[i]
        i += 1
        found = _header(text, a, b)
        if found is None:
            continue
        delimiter, header, kinds = found
        while i < len(lines):
            a, b = lines[i]
            cells = _cells(text, a, b, delimiter) if b > a else []
            if len(cells) != len(header):
                break
            i += 1
            for (x, y), kind in zip(cells, kinds):
                value = text[x:y].strip()
                if kind is None or not value or (kind == "PERSON" and _PLACEHOLDER_CELL.fullmatch(value)):
                    continue
                if _shaped(kind, value):
                    x += len(text[x:y]) - len(text[x:y].lstrip())
                    hits.append((kind, x, x + len(value), 0.8))
    return hits


# ---- key = value: JSON, YAML, .env, XML, headers -----------------------------------------------------

# "key": "value" (JSON, Python), key: value (YAML, headers), KEY=value (.env, logs), <key>value</key> (XML).
_QUOTED_PAIR = re.compile(r"[\"']([A-Za-z_][\w .-]{0,40})[\"']\s*[:=]\s*[\"']([^\"'\n]{1,120})[\"']")
_LINE_PAIR = re.compile(
    r"(?m)^[ \t]*-?[ \t]*(?:\d{1,2}[.)][ \t]*)?([A-Za-zÀ-ÿ_][\w.()-]{0,40}(?:[ \t][\w()'’.-]{1,20}){0,3}?)[ \t]*(?::[ \t]+|=)"
    r"[\"']?([^\"'\n#]{1,120}?)[\"']?[ \t]*$"
)
# key "value" on a line of its own (glibc's locale sources, nginx, dhcpd and other configuration files).
_SPACED_QUOTED = re.compile(r'(?m)^[ \t]*([A-Za-z_][\w.-]{0,40})[ \t]+"([^"\n]{1,120})"[ \t;]*$')
_XML_PAIR = re.compile(r"<([A-Za-z_][\w.-]{0,40})(?:\s[^>]{0,80})?>([^<\n]{1,120})</\1>")
# SQL: UPDATE ... SET col = 'value', WHERE col = 'value'; shell: VAR='value'.
_BARE_KEY_QUOTED = re.compile(r"(?<![\w.\"'])([A-Za-z_]\w{0,40})\s*=\s*'([^'\n]{1,120})'")
_EQUALS_QUOTE = re.compile(r"=\s*'")
# SQL: INSERT INTO t (col, col, ...) VALUES (v, 'v', ...), (...);
# The gate: "insert" in any case, with the letters IGNORECASE also matches (dotted and dotless i, long s).
_INSERT_WORD = re.compile("[iI\u0130\u0131][nN][sS\u017f][eE][rR][tT]")
_INSERT = re.compile(r"(?is)\binsert\s+into\s+([\w.`\"]+)\s*\(([^)]{1,400})\)\s*values\s*")
# Tables of things: their bare "name" column names a product, a team or a file, not a person.
_THING_TABLES = re.compile(
    r"(?i)product|item|sku|categor|file|app|project|team|compan|org|store|shop|venue|event"
    r"|course|dataset|model|job|tag|brand|menu|dish|recipe|plan|tier|role|group|device"
)
_SQL_TUPLE = re.compile(r"\(((?:'(?:[^'\n]|'')*'|[^()'\n])*)\)")
_SQL_ITEM = re.compile(r"\s*('(?:[^'\n]|'')*'|[^,]*)\s*(?:,|$)")
_PERSON_KEY_WORDS = (
    "author",
    "customer",
    "contact",
    "first",
    "last",
    "full",
    "given",
    "family",
    "holder",
    "patient",
    "owner",
    "driver",
    "passenger",
    "guest",
    "employee",
    "member",
    "applicant",
    "recipient",
    "sender",
    "maiden",
    "middle",
    "legal",
    "preferred",
    "emergency",
    "kin",
    "parent",
    "mother",
    "father",
    "spouse",
    "child",
    "student",
    "teacher",
    "doctor",
    "physician",
    "beneficiary",
    "sur",
    "person",
    "contact",
    "signer",
    "witness",
)
_PLACE_KEYS = (
    "address",
    "addr",
    "street",
    "city",
    "town",
    "village",
    "locality",
    "residence",
    "hometown",
    "birthplace",
    "place_of_birth",
    "line1",
    "line2",
    "address_line",
    "home_town",
    "lieu_de_naissance",
    "geburtsort",
    "lugar_de_nacimiento",
    "wohnort",
    "domicile",
    "domicilio",
    "ville",
    "ciudad",
    "stadt",
    "adresse",
    "dirección",
    "direccion",
    "anschrift",
)
# Names of people in other languages' forms.
_PERSON_KEYS = frozenset(
    "nom prénom prénoms prenom nombre nombres apellido apellidos vorname vorname(n) nachname "
    "familienname nom_de_famille nom_d'usage geburtsname titular family given display_name "
    "displayname given_name family_name first forename forenames".split()
)
# Keys of a land or a division, whose value may be its code ("state": "NY", <country>USA</country>): a capitalized
# name or a code of capitals, never a lower-case word ("state": "running" is a status).
_REGION_KEYS = ("country", "state", "province", "county", "region")
_REGION_VALUE = re.compile(r"[A-Z]{2,3}|[A-Z][\w'’.-]*(?:[ \t](?:[A-Z][\w'’.-]*|of|and|the|de|del|du|des|la)){0,4}")
# A role as a form label: its value is the person in it ("Driver: Jovita", "Curé : Maître X").
_ROLE_KEYS = frozenset(
    "driver conductor fahrer fahrgast passenger passager pasajero chauffeur priest curé "
    "párroco pfarrer pfarrerin vicar captain referee coach doctor physician nurse surgeon "
    "notary notario notaire executor witness officer inspector teacher tenant landlord "
    "borrower guarantor signatory author reviewer reporter assignee groom bride deceased "
    "difunto défunt verstorbene verstorbener patient kunde cliente client".split()
)
_PLACE_VALUE = re.compile(r"(?=.*[^\W\d_])[\w .,'’/#-]{2,100}")
# A name of two to four capitalized words and no digit, on the line above one that opens with a house number.
_ADDRESSEE = re.compile(r"(?:[A-Z][a-z]{0,3}\.[ \t]+)?[^\W\d_a-z][\w'’-]*(?:[ \t]+[^\W\d_a-z][\w'’.-]*){1,3}")
_STREET_LINE_AFTER = re.compile(r"[ \t]*\r?\n[ \t>]*\d{1,5}[A-Za-z]?\.?,?[ \t]+[^\W\d_]")


@lru_cache(maxsize=4096)
def _key_entity(key: str) -> str | None:
    """What a key's value holds, by the key's name: CSV headers' names, plus "*_name" keys of people
    ("GIT_AUTHOR_NAME", "patientName") and address keys."""
    k = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", key.strip()).lower().replace("-", "_").replace(".", "_")
    k = re.sub(r"\s*\([^)]*\)", "", k.replace("(s)", "").replace("(n)", ""))  # "Surname (family name)"
    k = re.sub(r"\s+", "_", re.sub(r"^\d+[.)]\s*", "", k).strip(" _"))  # "1. Surname"
    if k in _PERSON_KEYS or k.rsplit("_", 1)[-1] in _ROLE_KEYS:
        return "PERSON"
    if k in _PLACE_KEYS:
        return "LOCATION"  # before the birth words: "place_of_birth", "lieu de naissance"
    if any(k == r or k.endswith("_" + r) for r in _REGION_KEYS):
        return "REGION"  # a LOCATION by its own shape (`_named_value`)
    kind = _column_entity(k)
    if kind is not None:
        return kind
    if k.endswith("name") and any(w in k for w in _PERSON_KEY_WORDS):
        return "PERSON"
    if any(k == p or k.endswith("_" + p) for p in _PLACE_KEYS):
        return "LOCATION"
    return None


def _named_value(kind: str | None, text: str, start: int, raw: str) -> Hit | None:
    """A hit for the value `raw` (at `start`) when it has the shape its name announces."""
    if kind is None:
        return None
    value = raw.strip().rstrip(",;")
    if not value or "://" in value or "@" in value:
        return None
    if kind == "REGION":
        if not _REGION_VALUE.fullmatch(value):
            return None
        start += len(raw) - len(raw.lstrip())
        return ("LOCATION", start, start + len(value), 0.75)
    if kind in ("PERSON", "LOCATION") and _PLACEHOLDER_CELL.fullmatch(value):
        return None
    if not (_PLACE_VALUE.fullmatch(value) is not None if kind == "LOCATION" else _shaped(kind, value)):
        return None
    start += len(raw) - len(raw.lstrip())
    if kind == "LOCATION" and _ADDRESSEE.fullmatch(value) and _STREET_LINE_AFTER.match(text, start + len(value)):
        kind = "PERSON"  # "Billing address: Zak Sanders\n 27 Hickory Ridge Drive": the address's first line names whom
    return (kind, start, start + len(value), 0.75)


def _named_values(kind: str | None, text: str, start: int, raw: str) -> list[Hit]:
    """`_named_value`, and a list of people under a person's key each on its own ("contact": "Taneem Ahmed, Jamil
    Ahmed"): items of two words or more, so that "Hoarau, Lucy" stays one person."""
    hit = _named_value(kind, text, start, raw)
    if hit is None or kind != "PERSON" or ", " not in text[hit[1] : hit[2]]:
        return [] if hit is None else [hit]
    items = [(m.start(), m.end()) for m in _LIST_ITEM.finditer(text, hit[1], hit[2])]
    if len(items) < 2 or any(" " not in text[a:b] for a, b in items):
        return [hit]
    return [(kind, a, b, hit[3]) for a, b in items]


_LIST_ITEM = re.compile(r"[^,\s][^,]*[^,\s]|[^,\s]")


def key_values(text: str) -> list[Hit]:
    hits: list[Hit] = []
    if ":" not in text and "=" not in text and "</" not in text and "(" not in text and '"' not in text:
        return hits
    # Each pattern only where its cheap gate (a literal every match holds) is found: a C scan, not the pattern's
    # own try at every position.
    patterns = [_QUOTED_PAIR] if '"' in text or "'" in text else []
    if '"' in text:
        patterns.append(_SPACED_QUOTED)
    patterns.append(_LINE_PAIR)
    if "</" in text:
        patterns.append(_XML_PAIR)
    if _EQUALS_QUOTE.search(text) is not None:
        patterns.append(_BARE_KEY_QUOTED)
    for pattern in patterns:
        for m in pattern.finditer(text):
            hits += _named_values(_key_entity(m.group(1)), text, m.start(2), m.group(2))
    hits += _sql_inserts(text)
    return hits


def _sql_inserts(text: str) -> list[Hit]:
    """INSERT INTO t (col, ...) VALUES (...), (...): each value named by its column."""
    hits: list[Hit] = []
    if _INSERT_WORD.search(text) is None:
        return hits
    for m in _INSERT.finditer(text):
        columns = [c.strip(' `"[]') for c in m.group(2).split(",")]
        things = _THING_TABLES.search(m.group(1)) is not None
        kinds = [None if things and c.lower() == "name" else _key_entity(c) for c in columns]
        if not any(kinds):
            continue
        pos = m.end()
        while (row := _SQL_TUPLE.match(text, pos)) is not None:
            items = list(_SQL_ITEM.finditer(text, row.start(1), row.end(1)))
            for kind, item in zip(kinds, items) if len(items) >= len(kinds) else ():
                raw, offset = item.group(1), item.start(1)
                if len(raw) >= 2 and raw[0] == raw[-1] == "'":
                    raw, offset = raw[1:-1], offset + 1
                if (hit := _named_value(kind, text, offset, raw)) is not None:
                    hits.append(hit)
            sep = re.compile(r"\s*,\s*").match(text, row.end())
            if sep is None:
                break
            pos = sep.end()
    return hits


# ---- HL7 v2 messages: each field's meaning is fixed by the standard ----------------------------------

# segment -> {field number: kind}; "XPN"/"XCN" are names, "XAD" addresses, "XTN" phone numbers.
_HL7_FIELDS = {
    "PID": {5: "XPN", 6: "XPN", 7: "DOB", 11: "XAD", 13: "XTN", 14: "XTN", 19: "SSN"},
    "NK1": {2: "XPN", 4: "XAD", 5: "XTN", 6: "XTN"},
    "PV1": {7: "XCN", 8: "XCN", 9: "XCN", 17: "XCN"},
    "GT1": {3: "XPN", 5: "XAD", 6: "XTN", 7: "XTN", 8: "DOB", 12: "SSN"},
    "IN1": {16: "XPN", 18: "DOB", 19: "XAD"},
}
_HL7_SEGMENT = re.compile(r"(?m)^(PID|NK1|PV1|GT1|IN1)\|[^\n]*")
_HL7_DATE = re.compile(r"(?:19|20)\d{6}(?:\d{2,6})?")


def _components(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each "^"-separated component of one field (repetitions after "~" ignored)."""
    tilde = text.find("~", start, end)
    end = end if tilde < 0 else tilde
    out, pos = [], start
    while True:
        caret = text.find("^", pos, end)
        if caret < 0:
            out.append((pos, end))
            return out
        out.append((pos, caret))
        pos = caret + 1


def hl7_fields(text: str) -> list[Hit]:
    """Names, birth dates, addresses, phone numbers and SSNs in the PID, NK1, PV1, GT1 and IN1
    segments of HL7 v2 messages ("PID|1||MRN123||SMITH^JOHN^A||19610403|M|||12 Elm St^^Leeds")."""
    hits: list[Hit] = []
    if "|" not in text or "^" not in text and "PID|" not in text:
        return hits
    for seg in _HL7_SEGMENT.finditer(text):
        wanted = _HL7_FIELDS[seg.group(1)]
        pos, number = seg.start(), 0
        while pos <= seg.end():
            bar = text.find("|", pos, seg.end())
            end = seg.end() if bar < 0 else bar
            kind = wanted.get(number)
            if kind is not None and end > pos:
                hits += _hl7_value(text, pos, end, kind)
            if bar < 0:
                break
            pos, number = bar + 1, number + 1
    return hits


def _hl7_value(text: str, start: int, end: int, kind: str) -> list[Hit]:
    parts = [(a, b) for a, b in _components(text, start, end)]
    filled = [(a, b) for a, b in parts if b > a]
    if not filled:
        return []
    if kind == "XPN":  # family^given^middle^suffix^prefix: the whole name as written
        return [("PERSON", filled[0][0], filled[-1][1], 0.85)]
    if kind == "XCN":  # id^family^given^...^prefix: the name without the id
        named = [(a, b) for a, b in parts[1:] if b > a]
        return (
            [("PERSON", named[0][0], named[-1][1], 0.85)]
            if named and any(c.isalpha() for c in text[named[0][0] : named[0][1]])
            else []
        )
    if kind == "DOB":
        m = _HL7_DATE.match(text, start, end)
        return [("DATE_OF_BIRTH", start, m.end(), 0.85)] if m else []
    if kind == "XAD":  # street^other^city^state^zip^country: street, other line and city
        return [("LOCATION", a, b, 0.8) for a, b in parts[:3] if b > a and any(c.isalpha() for c in text[a:b])]
    if kind == "XTN":  # the number as written, before "^PRN^PH"
        a, b = parts[0]
        return [("PHONE_NUMBER", a, b, 0.8)] if sum(c.isdigit() for c in text[a:b]) >= 7 else []
    if kind == "SSN":
        a, b = parts[0]
        return [("US_SSN", a, b, 0.85)] if re.fullmatch(r"\d{3}-?\d{2}-?\d{4}", text[a:b]) else []
    return []
