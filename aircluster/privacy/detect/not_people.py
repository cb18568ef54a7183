"""Last checks on PERSON and LOCATION spans: words that name no person or place in context.

    NotPeople(lexicon).filter(text, hits, cued=False) -> hits

Both the rules and the tagger see a capitalized word and its neighbours; neither knows what the
words mean. Dropped here:
  - spans made only of frequent ordinary words that are no known name or place ("Dear Colleague",
    "Esquela", "Die Familie", "Passport"), from `frequent_words.txt.gz` (tools/pii_lists/build_common_words.py);
  - firms, clubs and venues: a name next to a word that makes it an organisation ("Keystone Realty",
    "Harbour & Vale Estates", "Sevilla FC", "Bestattungshaus Lichtblick", "St Mary's Church");
  - well-known brands, bands, shows and songs named after people ("Ted Baker", "Franz Ferdinand");
  - a city inside a time-zone name ("Europe/Paris", "America/New_York");
  - for PERSON: a name inside a quoted title of a work ('"Tao Te Ching"'), a firm in apposition ("X, a company
    famous for"), abbreviations ("R.C.Ch", "Lond. Quart."), a book cited by chapter and verse, a people ("Acadians"),
    a title and a thing's name ("Mr Potato Head"), words for peoples, faiths and ranks only ("Holy Roman Emperor",
    "Roman Catholic"; `people_words.txt.gz` and `rank_words.txt.gz`, tools/pii_lists/build_people_words.py);
  - for LOCATION: a people's plural beside another ("Greeks and Romans").
A PERSON that the words around it make a known place ("in Paris", "Phoenix, Arizona", "Rosario: a port city") is
kept as a LOCATION. `cued`: findings of people_cues.py, whose structure speaks for a name that is a frequent word.
"""

from __future__ import annotations

import re

from aircluster.privacy.detect.lexicon import Lexicon, load_frequent_words, load_people_words, load_proper_words
from aircluster.privacy.detect.mentions import in_title
from aircluster.privacy.detect.names_places import (
    ADMIN_PLACE,
    CUED_PERSON,
    FAMOUS_PERSON,
    ROLE_PERSON,
    SPEECH_VERBS,
    TITLES,
    TOWN_IN_CONTEXT,
    given_then_capitals,
)
from aircluster.privacy.detect.tagger import load_cities
from aircluster.privacy.detect.towns import COUNTRY_CODE_PLACE, US_STATE_CODES, US_STATE_NAMES, load_countries, load_regions

Hit = tuple[str, int, int, float]

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# Titles, ranks and "St": the word after them is a name whatever it means.
_TITLES = TITLES | frozenset("dame lord lady st saint dc pc ds di sgt officer inspector".split())
# Offices a speech addresses by a title ("Mr. Speaker", "Madam President"): no one's name (unlike "Miss Pope").
_OFFICES_ADDRESSED = frozenset(
    "speaker president chairman chairwoman chair secretary minister ambassador governor senator mayor".split()
)
_THE_BEFORE = re.compile(r"\b[Tt]he[ \t]+\Z")
# A firm's legal form, as firms write it ("CO", "SA" in capitals are a state's codes too), a few capitalized words
# after a name: "Suffield Financial Corp", "Pittston Co.", "Miller Tabak Hirsch and Co"; not after "of" (a person of
# a firm: "Harri Petajainen of Watkin Jones PLC").
_FIRM_FORMS = (
    "Inc INC Corp CORP Co Ltd LTD LLC LLP PLC Plc GmbH AG S.A SpA Spa N.V NV B.V BV AB Oy Group GROUP Holdings "
    "HOLDINGS Bancorp Bancshares"
).split()
_FIRM_FORM = "|".join(map(re.escape, _FIRM_FORMS))
_WORD_BEFORE = re.compile(r"([A-Z][a-z]+)[ \t]+\Z")  # a capitalized word just before: a given name?
_FIRM_AFTER = re.compile(rf"(?:[ \t]+(?:[A-Z][\w'’&-]*|and|&)){{0,3}}?[ \t]+(?:{_FIRM_FORM})\.?(?![\w'’-])")
# Words that make the name before or after them an organisation, venue or team.
_ORG_AFTER = frozenset(
    "inc inc. ltd ltd. llc llp plc gmbh ag kg e.v. sa sas sarl sl s.l. s.a. co co. corp corp. company "
    "group holdings partners associates sons brothers bros realty estates estate homes lettings "
    "properties property removals plumbing electrical solicitors law legal dental vets veterinary opticians "
    "pharmacy chemists surgery clinic hospital hospice funeralcare funerals undertakers travel tours airlines "
    "airways rail railways broadband telecom energy logistics foods farms farm brewery winery distillery "
    "market stores store shop supermarket outlet boutique fashion apparel wear designs consulting "
    "solutions systems technologies labs software digital games sports fitness gym society association "
    "federation league union council committee fund trust charity foundation ministries museum gallery "
    "theatre theater cinema stadium arena church chapel cathedral abbey hotel inn arms tavern café cafe "
    "bakery restaurant bistro kitchen bar pub salon studio studios records books press media productions "
    "films motors garage insurance bank institute university college school academy fc cf afc sc "
    "harriers rovers united athletic wanderers rangers hotspur albion fanclub club verein bestattungen "
    "outdoor luggage cycles bikes lodge centre center library libraries archive archives bibliothek "
    "bibliothèque biblioteca mediathek partnership "
    # industries a business story names firms by ("Toshin Steel", "Teles Pires Mining", "U.S. Lines")
    "steel mining oil petroleum chemical chemicals securities financial capital industries industrial resources "
    "minerals metals pharmaceuticals electronics shipping lines investments bancorp bancshares".split()
)
# Goods a brand names ("Bigelow teas", "Britt coffee", "Byrd cookies"): a name written before one of these, as its
# attribute, names the maker, not a person. Not after a verb that takes two objects ("made Anna cookies", "gave Tom tea")
# and not a possessive ("Grandma's cookies" may be hers).
_GOODS = (
    "tea teas coffee coffees cookies cookie crackers chips candy candies chocolate chocolates sauce sauces seasoning "
    "seasonings spices seed seeds snacks bars cereal granola jerky pasta noodles soup soups products brand brands treats kibble "
    "juice juices soda sodas beer beers wine wines pops gum lozenges salsa k-cups pods capsules mixes"
)
_GOODS_AFTER = re.compile(rf"[ \t]+(?:{'|'.join(_GOODS.split())})(?![\w'’-])")
_TWO_OBJECT_VERB = re.compile(
    r"\b(?:give|gave|given|giving|gives|bring|brought|brings|make|made|makes|offer|offered|offers|buy|bought|buys|get|got|"
    r"gets|send|sent|sends|serve|served|serves|pour|poured|pours|feed|fed|feeds|hand|handed|hands|cook|cooked|cooks|"
    r"bake|baked|bakes|order|ordered|orders|pack|packed|packs|fetch|fetched|owe|owed|show|showed|pass|passed|sell|"
    r"sold|sells|leave|left|let|lets|help|helped|helps)[ \t]+\Z",
    re.IGNORECASE,
)
# A shop's product title: capitalized words, then a size or a count as retailers write them ("Purina Cat Chow
# (3.5-lb bag)", "Roland Kwong Sang Tea, Passion Fruit, 2.5-Ounce Tins (Pack of 6)"); and a unit glued to its number
# ("24-Count K-cups") is no one's title.
_RETAIL_SIZE = re.compile(
    r"\d-(?:ounce|oz|pound|lb|lbs|count|ct|pack|fl|piece|pieces|gram|grams|liter|litre|quart|gallon|inch)\b|\(pack of \d",
    re.IGNORECASE,
)
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]")
_GEOGRAPHY_AROUND = re.compile(
    r"\b(?:the|\w+['’]s)[ \t]+amazon|amazon[ \t]+(?:river|region|rainforest|rain forest|basin|forest|jungle|delta)\b",
    re.IGNORECASE,
)
_UNIT_GLUED = re.compile(r"\d-\Z")
_ORG_BEFORE = frozenset(
    "club peña bestattungshaus bestattungen pompes funèbres hotel hôtel café restaurant bar pub chez "
    "university universität université universidad institute institut college collège hospital hôpital "
    "hospital klinik clinic clínica church kirche église iglesia st. st saint sankt fc sc sv vfb vfl tsv "
    "athletic atlético atletico sporting racing olympique borussia dynamo real kanzlei despacho bufete "
    "notaría cabinet étude".split()
)
# Brands, bands, shows and songs that are (or look like) a person's name; several words each, as a
# lone first name ("Florence", "Valerie") is far more often a person, and none an everyday name
# ("Paul Smith", "Ted Baker", "John Lewis" are more often people than shops).
_EPONYMS = frozenset(
    x.strip()
    for x in """
calvin klein|ralph lauren|tommy hilfiger|hugo boss|marc jacobs|michael kors|kate spade|tory burch|
giorgio armani|jimmy choo|christian dior|yves saint laurent|karl lagerfeld|stella mccartney|
vivienne westwood|alexander mcqueen|oscar de la renta|carolina herrera|jean paul gaultier|
christian louboutin|coco chanel|louis vuitton|levi strauss|
ted lasso|emily in paris|gilmore girls|downton abbey|frasier|sherlock|doctor who|ally mcbeal|hannah montana|
veronica mars|jane the virgin|anne with an e|
franz ferdinand|kaiser chiefs|florence + the machine|earth, wind & fire|pink floyd|jethro tull|
lynyrd skynyrd|fleetwood mac|duran duran|steely dan|hall & oates|simon & garfunkel|mumford & sons|
marilyn manson|alice cooper|the jimi hendrix experience|belle and sebastian|
sweet caroline|billie jean|hey jude|ruby tuesday|eleanor rigby|johnny b. goode|mr. brightside|mr brightside|
ben & jerry's|ben and jerry's|wendy's|mcdonald's|betty crocker|uncle ben's|dr pepper|
jack daniel's|johnnie walker|jim beam|captain morgan|baskin robbins|tim hortons|papa john's|
marks & spencer|sainsbury's|dr. martens|dr martens|tommy bahama|
baker mckenzie|wells fargo|morgan stanley|goldman sachs|merrill lynch|charles schwab|jp morgan|j.p. morgan|
ernst & young|johnson & johnson|procter & gamble|dean & deluca|harley davidson|harley-davidson|rolls-royce|
rolls royce|mercedes-benz|aston martin|estée lauder|walt disney|warner bros|hewlett packard|hewlett-packard|
john deere|dolce & gabbana|bang & olufsen|crate & barrel|barnes & noble|abercrombie & fitch|
werder bremen|sevilla fc|athletic bilbao|real madrid|real sociedad|real betis|new york knicks|
bayer leverkusen|leeds rhinos|sheffield wednesday|sheffield united|hamilton academical|leeds united|
west ham|west ham united|tottenham hotspur|newcastle united|crystal palace|wolverhampton wanderers|
bolton wanderers|blackburn rovers|bristol rovers|bristol city|preston north end|queen of the south|
hibernian|heart of midlothian|glasgow rangers|celtic fc|eintracht frankfurt|hertha berlin|schalke 04|
fortuna düsseldorf|union berlin|werder|olympique marseille|as monaco|stade rennais|girondins de bordeaux|
atlético madrid|atletico madrid|rayo vallecano|celta vigo|deportivo alavés|real zaragoza|real oviedo|
ac milan|inter milan|juventus|as roma|ss lazio|ajax amsterdam|psv eindhoven|feyenoord|
los angeles dodgers|new york yankees|boston red sox|chicago cubs|san francisco giants|green bay packers|
dallas cowboys|new england patriots|golden state warriors|miami heat|toronto raptors|wigan warriors|
st helens|warrington wolves|castleford tigers|
seattle sounders|boston celtics|chicago bulls|los angeles lakers|manchester united|manchester city|
aston villa|nottingham forest|queens park rangers|borussia dortmund|bayern münchen|bayern munich|
paris saint-germain|olympique lyonnais|olympique de marseille|inter miami|la galaxy|
""".replace("\n", "").split("|")
    if x.strip()
)
# Books named after their hero: a title where a work is spoken of ("reading Oliver Twist"), the hero in the story's
# own sentences ('"No," said Sherlock Holmes'), whom the evaluations label a person as they do any character.
_HERO_TITLES = frozenset(
    "david copperfield|oliver twist|jane eyre|anna karenina|harry potter|madame bovary|don quixote|robinson crusoe|"
    "tom sawyer|huckleberry finn|sherlock holmes|hercule poirot|romeo and juliet|peter pan|winnie the pooh|moby dick|"
    "dorian gray".split("|")
)
_WORK_NEAR = re.compile(
    r"\b(?i:read|reads|reading|reread|book|books|novel|novels|film|films|movie|movies|series|show|watched|watching|"
    r"musical|play|favourite|favorite|copy|chapter|adaptation|author|sequel)\b[^.!?\n]{0,30}\Z"
)
# Time-zone identifiers: "Europe/Paris", "TZID=America/New_York".
_TZ_BEFORE = re.compile(r"(?:Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)/[\w/]*$")
_TZ_REGION = re.compile(r"(?:Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific)(?=/[A-Z])")


_ROOM = re.compile(
    r"(?i)(?:court ?room|room|gate|platform|ward|bay|hall|terminal|zone|desk|counter|court|pitch"
    r"|field|lane|track|stand|block|hangar|dock|berth|stall|table|saal|raum|salle|sala)\s+\d+[a-z]?"
)
# Words before a name written in lower case: "my flatmate allen", "thanks katherine", "collected by donald".
_LOWER_NAME_CUE = re.compile(
    r"(?i)(?:\b(?:my|our|his|her|their)\s+[a-z]+|\bthanks|\bthank you|\bby|\bhi|\bhey"
    r"|\bhello|\bdear|\bcc:?|\bname is|\bcall me)\s+$"
)
_COUNT_BEFORE = re.compile(
    r"(?i)(?:(?<![\d:.,/–-])\b\d{1,3}|\b(?:two|three|four|five|six|ten|zwei|drei|vier|fünf|sechs|zehn|deux|trois|"
    r"quatre|cinq|dix|dos|tres|cuatro|cinco|diez))[ \t]+$"
)
_CUE_WORDS = frozenset("thanks thank hi hey hello dear by my".split())
_POSSESSIVE = re.compile(r"['’]s$")
# A person introducing themselves: the next word is their name, whatever it means ("call me Sully").
_SELF_NAMED = re.compile(
    r"(?i)(?:call me|called|i'm|i’m|i am|name is|named|nennen mich|heiße|heisse|m'appelle"
    r"|m’appelle|me llamo|llámame|me dicen|je suis|ich bin)\W{0,3}$"
)


# "University of (the) X": the word before "of" names what X's name is part of.
_ORG_OF = re.compile(r"\b([A-Z][\w.'’-]*)[ \t]+of[ \t]+(?:the[ \t]+)?\Z")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[ \t]+\Z")
_SAINTS = frozenset("st. st saint sankt".split())
# A Roman numeral of two letters or more ("II", "XIV"), and the eras after a year ("432 BC", "AD"): no places, though
# the place lists hold "II" and "BC" (British Columbia) as abbreviations.
_ROMAN_NUMERAL = re.compile(r"[IVX]{2,}")  # not of "M", "D", "C" or "L": "MD", "DC", "IL" are states
_ERAS = frozenset("BC AD BCE CE".split())
_YEAR_BEFORE = re.compile(r"\d[ \t]*\Z")
# The words of speech closed by a quote, then a verb of saying: '"No," said ', '"Well?" cried '.
_QUOTED_SPEAKER_BEFORE = re.compile(rf"[,!?…—-][ \t]*[\"”’'][ \t]*(?:{SPEECH_VERBS})[ \t]+\Z")
# Who is named by kin alone in a story's speech ("said Mother"): a reference, not a name.
_KIN_ALONE = frozenset("mother father mum mom dad papa mama pa ma aunt uncle grandma grandpa granny sister brother".split())
_CAPITALIZED_AFTER = re.compile(r"[ \t]+([A-Z][\w.'’-]*)")
# "R.C.Ch" written without spaces (not initials, "C.A.M. Gerlach"); "Lond. Quart.": words cut short, one after another.
_ABBREVIATED = re.compile(r"\b[^\W\d_]+\.[^\W\d_]+\.[^\W\d_]{2,}|\b[^\W\d_]{2,}\.[ \t]+[^\W\d_]+\.")
# ", a company famous for", ", the British firm.": an apposition's head noun (two words at most before it), then its end
# or a word that goes on from a noun (not ", a school teacher").
_APPOSITION = re.compile(
    r",[ \t]+(?:an?|the)[ \t]+(?:[\w-]+[ \t]+){0,2}?([a-z]+)"
    r"(?=[ \t]*(?:[,.;:)\n]|\Z)|[ \t]+(?:famous|known|based|founded|that|which|whose|from|in|of|with)\b)"
)
_ABBREVIATION_AFTER = re.compile(r"\.[ \t]+[A-Z][a-z]{1,5}\.")  # "Lond. Quart.": a title cut short, word by word
_CITATION = re.compile(r"[ \t]+[ivxlc]+\.[ \t]*\d")
_PEOPLE = re.compile(r"[^\W\d_]{3,}ians\Z")  # "Acadians", "Parisians": a people
# A people's or faith's word used as an adjective or a common noun, not as a given name: after a determiner (and
# an adjective) ("every good Christian"), or before a plural noun for people ("affected Christian thinkers").
_DETERMINER_BEFORE = re.compile(
    r"(?<![\w'’])(?:a|an|the|every|each|any|no|some|many|most|all|other|fellow|his|her|their|our|my|your)"
    r"[ \t]+(?:[a-z]+[ \t]+)?\Z",
    re.IGNORECASE,
)
_PEOPLE_JOINED_BEFORE = re.compile(r"\b([A-Z][a-z]+)(?:,?[ \t]+(?:and|or)|,)[ \t]+\Z")
_PEOPLE_JOINED_AFTER = re.compile(r"(?:,?[ \t]+(?:and|or)|,)[ \t]+([A-Z][a-z]+)\b")
_PLURAL_NOUN_AFTER = re.compile(r"[ \t]+[a-z]+(?:ers|ors|ars|ists|ians|ites)\b")
_QUOTE_MARKS = '"“”'
_ADDRESS_AFTER = re.compile(r"[ \t]*<")
_VALUE_QUOTE = re.compile(r"(?:[:=\[(]|[\"”],|\bis)[ \t]*\Z")  # 'owner: "Olsen, Kenneth"', '"name": "John Anderson"': a value
_KEY_THEN_QUOTE = re.compile(r"[ \t]*([A-Za-z_][\w.-]{0,40})[ \t]+")  # 'contact "Taneem Ahmed, Jamil Ahmed"' on its line
_WORK_KEYS = frozenset("title name album song track film movie book show series episode work subject".split())
_PLACE_PREPOSITION = re.compile(r"\b(?:in|near)[ \t]+\Z")  # not "from": "a letter from Florence" is hers
_REGION_AFTER = re.compile(r",[ \t]+([A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*)?)\b")
# A headword's gloss naming a settlement: "Trento, Trent: a city in northern Italy", "Rosario: a port city".
_SETTLEMENT_GLOSS = re.compile(
    r"(?:,[ \t]+[^\W\d_][\w'’ .-]*?)*:[ \t]+(?:an?|the)[ \t]+(?:[a-z]+[ \t]+){0,2}(?:city|town|village|capital|port|suburb)\b"
)
_HEADING_ITEMS = re.compile(r"(?:[^\W\d_][\w'’ .-]*,[ \t]+)*\Z")


_POSSESSIVE_NOUN = re.compile(r"['’]s[ \t]+[a-z]")


class NotPeople:
    def __init__(self, lexicon: Lexicon):
        self.names = lexicon.first_names | lexicon.last_names
        self.places = lexicon.places | load_cities() | load_regions() | load_countries()[0]
        self.street_words = lexicon.street_words
        self.frequent = load_frequent_words()
        self.proper_words = load_proper_words()
        # "Church", "Lodge", "Abbey" are surnames too: such words make no organisation.
        self.org_after = _ORG_AFTER - self.names
        self.org_before = _ORG_BEFORE - self.names
        self.org_words = self.org_after | self.org_before
        self.org_before_place = self.org_before - _SAINTS  # "St. Ives", "Saint-Malo" are towns
        self.first_names = lexicon.first_names
        self.last_names = lexicon.last_names
        self.people_words, self.people_names = load_people_words()
        self.city_affixes = lexicon.city_affixes

    def filter(self, text: str, hits: list[Hit], cued: bool = False) -> list[Hit]:
        """`cued`: hits a sentence's structure names people (people_cues.py): a frequent word may be one there
        ("--Thackeray.", "much as Shakespeare said"). Any other PERSON that is a known country or town, or a town
        where the words around it say so, is kept as a place."""
        out: list[Hit] = []
        for h in hits:
            if h[0] not in ("PERSON", "LOCATION"):
                out.append(h)
                continue
            h = self._without_role(text, h)
            if self.keep(text, h, cued):
                # The cued readings refuse places themselves, and a heading's repeated surname may be a town's name.
                place = not cued and h[0] == "PERSON" and self._place_not_person(text, h[1], h[2])
                out.append(("LOCATION", *h[1:]) if place else h)
        return out

    def _quoted_speaker(self, text: str, start: int, words: list[str]) -> bool:
        """The speaker right after the words of speech and a verb of saying ('"Wants with it?" said Flask', '"By the
        way," said Clown'): a story names someone there, by a nickname made of a frequent word too; not a word for kin
        or a title alone ('said Mother', 'said the Doctor' is in lower case and no hit)."""
        return _QUOTED_SPEAKER_BEFORE.search(text, max(0, start - 20), start) is not None and not any(
            w in _KIN_ALONE or w.rstrip(".") in _TITLES for w in words
        )

    def _without_role(self, text: str, hit: Hit) -> Hit:
        """A PERSON of three words or more that opens with a frequent word (the list leaves Faker's names out) and
        no title is a role before a name: "Songwriter Jarmila Chloupkova" -> "Jarmila Chloupkova"."""
        if hit[0] != "PERSON":
            return hit
        first, space, rest = text[hit[1] : hit[2]].partition(" ")
        word = first.lower()
        if space and " " in rest.strip() and word in self.frequent and word not in _TITLES and first[:1].isupper():
            return (hit[0], hit[1] + len(first) + 1, hit[2], hit[3])
        return hit

    def keep(self, text: str, hit: Hit, cued: bool = False) -> bool:
        entity, start, end, _ = hit
        span = text[start:end]
        words = [_POSSESSIVE.sub("", w.lower()) for w in _WORD.findall(span)]
        if not words:
            return True
        if any(c.isdigit() for c in span):
            # Addresses and postcodes are checked by their own rules; "Courtroom 42" names a room,
            # "2021 BY BATCH" and "ID=60412 PROTO=TCP" are no postcode and town.
            if entity != "LOCATION":
                return True
            letters = [c for c in span if c.isalpha()]
            ordinary = (
                all(c.isupper() for c in letters)
                and any(len(w) > 2 for w in words)
                and all((w in self.frequent or len(w) <= 2) and w not in self.street_words for w in words)
                and not any(w in self.names or w in self.places for w in words)
            )
            return not (_ROOM.fullmatch(span) or ordinary or text[end : end + 1] == "=")
        if _TZ_BEFORE.search(text, max(0, start - 40), start) or _TZ_REGION.match(text, start):
            return False
        if entity == "LOCATION" and hit[3] in (ADMIN_PLACE, COUNTRY_CODE_PLACE):
            return True  # "Starke County", "Lithuanian SSR", "the UAE": the kind of division or the capitals say it
        if len(words) > 1 and words[0].rstrip(".") in _TITLES:
            # "Dr. Haus": a title makes the next word a name (a title alone is none); not a thing's name with a
            # title and another capitalized word ("Mr Potato Head": frequent words no name list knows), nor an office
            # addressed ("Mr. Speaker", "Madam President": no one's name, unlike "Mr. King").
            return not (
                entity == "PERSON"
                and (
                    (
                        _CAPITALIZED_AFTER.match(text, end) is not None
                        and all(w in self.frequent and w not in self.names for w in words[1:])
                    )
                    or all(w in _OFFICES_ADDRESSED for w in words[1:])
                )
            )
        if (
            span.islower()
            and not all(w in self.names or w in self.places for w in words)
            and not _LOWER_NAME_CUE.search(text, max(0, start - 25), start)
            and not any(w in _CUE_WORDS for w in words)
        ):  # "ok thanks albertine": a cue inside
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", end)
            if any(map(str.isupper, text[line_start : line_end if line_end >= 0 else len(text)])):
                return False  # "curry leaves" in a capitalized sentence: the tagger's guess, no name
        if (
            not cued
            and not (entity == "LOCATION" and hit[3] == TOWN_IN_CONTEXT)  # "Moscow, USSR": the sentence placed it
            and not (hit[3] == ROLE_PERSON and any(w in self.proper_words for w in words))  # "President Eisenhower"
            and not (hit[3] == CUED_PERSON and self._quoted_speaker(text, start, words))  # '"Yes," said Flask'
            # "President GBAGBO": the role as names are written, the surname in capitals (a frequent word in French news)
            and not (hit[3] == ROLE_PERSON and given_then_capitals(span.split()))
            and hit[3] != FAMOUS_PERSON  # "Einstein published": a famous name alone
            and all(w in self.frequent for w in words)
            and " ".join(words) not in self.places
            and not any(w in self.names or w in self.places for w in words)
            and not _SELF_NAMED.search(text, max(0, start - 30), start)
        ):
            return False
        if entity != "PERSON":
            if (_ROMAN_NUMERAL.fullmatch(span.rstrip(".")) and span not in US_STATE_CODES) or (
                span in _ERAS and _YEAR_BEFORE.search(text, max(0, start - 8), start)
            ):
                return False  # "World War II", "Vol. II"; "500-432 BC": a number's, not "II" or British Columbia
            if (
                len(words) == 1
                and self._people_plural(words[0])
                and (self._peoples_around(text, start, end) or _THE_BEFORE.search(text, max(0, start - 5), start))
            ):
                return False  # "dead Greeks and Romans", "conquered by the Romans": a people, not the town of Romans
            if words == ["amazon"] and not _GEOGRAPHY_AROUND.search(text, max(0, start - 12), min(len(text), end + 12)):
                return False  # "ordered from Amazon": the shop; "the Amazon", "Brazil's Amazon region": the river's land
            return not self._named_after_place(text, start, end)
        if len(words) == 1 and _COUNT_BEFORE.search(text, max(0, start - 12), start):
            return False  # "zwei Tage", "3 Marks": a count of things, not a person
        if len(words) == 1 and words[0].rstrip(".") in _TITLES and _THE_BEFORE.search(text, max(0, start - 5), start):
            return False  # "the Lord said", "the Inspector smiled": a title alone after "the" names no one
        if _eponym(text, start, end):
            return False
        if text[start - 1 : start] in ('"', "'") and re.match(r"[\"']\s*:", text[end : end + 3]):
            return False  # "meta": {...}: a key in JSON, not a value
        if _ABBREVIATED.search(text, start, min(len(text), end + 1)) or _ABBREVIATION_AFTER.match(text, end):
            return False  # "R.C.Ch", "Lond. Quart.": abbreviations
        if len(words) == 1 and (_PEOPLE.search(span) or _CITATION.match(text, end)):
            return False  # "Acadians": a people, not a person; "--Mark xiv. 42": a book, its chapter and verse
        if self._people_or_rank(text, start, end, words, cued):
            return False
        if self._work_title(text, start, end, words):
            return False
        return not self._organisation(text, start, end, words)

    def _people_or_rank(self, text: str, start: int, end: int, words: list[str], cued: bool) -> bool:
        """Only words for a people, a faith or a rank and ordinary words: "Holy Roman Emperor", "Roman Catholic",
        "Swedes". Not a given name and a surname that are such words too ("Christian King"), nor one such word
        that is a name ("Christian", "Roman", "Duke") unless the words around it use it as an adjective or a
        common noun ("every good Christian ought", "affected Christian thinkers"). One word that a cued reading
        found stays: "--Pope." is Alexander Pope."""
        if not any(w in self.people_words for w in words) or not all(
            w in self.people_words or (w in self.frequent and w not in self.names) for w in words
        ):
            return False
        if len(words) > 1:  # a given name, then a surname or a word for no people ("Christian King", "Roman Polanski")
            given = words[0] in self.first_names or words[0] in self.people_names
            return not (given and (words[-1] in self.last_names or words[-1] not in self.people_words))
        if cued:
            return False  # "--Pope.": an attribution names Alexander Pope
        if words[0] not in self.names and words[0] not in self.people_names:
            return True
        return (
            _DETERMINER_BEFORE.search(text, max(0, start - 30), start) is not None
            or _PLURAL_NOUN_AFTER.match(text, end) is not None
        )

    def _peoples_around(self, text: str, start: int, end: int) -> bool:
        """Joined by "and", "or" or "," to another people's plural: "Greeks and Romans" (not "Kansas and Missouri",
        "Laos and Cambodia": places that are a people's word too)."""
        before = _PEOPLE_JOINED_BEFORE.search(text, max(0, start - 30), start)
        after = _PEOPLE_JOINED_AFTER.match(text, end)
        return any(m is not None and self._people_plural(m.group(1).lower()) for m in (before, after))

    def _people_plural(self, word: str) -> bool:
        """The plural of a people's noun ("Romans", "Swedes", "Frenchmen"); not a people's name that is a place
        too ("Alabama", "Dakota")."""
        if word not in self.people_words:
            return False
        if word.endswith("men"):
            return word[:-3] + "man" in self.people_words
        return word.endswith("s") and (word[:-1] in self.people_words or word.endswith("es") and word[:-2] in self.people_words)

    def _work_title(self, text: str, start: int, end: int, words: list[str]) -> bool:
        """Inside a quoted title of a work ('"Tao Te Ching"', '"Sledge Hammer" laments', '"Hannah and Her Sisters"'),
        not a line of dialogue ('"Thanks, Maria!"') nor a quoted name of a person ('signed "Anna Berg"')."""
        window = text[max(0, start - 80) : start]
        if not ('"' in window or "“" in window or "”" in window) or not in_title(text, start, end):
            return False  # no quote before it: in_title's walk back is not needed
        opened = max(text.rfind(q, 0, start) for q in _QUOTE_MARKS)
        closes = [p for p in (text.find(q, end) for q in _QUOTE_MARKS) if p >= 0]
        inside = text[opened + 1 : min(closes)].strip() if closes else ""
        if not inside or inside[-1] in ".,!?" or "!" in inside or "?" in inside or _VALUE_QUOTE.search(text, 0, opened):
            return False
        key = _KEY_THEN_QUOTE.fullmatch(text, text.rfind("\n", 0, opened) + 1, opened)
        if key is not None and key.group(1).lower() not in _WORK_KEYS:
            return False  # a key's quoted value (glibc's locale sources, nginx, dhcpd), no key for a work: no title
        if _ADDRESS_AFTER.match(text, min(closes) + 1):
            return False  # '"Martin v. Loewis" <martin@...>': the name an e-mail address is shown with
        if len(words) > 1 and words[0] in self.first_names:
            return False  # '"Konrad Zuse: Mein Leben"' names him
        if inside != text[start:end] or len(inside.split()) >= 3:
            return True
        # The whole quote, of one or two words: a title when a word of it is an ordinary word no name ('"Sledge Hammer"').
        return any(w in self.frequent and w not in self.names for w in words)

    def _place_not_person(self, text: str, start: int, end: int) -> bool:
        """A known place of several words, one a town's affix, not all names ("the New York theater district"); a
        known place after "in" or "near" ("a major avenue in Paris"), before a US state ("Phoenix, Arizona") or as a
        dictionary's headword glossed as a settlement ("Rosario: a port city", "Trento, Trent: a city"). A place of
        one word alone stays a PERSON: a name the lists lack may be a town too ("Chad", "Anita")."""
        low = text[start:end].lower()
        if "," in low and all(part.strip() in self.places for part in low.split(",")):
            return _SETTLEMENT_GLOSS.match(text, end) is not None and _line_start_of_heading(text, start) >= 0
        if low not in self.places:
            return False
        if low in self.first_names and _POSSESSIVE_NOUN.match(text, end):
            return False  # "in Jim's pan": a given name's, whatever town bears it too
        if " " in low and any(w in self.city_affixes for w in low.split()) and not all(w in self.names for w in low.split()):
            return True  # "New York", "Port Said": a town's affix with the words no name has
        if _PLACE_PREPOSITION.search(text, max(0, start - 12), start) is not None:
            return True
        region = _REGION_AFTER.match(text, end)
        if region is not None and (region.group(1).lower() in US_STATE_NAMES or region.group(1) in US_STATE_CODES):
            return True
        return _SETTLEMENT_GLOSS.match(text, end) is not None and _line_start_of_heading(text, start) >= 0

    def _named_after_place(self, text: str, start: int, end: int) -> bool:
        """A place inside the name of an organisation: "University of Helsinki", "Bank of the Argentine
        Nation", "Helsinki University", "Sevilla FC", "Hotel Berlin"."""
        b = _ORG_OF.search(text, max(0, start - 40), start)
        if b is not None and b.group(1).lower() in self.org_words:
            return True
        b = _WORD_BEFORE.search(text, max(0, start - 30), start)
        if b is not None and b.group(1).lower() in self.org_before_place:
            return True  # "l'église Saint-Étienne", "Hotel Berlin": a venue named after a place
        m = _CAPITALIZED_AFTER.match(text, end)
        return m is not None and m.group(1).lower().rstrip(".") in self.org_after

    def _organisation(self, text: str, start: int, end: int, words: list[str]) -> bool:
        if len(words) == 1 and words[0].rstrip(".") in self.org_after and text[start:end][:1].isupper():
            return True  # "Inc.", "Ltd": a firm's designator alone
        appos = _APPOSITION.match(text, end)
        if appos is not None and appos.group(1) in _ORG_AFTER:  # lower case after an article: no surname
            return True  # "Amstrad, a company famous for ...": what the apposition calls it
        if len(words) > 1 and (any(w in self.org_after for w in words[1:]) or words[0] in self.org_before):
            return True  # "Keystone Realty", "Club Atlético X": the span holds the designator
        after = text[end : end + 40]
        m = re.match(r"(?:\s*&\s*[A-Z][\w'’-]*)?[ \t]+([A-Z][\w.'’-]*)(?![ \t]+[a-z])", after)
        if m and m.group(1).lower().rstrip(".") in self.org_after:
            return True  # "Harbour & Vale Estates", "Sevilla FC", "Wayfarer Luggage"
        if _FIRM_AFTER.match(text, end):
            return True  # "Suffield Financial Corp", "Houston Oil Trust Inc": a legal form a few words on
        if _UNIT_GLUED.search(text, max(0, start - 2), start) or self._product_title(text, end):
            return True
        if (
            _GOODS_AFTER.match(text, end)
            and not text[start:end].endswith(("'s", "’s", "s'"))
            and not _TWO_OBJECT_VERB.search(text, max(0, start - 12), start)
        ):
            return True  # "Bigelow teas", "Britt coffee": the maker of the goods
        b = re.search(r"([A-Za-zÀ-ÿ.]+)[ \t]+$", text[max(0, start - 30) : start])
        if b and b.group(1).lower() in self.org_before and b.group(1)[0].isupper():
            return True
        return self._firm_elsewhere(text, start, end, words)

    @staticmethod
    def _product_title(text: str, end: int) -> bool:
        """Only capitalized words, numbers and punctuation after the span on its line, up to a retailer's size."""
        line_end = text.find("\n", end, end + 120)
        after = text[end : line_end if line_end >= 0 else end + 120]
        size = _RETAIL_SIZE.search(after)
        return size is not None and _LOWER_WORD.search(after, 0, size.start()) is None

    def _firm_elsewhere(self, text: str, start: int, end: int, words: list[str]) -> bool:
        """The text writes the same words elsewhere as a firm's, a legal form after them ("Viacom said" beside
        "Viacom International Inc", "Pittston said" beside "Pittston Co"), and they open with no given name: a
        business story names the firm bare once it has named it whole."""
        if words[0] in self.first_names:
            return False
        span = text[start:end]
        firm = False
        at = text.find(span)
        while at >= 0:
            if at != start and (at == 0 or not text[at - 1].isalnum()):
                given = _WORD_BEFORE.search(text, max(0, at - 30), at)
                if given and given.group(1).lower() in self.first_names:
                    return False  # "said Thomas McKiernan, McKiernan and Co chairman": the man too
                firm = firm or _FIRM_AFTER.match(text, at + len(span)) is not None
            at = text.find(span, at + 1)
        return firm


def _line_start_of_heading(text: str, start: int) -> int:
    """Where the list of headwords that `start` is in opens ("Trento, Trent: ..." for "Trent"): -1 if none."""
    line = text.rfind("\n", 0, start) + 1
    return line if _HEADING_ITEMS.fullmatch(text, line, start) else -1


def _eponym_index() -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for eponym in _EPONYMS | _HERO_TITLES:
        for word in _WORD.findall(eponym):
            index.setdefault(word, []).append(eponym)
    return index


_EPONYMS_BY_WORD = _eponym_index()


def _eponym(text: str, start: int, end: int) -> bool:
    """The span is a brand, band, show or title named after a person, or part of one; a hero's book only where a work
    is spoken of before it or the name is quoted."""
    found = _eponym_at(text, start, end)
    if found not in _HERO_TITLES:
        return found is not None
    return _WORK_NEAR.search(text, max(0, start - 40), start) is not None or text[start - 1 : start] in "\"'“‘_*"


def _eponym_at(text: str, start: int, end: int) -> str | None:
    """The known brand or title the span is, or is part of ("Florence" in "Florence + the Machine"); None if none."""
    core = text[start:end].lower()
    if core.rstrip(".") in _EPONYMS or core.rstrip(".") in _HERO_TITLES:
        return core.rstrip(".")
    candidates = _EPONYMS_BY_WORD.get(_WORD.findall(core)[0] if _WORD.search(core) else "", ())
    window = text[max(0, start - 25) : end + 25].lower()
    return next((e for e in candidates if len(e) > len(core) and core in e and e in window), None)
