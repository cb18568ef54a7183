"""Places named by their English shape, without a house number: streets, geographic features, and places a
description or a place noun names.

    NamedPlaces(lexicon, towns).scan(text, found=()) -> LOCATION hits (`found`: the other readings' hits)
    NamedPlaces.people_as_places(text, hits) -> hits, no PERSON that is a real country, a town before its state a place,
                                                both ends of "from X to Y" places when one is

The address readings want a number, a postcode or a known town; prose names many places by words alone:

- a named street: capitalized words and an English street word ("Fleet Street", "Seventh Avenue", "Park
  Ave.", "Trafalgar Square"), not part of a longer name ("Wall Street Journal", "Abbey Road Studios") and not
  used as an adjective ("Main Street attitudes", "[Wall Street slang.]");
- a geographic feature: capitalized words and a feature word ("Caspian Sea", "Atlas Mountains", "Parana
  River", "North Pole"), a feature word before them ("River Adige", "Lake Kivu", "Mount Everest"; in lower case
  after an article or a preposition: "the river Thames", "in mount Ephraim") or "of" between ("Gulf of Mexico",
  "Isle of Man");
- a description: a place's names before a gloss that calls it a place ("Goma: a city in eastern Congo",
  "Valletta, Valetta, capital of Malta:", "Goma, a city in ...", "Goma is a port city on ...");
- a crossing: both streets of "the intersection of Broadway and Seventh Avenue", "the corner of Elm and Main";
- a place noun's complement: the capitalized words after "capital of", "border with", "southwest of", "the
  island of", "a street in", "a city in southern" ("an avenue in Paris", "near the border with Rwanda").

Works' titles are none ("Favourite show: Coronation Street", "Abbey Road (the album)", a quoted name), nor is a
street word after a person's name ("Lois Lane", a first name or an initial before it, a person another reading found
there or next to it in a list). Cost: text in lower case or without a space is skipped; each pattern opens with its
own words (a street or feature word, a comma, a line break, a preposition), so re skips ahead to where it may match,
one pass each, and the words before a match are read only there (no Python loop over the words).

`people_as_places` drops a PERSON whose words are exactly a real town that is no name and no ordinary word
(`Towns.plain`) and also in the place list (countries and states: "Rwanda", "New York"): the name lists and the
tagger's features do not know it as a person, only its context did ("border with"); it makes such a town after a
place's preposition a place ("went to Shechem"), and a real town followed by a US state or another country's region
("Phoenix, Arizona", "Austin, TX", "Markham, Ontario") a place, even where the tagger was sure of a person. Last, both
ends of a stretch are places when one is ("from Broadway to the East River"), unless the other may be a person.
A one-word country or state that is no surname, after "<noun> of" ("the children of Israel", "the President of
India"), is the place, not a person of that first name; after a word for kin or a likeness it stays a person.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from aircluster.privacy.detect.lexicon import Lexicon
from aircluster.privacy.detect.names_places import PREPOSITION_BEFORE, SURNAME_STREET_WORDS, after_noun_of
from aircluster.privacy.detect.towns import US_STATE_CODES, US_STATE_NAMES, Towns, known_place, load_regions

Hit = tuple[str, int, int, float]

STREET_SCORE = 0.8
FEATURE_SCORE = 0.8
DESCRIBED_SCORE = 0.85
COMPLEMENT_SCORE = 0.8

_CAP = r"[^\W\d_a-z][\w'’-]*"  # a capitalized word
_SEP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"  # one space or one line break between the words of a name
# English street words after the name; "Court" (a court of law), "Drive" ("Google Drive"), "Parade" ("Hit
# Parade") and "Crescent" ("Red Crescent") name other things too often to be read without a number.
_STREET_WORDS = "Street|St\\.|Avenue|Ave\\.|Road|Rd\\.|Lane|Square|Row|Boulevard|Blvd\\.|Place|Terrace|Alley|Embankment|Highway"
# Feature words after the name: a sea, a river, mountains ("Dire Straits", "Black Forest" are left out).
_FEATURE_WORDS = (
    "River|Sea|Ocean|Bay|Mountains|Hills|Canal|Island|Islands|Isles|Peninsula|Desert|Valley|Gulf|Strait|"
    "Falls|Glacier|Coast|Highlands|Archipelago|Lakes|Canyon|Caverns|National Park|National Forest|Channel|Pole"
)
# No look-behind first: a pattern that opens with its words lets re skip to their first letters (the space before
# the word is tested after a match).
_AFTER_NAME = re.compile(rf"(?:(?P<street>{_STREET_WORDS})|(?P<feature>{_FEATURE_WORDS}))(?![\w'’-])")
# The capitalized words before a street or feature word (read backwards from it: at most three).
_NAME_BEFORE = re.compile(rf"(?<![\w'’.-])((?:{_CAP}\.?{_SEP}){{0,2}}{_CAP})\.?{_SEP}$")
# A feature word before the name ("River Adige", "Mount Everest"), or "of" between ("Gulf of Mexico").
_BEFORE_NAME = re.compile(
    rf"(?:(?:River|Lake|Lough|Mount|Mt\.|river|lake|mount|brook)[ \t]+(?!of\b){_CAP}(?:[ \t]+{_CAP})?"
    rf"|(?:Isle|Isles|Gulf|Bay|Sea|Strait|Straits|Cape|Lake|Island|Islands)[ \t]+of[ \t]+(?:the[ \t]+)?{_CAP}(?:[ \t]+{_CAP})?)"
)
# Words that open a sentence or sit before a name without being part of it ("The Street", "In Fleet Street").
_CLOSED = frozenset(
    "the a an this that these those in on at of from to into onto and or but nor his her its their our my your "
    "every each no any some as by for with when where while if then now so yet all both down up off along across "
    "through past via near "
    # pronouns: "It is an industrial city in western Germany" describes the place named before
    "it he she they we you i there here what which who "
    # a play's stage directions: "[Enter Lane.]" brings a person on, no street
    "enter exit re-enter".split()
)
# Lower-case words after a street that still treat it as a place: "Fleet Street in London", "Street, where".
_PLACE_CONTINUES = frozenset(
    "in of on at and or to from near by is was are were has had runs ran which that where who with between "
    "towards toward for as it its there then but until since before after during when while".split()
)
# Street words that ordinary words before them make a phrase of ("First Place", "Front Row").
_IDIOM_STREETS = frozenset({"Place", "Row", "Square", "Highway", "Alley"})
# Words that name a kind of place, not one: after a feature word they make a region's name ("Lake District").
_GENERIC = frozenset("district region area country city town county park road street".split())
_PLACE_ADJECTIVE = re.compile(r"(?:ish|ese|an|ian)$")

# A place noun: what a gloss or an appositive calls a place.
_PLACE_NOUNS = (
    "city|town|seaport|capital|village|hamlet|borough|suburb|district|county|province|state|country|nation|"
    "kingdom|republic|principality|emirate|island|archipelago|region|river|lake|sea|ocean|bay|gulf|mountain|"
    "mountains|peninsula|desert|valley|street|avenue|square|road|lane|boulevard|thoroughfare|area|neighborhood|"
    "neighbourhood|quarter|municipality|metropolis|resort|settlement|commune|canton"
)
# The place nouns that say where something is with "in", "on" or "near" ("a city in", "an avenue in"); not "state"
# or "area", which software has too ("the state in React").
_WHERE_NOUNS = (
    "city|town|seaport|capital|village|hamlet|borough|suburb|district|county|province|country|kingdom|republic|"
    "island|river|lake|sea|mountain|valley|desert|peninsula|street|avenue|square|road|lane|boulevard|"
    "neighborhood|neighbourhood|municipality|metropolis|resort"
)
# What follows the noun in a place's description: where it is, or the end of the gloss.
_NOUN_NEXT = (
    r"(?:[ \t\n]+(?:in|on|near|at|that|which|where|located|situated|famous|known|noted|founded|built|"
    r"north|south|east|west|between|along|around|stretching|containing|and|with|to|off)\b"
    rf"|[ \t\n]+of[ \t\n]+(?:the[ \t\n]+)?{_CAP}|[ \t]*[,;:.)]|[ \t]*$)"
)
_DESCRIPTION = rf"(?:a|an|the)[ \t\n]+(?:[\w'’-]+[ \t\n]+){{0,3}}?(?:{_PLACE_NOUNS})s?{_NOUN_NEXT}"
# A place's name as a gloss or an appositive gives it: "St. George's", "Al Madinah", "Quai d'Orsay".
_PLACE_NAME = rf"{_CAP}\.?(?:[ \t]+(?:(?:de|del|du|da|di|al|el|la|le|of|upon|on)[ \t]+)?(?:d['’])?{_CAP}\.?){{0,3}}"
# "Trento, Trent: a city in ...", "Valletta, Valetta, capital of Malta: the capital ...", at a line's start (matched
# at the text's start and after each line break: a pattern opening with "\n" lets re skip to them).
_GLOSS_BODY = (
    rf"[ \t]*(?P<names>{_PLACE_NAME}(?:,[ \t]+{_PLACE_NAME}){{0,5}})"
    rf"(?:,[ \t]+capital[ \t]+of[ \t]+[^:\n]{{1,40}}:|:[ \t]+{_DESCRIPTION})"
)
_GLOSS = re.compile(_GLOSS_BODY)
_GLOSS_LINE = re.compile("\n" + _GLOSS_BODY)
# "Goma, a city in eastern Congo", "Goma is a port city on ...": found at the description, then the one name
# before it is read backwards.
_APPOSITIVE_COMMA = re.compile(rf",[ \t\n]+{_DESCRIPTION}")
_APPOSITIVE_IS = re.compile(rf" (?:is|was) {_DESCRIPTION}")
_IS_A = (" is a", " was a", " is the", " was the")
_CAPITAL_OF = re.compile(r",[ \t]+capital[ \t]+of[ \t]+(?=[^\W\d_a-z])")
_NAME_ENDS = re.compile(rf"(?<![\w'’.-])(?P<names>{_PLACE_NAME})$")
_DIRECTION = (
    r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?"
    r"(?:[ \t]+central)?|central|lower|upper|coastal|downtown|greater"
)
# A place noun's complement: "capital of Malta", "border with Rwanda", "southwest of Algiers", "the island of
# Trinidad", "the land of Goshen", "the county of Kent", "an avenue in Paris", "a city in southern India", "the banks
# of the Seine"; in lower case, as prose writes them ("Bank of America", "City of London Corporation" are names).
# Found at the preposition and the capitalized words after it (a pattern opening with its words lets re skip ahead);
# the words before it are checked after.
_COMPLEMENT = re.compile(
    r"(?P<prep>of|with|in|on|near|borders|bordering)[ \t\n]+"
    rf"(?:(?:the|{_DIRECTION})[ \t\n]+){{0,2}}(?P<names>{_CAP}(?:[ \t]+{_CAP}){{0,2}})"
)
_CUE_BEFORE = {
    "of": re.compile(
        r"\b(?:capital(?:[ \t]+city)?|island|isle|city|town|village|seaport|province|kingdom|republic|coast|shores?|"
        r"land|country|county|district|borough|parish|duchy|principality|valley|plains?|wilderness|desert|"
        rf"banks?|mouth|foot|suburbs?|outskirts|area|region|{_DIRECTION}|"
        # a place's towns, walls and streets, its men and its ruler: "the cities of Judah", "the walls of Jericho",
        # "the men of Sodom", "the king of Assyria" (in lower case: "King of Pop" names no realm; not "people": "the
        # people of God")
        r"cities|towns|villages|walls?|gates|streets|inhabitants|citizens|residents|men|elders|"
        r"king|queen|kings|princes?|governor|mayor)[ \t\n]+$"
    ),
    "with": re.compile(r"\bborders?[ \t\n]+$"),
    "in": re.compile(rf"\b(?:{_WHERE_NOUNS})[ \t\n]+$"),
}
_CUE_BEFORE["on"] = _CUE_BEFORE["near"] = _CUE_BEFORE["in"]
# The two streets of a crossing: "the intersection of Broadway and Seventh Avenue", "the corner of Elm and Main".
_CROSSING = re.compile(
    rf"(?:intersection|corner|junction|crossing)[ \t\n]+of[ \t\n]+(?:the[ \t\n]+)?(?P<a>{_CAP}(?:[ \t]+{_CAP}){{0,2}}\.?)"
    rf"[ \t\n]+(?:and|&)[ \t\n]+(?:the[ \t\n]+)?(?P<b>{_CAP}(?:[ \t]+{_CAP}){{0,2}}\.?)"
)
# Literal tests before the patterns on a long text: the words each pattern needs.
_LONG_TEXT = 256
_AFTER_WORDS = tuple(w.replace("\\", "") for w in f"{_STREET_WORDS}|{_FEATURE_WORDS}".split("|"))
_BEFORE_WORDS = ("River", "Lake", "Lough", "Mount", "Mt.", "Isle", "Gulf", "Bay", "Sea", "Strait", "Cape", "Island")
_BEFORE_WORDS_LOWER = ("river ", "lake ", "mount ", "brook ")
# In lower case the feature word needs an article or a preposition before it: "the river Thames", "in mount Ephraim"
# (not "to mount Windows shares", "please mount Docker volumes")
_LOWER_FEATURE_AFTER = frozenset("the in on of from upon unto at by beside near".split())
_CUE_WORDS = (
    *"capital island isle village seaport province kingdom republic coast shore bank mouth foot suburb outskirts area".split(),
    *"land country county district borough parish duchy principality valley plain wilderness desert".split(),
    *"region north south east west central lower upper downtown greater border".split(),
    *"cities towns villages wall gates streets inhabitants citizens residents men elders king queen".split(),
    *"prince governor mayor".split(),
    *_WHERE_NOUNS.split("|"),
)
_LONGER_NAME = re.compile(r"[ \t]+[^\W\d_a-z]")  # a capitalized word right after: the name goes on
_PART = re.compile(r"[^,]+")
_LIST_JOIN_AFTER = re.compile(r",[ \t\n]+(?:and[ \t]+)?|[ \t]+and[ \t]+")
_LIST_JOIN_BEFORE = re.compile(r"(?:,[ \t\n]+(?:and[ \t]+)?|[ \t]+and[ \t]+)$")
# A work's title, not a place: after a word naming the work ("show: X", "the film X"), before one in brackets, or quoted.
_WORKS = (
    r"(?:show|song|film|movie|album|book|series|programme|program|play|musical|novel|band|track|single|title|episode|"
    r"sitcom|soap)s?"
)
_WORK_BEFORE = re.compile(rf"(?i:\b{_WORKS})[ \t]*(?::[ \t]*|[ \t])$")
_WORK_AFTER = re.compile(rf"[ \t]*\((?:the[ \t]+|a[ \t]+)?(?:\w+[ \t]+)?(?i:{_WORKS})\b")
_QUOTES = {'"': '"', "“": "”", "‘": "’", "'": "'", "«": "»"}
_LIST_JOIN = re.compile(r",[ \t]+(?:and[ \t]+)?|[ \t]+and[ \t]+")  # "London, Paris", "Paris and Rome", ", and"
# Both ends of a stretch: "from Broadway to the East River", "from Havilah unto Shur"
_FROM_TO = re.compile(
    rf"(?:from|From)[ \t]+(?P<a>{_CAP}(?:[ \t]+{_CAP}){{0,2}})[ \t]+(?:un)?to[ \t]+(?:the[ \t]+)?"
    rf"(?P<b>{_CAP}(?:[ \t]+{_CAP}){{0,2}})"
)
_STATE_AFTER = re.compile(r",[ \t]+([A-Z][a-z]+(?:[ \t][A-Z][a-z]+)?|[A-Z]{2})\b(?![ \t]+[a-z])")
# A PERSON span that is itself "Town, Region" ("Markham, Ontario": read as "surname, first name") or a town and
# its US state's code ("Austin TX": read as a first name and a surname)
_TOWN_COMMA_REGION = re.compile(r"([^\W\d_][\w'’. -]*?),[ \t]+([A-Z][a-z]+(?:[ \t][A-Z][a-z]+)?|[A-Z]{2})")
_TOWN_STATE_CODE = re.compile(r"([^\W\d_][\w'’. -]*?)[ \t]+([A-Z]{2})")
# A list of at least three capitalized names, each perhaps with its region in brackets: "consulates: Atlanta,
# Denver (CO), Saipan (Puerto Rico), Los Angeles". `NamedPlaces._town_lists` decides whether its items are towns.
_LIST_ITEM = rf"({_CAP}(?:[ \t]{_CAP}){{0,3}})(?:[ \t]+\(([^()\n,;]{{1,40}})\))?"
_NAME_LIST = re.compile(rf"(?<![\w'’.-]){_LIST_ITEM}(?:,[ \t]+(?:and[ \t]+)?{_LIST_ITEM}){{2,}}(?![\w'’-])")
_ITEM = re.compile(_LIST_ITEM)
_FIRST_ITEM = re.compile(rf"(?<![\w'’.-]){_LIST_ITEM}\Z")  # searched with an end: the item before a list's comma
_LIST_COMMA = re.compile(r",[ \t]+(?:and[ \t]+)?[^\W\d_a-z]")  # where a list's next item opens
_LIST_REACH = 80  # characters from one list comma to the next at most (four words and a bracket)
_LISTED_SHARE = 0.6  # of a list's items real towns or known places, for the list to be one of places
# Names listed before the kind of place they all are: "Yaeyama and Miyako islands", "Khovd, Zavkhan, Govi-Altai
# Provinces", "Kirov, Ulyanovsk and Uralsk oblasts". Found by the kind word (rare), then the list read back from it.
_KINDS = re.compile(
    r"[ \t]+(?i:islands|provinces|oblasts|counties|prefectures|districts|cantons|governorates|krais|okrugs|"
    r"voivodeships|departments|territories|states|regions|towns|cities|villages)\b"
)
_LISTED_NAME = rf"{_CAP}(?:[ \t]{_CAP}){{0,2}}"
_KIND_LIST = re.compile(rf"(?<![\w'’.-])({_LISTED_NAME})((?:,[ \t]+{_LISTED_NAME})*)(?:,?[ \t]+and[ \t]+({_LISTED_NAME}))?\Z")
_LISTED = re.compile(_LISTED_NAME)
_KIND_LIST_REACH = 160  # characters before the kind word that its list may take
_WORD_BEFORE = re.compile(r"([\w'’-]+)[ \t]*$")
_LOWER_AFTER = re.compile(r"[ \t]+([a-z][\w'’-]*)")


def _inside_word(text: str, at: int) -> bool:
    """A match at `at` starts inside a word (the patterns open with their words, no look-behind: see `scan`)."""
    return at > 0 and (text[at - 1].isalnum() or text[at - 1] in "_'’-")


def _quoted(text: str, start: int, end: int) -> bool:
    """The words at [start, end) are a quotation of their own ("“Abbey Road”")."""
    close = _QUOTES.get(text[start - 1 : start]) if start else None
    return close is not None and text[end : end + 1] == close


def _us_state(words: str) -> bool:
    return words in US_STATE_CODES or words.lower() in US_STATE_NAMES


def _overlaps_any(hit: Hit, others: list[Hit]) -> bool:
    return any(o[1] < hit[2] and hit[1] < o[2] for o in others)


def _name_lists(text: str) -> Iterator[re.Match[str]]:
    """The matches of `_NAME_LIST`, tried only where two list commas stand close (re would try it at every capital)."""
    end = 0
    commas = [m.start() for m in _LIST_COMMA.finditer(text)]
    for a, b in zip(commas, commas[1:], strict=False):
        if a < end or b - a > _LIST_REACH:
            continue
        first = _FIRST_ITEM.search(text, max(end, a - _LIST_REACH), a)
        if first is not None and (m := _NAME_LIST.match(text, first.start())) is not None:
            end = m.end()
            yield m


def _covers_towns_only(hit: Hit, towns: list[tuple[int, int]], others: list[tuple[int, int]]) -> bool:
    """`hit` overlaps some of the `towns` and none of the `others` (a list's items)."""

    def touches(spans: list[tuple[int, int]]) -> bool:
        return any(a < hit[2] and hit[1] < b for a, b in spans)

    return touches(towns) and not touches(others)


def _listed_with(text: str, hit: Hit, people: list[Hit]) -> bool:
    """`hit` and a person are neighbours in a list ("Tom Lane, Anna Berg", "Anna Berg and Tom Lane")."""
    after = _LIST_JOIN_AFTER.match(text, hit[2])
    before = _LIST_JOIN_BEFORE.search(text, max(0, hit[1] - 8), hit[1])
    return any((after is not None and p[1] == after.end()) or (before is not None and p[2] == before.start()) for p in people)


class NamedPlaces:
    def __init__(self, lexicon: Lexicon, towns: Towns):
        self.lx = lexicon
        self.towns = towns
        # States and provinces of every country ("Ontario", "Bavaria"): after a town they name its region. Not
        # those that are first names too ("Victoria", "Georgia" outside the US list): "Beckham, Victoria".
        self.regions = load_regions() - lexicon.first_names

    def scan(self, text: str, found: Sequence[Hit] = ()) -> list[Hit]:
        """`found`: what the other readings found; a surname-like street word inside a PERSON of theirs stays a
        person ("Thomas G. Lane")."""
        if text.islower() or not (" " in text or "\n" in text):
            return []  # every reading wants a capitalized word after a space or a line break
        # Each pattern opens with its words (or a comma, a line break), so re skips to where they may start: one
        # pass each, no Python loop over the words. On a long text a pattern runs only when a word it needs is in
        # it (substring tests cost a tenth of a pass of re); on a short one the tests would cost more than the pass.
        long = len(text) > _LONG_TEXT
        hits: list[Hit] = []
        if not long or any(w in text for w in _AFTER_WORDS):
            hits += self._named_before_word(text, [h for h in found if h[0] == "PERSON"])
        if not long or any(w in text for w in _BEFORE_WORDS) or any(w in text for w in _BEFORE_WORDS_LOWER):
            hits += self._word_before_name(text)
        hits += self._described(text, long)
        hits += self._kind_lists(text)
        if not long or any(w in text for w in _CUE_WORDS):
            hits += self._complements(text)
        return hits + self._crossings(text)

    # ---- "Yaeyama and Miyako islands" ------------------------------------------------------------------

    def _kind_lists(self, text: str) -> list[Hit]:
        """Two names or more listed before the kind of place they are, each a place: "Yaeyama and Miyako islands",
        "Khovd, Zavkhan, Govi-Altai Provinces" (not an item of ordinary words only, "Chief Executive"; a capitalized kind
        after fewer than three names is part of the last one's name, "Cayman Islands")."""
        hits: list[Hit] = []
        for kind in _KINDS.finditer(text):
            window = max(0, kind.start() - _KIND_LIST_REACH)
            m = _KIND_LIST.search(text, window, kind.start())
            if m is None or not (m.group(2) or m.group(3)):
                continue
            items = [(i.start(), i.end()) for i in _LISTED.finditer(text, m.start(), kind.start())]
            if text[kind.start() : kind.end()].strip()[0].isupper() and len(items) < 3:
                continue  # "Cayman Islands": the kind word is part of the last name
            common = self.lx.common_words
            ordinary = sum(all(w in common for w in text[a:b].lower().split()) for a, b in items)
            if ordinary and (len(items) < 5 or 2 * ordinary >= len(items)):
                # "Chief Executive, Cable and Wireless Islands": ordinary words, no list of names; one among five or more
                # is a place's name that is a word too ("Gibson, Jasper, Lake, LaPorte, [...] and Warrick counties")
                continue
            hits += [("LOCATION", a, b, FEATURE_SCORE) for a, b in items]
        return hits

    # ---- "Fleet Street", "Caspian Sea" ---------------------------------------------------------------

    def _named_before_word(self, text: str, people: list[Hit]) -> list[Hit]:
        hits: list[Hit] = []
        for m in _AFTER_NAME.finditer(text):
            word = m.group()
            if m.start() == 0 or text[m.start() - 1] not in " \t\n":
                continue  # "Bayside", "HighStreet"
            before = _NAME_BEFORE.search(text, max(0, m.start() - 60), m.start())
            if before is None:
                continue
            names = before.group(1).split()
            start = before.start(1)
            while names and names[0].lower().rstrip(".") in _CLOSED:
                start = text.index(names[1], start + len(names[0])) if len(names) > 1 else m.start()
                names = names[1:]
            if not names or any(len(n) > 1 and n.isupper() for n in names):
                continue  # "The Street", "In The Bay"; "UK Street": an acronym is no street's name
            end = m.end()
            if _LONGER_NAME.match(text, end) and not word.endswith("."):
                continue  # "Wall Street Journal", "Abbey Road Studios", "Red Sea Films"
            if word.endswith(".") and _LONGER_NAME.match(text, end):
                continue  # "St. Francis": a saint, not a street
            if not self._named_place(text, names, word, m.group("street") is not None, end):
                continue
            if _WORK_BEFORE.search(text, max(0, start - 30), start) or _WORK_AFTER.match(text, end) or _quoted(text, start, end):
                continue  # "Favourite show: Coronation Street", "Abbey Road (the album)", "“Mystic River”": a work's title
            hit = ("LOCATION", start, end, STREET_SCORE if m.group("street") else FEATURE_SCORE)
            if word.rstrip(".").lower() in SURNAME_STREET_WORDS and (
                _overlaps_any(hit, people) or _listed_with(text, hit, people)
            ):
                continue  # "Thomas Lane", "Tom Lane, Guido Vollbeding": another reading found a person there or next
            hits.append(hit)
        return hits

    def _named_place(self, text: str, names: list[str], word: str, street: bool, end: int) -> bool:
        """`names`: the capitalized words before the street or feature `word`, which ends at `end`."""
        lx = self.lx
        last = names[-1].lower().rstrip(".")
        if word == "Pole":
            return len(names) == 1 and last in ("north", "south", "magnetic")
        if word == "Channel" and not (self.towns.known(last) or last in lx.places or _PLACE_ADJECTIVE.search(last)):
            return False  # "the English Channel", "Bristol Channel"; not "the Disney Channel"
        first = names[0].lower().rstrip(".")
        if word.rstrip(".").lower() in SURNAME_STREET_WORDS and (
            (first in lx.first_names and first not in lx.common_words and not self.towns.known(first))
            or any(len(n.rstrip(".")) == 1 for n in names)
        ):
            return False  # "Penny Lane", "Michael Bay", "Billy Ocean", "Thomas G. Lane": a person's name
        if word in _IDIOM_STREETS and all(n.lower() in lx.common_words for n in names):
            return False  # "First Place", "Front Row", "a Happy Place": an ordinary phrase in Title Case
        if street and not word.endswith("."):  # after "Ave." a lower-case word may open the next clause
            nxt = _LOWER_AFTER.match(text, end)
            if nxt is not None and nxt.group(1) not in _PLACE_CONTINUES and not nxt.group(1).endswith("ed"):
                return False  # "Main Street attitudes", "Wall Street slang": a trade or a style, not the street
        return True

    # ---- "River Adige", "Gulf of Mexico" -------------------------------------------------------------

    def _word_before_name(self, text: str) -> list[Hit]:
        hits: list[Hit] = []
        for m in _BEFORE_NAME.finditer(text):
            if _inside_word(text, m.start()):
                continue
            if _LONGER_NAME.match(text, m.end()):
                continue  # "Mount Sinai Hospital Center"
            word_before = _WORD_BEFORE.search(text, max(0, m.start() - 30), m.start())
            if word_before and word_before.group(1)[0].isupper() and word_before.group(1).lower() not in _CLOSED:
                continue  # "Salt Lake City", "Ricki Lake": the feature word is inside another name
            if text[m.start()].islower() and (word_before is None or word_before.group(1) not in _LOWER_FEATURE_AFTER):
                continue
            named = m.group().split()[1:]
            if any(len(w) > 1 and w.isupper() for w in named) or named[-1].lower() in _GENERIC:
                continue  # "Mount NFS shares"; "the Lake District" (a region's name, no lake's)
            hits.append(("LOCATION", m.start(), m.end(), FEATURE_SCORE))
        return hits

    # ---- "Goma: a city in eastern Congo", "capital of Malta" ----------------------------------------

    def _described(self, text: str, long: bool = False) -> list[Hit]:
        found: list[tuple[int, str]] = []
        if ":" in text:
            glosses = [m for m in [_GLOSS.match(text)] if m is not None] + list(_GLOSS_LINE.finditer(text))
            found += [(m.start("names"), m.group("names")) for m in glosses]
        anchors: list[re.Match[str]] = []
        if "," in text:
            anchors += _APPOSITIVE_COMMA.finditer(text)
        if not long or any(w in text for w in _IS_A):
            anchors += _APPOSITIVE_IS.finditer(text)
        if "capital of" in text:
            anchors += _CAPITAL_OF.finditer(text)
        for m in anchors:
            name = _NAME_ENDS.search(text, max(0, m.start() - 60), m.start())
            if name is not None:
                found.append((name.start("names"), name.group("names")))
        return [h for at, names in found for h in self._names(text, at, names)]

    def _complements(self, text: str) -> list[Hit]:
        hits: list[Hit] = []
        for m in _COMPLEMENT.finditer(text):
            if _inside_word(text, m.start()):
                continue
            prep = m.group("prep")
            cue = _CUE_BEFORE.get(prep)
            if cue is not None and not cue.search(text, max(0, m.start() - 30), m.start()):
                continue
            hits += self._names(text, m.start("names"), m.group("names"), score=COMPLEMENT_SCORE)
        return hits

    def _crossings(self, text: str) -> list[Hit]:
        if not ("intersection" in text or "corner" in text or "junction" in text or "crossing" in text):
            return []
        hits: list[Hit] = []
        for m in _CROSSING.finditer(text):
            for g in ("a", "b"):
                hits += self._names(text, m.start(g), m.group(g), score=STREET_SCORE)
        return hits

    def _names(self, text: str, offset: int, names: str, score: float = DESCRIBED_SCORE) -> list[Hit]:
        """A LOCATION for each comma-separated name of `names` (at `offset` in `text`), none that is a closed
        word alone ("The", "It") or an acronym."""
        hits: list[Hit] = []
        for part in _PART.finditer(names):
            words = part.group().split()
            s = offset + part.start() + len(part.group()) - len(part.group().lstrip())
            e = s + len(part.group().strip())
            while words and words[0].lower() in _CLOSED:
                s = text.index(words[1], s + len(words[0])) if len(words) > 1 else e
                words = words[1:]
            if not words or (len(words) == 1 and words[0].isupper() and len(words[0]) > 1):
                continue
            hits.append(("LOCATION", s, e - (1 if words[-1].endswith(".") else 0), score))
        return hits

    # ---- people that are towns -----------------------------------------------------------------------

    def people_as_places(self, text: str, hits: list[Hit]) -> list[Hit]:
        """No PERSON that is a real country or town by name alone ("border with Rwanda"); a real town before its US
        state ("Phoenix, Arizona", "Austin, TX") is a place whatever read it as a person."""
        plain, places = self.towns.plain, self.lx.places
        out: list[Hit] = []
        for h in hits:
            if h[0] == "PERSON":
                words = text[h[1] : h[2]].lower()
                if words in plain and words in places:
                    continue
                if words in plain and PREPOSITION_BEFORE.search(text, max(0, h[1] - 12), h[1]):
                    h = ("LOCATION", h[1], h[2], h[3])  # "went to Shechem": a town no list names a person
                elif self._country_of(text, h, words):
                    h = ("LOCATION", h[1], h[2], h[3])
                state = _STATE_AFTER.match(text, h[2])
                if state is not None and self.towns.known(words) and self._region(state.group(1)):
                    h = ("LOCATION", h[1], h[2], h[3])
                elif self._town_and_region(text[h[1] : h[2]]):
                    h = ("LOCATION", h[1], h[2], h[3])
            out.append(h)
        out = self._listed_places(text, out)
        if text.count(", ") >= 2:
            out = self._town_lists(text, out)
        return self._route_ends(text, out) if "rom " in text and "to " in text else out

    def _town_lists(self, text: str, hits: list[Hit]) -> list[Hit]:
        """Every town of a list of places is one, whatever read it as a person or missed it: "consulate(s) general:
        Atlanta, Chicago, Denver (CO), Houston". A list is one of places when most of its items are real towns or
        known places, and at least two are towns that are no one's name ("Chicago", not "Houston" or "Dallas"), so
        that presidents' surnames ("Lincoln, Washington, Jefferson") stay people."""
        out = hits
        for m in _name_lists(text):
            items = [item for item in _ITEM.finditer(text, m.start(), m.end()) if item.group(1)]
            towns = [item for item in items if known_place(item.group(1).lower(), self.lx, self.towns)]
            plain = [item for item in towns if self._plain_town(item.group(1))]
            if len(towns) < _LISTED_SHARE * len(items) or len(plain) < 2:
                continue
            spans = [item.span(1) for item in towns]
            spans += [item.span(2) for item in items if item.group(2) and self._bracketed_region(item.group(2))]
            others = [item.span(1) for item in items if item not in towns]
            # A person read over the towns only ("Dallas, Denver" as a surname and a first name) gives way to them.
            out = [h for h in out if not (h[0] == "PERSON" and _covers_towns_only(h, spans, others))]
            out += [("LOCATION", a, b, COMPLEMENT_SCORE) for a, b in spans if not _overlaps_any(("LOCATION", a, b, 0), out)]
        return out

    def _plain_town(self, words: str) -> bool:
        low = words.lower()
        return low in self.towns.plain and not any(w in self.lx.first_names or w in self.lx.last_names for w in low.split())

    def _bracketed_region(self, words: str) -> bool:
        """ "(CO)", "(Puerto Rico)", "(Guam)": a US state's code, a region or a known place after a listed town."""
        return words in US_STATE_CODES or self._region(words) or words.lower() in self.lx.places

    def _region(self, words: str) -> bool:
        """A US state or code, or a first-level region of any country (a province, a Land, a county)."""
        return _us_state(words) or words.lower() in self.regions

    def _town_and_region(self, span: str) -> bool:
        """A real town, a comma and its region ("Markham, Ontario"), or a town and its US state's code ("Austin TX"),
        whatever read it as a person."""
        if "," in span:
            parts = _TOWN_COMMA_REGION.fullmatch(span)
            return parts is not None and self.towns.known(parts.group(1).lower()) and self._region(parts.group(2))
        parts = _TOWN_STATE_CODE.fullmatch(span)
        return parts is not None and parts.group(2) in US_STATE_CODES and self.towns.known(parts.group(1).lower())

    def _route_ends(self, text: str, hits: list[Hit]) -> list[Hit]:
        """ "from X to Y" with one end a place by its name: the other end is a place too, unless it
        is a person's name ("from Anna to Boston"), a possessive ("to Anna's house"), an ordinary word or an acronym
        ("from Monday to Friday", "from RTM to RTFM")."""
        places = [h for h in hits if h[0] == "LOCATION"]
        for m in _FROM_TO.finditer(text):
            if _inside_word(text, m.start()):
                continue
            ends = [(m.start(g), m.end(g) - (1 if m.group(g).endswith(".") else 0)) for g in ("a", "b")]
            held = [[text[h[1] : h[2]] for h in places if h[1] < b and a < h[2]] for a, b in ends]
            found = [bool(spans) for spans in held]
            if not any(self._place_by_name(text[a:b], spans) for (a, b), spans in zip(ends, held, strict=True)):
                continue
            for (a, b), was_found in zip(ends, found, strict=True):
                if was_found or not self._may_be_place(text[a:b]):
                    continue
                if any(h[1] < b and a < h[2] and (h[0] != "PERSON" or (h[1], h[2]) != (a, b)) for h in hits):
                    continue  # another reading holds part of it: its span stands
                hits = [h for h in hits if (h[1], h[2]) != (a, b)] + [("LOCATION", a, b, COMPLEMENT_SCORE)]
        return hits

    def _may_be_place(self, words: str) -> bool:
        """No person's name, possessive, ordinary word or acronym."""
        low = words.lower()
        return not (
            words.isupper()
            or low.endswith(("'s", "’s"))
            or low in self.lx.common_words
            or low in self.towns.named
            or low.split()[0] in self.lx.first_names
        )

    def _place_by_name(self, words: str, found: list[str]) -> bool:
        """A real town or a known place by its name, or a place found there (`found`: its spans) that a feature or
        street word names ("the East River"); not a place only the tagger's guess found ("from Python to Quorrah")."""
        if words.lower() in self.lx.places or (self._may_be_place(words) and self.towns.known(words.lower())):
            return True
        return any(_AFTER_NAME.search(span) is not None for span in found)

    def _country_of(self, text: str, h: Hit, words: str) -> bool:
        """One word that is a country or state and no surname, after "<noun> of" ("the God of Israel")."""
        if " " in words or words not in self.lx.places or words in self.lx.last_names:
            return False
        return after_noun_of(text, h[1])

    def _listed_places(self, text: str, hits: list[Hit]) -> list[Hit]:
        """A real town read as a person, joined by a list's comma or "and" to a place before it, is a place:
        "London, Paris and Rome". Not the other way: "- Anna, Norwich" signs off a name and a town."""
        ordered = sorted(hits, key=lambda h: h[1])
        for i in range(1, len(ordered)):
            h, before = ordered[i], ordered[i - 1]
            if (
                h[0] == "PERSON"
                and before[0] == "LOCATION"
                and _LIST_JOIN.fullmatch(text[before[2] : h[1]])
                and self.towns.known(text[h[1] : h[2]].lower())
            ):
                ordered[i] = ("LOCATION", h[1], h[2], h[3])
        return ordered
