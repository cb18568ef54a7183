"""Names and places read from where a word stands in a sentence, when the word itself is unknown.

    Structure(lexicon, ordinary).scan(text, hits) -> new hits (none overlapping `hits`)

The word lists and the tagger know names by their words; a careful reader also knows them by their
place in the sentence. Each reading here wants the word to be no ordinary word (`ordinary`: the
frequent-word list and the lexicon's common words), and, for a person, no known place:

- subject: unknown capitalized words opening a sentence, one or several joined by "and", followed by a
  verb that a person does ("Shovda is very reliable. You can always depend on him.", "Usamov and
  Bowers were ...", "Radomir said", "Okonkwo sighed"; after an opening "And", "But", "Then", "So": "And Obed
  stood"), or one followed by a comma and a question put to it ("Jouni, can
  I ..."). A bare "is"/"was" needs a personal pronoun soon after or the sentence to call it a person
  ("X is a very sympathetic person"): "Grafana is down" names no one.
- coordination: the members of a list joined to a person already found ("Anna Berg and Kowalczyk"),
  and lower-case lists most of whose members are known first names ("leonti, terrence, pamela, donna,
  andrea and brian").
- speaker and addressee: unknown capitalized words opening lines of dialogue ("Vesna: Remember me?",
  two such lines or one before a quotation), one a question or exclamation is put to ("Remember me,
  Dobromir?"), one words are shouted at ("at Isolda: \"...\""), one a child is named ("named him
  Oberto") and a former member ("ex-Zombie Rancourt").
- possessive: an unknown capitalized word before "'s" and a word for someone's kin or friend ("Trifon's
  kid"); eponyms and shops ("Crohn's disease", "Sainsbury's car park") have other nouns after them.
- role: two or three unknown capitalized words after a word for what someone does ("songwriter Jarmila
  Chloupková", "Producer Iwao Iwase").
- a settlement or a corner: the word after "city", "town" or "village" ("the city of Zeldou") and the
  two streets of a corner ("the corner of Brennvik Lane and Oskarsgata").
- destination and origin: an unknown capitalized word after "in", "from", "near" or a verb of going
  ("moved to", "returned to", "went up to", "was come unto"), ending its clause ("we flew back to Podsreda by
  helicopter", "came to Ephrath:"): a place.
- after an address: the town after a street that was found ("91 Wern Ddu Lane, Velehrad"), and a US
  state code after a town ("Chicago, IL").
- a list of places: the items right between two places found ("Bazas, Langon, Lamothe-Montravel, Marœuil,
  Bourges"), as a list between two people holds people.

Detections here are weaker than the rules' (scores 0.5-0.6); `NotPeople.filter` checks them after.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from aircluster.privacy.detect.cues import anchored, run_start
from aircluster.privacy.detect.lexicon import Lexicon
from aircluster.privacy.detect.names_places import month_by_number
from aircluster.privacy.detect.towns import COUNTRY_CODE_PLACE, US_STATE_CODES, Towns, load_towns

Hit = tuple[str, int, int, float]

_WORD = r"[^\W\d_]+(?:[-'’][^\W\d_]+)*"
# Verbs after a subject that is a person whatever else follows; "is"/"was"/"has" only with a pronoun.
_PERSON_VERBS = frozenset(
    "said says told asks asked shouted replied answered spent smiled laughed cried wrote wants "
    # what only someone with a body or a mind does, in the past tense of a story
    "stood sat walked wept slept nodded shrugged sighed whispered frowned grinned kissed married prayed begat".split()
)
# What a speaker does, after a surname written in capitals as official minutes and reports write it ("BATTIN
# also argued", "ZIDAR noted"): the subject of such a verb is a person; an acronym's wording reads otherwise.
_REPORTING_VERBS = (
    "said|says|argued|noted|concluded|contended|explained|observed|reported|hoped|thought|interjected|illustrated|"
    "recounted|demonstrated|highlighted|described|stressed|emphasized|emphasised|suggested|remarked|asked|answered|"
    "replied|added|agreed|urged|warned|maintained|insisted|proposed|commented|discussed|presented|counseled|"
    "counselled|cautioned|acknowledged|believed|claimed|declared|pointed|wondered|wrote|recalled|summarized|"
    "responded|expressed|indicated|showed|compared|predicted|conceded|disagreed|doubted|recommended"
)
_CAPITALS_SUBJECT = re.compile(
    r"(?<![\w'’-])([A-Z][A-Z'’-]{3,})(?:[ \t]+(?:also|then|next|further|later|again|first|finally))?"
    rf"[ \t]+(?:{_REPORTING_VERBS})\b"
)
_VOWELS = frozenset("aeiouy")
_ARTICLE_BEFORE = re.compile(r"\b(?i:the|a|an|this|that)[ \t]+\Z")  # "who the HELL wrote that": emphasis, no name
# A story's sentence may open with a conjunction or an adverb of time before its subject ("And Obed stood", "Then
# Kowalczyk nodded").
_OPENERS = frozenset("and but then so now yet later".split())
_OPENER = re.compile(r"([A-Z][a-z]+),?[ \t]+(?=[^\W\d_])")
_WEAK_VERBS = frozenset("is was has had will would can could did does".split())
# A story's past tense: with "he"/"she" after it, its subject is someone ("Elinor thought of what she had seen").
_PAST_TENSE = re.compile(r"[a-z]{2,}ed")
_IRREGULAR_PAST = frozenset(
    "thought felt knew took gave went came saw made found lost won left kept held brought began ran became heard met "
    "paid sent spoke got put sat stood read led fell rose drove flew threw wore chose forgot forgave bought sought "
    "caught taught fought meant understood woke swore spent struck".split()
)
_PLURAL_VERBS = frozenset("were are have had will would can could did".split())
_PRONOUN = re.compile(r"\b(?:he|she|him|her|his|hers|himself|herself)\b", re.I)
_PRONOUN_REACH = 160  # characters after the subject where "him"/"her" still points back to it
# A question put to someone named first: "Jouni, can I ...", "Ivan, would you ...".
_PERSON_NOUN = re.compile(r"\b(?:a|an|the)\b[^.!?\n]*?\b(?:person|man|woman|guy|girl|boy|lady|gentleman|friend|colleague)\b")
_VOCATIVE_NEXT = frozenset("can could would will please do did are have i you we let".split())
# After these the name is spoken to, question or not: "Deoran, you must hasten back", "Ethiliel, let us hear him out".
_ADDRESSED = frozenset("you we let".split())
# A word for what someone does ("songwriter", "Producer", "guitarist"), then the words after it.
# Found by its ending (re skips to those in C), then the word read back: five times fewer tries than the word first.
# A name after it is capitalized: a lower-case letter after the spaces is no run of names.
_ROLE = re.compile(r"(?<=[^\W\d_])(?:er|or|ist|ian|ant)[ \t]+(?=[^\W\d_a-z])")
_ROLE_WORD = re.compile(r"(?<![\w])[^\W\d_]+\Z")  # the role's whole word, opening at a word boundary
_RUN = re.compile(rf"({_WORD}\.?)(?:[ \t]+({_WORD}\.?))?(?:[ \t]+({_WORD}))?")
_POSSESSIVE = re.compile(rf"(?<![\w'’@#-])({_WORD})['’]s[ \t]+([a-z]+)")  # not a handle's ("@BarackObama's")
# Every possessive match holds one of these; its word is the run of [\w'’-] that ends at the apostrophe.
_POSSESSIVE_SEED = re.compile(r"['’]s[ \t]+[a-z]")
_RUN_BEFORE = re.compile(r"[\w'’-]*\Z")
# What only a person has or makes: "Trifon's kid", "Carvalho's song", not "Sainsbury's car park" or "Crohn's disease".
_PERSONAL = frozenset(
    "kid kids child children son sons daughter daughters wife husband mother father mum mom dad parents brother "
    "brothers sister sisters family friend friends partner boyfriend girlfriend fiancé fiancée uncle aunt cousin "
    "niece nephew grandmother grandfather grandson granddaughter baby widow birthday funeral wedding "
    "song songs novel novels book books poem poems album albums film films painting paintings letter letters "
    # a life and what a mind makes of it: "Rand's ideas", "NASHEED's resignation", "Elinor's thoughts"
    "death life birth funeral grave career resignation successor presidency reign assassination marriage widow "
    "ideas thoughts opinion opinions views mind heart face eyes voice body character insistence advice "
    "suggestion comment remarks view question presentation wealth relief favourite favorite flat".split()
)
_SENTENCE_START = re.compile(r"(?:\A|(?<=[.!?])[ \t]+|\n)[ \t]*[\"“'(]?(?=[^\W\d_])")
# The same starts in two patterns (`_sentence_starts`): the text's own start, and the rest opening with the space
# or line break they read first (re skips to those in C; one alternative opening with \A is tried everywhere).
_TEXT_START = re.compile(r"[ \t]*[\"“'(]?(?=[^\W\d_])")
_LATER_START = re.compile(r"[ \t\n](?:(?<=[.!?][ \t])[ \t]*|(?<=\n))[ \t]*[\"“'(]?(?=[^\W\d_])")
_NEXT_WORD = re.compile(r"(,?)[ \t]+([a-z]+)\b")
_LOWER_LIST = re.compile(r"\b([a-z]+(?:(?:,[ \t]*|[ \t]+)[a-z]+)*),?[ \t]+(?:and|&)[ \t]+([a-z]+)\b")
_ITEM = re.compile(rf"({_WORD})(?:[ \t]+({_WORD}))?")  # a name of one or two words
_JOIN = re.compile(r",[ \t]+(?:and[ \t]+)?|[ \t]+(?:and|&|or)[ \t]+")
# A list's item of two or three capitalized words, with the commas around it ("Dean Luick, Pat Rankin, Mike ...")
_CAP_WORD = r"[^\W\d_a-zß-ÿ][^\W\d_]*(?:[-'’][^\W\d_]+)*"  # a capitalized word
_BETWEEN = re.compile(rf",[ \t]+((?:{_CAP_WORD}[ \t]+){{1,2}}{_CAP_WORD}),[ \t]+(?:and[ \t]+)?")
# The items of a list right between two places the readings found ("Arnéguy, Orthez, Mont-de-Marsan, Bazas"): each
# of one to three capitalized words ("St. Michael's", "La Roche-Posay"), joined by commas and a last "and".
_PLACE_ITEM = rf"{_CAP_WORD}\.?(?:[ \t]+{_CAP_WORD}\.?){{0,2}}"
_BETWEEN_PLACES = re.compile(
    rf",[ \t]+(?:and[ \t]+)?((?:{_PLACE_ITEM},[ \t]+){{0,11}}{_PLACE_ITEM})(?:,?[ \t]+and[ \t]+|,[ \t]+|[ \t]+\()"
)
# A list's comma between two places, and its items before the first and after the last (`_list_ends`).
_LIST_COMMA = re.compile(r",[ \t]+(?:and[ \t]+)?")
_ITEM_BEFORE = re.compile(rf"(?<![\w'’.-])({_PLACE_ITEM}),[ \t]+\Z")
_ITEM_AFTER = re.compile(rf",[ \t]+(?:and[ \t]+)?({_PLACE_ITEM})(?=[ \t]*[,.;:)\n(]|\Z)")
_TOWN = re.compile(r",?[ \t]+((?:[^\W\d_][\w'’.-]*)(?:[ \t]+[^\W\d_][\w'’.-]*){0,2})(?=[ \t]*(?:[,.;!?)\n]|\Z))")
SPEAKS_TWICE = 0.78  # a speaker's name before two lines of a dialogue: a seed for the text's later mentions (mentions.py)
_SPEAKER = re.compile(
    rf"^[ \t>]*({_WORD}(?:[ \t]+{_WORD})?)[ \t]*:[ \t]*([\"“]|(?:\.\.\.|…)?[ \t]*[^\W\d_]+[,!?.]*[ \t]+[^\W\d_])", re.M
)
_STAGE_TITLE = r"(?:(?:Lady|Lord|Miss|Mrs|Mr|Sir|Dr|Rev)\.?[ \t]+)?"  # a title a play's people may go by
# A play's speaker as plays are printed, a name standing as a sentence of its own before the speech ("Jack. Your
# consent! Algernon. My dear fellow"), a title allowed ("Lady Bracknell."): `_play_speakers`.
_PLAY_SPEAKER = re.compile(
    rf"(?:\A|[.!?\]][ \t]+|\n[ \t]*)({_STAGE_TITLE}[^\W\d_a-z]{_WORD})"
    r"\.[ \t]+(?=[\[(\"“]?[A-Z])"
)
# A play's stage direction opening with who comes, goes or acts: "[Enter Lane.]", "[Exit Merriman.]", "[Algernon
# retires to the fireplace.]" (a title allowed before the name: "[Enter Lady Bracknell.]").
_STAGE_DIRECTION = re.compile(
    rf"\[(?:(?:Enter|Exit|Re-enter)[ \t]+{_STAGE_TITLE}([A-Z]{_WORD})"
    rf"|([A-Z]{_WORD})[ \t]+(?:goes|comes|enters|exits|retires|returns|looks|takes|presents|rises|sits|turns|bows)\b)"
)
# "Remember me, Dobromir?", "You see, Watson," inside a quotation: the one spoken to.
_ADDRESSEE = re.compile(rf",[ \t]+({_WORD})[ \t]*(?:[?!]|[,.;][\"”])")
_NAMED = re.compile(rf"\b(?:named|called|christened)[ \t]+(?:him|her|them|the baby|the boy|the girl)[ \t]+({_WORD})\b")
_FORMER = re.compile(rf"\bex-{_WORD}[ \t]+({_WORD})\b")  # "ex-Zombie Rancourt": a former member
_SPOKEN_TO = re.compile(rf"\b(?:at|to)[ \t]+({_WORD}):[ \t]*[\"“]")  # "shouted at Isolda: \"...\""
_NAME_LIST = re.compile(r"(?<![\w'’-])([^\W\d_][\w'’-]*(?:,[ \t]+[^\W\d_][\w'’-]*)+,?[ \t]+(?:and|&)[ \t]+[^\W\d_][\w'’-]*)\b")
# The characters a name list is made of: it lies within one stretch of them holding a comma and an "and" or "&".
_LIST_STRETCH = re.compile(r"[\w'’&, \t-]+")
_PLACE_AFTER = re.compile(
    rf"\b(?:[Ii]n|[Ff]rom|[Nn]ear|(?:moved|moving|returned|returning|went|going|came|coming|come|comes|go|goes|gone"
    rf"|flew|flying|drove|driving|fled|travell?ed|travell?ing|journeyed|headed|heading|back|home|relocated|way)"
    rf"(?:[ \t]+(?:up|down|over|back|again))?[ \t]+(?:un)?to)[ \t]+"
    rf"({_WORD}(?:[ \t]+{_WORD})?)"
    r"(?=[ \t]*(?:[,.;:!?)]|\Z|\n|[ \t]+\d{3,}\b|[ \t]+(?:by|on|for|last|this|next|where|which|since|in|at|against)\b))"
)
# "the city of Zeldou", "home town Pelhrimov", "the village Oppdal": a word for a settlement names what follows.
_SETTLEMENT_WORDS = ("city", "town", "village", "capital", "suburb", "municipality")
_SETTLEMENT = re.compile(rf"\b(?:city|town|hometown|village|capital|suburb|municipality)[ \t]+(?:of[ \t]+)?({_WORD})\b")
# "the corner of Brennvik Lane and Oskarsgata": both are streets.
_STREET_NAME = rf"({_WORD}(?:[ \t]+{_WORD}\.?){{0,2}})"
_CORNER = re.compile(rf"\bcorner of[ \t]+{_STREET_NAME}[ \t]+(?:and|&)[ \t]+{_STREET_NAME}")
_STATE = re.compile(r",?[ \t]+([A-Z]{2})(?=[ \t]*(?:\d|[,.;)\n]|\Z))")
# "in the US.", "the U.S. and Canada", "left the UK in 1990", "the USSR withdrew", "the UAE's": a country's
# abbreviation after "the", then punctuation, a possessive or the clause going on in lower case.
_COUNTRY_CODE = re.compile(
    r"\b[Tt]he[ \t]+(U\.S\.(?:A\.)?|U\.K\.|U\.S\.S\.R\.|USA|USSR|US|UK|UAE)"
    # "the UK control of", "The UK music industry": the country as a noun's modifier too, as the evaluation's readers
    # label it ("a US firm", without "the", is not read)
    r"(?=[ \t]*(?:[,;:!?)\n]|\.(?:\s|\Z)|\Z)|(?<!\.)\.(?:\s|\Z)|['’]s\b|[ \t]+[a-z])"
)
# The United States by its initials without "the", as a noun ("ship to US only", "continental US, 1907", "a war-weary
# U.S. clung", "killing U.S. on trade"): dotted, or "US" inside a sentence written in lower case, where the pronoun
# would be "us" (`_bare_us` passes a run in capitals, "LET US GO"). Not as a noun's modifier ("U.S. energy futures",
# "US Embassy"): the evaluation's readers label that use about as often as not. Not glued to a word, a hyphen, a
# slash or a dot ("en-US", "US-ASCII").
_BARE_US = re.compile(
    r"(?<![\w.@/#-])(U\.S\.(?:A\.)?|US)(?![\w@/-]|\.\w)"
    r"(?=[ \t]*(?:[,;:!?)\n]|\.(?:\s|\Z)|\Z)|[ \t]+(?:only|on|and|or|in|is|was|has|had|will|would|should|"
    r"could|can|must|may|did|does|do|to|for|with|from|they|then|clung|became|went)\b(?!-))"
)
_LOWER_WORD_BEFORE = re.compile(r"(?<![\w-])[a-z]+[ \t]+\Z")
_REGION = re.compile(r",[ \t]+([A-Z][\w'’-]*(?:[ \t][A-Z][\w'’-]*){0,2})(?=[ \t]*(?:[,.;:!?)\n]|\Z|[ \t]+[a-z\d]))")
_STREET_ABBREVIATIONS = frozenset("st rd ave av dr ln blvd ct pl sq hwy pkwy cres tce gate gata vej út utca ul".split())
_STREET_TYPES = frozenset("st street rd road ave avenue lane ln drive dr way place pl square sq boulevard blvd".split())


class Structure:
    def __init__(self, lexicon: Lexicon, ordinary: frozenset[str], towns: Towns | None = None):
        self.towns = load_towns(lexicon) if towns is None else towns
        self.ordinary = ordinary | lexicon.common_words
        self.common_words = lexicon.common_words
        self.first_names = lexicon.first_names
        self.names = lexicon.first_names | lexicon.last_names
        self.places = lexicon.places
        self.street_words = lexicon.street_words
        self.city_affixes = lexicon.city_affixes

    def scan(self, text: str, hits: list[Hit]) -> list[Hit]:
        found = sorted(hits, key=lambda h: h[1])
        new: list[Hit] = []
        lower_doc = not any(map(str.isupper, text))  # in C, not a generator per character
        low = text.lower()
        # Each reading's regex costs a pass over the text: a substring test first skips those that cannot match.
        listed = "," in text and (" and " in low or "&" in text)
        readings: list[Iterable[Hit]] = [self._subjects(text, lower_doc), self._roles(text), self._places_after(text, lower_doc)]
        if not lower_doc:
            readings.append(self._capitals_subjects(text))
        if any(h[0] == "PERSON" for h in found):
            readings.append(self._coordinated(text, found))
            if "," in text:
                readings.append(self._between_people(text, found))
        if any(h[0] == "LOCATION" for h in found):
            readings.append(self._after_addresses(text, found))
            if "," in text:
                readings.append(self._between_places(text, found))
        if listed:
            readings += [self._lower_lists(text), self._name_lists(text, found)]
        if ":" in text:
            readings.append(self._speakers(text))
        staged = list(self._stage_directions(text)) if "[" in text else []
        if text.count(". ") + text.count(".\t") >= 3:  # three speakers' names at least, each a sentence of its own
            readings.append(self._play_speakers(text, {text[h[1] : h[2]] for h in staged}))
        readings.append(staged)
        if (
            "?" in text
            or "!" in text
            or ":" in text
            or '"' in text
            or "”" in text
            or "named" in low
            or "called" in low
            or "ex-" in low
        ):
            readings.append(self._addressees(text, low))
        if "'s" in text or "’s" in text:
            readings.append(self._possessives(text))
        if any(w in low for w in _SETTLEMENT_WORDS):
            readings.append(self._settlements(text, lower_doc))
        if "the U" in text or "The U" in text:
            readings.append(self._country_codes(text))
        if "US" in text or "U.S." in text:
            readings.append(self._bare_us(text))
        if "corner of" in low:
            readings.append(self._corners(text))
        for reading in readings:
            for h in reading:
                if not _overlaps_any(h, found) and not _overlaps_any(h, new):
                    new.append(h)
        return new

    # ---- what a word is ---------------------------------------------------------------------------

    def unknown(self, word: str, known: bool = False) -> bool:
        """A word of three letters or more that is no ordinary word or known place, and, unless `known`,
        no known name either: where the sentence alone speaks for a name (a list joined to a person), a
        known name the rules and the tagger passed over was passed over for a reason ("Bell", "Jerry");
        "St", "Mt" are abbreviations."""
        low = word.lower()
        return len(low) > 2 and low not in self.ordinary and low not in self.places and (known or low not in self.names)

    def name_word(self, word: str, lower: bool = False, known: bool = False) -> bool:
        """Capitalized (or, in lower-case text, lower-case) and unknown (`known`: or a known name)."""
        if not word[0].isalpha() or (word.isupper() and len(word) > 1 and not lower):
            return False  # "NASA", "API": acronyms, not names
        if lower != word[0].islower():
            return False
        return self.unknown(word, known)

    # ---- readings ---------------------------------------------------------------------------------

    def _subjects(self, text: str, lower_doc: bool) -> Iterable[Hit]:
        for m in _sentence_starts(text):
            start = m.end()
            opener = _OPENER.match(text, start)
            if opener is not None and opener.group(1).lower() in _OPENERS:
                start = opener.end()
            items, end = self._items(text, start, lower_doc)
            if not items:
                continue
            rest = text[end : end + 40]
            nxt = _NEXT_WORD.match(rest)
            if nxt is None:
                continue
            comma, verb = nxt.group(1), nxt.group(2)
            if len(items) == 1 and comma and verb in _VOCATIVE_NEXT and (verb in _ADDRESSED or "?" in text[end : end + 120]):
                yield from (("PERSON", a, b, 0.55) for a, b in items)
            elif comma:
                continue
            elif len(items) > 1 and (verb in _PLURAL_VERBS or verb in _PERSON_VERBS):
                yield from (("PERSON", a, b, 0.55) for a, b in items)
            elif len(items) == 1 and (
                verb in _PERSON_VERBS
                or (verb in _WEAK_VERBS or verb in _IRREGULAR_PAST or _PAST_TENSE.fullmatch(verb) is not None)
                and (_PRONOUN.search(text, end, end + _PRONOUN_REACH) is not None or _said_to_be_a_person(text, end))
            ):
                yield ("PERSON", items[0][0], items[0][1], 0.55)

    def _capitals_subjects(self, text: str) -> Iterable[Hit]:
        """A surname in capitals before a speaker's verb ("BATTIN also argued"), anywhere in a sentence."""
        for m in _CAPITALS_SUBJECT.finditer(text):
            if self._capitals_surname(m.group(1)) and not _ARTICLE_BEFORE.search(text, max(0, m.start() - 6), m.start()):
                yield ("PERSON", m.start(1), m.end(1), 0.55)

    def _capitals_surname(self, word: str) -> bool:
        """A known name, or a word no list knows that reads as one: an acronym ("OCLC", "NATDP") has few vowels."""
        low = word.lower()
        if low in self.ordinary or low in self.places or self.towns.known(low):
            return False
        letters = [c for c in low if c.isalpha()]
        return low in self.names or sum(c in _VOWELS for c in letters) >= 0.3 * len(letters)

    def _items(self, text: str, start: int, lower: bool) -> tuple[list[tuple[int, int]], int]:
        """Names joined by "and"/"&"/commas from `start`: each one or two name words."""
        items: list[tuple[int, int]] = []
        pos = end = start
        while (m := _ITEM.match(text, pos)) is not None and self.name_word(m.group(1), lower, known=True):
            end = m.end(2) if m.group(2) and self.name_word(m.group(2), lower, known=True) else m.end(1)
            items.append((m.start(1), end))
            join = _JOIN.match(text, end)
            if join is None:
                break
            pos = join.end()
        return items, end

    def _coordinated(self, text: str, found: list[Hit]) -> Iterable[Hit]:
        for entity, start, end, _ in found:
            if entity != "PERSON":
                continue
            lower = text[start:end].islower()
            pos = end
            chain: list[Hit] = []
            joined = False  # a list has an "and"/"or" in it: a comma alone may open an apposition ("Ann Lee, Acme")
            while (join := _JOIN.match(text, pos)) is not None:
                m = _ITEM.match(text, join.end())
                if m is None or not self.name_word(m.group(1), lower):
                    break
                stop = m.end(2) if m.group(2) and self.name_word(m.group(2), lower) else m.end(1)
                if re.match(rf"[ \t]+{_WORD}", text[stop:]) and not re.match(r"[ \t]+[a-z]", text[stop:]):
                    break  # a third capitalized word: a firm or a title ("St Anne's Church")
                joined = joined or join.group().strip() != ","  # "and", "&", "or", ", and"
                chain.append(("PERSON", m.start(1), stop, 0.5))
                pos = stop
            if joined:
                yield from chain
            before = re.search(rf"({_WORD})[ \t]+(?:and|&|or)[ \t]+\Z", text[max(0, start - 40) : start])
            if before and self.name_word(before.group(1), lower):
                a = max(0, start - 40) + before.start(1)
                yield ("PERSON", a, a + len(before.group(1)), 0.5)

    def _between_people(self, text: str, found: list[Hit]) -> Iterable[Hit]:
        """A list's item of two or three capitalized words right between two people the readings found ("Dean Luick,
        Pat Rankin, Mike Stephenson"): a person whatever its first word is besides ("pat"), when its last word is no
        dictionary word (a surname may be a frequent one: "Rankin") or place and the item no place found."""
        people = sorted((h for h in found if h[0] == "PERSON"), key=lambda h: h[1])
        for left, right in zip(people, people[1:]):
            m = _BETWEEN.fullmatch(text, left[2], right[1])
            if m is None:
                continue
            last = m.group(1).split()[-1].lower()
            if (
                len(last) > 2
                and last not in self.common_words
                and last not in self.places
                and not _overlaps_any(("LOCATION", m.start(1), m.end(1), 0.0), found)
            ):
                yield ("PERSON", m.start(1), m.end(1), 0.55)

    def _between_places(self, text: str, found: list[Hit]) -> Iterable[Hit]:
        """The items of a list right between two places the readings found, with nothing else found between ("Langon,
        Lamothe-Montravel, Marœuil, La Rochefoucauld"; "Boston, Chicago, Hagatna (Guam)"): places, each as `_list_place`
        allows; then the ends of a list of three places or more (`_list_ends`)."""
        ordered = sorted(found, key=lambda h: h[1])
        between: list[Hit] = []
        for left, right in zip(ordered, ordered[1:]):
            if left[0] != "LOCATION" or right[0] != "LOCATION":
                continue
            m = _BETWEEN_PLACES.fullmatch(text, left[2], right[1])
            if m is None:
                continue
            for item in re.finditer(_PLACE_ITEM, m.group(1)):
                if self._list_place(item.group()):
                    between.append(("LOCATION", m.start(1) + item.start(), m.start(1) + item.end(), 0.5))
        yield from between
        yield from self._list_ends(text, sorted([h for h in found if h[0] == "LOCATION"] + between, key=lambda h: h[1]))

    def _list_place(self, item: str) -> bool:
        """A list's item among places is one: a known place or one whose last word is none of the commonest words,
        whatever the words are besides (a surname: "Lawrence"); not a given name and more, a person's shape ("Peter
        Jones")."""
        words = item.split()
        last = words[-1].lower().rstrip(".")
        return self._known_place(item) or (
            len(last) > 2
            and last not in self.common_words  # "Monday"; a frequent word may be a town ("La Rochefoucauld")
            and not (len(words) > 1 and words[0].lower() in self.first_names)
        )

    def _list_ends(self, text: str, places: list[Hit]) -> Iterable[Hit]:
        """A list of three places or more joined by commas runs on to its ends: the items before its first and after
        its last are places too ("the free zone was Arnéguy, Orthez, [...] Vierzon, Bourges, [...] Dole, Morez, and
        Collonges"), each as `_list_place` allows, up to a word that is none."""
        chain: list[Hit] = []
        for h in [*places, None]:
            if h is not None and chain and h[1] < chain[-1][2]:
                continue  # the same place read twice (the rules' and the tagger's span)
            if h is not None and chain and _LIST_COMMA.fullmatch(text, chain[-1][2], h[1]):
                chain.append(h)
                continue
            if len(chain) >= 3:
                start, end = chain[0][1], chain[-1][2]
                while (m := _ITEM_BEFORE.search(text, max(0, start - 60), start)) and self._list_place(m.group(1)):
                    yield ("LOCATION", m.start(1), m.end(1), 0.5)
                    start = m.start(1)
                while (m := _ITEM_AFTER.match(text, end)) and self._list_place(m.group(1)):
                    # A sentence's full stop after the last item is no abbreviation's dot ("St.").
                    stop = m.group(1).endswith(".") and len(m.group(1).split()[-1]) > 4
                    yield ("LOCATION", m.start(1), m.end(1) - (1 if stop else 0), 0.5)
                    end = m.end(1)
            chain = [h] if h is not None else []

    def _name_lists(self, text: str, found: list[Hit]) -> Iterable[Hit]:
        """Three or more capitalized words in a list ("Langen, Petersen and Oppen"), each a name or unknown,
        one of them a known name, none a place found already ("Leeds, Kowalczyk and Vantrell": a list of places)."""
        places = [h for h in found if h[0] == "LOCATION"]
        for m in _in_stretches(_NAME_LIST, _LIST_STRETCH, text, ","):
            members = [(w.start() + m.start(1), w.group()) for w in re.finditer(r"[^\W\d_][\w'’-]*", m.group(1))]
            members = [(a, w) for a, w in members if w not in ("and", "&")]
            if len(members) < 3 or not all(self.name_word(w, known=True) for _, w in members):
                continue
            if any(_overlaps_any(("PERSON", a, a + len(w), 0.0), places) for a, w in members):
                continue
            if any(w.lower() in self.names for _, w in members):
                yield from (("PERSON", a, a + len(w), 0.5) for a, w in members)

    def _lower_lists(self, text: str) -> Iterable[Hit]:
        for m in _in_lower_runs(_LOWER_LIST, text):
            head = [(w.start() + m.start(1), w.group()) for w in re.finditer(r"[a-z]+", m.group(1))]
            # Only the list's tail: "they had 6: leonti, terrence" -- the list starts after the last
            # word that is no name candidate.
            members = [*head, (m.start(2), m.group(2))]
            k = len(members)
            while k > 0 and not self._ordinary_lower(members[k - 1][1]):
                k -= 1
            members = members[k:]
            known = sum(w in self.first_names for _, w in members)
            if len(members) >= 3 and known * 2 >= len(members):
                yield from (("PERSON", a, a + len(w), 0.5) for a, w in members)

    def _ordinary_lower(self, word: str) -> bool:
        return (word in self.ordinary or word in self.places) and word not in self.first_names or len(word) < 3

    def _speakers(self, text: str) -> Iterable[Hit]:
        named = [m for m in _SPEAKER.finditer(text) if all(self.name_word(w, known=True) for w in m.group(1).split())]
        lines = [m for m in named if m.group(2) in ('"', "“") or _speech(text, m.end(1))]
        if len({m.group(1) for m in lines}) >= 2:
            # A dialogue: two speakers or more say a sentence each; a short line is one of theirs too ("Kalenz:
            # Greetings, friend.").
            lines = [m for m in named if m in lines or _speech(text, m.end(1), shortest=1)]
        speakers = Counter(m.group(1) for m in lines)
        for m in lines:
            if len(speakers) >= 2 or m.group(2) in ('"', "“") or self._lone_speaker(text, m):
                # One who speaks twice is as sure as a cue's name: the text's later mentions of it are hers too.
                yield ("PERSON", m.start(1), m.end(1), SPEAKS_TWICE if speakers[m.group(1)] >= 2 else 0.55)

    def _lone_speaker(self, text: str, m: re.Match[str]) -> bool:
        """One speaker's line alone: a name no list knows (no known name either: "Deoran: I have trained with the best"),
        and a sentence after it opening with a capital, six words or more (not a program's message: "Xlib: unexpected
        async reply")."""
        line_end = text.find("\n", m.end(1))
        said = text[m.end(1) : line_end if line_end >= 0 else len(text)].lstrip(" \t:")
        return all(self.name_word(w) for w in m.group(1).split()) and said[:1].isupper() and len(said.split()) >= 6

    def _play_speakers(self, text: str, staged: set[str]) -> Iterable[Hit]:
        """A play's speakers: names standing as sentences of their own, in a text where two names at least do so
        three times or more in all (prose seldom has a name for a whole sentence; a play has one before each speech).
        A name the stage directions bring on (`staged`) is one whatever it means besides ("[Enter Lane.] Lane.")."""
        lines = [
            m
            for m in _PLAY_SPEAKER.finditer(text)
            if (name := m.group(1).split()[-1]) in staged or self.name_word(name, known=True)
        ]
        if len(lines) < 3 or len({m.group(1) for m in lines}) < 2:
            return
        for m in lines:
            yield ("PERSON", m.start(1), m.end(1), 0.55)

    def _stage_directions(self, text: str) -> Iterable[Hit]:
        """Who a stage direction brings on, takes off or has act: a person, whatever the name means besides ("Lane")."""
        for m in _STAGE_DIRECTION.finditer(text):
            group = 1 if m.group(1) else 2
            low = m.group(group).lower()
            if group == 2 and low in self.common_words and low not in self.names:
                continue  # "[All turn round.]": an ordinary word acts, not a character ("[Lane goes out.]" does)
            yield ("PERSON", m.start(group), m.end(group), 0.6)

    def _addressees(self, text: str, low: str) -> Iterable[Hit]:
        matches: list[tuple[re.Match[str], bool]] = []
        if "?" in text or "!" in text or '"' in text or "”" in text:
            matches += [(m, False) for m in _ADDRESSEE.finditer(text)]
        if "named" in low or "called" in low or "christened" in low:
            matches += [(m, text.islower()) for m in _NAMED.finditer(text)]
        if "ex-" in low:
            matches += [(m, text.islower()) for m in _FORMER.finditer(text)]
        if ":" in text and ('"' in text or "“" in text):
            matches += [(m, text.islower()) for m in _SPOKEN_TO.finditer(text)]
        for m, lower in matches:
            if self.name_word(m.group(1), lower, known=True):
                yield ("PERSON", m.start(1), m.end(1), 0.5)

    def _place_word(self, word: str, lower_doc: bool) -> bool:
        """Capitalized, in capitals ("CLERMONT-FERRAND") or, in lower-case text, lower-case; a known place, or
        unknown and no first name."""
        low = word.lower()
        if low in self.first_names or not (low in self.places or self.unknown(word)):
            return False
        return word[0].isupper() or lower_doc and word.islower()

    def _settlements(self, text: str, lower_doc: bool) -> Iterable[Hit]:
        for m in _SETTLEMENT.finditer(text):
            after = re.match(r"[ \t]+(\w)", text[m.end(1) : m.end(1) + 3])
            if after is not None and after.group(1).isupper():
                continue  # "the town of Mill Valley Partners": more capitalized words, more than a town
            if self._place_word(m.group(1), lower_doc):
                yield ("LOCATION", m.start(1), m.end(1), 0.5)

    def _corners(self, text: str) -> Iterable[Hit]:
        for m in _CORNER.finditer(text):
            for k in (1, 2):
                words = m.group(k).split()
                if any(self.unknown(w.rstrip(".")) for w in words) and not any(
                    w.lower() in self.ordinary and w.lower().rstrip(".") not in _STREET_TYPES for w in words
                ):
                    yield ("LOCATION", m.start(k), m.start(k) + len(m.group(k).rstrip(".")), 0.5)

    def _places_after(self, text: str, lower_doc: bool) -> Iterable[Hit]:
        for m in _PLACE_AFTER.finditer(text):
            words = m.group(1).split()
            if all(self._place_word(w, lower_doc) for w in words):
                yield ("LOCATION", m.start(1), m.end(1), 0.5)

    def _country_codes(self, text: str) -> Iterable[Hit]:
        for m in _COUNTRY_CODE.finditer(text):
            yield ("LOCATION", m.start(1), _initials_end(text, m), COUNTRY_CODE_PLACE)

    def _bare_us(self, text: str) -> Iterable[Hit]:
        for m in _BARE_US.finditer(text):
            code = m.group(1)
            if code == "US" and (
                _LOWER_WORD_BEFORE.search(text, max(0, m.start() - 20), m.start()) is None or _capitals_after(text, m.end())
            ):
                # "US" after a word of the sentence in lower case ("ship to US"), not "(US)", "--country US" or a run
                # in capitals ("The US NAVY"; "LET US GO" has no lower-case word before it)
                continue
            yield ("LOCATION", m.start(1), _initials_end(text, m), COUNTRY_CODE_PLACE)

    def _possessives(self, text: str) -> Iterable[Hit]:
        for m in anchored(_POSSESSIVE, text, _possessive_starts(text)):
            word = m.group(1)
            if m.group(2) not in _PERSONAL or not self.name_word(word, known=True):
                continue
            if re.search(r"\bthe[ \t]+\Z", text[max(0, m.start() - 5) : m.start()], re.I):
                continue  # "the Greenlander's": a thing or a people, not a person
            yield ("PERSON", m.start(1), m.end(1), 0.5)

    def _roles(self, text: str) -> Iterable[Hit]:
        for m in _ROLE.finditer(text):
            end = m.start() + len(m.group().rstrip(" \t"))
            word = _ROLE_WORD.search(text, max(0, end - 40), end)
            if word is None:
                continue  # digits or "_" in the word: no role word
            role = word.group().lower()
            if role not in self.ordinary or len(role) < 5:
                continue
            words = _RUN.match(text, m.end())
            if words is None:
                continue
            run = []
            for k in (1, 2, 3):
                w = words.group(k)
                if w is None or not self.name_word(w.rstrip("."), known=True):
                    break
                run.append((words.start(k), words.start(k) + len(w.rstrip("."))))
            if len(run) >= 2:
                yield ("PERSON", run[0][0], run[-1][1], 0.55)

    def _after_addresses(self, text: str, found: list[Hit]) -> Iterable[Hit]:
        for entity, start, end, _ in found:
            if entity != "LOCATION":
                continue
            if self._street(text[start:end]):
                town = _TOWN.match(text, end)
                if town is not None:
                    name = town.group(1).rstrip(".")  # "Ft. Lauderdale." ends the sentence, not the name
                    if self._town(name.split(), name.islower()):
                        yield ("LOCATION", town.start(1), town.start(1) + len(name), 0.5)
                        end = town.start(1) + len(name)
            state = _STATE.match(text, end)
            if state is not None and state.group(1) in US_STATE_CODES:
                yield ("LOCATION", state.start(1), state.end(1), 0.5)
                end = state.end(1)
            while (
                (region := _REGION.match(text, end)) is not None
                and self._known_place(region.group(1))
                and not month_by_number([(region.start(1), region.end(1), region.group(1))], text)  # "LONDON, Mar 2"
            ):
                # "Austin, Texas", "Provo, Utah, USA": the state and country after a place, each a place.
                yield ("LOCATION", region.start(1), region.end(1), 0.5)
                end = region.end(1)

    def _known_place(self, words: str) -> bool:
        low = words.lower()
        return low not in self.ordinary and (low in self.places or self.towns.known(low))

    def _street(self, span: str) -> bool:
        """A number and a word that names a street ("Lane", "gate") or no ordinary word ("Hafnarstraeti"):
        not "During 1922"."""
        words = re.findall(r"[^\W\d_]+", span.lower())
        return any(c.isdigit() for c in span) and any(
            w in self.street_words or w in _STREET_ABBREVIATIONS or self.unknown(w) for w in words
        )

    def _town(self, words: list[str], lower: bool) -> bool:
        """Town words, or affixes of town names around one ("Saint Clair", "North Berwick")."""
        affix = [w.lower().rstrip(".") in self.city_affixes for w in words]
        return not all(affix) and all(a or self._town_word(w, lower) for w, a in zip(words, affix, strict=True))

    def _town_word(self, word: str, lower: bool) -> bool:
        low = word.lower().rstrip(".")
        if low in self.places:
            return True
        return (word[0].islower() if lower else word[0].isupper()) and low not in self.ordinary


_LOWER_RUN = re.compile(r"[a-z][a-z,& \t]*")


def _in_lower_runs(pattern: re.Pattern[str], text: str) -> Iterable[re.Match[str]]:
    """`pattern.finditer(text)` for a list pattern whose matches hold only [a-z,& \\t] and an "and" or "&": run
    only on the stretches of such characters that hold one. Tried from every lower-case word of a long
    sentence, the pattern runs to the sentence's end and back each time; most stretches hold no "and". The
    end takes one character more, so a \\b there sees what follows, as in the whole text."""
    for run in _LOWER_RUN.finditer(text):
        if "and" in run.group() or "&" in run.group():
            yield from pattern.finditer(text, run.start(), min(len(text), run.end() + 1))


def _sentence_starts(text: str) -> Iterable[re.Match[str]]:
    """`_SENTENCE_START.finditer(text)`: its \\A alternative at 0 first (a match there, empty or not, leaves no
    other match at 0: one would need a space, quote or line break where a letter or the match stands), then the
    others from where it ended."""
    first = _TEXT_START.match(text)
    if first is not None:
        yield first
    yield from _LATER_START.finditer(text, 0 if first is None else first.end())


def _in_stretches(pattern: re.Pattern[str], stretch: re.Pattern[str], text: str, needed: str) -> Iterable[re.Match[str]]:
    """`pattern.finditer(text)` for a pattern whose matches are made of `stretch`'s characters and hold `needed`
    and an "and" or "&": run only on the stretches that hold them (the end one character further, so that a
    \\b there sees what follows; a look-behind sees before the start)."""
    for run in stretch.finditer(text):
        piece = run.group()
        if needed in piece and ("and" in piece or "&" in piece):
            yield from pattern.finditer(text, run.start(), min(len(text), run.end() + 1))


def _possessive_starts(text: str) -> list[int]:
    """Where `_POSSESSIVE` may match: its word and the apostrophe are one run of [\\w'’-] preceded by none, and
    "'s", spaces and a lower-case letter follow it (`_POSSESSIVE_SEED`, whose matches cannot overlap)."""
    return sorted({run_start(text, seed.start(), _RUN_BEFORE) for seed in _POSSESSIVE_SEED.finditer(text)})


def _said_to_be_a_person(text: str, end: int) -> bool:
    """The rest of the sentence calls the subject a person ("X is a very sympathetic person")."""
    stop = re.search(r"[.!?\n]", text[end : end + 120])
    clause = text[end : end + (stop.start() if stop else 120)]
    return _PERSON_NOUN.search(clause) is not None


def _speech(text: str, colon: int, shortest: int = 3) -> bool:
    """The rest of a line reads as something said: three words or more (`shortest`) and a sentence's end ("Bring
    the maps, Oskar."), not a form's value ("Geburtsort: Bad Tölz")."""
    end = text.find("\n", colon)
    line = text[colon : end if end >= 0 else len(text)].lstrip(" \t:").strip()
    return len(line.split()) >= shortest and line[-1] in ".?!\"”'"


def _overlaps_any(h: Hit, others: list[Hit]) -> bool:
    return any(h[1] < o[2] and o[1] < h[2] for o in others)


def _initials_end(text: str, m: re.Match[str]) -> int:
    """Where a country's initials (group 1 of `m`) end: a sentence's full stop after the dotted form is their own dot,
    kept off the end ("in the U.S." -> "U.S")."""
    return m.end(1) - (1 if m.group(1).endswith(".") and text[m.end(1) : m.end(1) + 1] in ("", " ", "\n") else 0)


def _capitals_after(text: str, end: int) -> bool:
    """The next word on the line, within 30 characters, is written in capitals ("US NAVY")."""
    line_end = text.find("\n", end)
    after = text[end : min(line_end if line_end >= 0 else len(text), end + 30)].split()
    word = after[0].strip(".,;:!?\"'()[]“”‘’") if after else ""
    return len(word) > 1 and word.isupper()
