"""PII detection over text and records.

    Finding(entity, field, start, end, score, path)     # defined in findings.py
        field: dotted field path ("text", "meta.author"; list items share their list's path), or,
               for a match inside a key name, the parent path followed by "<field name>"
               ("<field name>" at top level, "meta.<field name>" inside "meta"). The key itself is
               never put in `field`, so field labels in reports carry no PII.
        path:  exact location as a tuple of keys / list indexes (for a key-name match: the key's own
               path), used by `apply_policy` to rewrite the value.
        start, end: character offsets inside that string value (or key).

    class Detector(entities: Iterable[str] | None = None)      # build once per process
        scan_text(text, context="") -> list[(entity, start, end, score)]
        scan_record(record, fields=None) -> list[Finding]       # str values (nested) and key names;
                                                                # bytes skipped; `fields` limits the
                                                                # top-level fields scanned
        versions() -> dict[str, str]

Components: Presidio's recognizers (cards with Luhn, IBAN, US SSN, IP, e-mail, URL), `phonenumbers`,
the word-list recognizer for PERSON/LOCATION (`names.py`) combined with a small learned tagger
(`tagger.py`, `ensemble.py`) and checked against ordinary words, firms and brands (`not_people.py`),
regexes for dates of birth and secrets (`patterns.py`, `credentials.py`). Nothing touches the network; the
word lists and the tagger model ship in `aircluster/privacy/data/`. AIRCLUSTER_NAME_TAGGER=off runs
the rules alone, AIRCLUSTER_NAME_TAGGER=/path/model.crf.gz another model (both for measuring).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from importlib.metadata import version
from pathlib import Path

from aircluster.errors import UsageError
from aircluster.privacy.ensemble import combine
from aircluster.privacy.entities import ENTITIES, PRIORITY
from aircluster.privacy.findings import KEY_FIELD, Finding
from aircluster.privacy.lexicon import load_lexicon
from aircluster.privacy.names import NamesAndPlaces
from aircluster.privacy.not_people import NotPeople
from aircluster.privacy.patterns import (
    PhoneNumbers,
    PresidioPatterns,
    birthdays,
    dates_of_birth,
    secrets,
    ssn_by_context,
)
from aircluster.privacy.tagger import MODEL_PATH, NameTagger

DETECTOR_VERSION = "3"      # 2: PERSON/LOCATION rules combined with the learned tagger
                            # 3: not_people.py's last check; passwords by label (credentials.py)
KEY_CACHE = 4096        # distinct key names remembered (bounded: keys can be data too)
MAX_TEXT = 1 << 20      # longer strings are scanned in overlapping windows (bounded regex work)
_WINDOW_OVERLAP = 512
# A file name or path: separators become spaces so "jane_doe_passport.jpg" reads as words.
_FILE_LIKE = re.compile(r"^[^\s]+\.[A-Za-z0-9]{2,5}$|^[^\s]*[/\\][^\s]*$")
_FILE_SEPARATORS = re.compile(r"[_\-./\\]")
_NO_DIGITS = str.maketrans("", "", "0123456789")


class Detector:
    def __init__(self, entities: Iterable[str] | None = None):
        wanted = set(ENTITIES if entities is None else entities)
        unknown = wanted - set(ENTITIES)
        if unknown:
            raise UsageError(f"unknown entity type(s) {sorted(unknown)}; known: {', '.join(ENTITIES)}")
        self.entities = wanted
        self.lexicon = load_lexicon()
        self.presidio = PresidioPatterns(wanted)
        self.phones = PhoneNumbers() if "PHONE_NUMBER" in wanted else None
        self.names = NamesAndPlaces(self.lexicon, wanted) if wanted & {"PERSON", "LOCATION"} else None
        self.tagger = _load_tagger(self.lexicon) if self.names is not None else None
        self.not_people = NotPeople(self.lexicon) if self.names is not None else None
        self._key_hits: dict[str, list[tuple[str, int, int, float]]] = {}

    def versions(self) -> dict[str, str]:
        return {
            "aircluster.detector": DETECTOR_VERSION,
            "word_lists": self.lexicon.version,
            "presidio-analyzer": version("presidio-analyzer"),
            "phonenumbers": version("phonenumbers"),
            "faker (word list source)": version("faker"),
            "name_tagger": self.tagger.version if self.tagger is not None else "off",
            "python-crfsuite": version("python-crfsuite"),
            **self.presidio.versions(),
        }

    # ---- text ------------------------------------------------------------------------------------

    def scan_text(self, text: str, context: str = "") -> list[tuple[str, int, int, float]]:
        """Non-overlapping (entity, start, end, score), sorted by start. `context` is the field
        name, used as a hint (a date in a field called "birth_date" is a date of birth)."""
        if len(text) > MAX_TEXT:
            return self._scan_long(text, context)
        digits = len(text) - len(text.translate(_NO_DIGITS))
        hits = self.pattern_hits(text, context, digits)
        hits += self.name_hits(text, digits)
        return _resolve_overlaps([h for h in hits if h[0] in self.entities])

    def name_hits(self, text: str, digits: int) -> list[tuple[str, int, int, float]]:
        """PERSON and LOCATION: the rules, combined with the tagger's spans."""
        if self.names is None:
            return []
        hits = self.names.scan(text, digits)
        if self.tagger is not None:
            # The marginals of "O" are wanted only where the rules found something (for vetoes).
            hits = combine(hits, self.tagger.tag(text, probe=[(h[1], h[2]) for h in hits]), text)
        hits = self.not_people.filter(text, hits)
        return [h for h in hits if h[0] in self.entities]

    def pattern_hits(self, text: str, context: str, digits: int) -> list[tuple[str, int, int, float]]:
        """Every entity but the rules' and tagger's PERSON/LOCATION (before overlaps are resolved)."""
        hits = self.presidio.scan(text, digits)
        if self.phones is not None and digits >= 7:
            hits += self.phones.scan(text)
        if "DATE_OF_BIRTH" in self.entities and digits >= 4:
            hits += dates_of_birth(text, context)
        if "DATE_OF_BIRTH" in self.entities and digits:
            hits += birthdays(text)
        if "US_SSN" in self.entities and digits >= 9:
            hits += ssn_by_context(text)
        if "SECRET" in self.entities:
            hits += secrets(text)
        if "\n" in text and ("," in text or "\t" in text or ";" in text or "|" in text):
            table = table_columns(text)
            if self.not_people is not None:
                table = self.not_people.filter(text, table)
            hits += table
        return hits

    def _scan_long(self, text: str, context: str) -> list[tuple[str, int, int, float]]:
        hits = []
        step = MAX_TEXT - _WINDOW_OVERLAP
        for offset in range(0, len(text), step):
            chunk = text[offset:offset + MAX_TEXT]
            hits += [(e, s + offset, t + offset, sc) for e, s, t, sc in self.scan_text(chunk, context)]
        return _resolve_overlaps(hits)

    def _scan_name_like(self, text: str, context: str) -> list[tuple[str, int, int, float]]:
        """File names and paths: scan as written, and with separators as spaces, words capitalized."""
        hits = self.scan_text(text, context)
        if _FILE_LIKE.match(text):
            spaced = _FILE_SEPARATORS.sub(" ", text).title()   # same length: offsets still match
            hits += [h for h in self.scan_text(spaced, context) if h[0] in ("PERSON", "LOCATION")]
            hits = _resolve_overlaps(hits)
        return hits

    # ---- records ---------------------------------------------------------------------------------

    def scan_record(self, record: dict, fields: Iterable[str] | None = None) -> list[Finding]:
        only = None if fields is None else set(fields)
        findings: list[Finding] = []
        for key, value in record.items():
            if only is not None and key not in only:
                continue
            self._scan_key(str(key), (), (key,), findings)
            self._scan_value(value, str(key), (key,), str(key), findings)
        return findings

    def _scan_key(self, key: str, parent: tuple, path: tuple, out: list[Finding]) -> None:
        field = ".".join([*map(str, (p for p in parent if not isinstance(p, int))), KEY_FIELD])
        hits = self._key_hits.get(key)
        if hits is None:
            # The same few key names come with every record: scan each once.
            hits = self.scan_text(key)
            if len(self._key_hits) >= KEY_CACHE:
                self._key_hits.clear()
            self._key_hits[key] = hits
        for entity, start, end, score in hits:
            out.append(Finding(entity, field, start, end, score, path))

    def _scan_value(self, value: object, field: str, path: tuple, key: str, out: list[Finding]) -> None:
        if isinstance(value, str):
            for entity, start, end, score in self._scan_name_like(value, key):
                out.append(Finding(entity, field, start, end, score, path))
        elif isinstance(value, dict):
            for k, v in value.items():
                self._scan_key(str(k), path, (*path, k), out)
                self._scan_value(v, f"{field}.{k}", (*path, k), str(k), out)
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                self._scan_value(item, field, (*path, i), key, out)
        # bytes, numbers, None: nothing to read as text


def _load_tagger(lexicon) -> NameTagger | None:
    choice = os.environ.get("AIRCLUSTER_NAME_TAGGER", "")
    if choice.lower() in ("off", "0", "none"):
        return None
    return NameTagger.load(lexicon, Path(choice) if choice else MODEL_PATH)


def _resolve_overlaps(hits: list[tuple[str, int, int, float]]) -> list[tuple[str, int, int, float]]:
    """Keep the strongest of overlapping detections: entity priority, then length, then score;
    adjacent pieces of one address or one URL are merged."""
    ranked = sorted(hits, key=lambda h: (-PRIORITY[h[0]], -(h[2] - h[1]), -h[3]))
    kept: list[tuple[str, int, int, float]] = []
    for h in ranked:
        if all(h[2] <= k[1] or h[1] >= k[2] for k in kept):
            kept.append(h)
    kept.sort(key=lambda h: h[1])
    return list(_merge_adjacent(kept))


# Pieces of one thing found separately: an address's street and "postcode city" (up to ", "
# between them), or a URL that Presidio's pattern split at a TLD ("….bi" + "z/tag/…").
_MERGE_GAP = {"LOCATION": 3, "URL": 0}     # 3: "Puerta 2 , Zaragoza"


def _merge_adjacent(hits: list[tuple[str, int, int, float]]) -> Iterator[tuple[str, int, int, float]]:
    pending = None
    for h in hits:
        if (pending is not None and h[0] == pending[0] and h[0] in _MERGE_GAP
                and h[1] - pending[2] <= _MERGE_GAP[h[0]]):
            pending = (h[0], pending[1], h[2], max(pending[3], h[3]))
            continue
        if pending is not None:
            yield pending
        pending = h
    if pending is not None:
        yield pending


# ---- tables: a header row names what each column holds ----------------------------------------------

_DELIMITERS = (",", "\t", ";", "|")
_HEADER_CELL = re.compile(r"[\"']?[A-Za-z][A-Za-z0-9_ ./()-]{0,40}[\"']?")
_CELL = {d: re.compile(r'"(?:[^"\n]|"")*"|[^' + re.escape(d) + r'\n]*') for d in _DELIMITERS}
_PERSON_COLUMNS = frozenset("name full_name fullname full name customer customer_name contact contact_name owner "
                            "author buyer seller recipient first_name last_name surname given_name holder "
                            "cardholder card_holder account_holder passenger guest employee member attendee "
                            "participant patient student driver applicant who volunteer person".split())
_COLUMN_VALUE = {
    "DATE_OF_BIRTH": re.compile(r"(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)?\d{2}"
                                r"|\d{1,2}\.?\s+[A-Za-zéû]{3,9}\.?\s+\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}"),
    "US_SSN": re.compile(r"\d{3}[- ]?\d{2}[- ]?\d{4}"),
    "PHONE_NUMBER": re.compile(r"\+?[\d(][\d ().-]{5,18}\d(?:\s?(?:x|ext\.?)\s?\d{1,5})?"),
    "SECRET": re.compile(r"\S{8,}"),
    "PERSON": re.compile(r"[^\W\d_][\w'’.-]*(?:,?[ \t][^\W\d_][\w'’.-]*){0,3}"),
}
_PLACEHOLDER_CELL = re.compile(r"[A-Z]{1,4}|n/?a|none|null|tbc|tbd|unknown|vacant|open", re.IGNORECASE)


def _column_entity(name: str) -> str | None:
    n = name.strip("\"' ").lower().replace("-", "_")
    if "birth" in n or n in ("dob", "bday", "geburtsdatum", "naissance"):
        return "DATE_OF_BIRTH"
    if "ssn" in n or "social_security" in n:
        return "US_SSN"
    if any(w in n for w in ("phone", "mobile", "tel", "cell", "fax", "whatsapp")):
        return "PHONE_NUMBER"
    if any(w in n for w in ("password", "passwd", "secret", "token", "api_key", "apikey", "access_key")):
        return "SECRET"
    if n in _PERSON_COLUMNS or n.replace(" ", "_") in _PERSON_COLUMNS:
        return "PERSON"
    return None


def _cells(text: str, start: int, end: int, delimiter: str) -> list[tuple[int, int]]:
    """(start, end) of each cell of one line, quotes excluded."""
    out = []
    pos = start
    cell = _CELL[delimiter]
    while True:
        m = cell.match(text, pos, end)
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


def table_columns(text: str) -> list[tuple[str, int, int, float]]:
    """Cells of CSV, TSV or ";"/"|"-separated rows under a header that names their content
    ("full_name", "date_of_birth", "ssn", "phone", "api_key"), when the cell has the shape of that
    content. A column name is a stronger cue than any word in a sentence: "1958-09-20" under "dob" is a
    birth date."""
    hits: list[tuple[str, int, int, float]] = []
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
                if _COLUMN_VALUE[kind].fullmatch(value):
                    x += len(text[x:y]) - len(text[x:y].lstrip())
                    hits.append((kind, x, x + len(value), 0.8))
    return hits
