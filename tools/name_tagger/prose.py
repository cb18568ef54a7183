"""English prose for training the name tagger: people and places of many countries in the constructions
ordinary writing puts them in, apart from every evaluation set.

    prose_posts(n, seed) -> Iterator[(text, [(PERSON | LOCATION, start, end)])]

`corpus.py` writes posts, chats and forms with names of four languages; this adds what prose and
letters do with names from anywhere: a name opening a sentence, a vocative ("Ilse, could you"),
possessives ("Koskinen's band"), surnames alone and in lists ("Horvat, Lund and Pereira"), a role or
trade before a name ("the cellist Ana Sousa"), speakers of a dialogue, a quotation's attribution,
addresses inside sentences and as blocks of lines (their towns in capitals or not), towns and
countries after prepositions and verbs of moving, and capitalized words that are neither (firms,
nationalities, titles of songs and books, months, holidays, headlines). Names, towns and streets
come from Faker's locales (fifty of them, transliterations included) and the shipped town list, so
most are absent from the word lists: the model must read the context.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Iterator

from aircluster.privacy.detect.lexicon import Lexicon, load_lexicon
from aircluster.privacy.detect.tagger import load_cities
from evals.pii.shapes import MONTHS
from tools.name_tagger.corpus import FIELD_VALUES, FIELDS, place_case

# Locales whose Faker names are written in Latin script (Faker's it_IT towns change between runs).
NAME_LOCALES = (
    "en_US",
    "en_GB",
    "en_IE",
    "en_AU",
    "en_NZ",
    "en_CA",
    "en_IN",
    "en_NG",
    "en_PH",
    "en_KE",
    "de_DE",
    "de_AT",
    "de_CH",
    "fr_FR",
    "fr_CA",
    "fr_BE",
    "es_ES",
    "es_MX",
    "es_AR",
    "es_CO",
    "es_CL",
    "it_IT",
    "nl_NL",
    "nl_BE",
    "pt_PT",
    "pt_BR",
    "pl_PL",
    "sv_SE",
    "da_DK",
    "no_NO",
    "fi_FI",
    "is_IS",
    "cs_CZ",
    "sk_SK",
    "hu_HU",
    "ro_RO",
    "tr_TR",
    "hr_HR",
    "sl_SI",
    "bs_BA",
    "sq_AL",
    "et_EE",
    "lv_LV",
    "lt_LT",
    "id_ID",
    "vi_VN",
    "fil_PH",
    "tl_PH",
    "yo_NG",
    "zu_ZA",
    "sw",
    "az_AZ",
    "ga_IE",
    "mt_MT",
    "lb_LU",
)
ROMANIZED = ("ja_JP", "zh_CN", "zh_TW")  # first_romanized_name / last_romanized_name
OTHER_SCRIPTS = ("el_GR", "ru_RU", "bg_BG", "uk_UA")
PLACE_LOCALES = tuple(loc for loc in NAME_LOCALES if loc != "it_IT") + ("el_GR", "ru_RU")
TITLES = ("Mr.", "Mrs.", "Ms.", "Miss", "Dr.", "Prof.", "Mr", "Mrs", "Ms", "Dr", "Sir", "Dame", "Lady", "Lord")
ROLES = (
    "the cellist",
    "songwriter",
    "the novelist",
    "producer",
    "Producer",
    "director",
    "Director",
    "the painter",
    "guitarist",
    "coach",
    "Coach",
    "Captain",
    "Senator",
    "Judge",
    "the architect",
    "photographer",
    "our neighbour",
    "my cousin",
    "my colleague",
    "the landlord",
    "Professor",
    "Inspector",
    "Sergeant",
    "Detective",
    "singer",
    "the poet",
    "journalist",
    "drummer",
    "the late",
    "former minister",
    "Bishop",
    "Father",
    "Sister",
    "Uncle",
    "Aunt",
    "Grandma",
    "Nurse",
    "Agent",
    "Officer",
    "Chef",
)

# Slots: {P} a person as people are written ({p} in lower case) (full name, first name, title + surname...), {F} a first
# name, {L} a surname ({f}, {l}: in lower case), {R} a role or trade before a name, {C} a town ({c} in lower case), {K} a country, {A} a street
# address with or without its town, {S} a street without a number, {ML} an address over several lines (a span per line), {T} a title and a surname; no entity: {O} a firm, {N} a
# nationality or language, {W} a title of a song, book or film, {M} a month or holiday, {Y} a year,
# {Q} a field and its value, {Z} a filler sentence of another language, {B} a product named like a
# person (an "Ana Lund wallet").
FRAMES = (
    "{P} is very reliable. You can always depend on her.",
    "{F} is an old friend of ours from {C}.",
    "{F}, could you send me the minutes from yesterday?",
    "{F}, would you mind closing the window?",
    "Thanks, {F}. I owe you one.",
    "Hey {F}, long time no see!",
    "Good morning, {T}. Your table is ready.",
    "I asked {F} whether {L} had signed the lease.",
    "{L} was born in {C} and studied law in {C}.",
    "{L} grew up in {C} before moving to {K} in the sixties.",
    "Born in {C}, {P} trained as a carpenter before turning to music.",
    "{R} {P} has died at the age of 81.",
    "A new album from {R} {P} is out next week.",
    "The film was directed by {P} and stars {P} and {L}.",
    "{L}'s second novel, {W}, sold poorly at first.",
    "I'm {F}'s daughter, and this is my brother {F}.",
    "We stayed with {F}'s parents near {C}.",
    "{L} and {L} were partners for twenty years.",
    "The firm was founded by {L}, {L} and {L} in a garage.",
    "Present: {P}, {P}, {P}. Apologies: {P}.",
    "The guests were {F}, {F}, {F} and {F}.",
    "we invited {f}, {f} and {f} but only {f} came",
    "{P} said the bridge would reopen in {M}.",
    '"We are not going anywhere," said {P}.',
    '"I never wanted to be famous," {L} told reporters in {C}.',
    "According to {R} {L}, the results were encouraging.",
    "{F}: Where were you last night?\n{F}: At home, with {F}.",
    "{F}: I'm leaving for {C} tomorrow.\n{F}: Already? Call me when you land.",
    "-- {P}",
    "Life is what happens while you are busy making other plans.\n\t\t-- {P}",
    "Letters for {P} should go to {A}.",
    "{P} lives at {A}.",
    "They moved to {A} last spring.",
    "Please ship the order to {A}.",
    "The meeting will be held at {A}.",
    "My new address is {A}, in case the card gets lost.",
    "The shop on {S} closed after the fire.",
    "Turn left at the corner of {S} and {S}.",
    "The bus stops on {S} every ten minutes.",
    "She rented a flat on {S} near the station.",
    "We drove back to {C} through the night.",
    "The conference moves to {C} next year.",
    "He flew from {C} to {C} with two suitcases.",
    "There is a good market in {C} on Saturdays.",
    "The river floods {C} almost every spring.",
    "Greetings from {C}, {K}!",
    "{C} is a small town in the north of {K}.",
    "{K} and {K} signed the treaty in {C}.",
    "Where: {C} Community Hall\nWhen: {M}, 7pm",
    "Venue: {C} Town Hall",
    "Our family comes from {K}, my mother from {C}.",
    "I'm originally from {C}.",
    "The letter was posted in {C} on the first of {M}.",
    "{P} and {P} represented {K} at the games.",
    "{O} opened an office in {C} in {M}.",
    "{O} is a {N} company based in {C}.",
    "The {N} team won the final against {K}.",
    "She speaks {N}, {N} and a little {N}.",
    "They played {W} as an encore.",
    "Their best song is still {W}.",
    "Shares of {O} fell after the report.",
    "The office is closed in {M}.",
    "Happy {M} to all our readers!",
    "Dear {T},\n\nThank you for your letter of {M}.\n\nYours sincerely,\n{P}",
    "Hi {F},\nthe parcel arrived today. Say hello to {F}!\n{F}",
    "Kind regards,\n{P}\n{O}",
    "Regards,\n{F}",
    "{P}\n{A}",
    "{P}\n{ML}",
    "Ship to:\n{P}\n{ML}",
    "Return address:\n{ML}",
    "please call {f} back, she is at her mum's in {c}",
    "my name is {p} and i live in {c}",
    "{l} is the best teacher we ever had",
    "Billing address: {P}\n{ML}",
    "Deliver to {P}\n{ML}",
    "{P}\n{O}\n{ML}",
    "{P}\n{A}\n{K}",
    "Remember me, {F}? We met in {C}.",
    '{F} shouted at {F}: "Stop!"',
    "She named the baby {F}.",
    "Unlike the {L} novel, this one has a happy ending.",
    "The {L} report was leaked to the press.",
    "{F} spent two years at {O} before joining us.",
    "{F} sold the house and moved to {C}.",
    "{L} and {L} were partners for a decade.",
    "The {C} bridge is closed for repairs.",
    "{C} station was packed this morning.",
    "The festival brings musicians from all over the world to {C} to play together.",
    "Our team in {C} reports to {P}.",
    "{P}, {R} at {O}, will give the keynote.",
    "The parcel is waiting at the post office in {C}, {K}.",
    "{O} and {O} agreed to merge.",
    "During {Y}, {O} doubled its staff.",
    "In {Y} the company moved its headquarters.",
    "We are proud {N}s.",
    "Cash can be taken from any ATM in town.",
    "{Q}\n{Q}",
    "{Q}\n{Q}\n{Q}",
    "{Q}\nNotes: {Z}",
    "{Z}",
    "{Z} {Z}",
    "{F}: {Z}",
    "I bought the {B} on sale.",
    "Item: {B}\nQty: 2",
    "Our best seller this month is the '{B}'.",
    "The {B} comes in three colours.",
    "The Weather Is Lovely Today And The Garden Is Full Of Birds.",
    "Breaking News: Storm Closes Roads Across The Region",
    "Customer Satisfaction Survey Results",
    "Nobody knew what to say when the lights went out.",
    "Everything was fine until the second week.",
    "Honestly, the service was slow but the food was great.",
    "Twenty years later the house still stands.",
    "Stay calm and carry on.",
)
# More of what people do with names and places, in other constructions than the frames above: a title or
# role word in capitals before a name, lists with "&" or a serial comma, possessives inside a phrase,
# names as objects of a verb, chat in lower case, US, Canadian and Australian address blocks with a
# state or province, towns before or after a postcode; and capitalized words that are neither (coined
# product, drug and software names {D}, job titles {J}) where a name could stand.
MORE_FRAMES = (
    "{J} {P} resigned on Friday.",
    "Chairman {L} declined to comment.",
    "The interview with Bassist {P} runs on page six.",
    "Ex-{O} engineer {P} now runs a bakery in {C}.",
    "{P}, {J} at {O}, joined the call.",
    "Lead vocalist {FL} wrote most of the lyrics.",
    "Our thanks go to {L}, {L}, and {L} for the photographs.",
    "{F} & {F} got married in {C} last June.",
    "Band members: {FL} (drums), {FL} (bass) & {FL} (vocals).",
    "Written by {L} & {L}.",
    "It was the last thing {F}'s brother wanted to hear.",
    "Nobody liked {L}'s plan, least of all {F}.",
    "Is that {F}'s car outside?",
    "The house between {F}'s place and the church burned down.",
    "They named their son {F}.",
    "I haven't heard from {F} since {M}.",
    "Somebody should tell {F} the news.",
    "We all waited for {FL} outside the court.",
    "{F} hugged {F} and left without a word.",
    "The prize went to {P} of {C}.",
    "{P} ({Y}-{Y}) was a {N} mathematician.",
    "In {Y}, {P} became the first woman to climb it.",
    "{f} said she'd be late again",
    "lol {f} you're hilarious",
    "ask {f} about the keys, i gave them to her",
    "{f} and {f} are coming too, is that ok?",
    "me and {f} went to {c} for the weekend",
    "did {fl} ever pay you back?",
    "{FL}\n{US}",
    "Ship to: {P}\n{US}",
    "Mailing address:\n{P}\n{US}",
    "Please update my address to {USL}.",
    "She grew up in {C}, {ST}, and moved to {C}, {ST} after college.",
    "Our office in {C}, {ST} is closed today.",
    "Greetings from sunny {C}, {ST}!",
    "Postcode {Z5} {C} is where the parcel got stuck.",
    "The depot in {C} {Z5} ships every weekday.",
    "Take {D} 20 mg twice daily with food.",
    "Stop taking {D} if the rash comes back.",
    "{D} tablets, 30 count",
    "We upgraded {D} to version 3.2 last night.",
    "The {D} plugin crashes on start-up.",
    "Install {D} and restart the service.",
    "{D} Pro is now available in {C}.",
    "Results for {D} were within the normal range.",
    "{J} wanted: apply by {M}.",
    "The {J} signed off the budget.",
    "Meet The Team",
    "Terms And Conditions Apply",
    "Order Summary",
    "Frequently Asked Questions",
    # headings, labels and form lines of ordinary words (German capitalizes every noun): no names
    "{H}",
    "{H}\n{Q}\n{Q}",
    "{H}:\n{Q}",
    "{G}: {Z}",
    "{G}: {M} {Y}",
    "{H} · {M} {Y}",
    "{G} {Z}",
    "{Z}\n{G}: {Z}",
)
# Labels of fields and headings, capitalized and no names ("Kollekte: 7,50 €" is no speaker)
LABELS = tuple(
    sorted(
        {w for words in FIELDS.values() for w in words}
        | {
            "Notes",
            "Note",
            "Update",
            "Reminder",
            "Agenda",
            "Minutes",
            "Summary",
            "Remarks",
            "Hinweis",
            "Anmerkung",
            "Bemerkung",
            "Erinnerung",
            "Zusammenfassung",
            "Remarques",
            "Rappel",
            "Résumé",
            "Notas",
            "Resumen",
            "Recordatorio",
            "Opmerking",
            "Samenvatting",
            "Uwagi",
            "Poznámka",
            "Megjegyzés",
            "Huomautus",
            "Anmärkning",
        }
    )
)
PRODUCTS = (
    "wallet",
    "handbag",
    "jacket",
    "guitar",
    "sofa",
    "lamp",
    "perfume",
    "sneakers",
    "watch",
    "bike",
    "scarf",
    "backpack",
    "armchair",
    "dress",
    "kettle",
)
# States and provinces as addresses write them: codes and names
STATES = (
    "NY",
    "CA",
    "TX",
    "FL",
    "WA",
    "OR",
    "IL",
    "MA",
    "PA",
    "OH",
    "GA",
    "NC",
    "MI",
    "NJ",
    "VA",
    "AZ",
    "CO",
    "MN",
    "ON",
    "QC",
    "BC",
    "AB",
    "NSW",
    "VIC",
    "QLD",
    "WA",
    "New York",
    "California",
    "Texas",
    "Ontario",
    "Oregon",
    "Queensland",
    "Victoria",
    "Nevada",
    "Maine",
    "Vermont",
    "Georgia",
    "Alberta",
)
_SYLLABLES = ("ra", "lo", "xi", "ven", "tor", "mab", "zen", "cor", "ami", "pra", "dex", "li", "quo", "tri", "sta", "no", "vi")
_ENDINGS = ("ol", "ine", "ex", "ix", "an", "um", "ia", "ify", "ora", "io", "ax", "yn")


def named_after_person(city: str, lex: Lexicon, real: frozenset[str]) -> bool:
    """A made-up town with a word that is a first name or a surname in it (Faker's "Lake Daniel")."""
    if city.lower() in real:
        return False
    return any(w in lex.first_names or w in lex.last_names for w in city.lower().replace("-", " ").split())


def coined_word(r: random.Random) -> str:
    """A made-up capitalized product, drug or software name ("Loventix"): unknown like a name, but no name."""
    word = "".join(r.choice(_SYLLABLES) for _ in range(r.randint(1, 3))) + r.choice(_ENDINGS)
    return word.capitalize() if r.random() < 0.85 else word.upper()


# Faker's filler sentences in languages that capitalize nouns or write other words than English
FILLER_LOCALES = ("de_DE", "de_AT", "nl_NL", "fr_FR", "es_ES", "pl_PL", "da_DK", "sv_SE")


class Pools:
    """Names, towns, streets and countries of many countries, built once with a seed."""

    def __init__(self, seed: int, per_locale: int = 60):
        from faker import Faker

        rng = random.Random(seed)
        self.rng = rng
        lex = load_lexicon()
        real = frozenset(load_cities() | lex.places)
        self.first: list[str] = []
        self.last: list[str] = []
        self.cities: list[str] = []
        self.streets: list[tuple[str, str]] = []  # (street with number, street alone)
        self.blocks: list[str] = []  # addresses over several lines
        for i, loc in enumerate(NAME_LOCALES + ROMANIZED + OTHER_SCRIPTS):
            f = Faker(loc)
            f.seed_instance(seed + i)
            k = per_locale // 3 if loc in OTHER_SCRIPTS else per_locale
            if loc in ROMANIZED:
                self.first += [f.first_romanized_name() for _ in range(k)]
                self.last += [f.last_romanized_name() for _ in range(k)]
                continue
            self.first += [f.first_name() for _ in range(k)]
            self.last += [f.last_name() for _ in range(k)]
            if loc in PLACE_LOCALES:
                for _ in range(k // 3):
                    city = f.city()
                    if named_after_person(city, lex, real):
                        continue  # "Lake Daniel", "North Teresa": a town made of a first name teaches names are towns
                    self.cities.append(city)
                    street = " ".join(f.street_address().split())
                    name = " ".join(w for w in street.split() if not any(c.isdigit() for c in w))
                    self.streets.append((street, name or street))
                    code = f.postcode()
                    town = city.upper() if rng.random() < 0.3 else city
                    unit = rng.choice(["", "", f"\nApt. {rng.randint(1, 99)}", f"\nFlat {rng.randint(1, 40)}"])
                    country = rng.choice(["", "", f"\n{f.current_country()}"])
                    self.blocks.append(f"{street}{unit}\n{rng.choice([f'{code} {town}', f'{town} {code}', town])}{country}")
        towns = sorted(p for p in real if p.replace(" ", "").replace("-", "").isalpha())
        self.cities += [place_case(p) for p in rng.sample(towns, min(len(towns), len(self.cities)))]
        self.filler = []
        for i, loc in enumerate(FILLER_LOCALES):
            f = Faker(loc)
            f.seed_instance(seed + 500 + i)
            self.filler += [f.sentence(nb_words=rng.randint(5, 12)).replace("{", "(").replace("}", ")") for _ in range(60)]
        en = Faker("en_US")
        en.seed_instance(seed)
        self.countries = sorted({en.country() for _ in range(400)})
        # firms named after people and towns: "Latham plc", "Louisiana-Pacific Corporation"
        self.orgs = sorted({en.company() for _ in range(300)})
        self.orgs += [
            f"{rng.choice(self.last)} {rng.choice(['plc', 'Inc.', 'Holdings', 'Group', 'Corporation', 'SA', 'GmbH', 'Ltd'])}"
            for _ in range(150)
        ]
        self.nations = [
            "French",
            "German",
            "Polish",
            "Hungarian",
            "Icelandic",
            "Czech",
            "Japanese",
            "Brazilian",
            "Greek",
            "Turkish",
            "Croatian",
            "Finnish",
            "Dutch",
            "Swedish",
            "Norwegian",
            "Danish",
            "Spanish",
            "Portuguese",
            "Irish",
            "Scottish",
            "Welsh",
            "Chinese",
            "Korean",
            "Nigerian",
        ]
        self.works = [
            '"Blue Morning"',
            '"The Long Road Home"',
            '"Paper Moon"',
            '"Winter Light"',
            '"A Song For The Road"',
            '"Silver Lining"',
            '"Autumn Leaves"',
            '"The Quiet Hour"',
        ]
        self.months = [
            *MONTHS["en"],
            "Easter",
            "Christmas",
            "Labor Day",
            "Thanksgiving",
        ]
        self.jobs = sorted({en.job().split(",")[0].title() for _ in range(200)})
        self.words = []  # ordinary words of five languages, for headings and labels
        for i, loc in enumerate(("en_US", "de_DE", "fr_FR", "es_ES", "nl_NL")):
            f = Faker(loc)
            f.seed_instance(seed + 700 + i)
            self.words += [w for w in f.words(nb=300) if w.isalpha() and len(w) > 2]
        self.words = sorted(set(self.words))
        self.us_streets = sorted({en.street_address() for _ in range(300)})
        for pool in (self.first, self.last, self.cities):
            pool[:] = sorted({x for x in pool if x})
            rng.shuffle(pool)
        self.streets[:] = sorted({x for x in self.streets if x[0]})
        rng.shuffle(self.streets)
        self.blocks[:] = sorted({x for x in self.blocks if x})
        rng.shuffle(self.blocks)

    def person(self) -> str:
        r = self.rng
        first, last = r.choice(self.first), r.choice(self.last)
        u = r.random()
        if u < 0.5:
            return f"{first} {last}"
        if u < 0.6:
            return f"{first} {r.choice('ABCDEFGHJKLMNPRSTW')}. {last}"
        if u < 0.72:
            return f"{r.choice(TITLES)} {last}"
        if u < 0.8:
            return f"{r.choice(TITLES)} {first} {last}"
        if u < 0.9:
            return first
        return f"{first} {last}-{r.choice(self.last)}" if r.random() < 0.5 else f"{first} {r.choice(self.last)} {last}"

    def us_address(self, one_line: bool) -> list[tuple[str, str | None]]:
        """Pieces of "street, town, ST zip" (on one line, or over two or four lines, indented or not)."""
        r = self.rng
        street, city, state = r.choice(self.us_streets), r.choice(self.cities), r.choice(STATES)
        code = f"{r.randint(10000, 99999)}" if r.random() < 0.7 else f"{r.randint(1000, 9999)}"
        if r.random() < 0.2:
            city, street = city.upper(), street.upper()
        if one_line:
            return [(street, "LOCATION"), (", ", None), (city, "LOCATION"), (", ", None), (state, "LOCATION"), (f" {code}", None)]
        pad = r.choice(["", "", "  ", "    "])
        if r.random() < 0.5:
            return [
                (pad, None),
                (street, "LOCATION"),
                ("\n" + pad, None),
                (city, "LOCATION"),
                (", ", None),
                (state, "LOCATION"),
                (f" {code}", None),
            ]
        return [
            (pad, None),
            (street, "LOCATION"),
            ("\n" + pad, None),
            (city, "LOCATION"),
            ("\n" + pad, None),
            (state, "LOCATION"),
            ("\n" + pad + code, None),
        ]

    def address(self) -> str:
        r = self.rng
        street = r.choice(self.streets)[0]
        u = r.random()
        if u < 0.4:
            return street
        city = r.choice(self.cities)
        if u < 0.55:
            city = city.upper()
        return f"{street}, {city}" if r.random() < 0.6 else f"{street}, {r.randint(1000, 99999)} {city}"

    def value(self, slot: str) -> tuple[str, str | None]:
        r = self.rng
        if slot in "Pp":
            v = self.person()
            return (v.lower() if slot == "p" else v), "PERSON"
        if slot in "Ff":
            v = r.choice(self.first)
            return (v.lower() if slot == "f" else v), "PERSON"
        if slot in "Ll":
            v = r.choice(self.last)
            return (v.lower() if slot == "l" else v), "PERSON"
        if slot == "T":
            return f"{r.choice(TITLES)} {r.choice(self.last)}", "PERSON"
        if slot in "Cc":
            v = r.choice(self.cities)
            return (v.lower() if slot == "c" else v.upper() if r.random() < 0.1 else v), "LOCATION"
        if slot == "K":
            return r.choice(self.countries), "LOCATION"
        if slot == "A":
            return self.address(), "LOCATION"
        if slot == "S":
            return r.choice(self.streets)[1], "LOCATION"
        if slot == "R":
            return r.choice(ROLES), None
        if slot == "O":
            return r.choice(self.orgs), None
        if slot == "N":
            return r.choice(self.nations), None
        if slot == "W":
            return r.choice(self.works), None
        if slot == "M":
            return r.choice(self.months), None
        if slot == "B":  # a product named like a person: the noun after it says so
            return f"{r.choice(self.first)} {r.choice(self.last)} {r.choice(PRODUCTS)}", None
        if slot == "Q":
            return f"{r.choice(LABELS)}: {r.choice(FIELD_VALUES)}", None
        if slot == "Z":
            return r.choice(self.filler), None
        if slot == "Y":
            return str(r.randint(1900, 2030)), None
        if slot in ("FL", "fl"):
            v = f"{r.choice(self.first)} {r.choice(self.last)}"
            return (v.lower() if slot == "fl" else v), "PERSON"
        if slot == "D":
            return coined_word(r), None
        if slot == "G":
            return r.choice(self.words).capitalize(), None
        if slot == "H":
            v = " ".join(r.choice(self.words) for _ in range(r.randint(1, 3)))
            return (v.upper() if r.random() < 0.3 else v.title()), None
        if slot == "J":
            return r.choice(self.jobs), None
        if slot == "ST":
            return r.choice(STATES), "LOCATION"
        if slot == "Z5":
            return f"{r.randint(1000, 99999)}", None
        raise ValueError(f"prose: unknown slot {{{slot}}}")


def render(frame: str, pools: Pools) -> tuple[str, list[tuple[str, int, int]]]:
    parts: list[str] = []
    spans: list[tuple[str, int, int]] = []
    pos = i = 0
    while i < len(frame):
        j = frame.find("{", i)
        literal = frame[i:] if j < 0 else frame[i:j]
        parts.append(literal)
        pos += len(literal)
        if j < 0:
            break
        k = frame.index("}", j)
        slot = frame[j + 1 : k]
        if slot in ("US", "USL"):  # a North American or Australian address: street, town, state as spans
            for piece, entity in pools.us_address(one_line=slot == "USL"):
                parts.append(piece)
                if entity:
                    spans.append((entity, pos, pos + len(piece)))
                pos += len(piece)
        elif slot == "ML":  # an address block: each line a span of its own
            block = pools.rng.choice(pools.blocks)
            for n, line in enumerate(block.split("\n")):
                if n:
                    parts.append("\n")
                    pos += 1
                parts.append(line)
                spans.append(("LOCATION", pos, pos + len(line)))
                pos += len(line)
        else:
            value, entity = pools.value(slot)
            parts.append(value)
            if entity:
                spans.append((entity, pos, pos + len(value)))
            pos += len(value)
        i = k + 1
    return "".join(parts), spans


def prose_posts(n: int, seed: int) -> Iterator[tuple[str, list[tuple[str, int, int]]]]:
    """`n` posts of one to four sentences, a few of them lower-cased or upper-cased whole."""
    pools = Pools(seed)
    rng = pools.rng
    for _ in range(n):
        text, spans = "", []
        for k in range(rng.randint(1, 4)):
            sentence, s_spans = render(rng.choice(FRAMES if rng.random() < 0.6 else MORE_FRAMES), pools)
            # after a signature or a heading (no closing punctuation) a new line, as people write
            sep = "" if k == 0 else rng.choice([" ", " ", "\n", "\n\n"]) if text[-1] in '.!?"' else "\n"
            base = len(text) + len(sep)
            text += sep + sentence
            spans += [(e, s + base, t + base) for e, s, t in s_spans]
        u = rng.random()
        if u < 0.04:  # quoted in a reply: "> " before every line
            text, spans = _quoted(text, spans)
        elif u < 0.09:
            text = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        elif u < 0.10:
            text = "".join(c.upper() if len(c.upper()) == 1 else c for c in text)
        yield text, spans


def _quoted(text: str, spans: list[tuple[str, int, int]]) -> tuple[str, list[tuple[str, int, int]]]:
    """Every line prefixed with "> ", as a reply quotes a message (no span crosses a line)."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    out = "".join("> " + line for line in text.splitlines(keepends=True))
    return out, [(e, s + 2 * (bisect_right(starts, s)), t + 2 * (bisect_right(starts, s))) for e, s, t in spans]
