"""People named by how English writes about them: headings, attributions, speech, kin and regnal numbers.

    PeopleCues(lexicon, ordinary, towns).scan(text, hits) -> new PERSON hits (none overlapping `hits`, but a
        heading's person may stand where a place of the same span was: `PeopleCues.retyped(hits, new)` drops those)

The readings of `structure.py` want a word no list knows; the people that books, dictionaries and
quotations name are often famous, so their names are frequent words too ("Shakespeare", "Nietzsche",
"Jenner"). Here the sentence's structure is the evidence, strong enough that only the 1,153 commonest
English words (`lexicon.common_words`: "The", "Report", "God") and known places that are no name are
refused:

- an index heading: a line opening with names before a colon, either a surname then a name ending with
  it ("Jenner, Edward Jenner: ...", "Tatum, Art Tatum, Arthur Tatum: ...") or followed by what a person
  is, a capitalized adjective and a word for a doer ("Phidias, Pheidias: ancient Greek sculptor",
  "Ochs, Adolph Simon Ochs: United States newspaper publisher");
- an attribution: a name after a dash that ends its clause ("--Thackeray.", "--J. C.\\nShairp.",
  "-- Spock, \\"The Squire of Gothos\\""); abbreviations ("--Lond. Quart.") and a book with its chapter
  ("--Mark xiv. 42.") are not one;
- a speaker or writer: one or two capitalized words before a verb of saying or writing, opening a
  clause, one of them no frequent word or a known name ("Drayton speaks of", "much as Tobin Farrow said"; not
  "Mum said", "Legal asked");
- kin: the name after a word for a relation and "of" ("daughter of John Drew and wife of Maurice
  Barrymore"), and the names it is joined to by "and";
- an apposition: a name before "the" and a word for someone by kin, trade or office ("Abiathar the priest",
  "Brannock the butcher", "Amasiah the son of Zichri"; "the high priest");
- a signature or a credits record: a name alone on its line (after a short label: "N: Karl Keyte"), an e-mail
  address alone on the next (after a short label: "E: karl@...");
- a regnal number after a given name ("Henry IV's rule", "Louis XIV");
- credits closing a line: names in brackets after what they did ("... at once (Fabien Coelho)").

The verbs, words for kin, appositions and dashes are found in one Aho-Corasick pass over the field (`cues.Cues`),
and each reading's regex is tried only where they start; headings only at the start of a line holding ": ",
signatures only on the line above an "@", regnal numbers only after a space.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from aircluster.privacy.detect.cues import Cues, anchored
from aircluster.privacy.detect.lexicon import Lexicon
from aircluster.privacy.detect.towns import Towns

Hit = tuple[str, int, int, float]

CUED = 0.6  # a name the sentence's structure speaks for
HEADING = 0.8  # a surname repeated in the name after it: the strongest of these cues

_CAP = r"[^\W\d_a-zß-ÿ][\w'’-]*"
_PARTICLE = r"(?:de|du|da|di|van|von|der|den|la|le|del|della|dos|bin|ibn|al)"
# A name in a heading: capitalized words and initials, particles between them.
_HEAD_NAME = rf"{_CAP}\.?(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_CAP}\.?){{0,4}}"
# Tried at the start of each line holding ": " (a heading's colon is one).
_HEADING = re.compile(rf"[ \t]*({_HEAD_NAME}(?:,[ \t]+{_HEAD_NAME}){{0,5}})[ \t]*:[ \t]+")
_COLON = re.compile(r":[ \t]")
# What a person is: "[an] [ancient] Greek sculptor", "United States jazz pianist", "English physician".
_DOER = re.compile(
    rf"(?:(?:an?|the)[ \t]+)?(?:[a-z]+[ \t]+)?(?:{_CAP}[ \t]+){{1,3}}(?:[a-z]+[ \t]+)?([a-z]+(?:er|or|ist|ian|ess))\b"
)
# The dash of an attribution opens its line or follows a sentence's end ("... to let.\" --Thackeray."), not a
# heading's separator ("REFERRAL — Gastroenterology", "Volunteer roster — Scouts").
_SENTENCE_END_BEFORE = re.compile(r"[.!?\"”')\]][ \t]+\Z")
_DASHES = ("--", "—", "―")
_AFTER_DASH = re.compile(r"[ \t]*(?=[^\W\d_])")
_ATTRIBUTION = re.compile(
    rf"((?:[A-Z]\.[ \t]*\n?[ \t]*)*(?:{_PARTICLE}[ \t]+)?{_CAP}\.?(?:[ \t]*\n?[ \t]*(?:[A-Z]\.|{_PARTICLE}|{_CAP}\.?)){{0,3}})"
    r"(?=[ \t]*(?:[,;:\])]|\.(?:\s|\Z)|\n|\Z))"
)
# Verbs of saying and writing that are no plural noun too ("Written claims", "Viewing notes", "Guest replies").
_SPEECH_VERBS = (
    "says said speaks spoke writes wrote tells told noted observes observed remarked argues argued claimed asked replied "
    "answered declares declared insists insisted complained explains explained"
).split()
_SPEECH = re.compile(rf"\b(?:{'|'.join(_SPEECH_VERBS)})\b")
# The subject before the verb, opening a clause: the text's start, a sentence's end, or a word that opens one.
_SPEAKER = re.compile(
    rf"(?:\A|[.!?;:][\"”'’)]?[ \t]+|\n[ \t]*|\b(?:as|that|and|but|when|while|what|so|which|because|though|if)[ \t]+)"
    rf"({_CAP}(?:[ \t]+{_CAP}){{0,1}})[ \t]+\Z"
)
_KIN_WORDS = (
    "son daughter wife husband mother father brother sister widow widower niece nephew grandson granddaughter "
    "grandfather grandmother uncle aunt cousin stepson stepdaughter stepmother stepfather sons daughters brothers sisters"
).split()
# Words for someone that follow a name as its apposition ("Abiathar the priest", "Brannock the butcher", "Amasiah the
# son of Zichri"); kin and doers by trade or office, each a word no thing is called.
_APPOSITION_NOUNS = (
    _KIN_WORDS
    + (
        "king queen prince princess duke duchess earl count countess emperor empress pharaoh sultan priest prophet apostle "
        "scribe captain servant maid maidservant shepherd soldier elder butcher baker carpenter blacksmith tailor cobbler "
        "weaver fisherman farmer merchant innkeeper steward herald nurse midwife baptist"
    ).split()
)
_RANKS = ("high", "chief", "young", "old")
_APPOSITION_CUES = [f" the {n}" for n in _APPOSITION_NOUNS] + [f" the {a} {n}" for a in _RANKS for n in _APPOSITION_NOUNS]
_APPOSITION = re.compile(rf"[ \t]the[ \t]+(?:(?:{'|'.join(_RANKS)})[ \t]+)?(?:{'|'.join(_APPOSITION_NOUNS)})\b(?![-'’])")
# The name before the apposition: up to three capitalized words, a comma allowed before "the".
_NAME_BEFORE = re.compile(rf"(?<![\w'’.-])({_CAP}(?:[ \t]+{_CAP}){{0,2}}),?\Z")
_KIN = re.compile(rf"\b(?:{'|'.join(_KIN_WORDS)})[ \t]+of[ \t]+")
_KIN_NAME = re.compile(rf"({_CAP}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_CAP}){{0,2}})")
_AND_NAME = re.compile(rf"[ \t]+and[ \t]+({_CAP}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_CAP}){{0,2}})")
# A signature or a credits record: a line holding a name alone (after a short label: "N: Ed Carp"), the next line an
# e-mail address alone (after a short label: "E: ecarp@..."). Found from each "@": the e-mail's line, then the line
# before it.
_LABEL = r"(?:[A-Za-z][\w-]{0,7}:[ \t]*)?"
_EMAIL_LINE = re.compile(rf"(?:^|(?<=\n))[ \t]*{_LABEL}<?[^\s@<>()]+@[\w.-]+>?[ \t]*(?:\r?\n|\Z)")
_NAME_LINE = re.compile(rf"(?:^|(?<=\n))[ \t]*{_LABEL}({_CAP}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_CAP}){{1,3}})[ \t]*\r?\n\Z")
# The number first (a space opens it: re skips to those in C), then the given name before it.
_NUMERAL = re.compile(r"[ \t]((?:X{1,3}(?:IX|IV|V?I{0,3})|IX|IV|V?I{2,3}|V))(?![\w-]|['’](?!s\b)|\.\w)")
_GIVEN_BEFORE = re.compile(r"\b([A-Z][a-zà-ÿ]+)[ \t]*\Z")
_CAP_WORDS = re.compile(_CAP)
# Credits closing a line of release notes or a changelog: names of two words or more in brackets after the text they
# credit ("... at once (Fabien Coelho)", "(Jeevan Ladhe, Robert Haas)"), then the line's end.
_CREDIT_NAME = rf"{_CAP}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_CAP}){{1,3}}"
_CREDIT_ITEM = re.compile(r"[ \t]*([^,]+)")  # a name of the list, without the spaces before it
_CREDITS = re.compile(rf"(?<=\S)[ \t]+\(({_CREDIT_NAME}(?:,[ \t]+{_CREDIT_NAME}){{0,5}})\)\.?[ \t]*(?=\r?\n|\Z)")


class PeopleCues:
    def __init__(self, lexicon: Lexicon, ordinary: frozenset[str], towns: Towns):
        self.common = lexicon.common_words
        self.ordinary = ordinary | lexicon.common_words
        self.first_names = lexicon.first_names
        self.names = lexicon.first_names | lexicon.last_names
        self.places = lexicon.places
        self.towns = towns
        # One pass over the lower-cased field finds every verb of saying, word for kin and dash.
        self.cues = Cues(
            {"speech": _SPEECH_VERBS, "kin": [k + " of" for k in _KIN_WORDS], "dash": _DASHES, "apposition": _APPOSITION_CUES}
        )

    def scan(self, text: str, hits: list[Hit]) -> list[Hit]:
        readings: list[Iterable[Hit]] = []
        if ": " in text or ":\t" in text:
            readings.append(self._headings(text))
        if " I" in text or " V" in text or " X" in text:
            readings.append(self._regnal(text))
        found = self.cues.find(text)
        if found.has("dash"):
            readings.append(self._attributions(text, found.starts("dash")))
        if found.has("kin"):
            readings.append(self._kin(text, found.starts("kin")))
        if found.has("speech"):
            readings.append(self._speakers(text, found.starts("speech")))
        if "@" in text and "\n" in text:
            readings.append(self._signatures(text))
        if found.has("apposition"):
            readings.append(self._appositions(text, found.starts("apposition")))
        if "(" in text:
            readings.append(self._credits(text))
        new: list[Hit] = []
        for reading in readings:
            for h in reading:
                # A heading's repeated surname is a person even where a place reading took the same word ("Greeley,
                # Horace Greeley: ..."): `retyped` gives the places it replaces.
                against = [o for o in hits if not _same_place(o, h)] if h[3] >= HEADING else hits
                if not _overlaps_any(h, against) and not _overlaps_any(h, new):
                    new.append(h)
        return new

    @staticmethod
    def retyped(hits: list[Hit], new: list[Hit]) -> list[Hit]:
        """`hits` without the places that a heading's people in `new` replace."""
        heads = {(h[1], h[2]) for h in new if h[3] >= HEADING}
        return [h for h in hits if h[0] != "LOCATION" or (h[1], h[2]) not in heads] if heads else hits

    # ---- what a word is ---------------------------------------------------------------------------

    def name_word(self, word: str) -> bool:
        """A capitalized word that may be a name: no acronym, none of the commonest words, no place that is no name."""
        word = word.rstrip(".")
        low = word.lower()
        if len(word) < 2 or word.isupper() or low in self.common or low.endswith("s") and low[:-1] in self.common:
            return False  # "Officials said": a plural of a common word
        return low in self.names or not (low in self.places or self.towns.known(low))

    def name_run(self, run: str) -> bool:
        """Initials and name words ("J. C. Shairp", "De Quincey"), the last a name word; no abbreviation inside."""
        tokens = run.split()
        if not tokens:
            return False
        for k, tok in enumerate(tokens):
            last = k == len(tokens) - 1
            if re.fullmatch(r"[A-Z]\.", tok):
                if last:
                    return False
                continue
            if tok.endswith(".") and not last:
                return False  # "Lond. Quart.": an abbreviated title
            if tok[0].islower():
                continue  # a particle ("van", "de")
            if not self.name_word(tok):
                return False
        return True

    # ---- readings ---------------------------------------------------------------------------------

    def _headings(self, text: str) -> Iterable[Hit]:
        lines = sorted({text.rfind("\n", 0, c.start()) + 1 for c in _COLON.finditer(text)})
        for m in (h for line in lines if (h := _HEADING.match(text, line)) is not None):
            items = [(m.start(1) + i.start(), i.group().rstrip(".")) for i in re.finditer(r"[^,]+", m.group(1))]
            items = [(a + len(w) - len(w.lstrip()), w.strip()) for a, w in items]
            surname = items[0][1]
            repeated = len(items) > 1 and " " not in surname and any(w.endswith(" " + surname) for _, w in items[1:])
            # A surname repeated in the name after it speaks for itself, whatever the words are ("Green, William
            # Green", "Tatum, Art Tatum"); a gloss alone wants name words ("Phidias, Pheidias: ancient Greek sculptor").
            if repeated and any(w.isupper() for _, w in items) or not repeated and not self._glossed(text, m.end(), items):
                continue
            score = HEADING if repeated else CUED
            yield from (("PERSON", a, a + len(w), score) for a, w in items)

    def _glossed(self, text: str, pos: int, items: list[tuple[int, str]]) -> bool:
        """Headwords that are no frequent words ("Profile: Backend engineer", "Context: The router ...") glossed as
        what someone is: capitalized words none of the commonest, then a word for a doer."""
        if not all(self.name_run(w) and any(self._rare(t) for t in w.split()) for _, w in items):
            return False
        m = _DOER.match(text, pos)
        if m is None or any(w.lower() in self.common for w in _CAP_WORDS.findall(m.group())):
            return False
        role = m.group(1)
        return len(role) >= 5 and role in self.ordinary

    def _rare(self, word: str) -> bool:
        low = word.rstrip(".").lower()
        return word[:1].isupper() and (low in self.names or low not in self.ordinary)

    def _attributions(self, text: str, dashes: list[int] | None) -> Iterable[Hit]:
        starts = [m.start() for m in re.finditer("|".join(_DASHES), text)] if dashes is None else dashes
        for k in starts:
            if text.startswith("―", k) or text.startswith("—", k):
                end = k + 1
            elif text.startswith("--", k):
                end = k + 2
            else:
                continue
            line = text.rfind("\n", 0, k) + 1
            if text[line:k].strip(" \t") and _SENTENCE_END_BEFORE.search(text, max(line, k - 20), k) is None:
                continue  # the dash of an attribution opens its line or follows a sentence's end
            after = _AFTER_DASH.match(text, end)
            if after is None:
                continue
            m = _ATTRIBUTION.match(text, after.end())
            if m is None:
                continue
            run = m.group(1).rstrip(".")
            if self.name_run(run):
                yield ("PERSON", m.start(1), m.start(1) + len(run), CUED)

    def _speakers(self, text: str, verbs: list[int] | None) -> Iterable[Hit]:
        for verb in anchored(_SPEECH, text, verbs):
            m = _SPEAKER.search(text, max(0, verb.start() - 50), verb.start())
            if m is None:
                continue
            run = m.group(1)
            # A frequent word alone is as often someone's role or kin ("Mum said", "Legal asked"): one word no
            # frequent word or a known name at least ("Rodderby speaks of", "as Tobin Farrow said").
            if self.name_run(run) and any(self._rare(w) for w in run.split()):
                yield ("PERSON", m.start(1), m.end(1), CUED)

    def _kin(self, text: str, kin_words: list[int] | None) -> Iterable[Hit]:
        for kin in anchored(_KIN, text, kin_words):
            pos = kin.end()
            m = _KIN_NAME.match(text, pos)
            while m is not None and self._kin_run(m.group(1)):
                yield ("PERSON", m.start(1), m.end(1), CUED)
                m = _AND_NAME.match(text, m.end(1))

    def _appositions(self, text: str, cues: list[int] | None) -> Iterable[Hit]:
        for m in anchored(_APPOSITION, text, cues):
            name = _NAME_BEFORE.search(text, max(0, m.start() - 60), m.start())
            if name is None:
                continue
            # Capitalized words before the name that are none of it ("Then Eliashib the high priest"): drop them.
            for word in _CAP_WORDS.finditer(text, name.start(1), name.end(1)):
                if self._kin_run(text[word.start() : name.end(1)]):
                    yield ("PERSON", word.start(), name.end(1), CUED)
                    break

    def _signatures(self, text: str) -> Iterable[Hit]:
        for at in re.finditer("@", text):
            line = text.rfind("\n", 0, at.start()) + 1
            if line == 0 or _EMAIL_LINE.match(text, line) is None:
                continue
            name = _NAME_LINE.search(text, text.rfind("\n", 0, line - 1) + 1, line)
            if name is not None and self._kin_run(name.group(1)):
                yield ("PERSON", name.start(1), name.end(1), CUED)

    def _credits(self, text: str) -> Iterable[Hit]:
        for m in _CREDITS.finditer(text):
            names = [(m.start(1) + i.start(1), i.group(1)) for i in _CREDIT_ITEM.finditer(m.group(1))]
            # Every name a run of name words, a word of it a known name or no word of it a frequent one ("(Open Source
            # Initiative)" is no credit); in a list of several, one such name speaks for the others.
            known = [any(w.lower() in self.names for w in n.split()) or self._unheard(n) for _, n in names]
            if all(self._credited(n) for _, n in names) and (all(known) or (len(names) > 1 and any(known))):
                yield from (("PERSON", a, a + len(n), CUED) for a, n in names)

    def _credited(self, name: str) -> bool:
        """A credit's name: no word of it an acronym or one of the commonest words, the whole no known place ("Palo
        Alto"); a word alone may be a town's name too ("Michael Paquier")."""
        words = name.split()
        return not self._place(name.lower()) and all(
            w[:1].islower() or (not w.isupper() and w.lower() not in self.common) for w in words
        )

    def _unheard(self, name: str) -> bool:
        """No word of the name a frequent word: "(Fabien Coelho)", not "(Google Chrome)" or "(Visual Studio)"."""
        return all(w.lower() not in self.ordinary for w in name.split())

    def _place(self, phrase: str) -> bool:
        return phrase in self.places or self.towns.known(phrase)

    def _kin_run(self, run: str) -> bool:
        words = [w for w in run.split() if w[0].isupper()]
        return self.name_run(run) and all(w.lower() in self.names or w.lower() not in self.ordinary for w in words)

    def _regnal(self, text: str) -> Iterable[Hit]:
        for m in _NUMERAL.finditer(text):
            given = _GIVEN_BEFORE.search(text, max(0, m.start() - 30), m.start())
            if given is not None and given.group(1).lower() in self.first_names:  # not "Nios II", "Forall X"
                yield ("PERSON", given.start(1), m.end(1), CUED)


def _same_place(other: Hit, h: Hit) -> bool:
    return other[0] == "LOCATION" and other[1] == h[1] and other[2] == h[2]


def _overlaps_any(h: Hit, others: list[Hit]) -> bool:
    return any(h[1] < o[2] and o[1] < h[2] for o in others)
