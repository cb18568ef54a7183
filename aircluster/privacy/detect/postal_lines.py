"""Addresses written as "street and number, postcode town" on one line or two, whatever the street is called.

    PostalLines(lexicon, ordinary).scan(text, hits) -> [("LOCATION", start, end, score)]

The address rules know a street by its words ("Lane", "rue", "-straße"); a street named in a language
the lists lack ("hagaskog 22", "Opplands gate 8", "81 Chalkokondili") is still plain to a reader when a
postcode and a town follow it: "hagaskog 22, 610 21 norsholm", "Opplands gate 8\\n2315 HAMAR". The
shape is the evidence: a house number beside one to three words, a comma or a line break, a postcode of
three to five digits (a country's letters may open it, "DK-1871"; a second group, or two letters as in
"2636 hc", may follow), then a town. The
street's name needs one word that is no ordinary word (or a street word), the town no ordinary word at
all: "March 12, 2024 Berlin" is a date, "Sprint 4, 2024 Review" a title. One span covers the street
through the town.
"""

from __future__ import annotations

import re

from aircluster.privacy.detect.lexicon import Lexicon

Hit = tuple[str, int, int, float]

_NAME = r"[^\W\d_][\w'’.-]*"
_TOWN = r"(?:[^\W\d_]{1,3}\.|[^\W\d_][\w'’-]*)"  # a dot only after an abbreviation ("St. Ives"), else it ends the sentence
_LINE = re.compile(
    rf"(?:(?P<num_first>\d{{1,5}}[a-zA-Z]?\.?)[ \t]+(?P<after>{_NAME}(?:[ \t]+{_NAME}){{0,2}})"
    rf"|(?P<before>{_NAME}(?:[ \t]+{_NAME}){{0,2}})[ \t]+(?P<num_last>\d{{1,5}}[a-zA-Z]?)\.?)"
    r"(?:,[ \t]*|[ \t]*\n[ \t>]*)"
    r"(?P<post>(?:[A-Z]{1,2}-)?\d{3,5}(?:[ \t-]?\d{2,3})?(?:[ \t]+[A-Za-z]{2}(?=[ \t]))?)[ \t]+"
    rf"(?P<town>{_TOWN}(?:[ \t]+{_TOWN}){{0,2}}?)(?=[ \t]*(?:[,.;!?)\n]|\Z))"
)


# A country's letters may open the postcode: "DK-1871", "S-100 44", "D-80331" (European post before 2000).
_POSTCODE_HINT = re.compile(r"(?:,[ \t]*|\n[ \t>]*)(?:[A-Z]{1,2}-)?\d{3,5}(?![\d.:/])")
_REACH = 90  # characters before a postcode where its street may start (three words and a number)


# Without a postcode the shape is weaker: only "number street, town" ending its clause, the street with a
# word no list knows or a street word, the town a known place, in capitals or no ordinary word.
# The first digit is read before the look-behind (which then sees the character before it): re skips to digits
# in C instead of trying the look-behind at every position; the same matches as "(?<![\w.,-])(?P<num>\d{1,5}".
_NO_POSTCODE_HEAD = r"(?P<num>\d(?<![\w.,-].)\d{0,4}"
_NO_POSTCODE = re.compile(
    rf"{_NO_POSTCODE_HEAD}[a-zA-Z]?\.?)[ \t]+(?P<street>{_NAME}(?:[ \t]+{_NAME}){{0,2}}),[ \t]+"
    rf"(?P<town>{_TOWN}(?:[ \t]+{_TOWN}){{0,2}}?)(?=[ \t]*(?:[.;!?)\n]|\Z))"
)


class PostalLines:
    def __init__(self, lexicon: Lexicon, ordinary: frozenset[str]):
        self.ordinary = ordinary | lexicon.common_words
        self.street_words = lexicon.street_words
        self.places = lexicon.places
        self.city_affixes = lexicon.city_affixes

    def scan(self, text: str, hits: list[Hit]) -> list[Hit]:
        out: list[Hit] = []
        for m in self._lines(text):
            if m.group("num_first"):
                start = m.start("num_first")
                street = m.group("after").split()
            else:
                street, start = self._trim(m.group("before"), m.start("before"))
            town = m.group("town").split()
            if not street or not any(self._street_word(w) for w in street):
                continue
            if not self._town(town):
                continue
            end = m.end("town")
            if self._read_before(text, hits, start, end, m.start("post")):
                continue  # the rules read this address already: their spans stand
            if "\n" not in text[start:end]:
                out.append(("LOCATION", start, end, 0.6))
            else:  # one span a line, as an address written over lines is read
                street_end = m.end("after") if m.group("num_first") else m.end("num_last")
                out += [("LOCATION", start, street_end, 0.6), ("LOCATION", m.start("post"), end, 0.6)]
        for m in _NO_POSTCODE.finditer(text):
            street, town = m.group("street").split(), m.group("town").split()
            start, end = m.start("num"), m.end("town")
            if self._read_before(text, hits, start, end, m.start("town")) or any(o[1] < end and start < o[2] for o in out):
                continue
            if re.fullmatch(r"(?:19|20)\d\d", m.group("num")):
                continue  # "2021  Développeuse, Orange": a year on a CV line, not a house number
            if any(self._street_word(w) for w in street) and self._town(town):
                out.append(("LOCATION", start, end, 0.55))
        return out

    def _read_before(self, text: str, hits: list[Hit], start: int, end: int, town: int) -> bool:
        """A hit overlaps [start, end) other than a place from `town` on that names no street (the town, or
        the postcode and town: "Reykjavík" found as a known town, or "DK-1871 Frederiksberg C", leaves the
        street before it to be read; "141 Nathan Trace" read as a street stands)."""
        return any(
            h[1] < end
            and start < h[2]
            and not (h[0] == "LOCATION" and h[1] >= town and not self._names_street(text[h[1] : h[2]]))
            for h in hits
        )

    def _names_street(self, span: str) -> bool:
        return any(w.lower() in self.street_words for w in re.findall(r"[^\W\d_]+", span))

    def _lines(self, text: str) -> list[re.Match[str]]:
        """`_LINE` tried only around a postcode after a comma or a line break: trying it at every word
        costs as much as the rest of the scan."""
        found: dict[int, re.Match[str]] = {}
        for hint in _POSTCODE_HINT.finditer(text):
            pos = max(0, hint.start() - _REACH)
            if pos and not text[pos - 1].isspace():  # start at a word, not inside one
                space = re.compile(r"\s").search(text, pos)
                pos = space.end() if space else hint.start()
            line_end = text.find("\n", hint.end())
            m = _LINE.search(text, pos, len(text) if line_end < 0 else line_end)
            if m is not None and m.start("post") <= hint.end() and m.start() not in found:
                found[m.start()] = m
        return list(found.values())

    def _trim(self, words: str, at: int) -> tuple[list[str], int]:
        """The street's name without the ordinary words before it ("is at hagaskog" -> "hagaskog")."""
        parts = [(m.start() + at, m.group()) for m in re.finditer(r"\S+", words)]
        while parts and parts[0][1].lower().rstrip(".") in self.ordinary and parts[0][1].lower() not in self.street_words:
            parts.pop(0)
        return [w for _, w in parts], parts[0][0] if parts else at

    def _street_word(self, word: str) -> bool:
        low = word.lower().rstrip(".")
        return low in self.street_words or (len(low) > 2 and low not in self.ordinary)

    def _town(self, words: list[str]) -> bool:
        """Town words, or affixes of town names around one ("Saint Clair", "North Berwick"); a postal district's
        letter may close it ("Frederiksberg C", "KRISTIANSAND S")."""
        if len(words) > 1 and len(words[-1]) == 1 and words[-1].isupper():
            words = words[:-1]
        affix = [w.lower().rstrip(".") in self.city_affixes for w in words]
        return not all(affix) and all(a or self._town_word(w) for w, a in zip(words, affix, strict=True))

    def _town_word(self, word: str) -> bool:
        low = word.lower()
        return low in self.places or (len(low) > 1 and low not in self.ordinary and word[0].isalpha())
