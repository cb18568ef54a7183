"""One sense per text: later mentions of a person or place the text has already named.

    Mentions(lexicon, ordinary, towns).scan(text, hits) -> new hits (none overlapping `hits`)

A careful reader who has met "Songwriter Jarmila Chloupková" reads a later "Chloupková had written ..." as the
same person, and "Dr. Okonkwo ... Okonkwo then left" likewise; a town the text has placed ("we moved to
Zeldou") is a place when it comes back ("the people of Zeldou"). The other readings judge each mention
alone; this one takes what they found with good evidence (the seeds) and marks the later bare mentions of
the same word. One pass over the capitalized words of the text, a dict of the seeds' words; nothing per
finding over the whole text.

Seeds (the scores are the readings'): a PERSON of two name words or more at 0.55 or above (the role reading
"songwriter X Y" gives 0.55; the weaker 0.5 readings, lists and possessives, are guesses about one word), its
given name and last word (of three or more, the last only when a known surname: a run may have run on, "Cheers,
Hazel Turner Standup moved ..."); a title and a surname (0.85); a lone name word at 0.78 or above (a cue such as
"thanks X") only when two readings found it ("with Git" alone is one guess); a LOCATION of one word without
digits at 0.8 or above ("moved to X" 0.9, a real town after "in" 0.8). Only what a reading of the sentence found
seeds: the detector leaves out what the tagger alone found (its confidence is its features', not the
sentence's: "sys builtin" in a table), but for a place after a place's preposition ("in Zeldou,"), which seeds as
the sentence's own weak reading of it would. A weaker place (0.5: "in X," read by where it stands) spreads only to
mentions after a place's preposition, where the word alone is a second weak sign of the same kind. No word with
a capital inside ("GLib", "PyPI", "OAuth"; "McKeon" and "DeLuca" are names) seeds.

Not spread, each a test:
- a word both a PERSON and a LOCATION found in the text ("Paris Hilton ... in Paris"): two senses;
- a mention inside a longer capitalized run ("Morgan Stanley", a Title Case heading, "Young Ones"): part of
  another name; one in capitals ("OKONKWO"): a heading or an acronym; one inside a quoted title of a work
  ('"Hannah and Her Sisters"'); one in a URL, e-mail address, path or handle; one before a word that makes an
  organisation ("Okonkwo Ltd", checked by `NotPeople` after);
- a surname that is also an ordinary word ("Mr. Young" ... "Young people"): only inside a sentence, never
  opening one (so "the Young novel", the author's, is his); a given name that is an ordinary word ("Will",
  "Grace"): never;
- a person's word that is a real town with no name sense: never; one that is a town and a name ("London" of
  "Jack London", "Austin"): only inside a sentence, not after a place's preposition ("in Austin") and not before
  a region ("London, Ontario"): opening a sentence, a town reads as the town ("London is rainy today");
- a place's word that is a known first name or surname ("Florence"): never (the rules read those by context).

A surname the text names twice over, ending a full name and alone ("Jenner, Edward Jenner: ..."), spreads even
where it is an ordinary word opening a clause ("; Jenner inoculated"); a run-on name ("Tina Tracking") names its
last word once and does not.

A given name shared by two people in the text ("Anna Berg", "Anna Lind") still spreads: either way it is a
person. In lower-case text ("my name is zhyldyz petrova ... zhyldyz said") a seed at 0.7 or above (a strong cue)
spreads only its words of three letters or more that no list knows (no ordinary word, known name, place or
town: a known name in lower case may be a word, "grace", "mark"), to lower-case mentions that stand alone. The detector runs this
per name window (NAME_WINDOW characters): a mention in another window of a very long field is not linked.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from aircluster.privacy.detect.lexicon import Lexicon
from aircluster.privacy.detect.names_places import TITLES, given_then_capitals, pair_with_ampersand
from aircluster.privacy.detect.towns import Towns

Hit = tuple[str, int, int, float]

MENTION = 0.6  # score of a later mention of a seed (weaker than the seed: it stands on the seed's evidence)
# A mention of a surname the text names twice over, in a full name and alone ("Jenner, Edward Jenner: ..."):
# the detector checks these as the cued readings' findings (a frequent word may be a name there).
CONFIRMED_MENTION = 0.65
SEED_NAME = 0.55  # a person of two name words or more (the role reading's score)
SEED_WORD = 0.78  # a person of one word (a cue before it, or the tagger)
SEED_PLACE = 0.8  # a place spread to every later mention
WEAK_PLACE = 0.5  # a place spread only to mentions after a place's preposition
SEED_LOWER = 0.7  # a lower-case person (lowercase_names' strong cues)

_CAP_WORD = re.compile(r"(?<![\w'’.@/\\-])[^\W\d_a-zß-ÿ][\w'’-]*")
_LOWER_WORD = re.compile(r"(?<![\w'’.@/\\-])[a-zß-ÿ][\w'’-]*")
_NAME_WORD = re.compile(r"[^\W\d_][\w'’-]*\.?")
_SUFFIXES = frozenset("jr sr ii iii iv phd md esq".split())
_PARTICLES = frozenset("van der den de la le du des von zu di da del della dos das do ter ten bin ibn al el y".split())
_PLACE_PREPOSITIONS = frozenset("in at from to near into via around through across outside inside toward towards".split())
# The word before a mention: capitalized (a run it belongs to, or a title), or any word (a preposition).
_WORD_BEFORE = re.compile(r"([^\W\d_][\w'’-]*)(\.?)[ \t]+\Z")
_CAP_AFTER = re.compile(r"(?:['’]s)?[ \t]+[^\W\d_a-zß-ÿ]")
_SENTENCE_OPENING = re.compile(r"(?:\A|[.!?:;\n][\"”'’)]?)[ \t]*[\"“'‘(]?\Z")
_REGION_AFTER = re.compile(r",[ \t]+[^\W\d_a-zß-ÿ]")
_NAME_CAPITALS = re.compile(r"(?:Mc|Mac|O['’]|D['’]|De|Di|Da|Du|La|Le|Van|Von|Fitz)[^\W\d_a-z][^\W\d_A-Z]+\Z")
_QUOTES = '"“”'
_POSSESSIVE_END = re.compile(r"['’]s\Z")
_URL_MARKS = ("@", "://", "www.", "/", "\\", "_")


def _after_place_preposition(text: str, start: int) -> bool:
    before = _WORD_BEFORE.search(text, max(0, start - 20), start)
    return before is not None and not before.group(2) and before.group(1).lower() in _PLACE_PREPOSITIONS


@dataclass(frozen=True)
class _Seed:
    entity: str
    weak: bool  # a weak place: only after a place's preposition
    lower: bool  # a lower-case person: only in lower case
    confirmed: bool = False  # a surname found both ending a full name and alone: an ordinary word may be it
    capitals: bool = False  # a surname written in capitals after a given name ("Eric CALALUCA"): only in capitals
    titled: bool = False  # a surname found after a title ("Miss Prism"): inside a sentence, an ordinary word may be it


class Mentions:
    def __init__(self, lexicon: Lexicon, ordinary: frozenset[str], towns: Towns):
        self.ordinary = ordinary | lexicon.common_words
        self.first_names = lexicon.first_names
        self.last_names = lexicon.last_names
        self.names = lexicon.first_names | lexicon.last_names
        self.places = lexicon.places
        self.towns = towns

    def scan(self, text: str, hits: list[Hit], unseeded: Callable[[], Collection[Hit]] | None = None) -> list[Hit]:
        """`hits`: everything found in `text` (no mention may overlap one); `unseeded()`: those of them that may
        not seed (the detector's: what the tagger alone found), asked only when a hit could seed."""
        seeds = self.seeds(text, hits, unseeded=unseeded)
        if not seeds:
            return []
        found = _Found(hits)
        new: list[Hit] = []
        capital = any(not s.lower for s in seeds.values())
        lower = any(s.lower for s in seeds.values())
        words: Iterable[re.Match[str]] = _CAP_WORD.finditer(text) if capital else ()
        for m in [*words, *(_LOWER_WORD.finditer(text) if lower else ())]:
            word = m.group()
            if word.endswith(("'s", "’s")):
                word = word[:-2]
            seed = seeds.get(word.lower())
            if seed is None or seed.lower != word.islower() or seed.capitals != (word.isupper() and len(word) > 1):
                continue
            start, end = m.start(), m.start() + len(word)
            if found.overlaps(start, end) or not self._stands_alone(text, start, end, word, seed):
                continue
            new.append((seed.entity, start, end, CONFIRMED_MENTION if seed.confirmed or seed.titled else MENTION))
        return new

    # ---- seeds -------------------------------------------------------------------------------------

    def seeds(self, text: str, hits: list[Hit], unseeded: Callable[[], Collection[Hit]] | None = None) -> dict[str, _Seed]:
        """The words of the names and places of `hits` found with enough evidence, lower-cased, each with its
        sense; a word that `hits` hold in both senses is left out, and so is one the text does not hold twice
        (most fields: nothing to spread, and no pass over their words), and the hits `unseeded()` returns."""
        barred: Collection[Hit] | None = None
        person: dict[str, bool] = {}  # word -> lower case
        place: dict[str, bool] = {}  # word -> weak
        # A word the text holds once has nothing to spread to: asked with str.count (C) for the first sixteen
        # words only, so a text full of names still costs one pass over its words, not one per name.
        counts = _Counts(text)
        sightings: dict[str, int] = {}  # a lone word's findings
        surnames: set[str] = set()  # last words of full names
        capitals: set[str] = set()  # surnames written in capitals after a given name
        alone: set[str] = set()  # words found as a PERSON on their own
        titled: set[str] = set()  # surnames found after a title of address ("Miss Prism", "Mr. Young")
        for entity, start, end, score in hits:
            if score < WEAK_PLACE or entity not in ("PERSON", "LOCATION"):
                continue
            span = text[start:end]
            if counts.left > 0 and not any(map(counts.twice, span.split())):
                continue  # no word of it comes back (most fields: "Anna Berg", a form's name)
            if unseeded is not None:
                barred = unseeded() if barred is None else barred
                if (entity, start, end, score) in barred:
                    if entity != "LOCATION" or not _after_place_preposition(text, start):
                        continue
                    # The tagger's place after "in", "to": as weak as the sentence's own reading of it ("in X,").
                    score = WEAK_PLACE
            if entity == "PERSON" and score >= SEED_NAME:
                words = self._person_words(span, score)
                lone = len(words) == 1 and words[0][1] and not span.islower()
                if len(words) >= 2:
                    surnames.add(words[-1][0].lower())
                elif len(words) == 1 and _NAME_WORD.fullmatch(_POSSESSIVE_END.sub("", span)):
                    alone.add(words[0][0].lower())
                elif len(words) == 1 and not words[0][1]:
                    titled.add(words[0][0].lower())
                for word, given in words:
                    if not counts.twice(word):
                        continue
                    key = word.lower()
                    if lone:
                        # One word after a cue ("with Git", "Name: Markdown") is one guess: it spreads when a
                        # second reading found it too ("my neighbor Avery said ... Avery said").
                        sightings[key] = sightings.get(key, 0) + 1
                        if sightings[key] < 2:
                            continue
                    person[key] = span.islower()
                    if word.isupper():
                        capitals.add(key)
                    if given and key in self.ordinary:
                        person.pop(key)  # "Will", "Hope": a given name that is a word
            elif entity == "LOCATION":
                span = span.rstrip(".")
                place_key = self._place_key(span)
                if place_key is not None and counts.twice(span):
                    place[place_key] = place.get(place_key, True) and score < SEED_PLACE
        if not person and not place:
            return {}
        senses: dict[str, set[str]] = {}
        if len({h[0] for h in hits}) > 1:
            for entity, start, end, _ in hits:
                for word in _NAME_WORD.findall(text[start:end]):
                    senses.setdefault(word.rstrip(".").lower(), set()).add(entity)
        out: dict[str, _Seed] = {}
        for key, low in person.items():
            if len(senses.get(key, ())) < 2:
                out[key] = _Seed(
                    "PERSON",
                    False,
                    low,
                    confirmed=not low and key in surnames and key in alone,
                    capitals=key in capitals,
                    titled=not low and key in titled,
                )
        for key, weak in place.items():
            if len(senses.get(key, ())) < 2 and key not in out:
                out[key] = _Seed("LOCATION", weak, False)
        return out

    def _person_words(self, span: str, score: float) -> list[tuple[str, bool]]:
        """(word as written, is the given name or a lone word) of a seed person: its name words without
        titles, initials, particles and suffixes ("Dr. Ana L. van Berg Jr." -> Ana, Berg; "Dr. Okonkwo" ->
        Okonkwo, a surname; "Avery" after a cue -> Avery, a lone word)."""
        raw = _NAME_WORD.findall(span)
        titled = bool(raw) and raw[0].rstrip(".").lower() in TITLES
        words = [
            w.rstrip(".")
            for w in raw
            if w.rstrip(".").lower() not in TITLES
            and len(w.rstrip(".")) >= 2
            and w.rstrip(".").lower() not in _PARTICLES
            and w.rstrip(".").lower() not in _SUFFIXES
        ]
        if not words:
            return []
        if span.islower():
            if score < SEED_LOWER:
                return []
            # Lower case: only words no list knows ("zhyldyz"): a known name may be a word there ("grace", "mark";
            # the frequent-word list leaves names out, so it cannot tell), a place or a town ("paris").
            return [(w, k == 0) for k, w in enumerate(words) if self._lower_safe(w)]
        if len(words) >= 2 and given_then_capitals(words):
            return [(words[-1], False)]  # "Eric CALALUCA": the surname, in capitals, is how the text names him again
        if any(w.isupper() and len(w) > 1 or _inner_capital(w) for w in words) or not all(w[0].isupper() for w in words):
            return []  # "JARMILA CHLOUPKOVA" (a heading, or a card's capitals), "GtkNotebook", "del Rio"
        if len(words) >= 2:
            if len(words) >= 3 and words[-1].lower() not in self.last_names:
                # "Cheers, Hazel Turner Standup moved ...": a run of three may have run on into the next
                # sentence, so an unknown last word is no sure surname.
                return [(words[0], True)]
            return [(words[0], True), (words[-1], False)]
        if not titled and score < SEED_WORD:
            return []
        return [(words[0], not titled)]

    def _lower_safe(self, word: str) -> bool:
        return (
            len(word) >= 3
            and word.isalpha()
            and word not in self.ordinary
            and word not in self.names
            and word not in self.places
            and not self.towns.known(word)
        )

    def _place_key(self, span: str) -> str | None:
        """A place's word, lower-cased, when it may spread: one capitalized word, no digits, no ordinary word
        and no person's name ("Zeldou"; not "Bad Kreuznach": the rules read a run of words as a whole)."""
        if any(c.isdigit() for c in span) or not span[:1].isupper() or span.isupper() and len(span) > 1 or _inner_capital(span):
            return None
        key = span.lower()
        if " " in key or "-" in key:
            return None
        if key in self.ordinary or key in self.names or len(key) < 3:
            return None
        return key

    # ---- a mention in its place --------------------------------------------------------------------

    def _stands_alone(self, text: str, start: int, end: int, word: str, seed: _Seed) -> bool:
        """The word names the seed here: not part of a longer name, a heading, a title of a work or an
        address on the net, and, where it is also a word or a town, in a sentence that leaves no doubt."""
        if not seed.lower and not seed.capitals and word.isupper() and len(word) > 1:
            return False
        chunk_start = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start), text.rfind("\t", 0, start)) + 1
        chunk_end = _chunk_end(text, end)
        chunk = text[chunk_start:chunk_end]
        if any(mark in chunk for mark in _URL_MARKS) or re.search(r"\.[^\W\d_]", text[end:chunk_end]):
            return False  # "okonkwo.com", "@Okonkwo", "/home/Okonkwo"
        if text[end : end + 1] == "-" or text[start - 1 : start] == "-":
            return False
        if not seed.lower and _CAP_AFTER.match(text, end):
            return False  # "Okonkwo Holdings", "Zeldou Country Club"
        before = _WORD_BEFORE.search(text, max(0, start - 40), start)
        opening = _SENTENCE_OPENING.search(text, max(0, start - 6), start) is not None
        prev = before.group(1) if before is not None else ""
        if (
            prev[:1].isupper()
            and not seed.lower
            and before is not None
            and not before.group(2)
            and prev.lower() not in TITLES
            and not (prev.lower() in self.ordinary and _SENTENCE_OPENING.search(text, max(0, before.start() - 6), before.start()))
        ):
            # A capitalized word just before: part of a run ("Morgan Stanley"); not a title ("Dr X"), a sentence's
            # end ("in May. X") or an ordinary word opening the sentence ("Ask X").
            return False
        key = word.lower()
        prep = prev.lower() in _PLACE_PREPOSITIONS
        if seed.entity == "LOCATION":
            return (prep or not seed.weak) and not in_title(text, start, end)
        if pair_with_ampersand(text, (start, end)) or in_title(text, start, end):
            return False
        if key in self.ordinary and (opening or seed.lower) and not seed.confirmed:
            return False  # "Young people came": the word, not Mr. Young (but "Jenner, Edward Jenner: ...; Jenner said")
        if key in self.places or self.towns.known(key):
            if key in self.towns.plain or prep or opening or _REGION_AFTER.match(text, end):
                return False  # "Jack London ... London is rainy", "in London", "London, Ontario"
        return True


def _inner_capital(word: str) -> bool:
    """A capital inside the word, as software and firms write their names ("GLib", "PyPI", "OAuth"), not as
    names do ("McKeon", "O'Brien", "DeLuca", "Jean-Luc")."""
    rest = word[1:]
    return rest != rest.lower() and _NAME_CAPITALS.match(word) is None and "-" not in word


def _chunk_end(text: str, end: int) -> int:
    stops = [p for p in (text.find(" ", end), text.find("\n", end), text.find("\t", end)) if p >= 0]
    return min(stops) if stops else len(text)


def in_title(text: str, start: int, end: int) -> bool:
    """Inside a short quoted phrase of capitalized words on one line: the title of a work ('"Hannah and Her
    Sisters"'), not a line of dialogue ('"Ask Okonkwo," she said')."""
    line_start = text.rfind("\n", 0, start) + 1
    opened = -1
    for k in range(start - 1, max(line_start, start - 80) - 1, -1):
        if text[k] in _QUOTES:
            opened = k
            break
    if opened < 0 or sum(text.count(q, line_start, opened) for q in _QUOTES) % 2:
        return False  # no quote before it on the line, or that quote closes an earlier one
    close = min((p for p in (text.find(q, end, end + 80) for q in _QUOTES) if p >= 0), default=-1)
    if close < 0:
        return False
    words = re.findall(r"[^\W\d_][\w'’-]*", text[opened + 1 : close])
    long_words = [w for w in words if len(w) > 3]
    return len(words) <= 8 and bool(long_words) and all(w[0].isupper() for w in long_words)


class _Counts:
    """Does the text hold a word twice? Counted for the first `limit` words asked; after that assumed (the
    pass over the text's words decides), so the cost stays linear in the text."""

    def __init__(self, text: str, limit: int = 16):
        self.text = text
        self.left = limit

    def twice(self, word: str) -> bool:
        if self.left <= 0:
            return True
        self.left -= 1
        return self.text.count(word) >= 2


class _Found:
    """The hits found before, for an overlap test by bisection (they may overlap each other: the running
    maximum of their ends stands for all that start before a point)."""

    def __init__(self, hits: list[Hit]):
        spans = sorted((h[1], h[2]) for h in hits)
        self.starts = [s for s, _ in spans]
        self.reach: list[int] = []
        top = -1
        for _, e in spans:
            top = max(top, e)
            self.reach.append(top)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, end)
        return i > 0 and self.reach[i - 1] > start
