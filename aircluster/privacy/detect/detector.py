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
the word-list recognizer for PERSON/LOCATION (`names_places.py`) combined with a small learned tagger
(`tagger.py`, `ensemble.py`) and checked against ordinary words, firms and brands (`not_people.py`),
regexes for dates of birth and secrets (`patterns.py`, `credentials.py`), e-mail addresses with their "@" spelled out
("anna [at] example [dot] org", `spelled_emails.py`), ages and driver's licence numbers
where the words before them name one (`ages.py`, `licences.py`); unknown words a sentence makes
names or places (`structure.py`), people by headings, attributions, speakers, kin and regnal numbers
(`people_cues.py`), real towns by name (`towns.py`), "street number, postcode town" lines
(`postal_lines.py`), US postal addresses typed in lower case (`us_addresses.py`), streets, rivers and towns
named without a number by their English shape or a description
(`named_places.py`), people no list knows read from the sentence by a second tagger trained on whole books as well
(`unknown_people.py`), and later bare mentions of a person or place found before in the same text (`mentions.py`,
within one name window). Nothing touches the network; the word lists and the tagger model ship in
`aircluster/privacy/detect/data/`. AIRCLUSTER_NAME_TAGGER=off runs the rules alone,
AIRCLUSTER_NAME_TAGGER=/path/model.crf.gz another model (both for measuring; AIRCLUSTER_NAME_READER the same for
the second tagger); AIRCLUSTER_NAME_TAGGER_COMPILED=0
runs the tagger through python-crfsuite instead of its compiled inference.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from aircluster.errors import UsageError
from aircluster.privacy.detect.address_blocks import address_blocks
from aircluster.privacy.detect.ages import ages
from aircluster.privacy.detect.compiled import PACKAGE_DIR
from aircluster.privacy.detect.datelines import dateline_places
from aircluster.privacy.detect.ensemble import combine
from aircluster.privacy.detect.gedcom import gedcom_fields, gramps_fields
from aircluster.privacy.detect.labeled_values import hl7_fields, key_values, table_columns
from aircluster.privacy.detect.lexicon import files_digest, load_lexicon
from aircluster.privacy.detect.licences import driver_licences, licence_field, licence_in_field
from aircluster.privacy.detect.mentions import CONFIRMED_MENTION, Mentions
from aircluster.privacy.detect.named_places import NamedPlaces
from aircluster.privacy.detect.names_places import NamesAndPlaces
from aircluster.privacy.detect.not_people import NotPeople
from aircluster.privacy.detect.patterns import (
    PhoneNumbers,
    PresidioPatterns,
    birth_field,
    birthdays,
    dates_of_birth,
    field_cues,
    secrets,
    ssn_by_context,
)
from aircluster.privacy.detect.people_cues import PeopleCues
from aircluster.privacy.detect.postal_lines import PostalLines
from aircluster.privacy.detect.postcodes import attach_postcodes
from aircluster.privacy.detect.spelled_emails import spelled_emails
from aircluster.privacy.detect.spoken import lowercase_names
from aircluster.privacy.detect.structure import Structure
from aircluster.privacy.detect.tagger import MODEL_PATH, NameTagger
from aircluster.privacy.detect.towns import known_place, load_towns
from aircluster.privacy.detect.unknown_people import READER_PATH, UnknownPeople
from aircluster.privacy.detect.us_addresses import us_addresses
from aircluster.privacy.entities import ENTITIES, PRIORITY
from aircluster.privacy.findings import KEY_FIELD, Finding

DETECTOR_VERSION = "51"  # 2: PERSON/LOCATION rules combined with the learned tagger; 51: "US" as a noun, speakers
# 3: not_people.py's last check; passwords by label (credentials.py)
# 4: names per window of NAME_WINDOW characters (same findings in shorter fields)
# 5: AGE (ages.py); a postcode beside a place joins its LOCATION (postcodes.py); address blocks (address_blocks.py)
# 6: names and places from where unknown words stand in a sentence (structure.py); "street number, postcode
#    town" lines whatever the street is called (postal_lines.py)
# 7: DRIVER_LICENSE (licences.py): a number after words naming a driver's licence, or under a key naming one
# 8: real towns (GeoNames, towns.py) read as places where the sentence allows; a state or country after a town;
#    places joined to a place; "the US"; towns inside organisations' names are none; the tagger's town after a street
# 9: one sense per text (mentions.py): later bare mentions of a person or place found with good evidence
# 10: people by how English writes about them (people_cues.py: index headings, attributions, speakers, kin, regnal
#     numbers); quoted titles of works, firms in apposition, abbreviations and known places are no PERSON
# 11: places named without a number (named_places.py): "Fleet Street", "Caspian Sea", "River Adige", "Goma: a city
#     in ...", "capital of Malta"; a PERSON that is a real country by name alone is none, a town before its state a place;
#     a bare ZIP+4 is no phone number
# 12: a PERSON made only of words for peoples, faiths and ranks (WordNet 3.0) is none ("Holy Roman Emperor")
# 13: the world's regions (regions.txt.gz: ISO 3166-2 through iso-codes, the continents) are places; no place at a
#     time zone's region ("Europe/Berlin")
# 14: a name that is a known place too, joined to a known place, is a place ("Germany and France"); two real towns
#     are no "surname, first name" ("London, Paris"); a person joined to a list ends before the sentence's dot
# 15: no name or address reaches across a tab or opens with punctuation ("08/17<tab>Mae West" is a date and a
#     name, not house number 17 on a "West" street)
# 16: first names of some fifty countries and the US Census surnames widen Faker's lists (world_first_names,
#     census_last_names); "X born, 1911", "X is born in", "X dies" name a person; a
#     role before a name is no part of it ("Songwriter Jarmila ..."); a list with a place in it is no list of names;
#     a name before a column of e-mail addresses ("Maria Gonzalez<tab>maria@...") is a person the tagger may not veto;
#     key "value" lines (glibc locale sources, nginx, dhcpd) are named values like "key: value"; a real town read as a person,
#     listed after a place, is a place ("London, Paris and Rome"); a street needs a name between its number and
#     its street word ("2934 rows", "16112, ring twice" are none); a first name that ends a long line and a surname
#     opening the next are one person (hard-wrapped text); "the land of X", "the county of X" name a place
# 17: a country or state that is a first name and no surname, after "<noun> of", is the place ("the children of
#     Israel", "the President of India"), not a person; an unknown word opening a sentence (after "And", "But", "Then",
#     "So" too) before a verb of the body ("sighed", "stood", "nodded") is a person; a capitalized ordinary word opening a
#     sentence makes no Title Case heading of the name after it ("Therefore David enquired"); a name before "the" and a word for
#     someone by kin, trade or office is a person ("Abiathar the priest", "Brannock the butcher"), and so is one after
#     "the sons of", "the daughters of"; a title alone after "the" is no one ("the Lord said");
#     a name alone on its line above an e-mail address alone on its own (a signature, a credits record's "N:" and "E:"
#     lines) is a person; a list of people under a person's key is each a person ("contact: A B, C D"), and a key's
#     quoted value no work's title; a list joined to a person by ", and" each time is a list of people ("Jaaziel, and Jehiel");
#     US postal addresses as people type them, in lower case ("12 oak st, springfield il 62704", us_addresses.py); a name
#     under an address's key, on the line above its street, is whom it is for ("Billing address: Zak Sanders\n27 ...");
#     an address block's lines may carry a field label the lines around repeat ("S: 26a Sheen Road" over "S:
#     Richmond"); a real town before another country's region ("Markham, Ontario") is a place; a real town after a
#     place's preposition ("died at Oxford", "unto") or a dwelling verb ("dwelt at", "lived in") stands against
#     the tagger's veto; a town and its US state without a comma ("Auburn MA", "Fort Worth Texas") is a place;
#     address blocks: a house's staircase and flat ("1 E 18", "4A11"), "FIN-00330", "Town, Region Code", a known
#     country with a short code ("Germany 580") closing the block; "the cities of X", "the walls of X", "the men of
#     X", "the king of X" name a place; a town no list names a person, after a place's preposition, is a place
#     whatever the tagger read ("went to Shechem"); an unknown word after "went up to", "come unto", "fled to" ending
#     its clause (a colon too, or "against") is a place; both ends of "from X to Y" are places when one is ("from
#     Broadway to the East River"), unless the other may be a person; a feature word in lower case after an article
#     or a preposition names one ("the river Thames", "in mount Ephraim", "the brook Besor"); an address block's town
#     line may name its country and region too ("Masaka, Uganda, East Africa"); in a fielded record a town's line
#     over a known country's, both under one label, is an address ("S: Ronneby" over "S: Sweden"); digits inside a
#     value a key names as an address are its postcode, no phone number ("Yamato-shi, 242-8502, Japan")
# 18: people no word list knows, read from the sentence around them by a second tagger trained on whole books as well
#     (unknown_people.py, tools/name_tagger/silver.py): "talked with Steelkilt", not "Grafana is down"
# 19: a country by its name (ISO 3166-1/3166-3, countries.txt.gz) or a region is no person after a word that cues one
#     ("independence from France", "with England") and the tagger may not veto a country ("Modern Morocco"); an
#     address block's street line may end in its units ("#662", "Bldg 5, Suite 550"), and a town's line with its
#     postcode stays in the block where another reading called the town a person ("Austin  TX  78753"); the commonest
#     English first names ship whatever the held-out split says ("John", "Sarah", "Tom": common_first_names.txt.gz), both
#     name models retrained with them; a first name and a street word that is a surname ("(Tom Lane)") is a person where
#     no house number or preposition makes it a street; a country after "<noun> of" ("the Prime Minister of India") is
#     the place; a signature's town after the name ("— Anna, Norwich") a place, not a surname-first person; particles
#     before a surname after a cue ("to van der Berg") belong to it; the tagger's person loses lower-case words opening
#     it ("cried Marbledge"); the end of a move ("relocating from X to Y") stands against the tagger's veto; a place
#     the tagger alone found after a place's preposition seeds later mentions as a weak place ("in Zeldou, ... to Zeldou")
# 20: e-mail addresses with their "@" spelled out (spelled_emails.py): "clairex.yu # utoronto.ca", "anna [at] example
#     [dot] org", "hostmaster _ at _ gweep.net"
# 21: registers' address blocks of many countries (ordinals and "2-chome" in a street line, "Str.4", Japan's and
#     six-digit postcodes; an entry read upwards from its ISO country code: "Foundry Lane" / "Horsham  West Sussex  RH13
#     5PY" / "GB"; a local number inside a block's line is its postcode); tzdata's country names ("Russia", "Burma"); a
#     country keeps its type against the tagger's person; a real town after "<noun in lower case> of" ("a magistrate of
#     Constantinople") or a verb of going or dying ("go to London"); street words that are common surnames after a known
#     first name ("Henry Ford"); a list's item between two people ("Dean Luick, Pat Rankin, Mike Stephenson")
# 22: given names then the surname in capitals ("Eric CALALUCA", "Haile SELASSIE"), the surname spreading to its later
#     mentions in capitals ("CALALUCA said")
# 23: a role or rank before a name makes it a person the tagger may not veto ("President Thabo MBEKI", "Prime Minister
#     Keith MITCHELL", "General BOZIZE", "Captain Peleg"; roles.py), not before a firm, a title's own end or a place
#     ("General Motors", "the Princess Royal", "Prince Edward Island"); a surname in capitals before a speaker's verb
#     ("BATTIN also argued"); every town of a list of places, the surnames among them too ("consulates: Atlanta,
#     Chicago, Houston (TX)"); a country that the census knows as a surname too ("independence from Spain"); the second
#     name model retrained on the silver file these readings label
# 24: the speaker after the words of speech ('"No," said Holmes'), the one a quotation speaks to ('"You see, Watson,"'),
#     a book's hero in the story's sentences (a title only where a work is spoken of: "reading Oliver Twist"), a town
#     that is a name too after "in" or "at" ("lodgings in London"); lists of places found where two list commas stand
#     close (re no longer tries the list at every capital)
# 25-38: the git log and evals/prose/README.md say each one's readings
# 39: a lone country named like a given name ("servants from India"); an unknown subject in the past tense, "he" or
#     "she" after it; 40: "USA", "UK" sure against the tagger; 41: a dateline's town and state (datelines.py); a name
#     the text writes as a firm's, a legal form after it, is none; 42: industries name firms ("Toshin Steel"); 43: a place
#     before an office and a name ("Indiana Governor Mike Pence"); 44: "Sen." a role; 45: an adverb opening a sentence
# 46: the tagger's spans below its adding confidence that the lists know (a real town, a country or region; a given
#     name and a surname) where the rules read nothing; 47: no determiner or pronoun is a lower-case name ("this is my");
#     a given name and a street word or a house number is no weak person ("Tom Ranch"); 48: a name before the goods it
#     makes ("Bigelow teas"), a shop's product title before its size ("Purina Cat Chow (3.5-lb bag)") are no people;
#     "Amazon" is the shop unless the text speaks of the river's land; 49: a real town, a comma and its US state is
#     sure against the tagger ("Iowa State University, Ames, IA"), without a person's cue before it; 50: the capitals
#     and towns of a million are places alone, surnames or not ("interest of London"; not a given name, "to Sydney"),
#     and the items of a list between two places are places ("Bazas, Langon, Marœuil"); a land's part by its bearing
#     ("Western Europe") and a land by its name possessive or after "of" ("Europe's", "Philip of Macedon") are places
# 51: the United States by its initials as a noun, without "the" ("ship to US only", "a war-weary U.S. clung"); the
#     speaker after the words of speech may be a frequent word ('"Wants with it?" said Flask'); a role before a surname in
#     capitals that is a frequent word ("President GBAGBO"); "High Commissioner" a role; a possessive before what a life
#     or a mind has ("Rand's ideas", "Darcy's marriage"); genealogy programs' events ("Birth of Gus Smith"); no place
#     of a Roman numeral ("World War II"), an era after a year ("432 BC"), a people after "the" ("the Romans") or a
#     pronoun a description follows ("It is a city in ..."); a town, a comma and its state keeps its type against the
#     tagger's person ("Lawrence, KS"); a region of the lists after "the" is sure of itself too ("the Crimea"); the
#     short lines of a dialogue's speakers ("Kalenz: Greetings, friend."); Gramps XML's place titles and names; the
#     people the second name model reads seed the text's later mentions; a list of three places or more runs on to
#     its ends ("was Arnéguy, Orthez, [...] Vierzon, Bourges, [...] and Collonges"); a long list before its kind
#     may hold a name that is a word too ("Gibson, Jasper, Lake, [...] and Warrick counties"); a name spoken to before
#     "you", "we" or "let" ("Deoran, you must hasten back"); a region of two words or after "of" keeps its type against
#     the tagger's person ("Periegetus of Bithynia"); "Professor" a role
KEY_CACHE = 4096  # distinct key names remembered (bounded: keys can be data too)
VALUE_CACHE = 65536  # distinct short values remembered ("open", "2024-03-12", "Leeds" recur in every batch)
SHORT_VALUE = 128  # values up to this length are cached
MAX_TEXT = 1 << 20  # longer strings are scanned in overlapping windows (bounded regex work)
_WINDOW_OVERLAP = 512
# The name rules, the tagger and their combination look at one piece of text of at most this many
# characters at a time: their context reaches a few dozen characters, but several of their steps compare
# every finding with every token, so one long field would cost the square of its length. Pieces end at a
# paragraph, line or sentence break where one is near; every post of the evaluation families is shorter.
NAME_WINDOW = 4096
# A file name or path: separators become spaces so "jane_doe_passport.jpg" reads as words.
_FILE_LIKE = re.compile(r"^[^\s]+\.[A-Za-z0-9]{2,5}$|^[^\s]*[/\\][^\s]*$")
_FILE_SEPARATORS = re.compile(r"[_\-./\\]")
_LETTER = re.compile(r"[^\W\d_]")


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
        self.towns = load_towns(self.lexicon)
        self.names = NamesAndPlaces(self.lexicon, wanted, self.towns) if wanted & {"PERSON", "LOCATION"} else None
        self.tagger = _load_model(self.lexicon, "AIRCLUSTER_NAME_TAGGER", MODEL_PATH) if self.names is not None else None
        self.not_people = NotPeople(self.lexicon) if self.names is not None else None
        self.structure = Structure(self.lexicon, self.not_people.frequent, self.towns) if self.not_people is not None else None
        self.people_cues = PeopleCues(self.lexicon, self.not_people.frequent, self.towns) if self.not_people is not None else None
        self.postal_lines = PostalLines(self.lexicon, self.not_people.frequent) if self.not_people is not None else None
        self.named_places = NamedPlaces(self.lexicon, self.towns) if "LOCATION" in wanted and self.names is not None else None
        self.mentions = Mentions(self.lexicon, self.not_people.frequent, self.towns) if self.not_people is not None else None
        reader = _load_model(self.lexicon, "AIRCLUSTER_NAME_READER", READER_PATH) if "PERSON" in wanted else None
        self.unknown_people = (
            UnknownPeople(reader, self.lexicon, self.not_people.frequent) if reader and self.not_people else None
        )
        self._key_hits: dict[str, list[tuple[str, int, int, float]]] = {}
        self._value_hits: dict[tuple[str, bool, bool], list[tuple[str, int, int, float]]] = {}

    def versions(self) -> dict[str, str]:
        return {
            "aircluster.detector": f"{DETECTOR_VERSION}+{code_digest()}",
            "word_lists": self.lexicon.version,
            "presidio-analyzer": version("presidio-analyzer"),
            "phonenumbers": version("phonenumbers"),
            "faker (word list source)": version("faker"),
            "name_tagger": self.tagger.version if self.tagger is not None else "off",
            "name_reader": self.unknown_people.tagger.version if self.unknown_people is not None else "off",
            "python-crfsuite": version("python-crfsuite"),
            **self.presidio.versions(),
        }

    # ---- text ------------------------------------------------------------------------------------

    def scan_text(self, text: str, context: str = "") -> list[tuple[str, int, int, float]]:
        """Non-overlapping (entity, start, end, score), sorted by start. `context` is the field
        name, used as a hint (a date in a field called "birth_date" is a date of birth)."""
        if len(text) > SHORT_VALUE:
            return self._scan(text, context)
        # The field name matters only as a birth or licence cue: cache on those, not on the name itself.
        key = (text, bool(context) and birth_field(context), bool(context) and licence_field(context))
        hits = self._value_hits.get(key)
        if hits is None:
            hits = self._scan(text, context)
            if len(self._value_hits) >= VALUE_CACHE:
                self._value_hits.clear()
            self._value_hits[key] = hits
        return list(hits)

    def _scan(self, text: str, context: str) -> list[tuple[str, int, int, float]]:
        if len(text) > MAX_TEXT:
            return self._scan_long(text, context)
        digits = count_digits(text)
        letters = _LETTER.search(text) is not None
        if digits < 4 and not letters and "::" not in text:
            return []  # every recognizer needs a letter, four digits or an IPv6 "::"
        hits = self.pattern_hits(text, context, digits)
        if letters:
            hits += self.name_hits(text, digits)  # no name or place without a letter: a form's phone, date, postcode
        if "LOCATION" in self.entities and digits and "\n" in text:
            people = [h for h in hits if h[0] == "PERSON"]
            blocks = address_blocks(text, self.lexicon, people, self.towns.country_codes)
            if blocks:
                hits = [h for h in hits if not _postcode_read_as_phone(h, blocks, text)] + blocks
        if "LOCATION" in self.entities and digits >= 2:
            hits += us_addresses(text)  # "12 oak st, springfield il 62704": in lower case, no capital to go by
        hl7 = [h for h in hl7_fields(text) if h[0] in self.entities] if "|" in text else []
        hl7 += [h for h in gedcom_fields(text) if h[0] in self.entities] if "\n" in text else []
        hl7 += [h for h in gramps_fields(text) if h[0] in self.entities] if "</" in text else []
        if "LOCATION" in self.entities and letters:
            hl7 += dateline_places(text, lambda words: known_place(words, self.lexicon, self.towns))
        if hl7:
            # An HL7 field's or a GEDCOM tag's meaning and bounds are fixed by the standard, a dateline's by the wires'
            # usage: it overrides the guesses.
            fixed = _Spans(hl7)
            hits = [h for h in hits if not fixed.overlaps(h[1], h[2])] + hl7
        hits = resolve_overlaps([h for h in hits if h[0] in self.entities], text)
        return attach_postcodes(text, hits) if digits >= 3 and "LOCATION" in self.entities else hits

    def name_hits(self, text: str, digits: int) -> list[tuple[str, int, int, float]]:
        """PERSON and LOCATION: the rules, combined with the tagger's spans, one window at a time."""
        if self.names is None:
            return []
        if len(text) <= NAME_WINDOW:
            return self._name_hits(text, digits)
        hits: list[tuple[str, int, int, float]] = []
        for a, b in name_windows(text, NAME_WINDOW):
            piece = text[a:b]
            piece_digits = count_digits(piece)
            hits += [(e, s + a, t + a, sc) for e, s, t, sc in self._name_hits(piece, piece_digits)]
        return hits

    def _name_hits(self, text: str, digits: int) -> list[tuple[str, int, int, float]]:
        assert self.names is not None and self.not_people is not None
        names = self.names
        hits = names.scan(text, digits)
        rule_hits = hits
        tagged_spans: list[tuple[str, int, int, float]] = []
        if self.tagger is not None:
            # The marginals of "O" are wanted only where the rules found something (for vetoes).
            tagged = self.tagger.tag(text, probe=[(h[1], h[2]) for h in hits])
            tagged_spans = tagged.spans
            hits = combine(
                hits,
                tagged,
                text,
                sure=lambda h: names.sure(text, h),
                keeps_type=lambda h: names.keeps_type(text, h),
                known=lambda h: names.vouches_for(text, h),
            )
        hits = self.not_people.filter(text, hits)
        if "PERSON" in self.entities and any(map(str.islower, text)):
            # After the filter: a cue made these names, lower case and all ("my name is oksana").
            hits += lowercase_names(text, self.lexicon, self.not_people.frequent)
        if self.people_cues is not None and "PERSON" in self.entities:
            # Before the readings of unknown words: headings, attributions, speakers, kin (frequent words too).
            cued = self.not_people.filter(text, self.people_cues.scan(text, hits), cued=True)
            hits = PeopleCues.retyped(hits, cued) + cued
        if self.structure is not None:
            # Unknown words that the sentence makes names (subjects, lists, possessives, a town after a street).
            hits += self.not_people.filter(text, self.structure.scan(text, hits))
        if self.postal_lines is not None and digits:
            hits += self.postal_lines.scan(text, hits)  # "hagaskog 22, 610 21 norsholm"
        if self.named_places is not None:
            # Streets and features named without a number, places a description names ("Goma: a city in ...").
            hits += self.named_places.scan(text, hits)
        if self.unknown_people is not None:
            # People no list knows, read from the sentence by a tagger trained on whole books (unknown_people.py): before
            # the mentions, which they seed ("had often seen Castruccio ... Noticing that Castruccio").
            hits += self.not_people.filter(text, self.unknown_people.scan(text, hits))
        if self.mentions is not None and hits:
            # Later bare mentions of a person or place the readings above found ("Okonkwo then left").
            # What the tagger alone found seeds nothing: its confidence is its features', not the sentence's.
            tagger_only = (lambda: set(tagged_spans).difference(rule_hits)) if tagged_spans else None
            mentioned = self.mentions.scan(text, hits, tagger_only)
            # A surname the text names twice over ("Jenner, Edward Jenner: ...") may be a frequent word.
            confirmed = [h for h in mentioned if h[3] == CONFIRMED_MENTION]
            hits += self.not_people.filter(text, [h for h in mentioned if h[3] != CONFIRMED_MENTION])
            hits += self.not_people.filter(text, confirmed, cued=True) if confirmed else []
        if self.named_places is not None:
            hits = self.named_places.people_as_places(text, hits)  # "border with Rwanda": no person
        return [h for h in hits if h[0] in self.entities]

    def pattern_hits(self, text: str, context: str, digits: int) -> list[tuple[str, int, int, float]]:
        """Every entity but the rules' and tagger's PERSON/LOCATION (before overlaps are resolved)."""
        hits = self.presidio.scan(text, digits)
        found = field_cues(text)  # one pass for the cue words of the recognizers below
        if self.phones is not None and digits >= 7:
            hits += self.phones.scan(text)
        if "DATE_OF_BIRTH" in self.entities and digits >= 4:
            hits += dates_of_birth(text, context, found)
        if "DATE_OF_BIRTH" in self.entities and digits:
            hits += birthdays(text, found)
        if "AGE" in self.entities and digits:
            hits += ages(text, found)
        if "US_SSN" in self.entities and digits >= 9:
            hits += ssn_by_context(text)
        if "DRIVER_LICENSE" in self.entities and digits:
            hits += driver_licences(text, found)  # nothing without a licence word in `found`
            if context:
                hits += licence_in_field(text, context)
        if "SECRET" in self.entities:
            hits += secrets(text, found)
        if "EMAIL_ADDRESS" in self.entities:
            hits += spelled_emails(text)  # "clairex.yu # utoronto.ca", "anna [at] example [dot] org"
        # Values named by a table header or a key ("dob": ..., PASSWORD=..., city: ...).
        named = key_values(text)
        if "\n" in text and ("," in text or "\t" in text or ";" in text or "|" in text):
            named += table_columns(text)
        if self.not_people is not None:
            named = self.not_people.filter(text, named)
        addresses = [h for h in named if h[0] == "LOCATION" and h[0] in self.entities]
        if addresses and any(h[0] == "PHONE_NUMBER" for h in hits):
            # Digits inside a value a key names as an address are its postcode ("Yamato-shi, 242-8502, Japan").
            hits = [h for h in hits if h[0] != "PHONE_NUMBER" or not any(a[1] <= h[1] and h[2] <= a[2] for a in addresses)]
        hits += [h for h in named if h[0] in self.entities]
        return hits

    def _scan_long(self, text: str, context: str) -> list[tuple[str, int, int, float]]:
        hits = []
        step = MAX_TEXT - _WINDOW_OVERLAP
        for offset in range(0, len(text), step):
            chunk = text[offset : offset + MAX_TEXT]
            hits += [(e, s + offset, t + offset, sc) for e, s, t, sc in self._scan(chunk, context)]
        return resolve_overlaps(hits, text)

    def _scan_name_like(self, text: str, context: str) -> list[tuple[str, int, int, float]]:
        """File names and paths: scan as written, and with separators as spaces, words capitalized."""
        hits = self.scan_text(text, context)
        if _FILE_LIKE.fullmatch(text):
            spaced = _FILE_SEPARATORS.sub(" ", text).title()  # same length: offsets still match
            hits += [h for h in self.scan_text(spaced, context) if h[0] in ("PERSON", "LOCATION")]
            hits = resolve_overlaps(hits, text)
        return hits

    # ---- records ---------------------------------------------------------------------------------

    def scan_record(self, record: object, fields: Iterable[str] | None = None) -> list[Finding]:
        if not isinstance(record, dict):
            # `object`, not `dict`, in the signature: the compiled build would check a dict's type at the call with
            # its own message; this one is the same from the source and the compiled build.
            raise TypeError(f"a record to scan is a JSON object, not {type(record).__name__}")
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


@lru_cache(maxsize=1)
def code_digest() -> str:
    """The detector's own code (this package's sources), so a report names the code that read the data."""
    return files_digest([*PACKAGE_DIR.glob("*.py"), *PACKAGE_DIR.glob("*.c")])


def _load_model(lexicon, variable: str, shipped: Path) -> NameTagger | None:
    """A name model: the shipped one, another by path in `variable`, or none ("off")."""
    choice = os.environ.get(variable, "")
    if choice.lower() in ("off", "0", "none"):
        return None
    return NameTagger.load(lexicon, Path(choice) if choice else shipped)


def _postcode_read_as_phone(hit: tuple[str, int, int, float], blocks: list[tuple[str, int, int, float]], text: str) -> bool:
    """A local number of at most seven digits inside an address block's line is its postcode ("Yokohama  Kanagawa
    222-0033" over "JP"): the block's layout outweighs the digits' shape."""
    return (
        hit[0] == "PHONE_NUMBER"
        and count_digits(text[hit[1] : hit[2]]) <= 7
        and any(s <= hit[1] and hit[2] <= t for _, s, t, _ in blocks)
    )


def count_digits(text: str) -> int:
    """ASCII digits in `text` (ten passes of str.count: far cheaper than a translate that deletes them)."""
    return sum(map(text.count, "0123456789"))


def resolve_overlaps(hits: list[tuple[str, int, int, float]], text: str) -> list[tuple[str, int, int, float]]:
    """Keep the strongest of overlapping detections in `text`: entity priority, then length, then
    score; adjacent pieces of one address or one URL are merged."""
    ranked = sorted(hits, key=lambda h: (-PRIORITY[h[0]], -(h[2] - h[1]), -h[3]))
    kept = _Spans()
    for h in ranked:
        if not kept.overlaps(h[1], h[2]):
            kept.add(h)
    return list(_merge_adjacent(kept.hits, text))


class _Spans:
    """Non-overlapping hits sorted by start: an overlap test is a binary search, so resolving n hits
    costs n log n, not n times the hits kept."""

    def __init__(self, hits: Iterable[tuple[str, int, int, float]] = ()):
        self.hits = sorted(hits, key=lambda h: h[1])
        self.starts = [h[1] for h in self.hits]

    def overlaps(self, start: int, end: int) -> bool:
        # The hits are disjoint, so their ends grow with their starts: of those starting before `end`,
        # only the last can reach past `start`.
        i = bisect_left(self.starts, end)
        return i > 0 and self.hits[i - 1][2] > start

    def add(self, hit: tuple[str, int, int, float]) -> None:
        i = bisect_left(self.starts, hit[1])
        self.starts.insert(i, hit[1])
        self.hits.insert(i, hit)


def name_windows(text: str, size: int) -> Iterator[tuple[int, int]]:
    """(start, end) pieces covering `text`, each at most `size` long, cut at the last paragraph break,
    else line break, else sentence end, else space in the second half of the window."""
    start = 0
    while len(text) - start > size:
        limit = start + size
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            cut = text.rfind(sep, start + size // 2, limit - len(sep) + 1)
            if cut >= 0:
                cut += len(sep)
                break
        if cut < 0:
            cut = limit
        yield start, cut
        start = cut
    yield start, len(text)


# Pieces of one thing found separately: an address's street and "postcode city" (up to ", "
# between them), or a URL that Presidio's pattern split at a TLD ("….bi" + "z/tag/…").
_MERGE_GAP = {"LOCATION": 3, "URL": 0}  # 3: "Puerta 2 , Zaragoza"


def _merge_adjacent(hits: list[tuple[str, int, int, float]], text: str) -> Iterator[tuple[str, int, int, float]]:
    pending = None
    for h in hits:
        if (
            pending is not None
            and h[0] == pending[0]
            and h[0] in _MERGE_GAP
            and h[1] - pending[2] <= _MERGE_GAP[h[0]]
            and not text[pending[2] : h[1]].strip(" \t,")
        ):  # not across "^^" or "|"
            pending = (h[0], pending[1], h[2], max(pending[3], h[3]))
            continue
        if pending is not None:
            yield pending
        pending = h
    if pending is not None:
        yield pending
