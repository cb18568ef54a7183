"""The "harbor" evaluation family: labeled synthetic records written without reading the detector.

Written without reading the detector's code, its word lists, its configuration, its tagger or any of
its results; the records and their framing are new, not rephrasings of the "tuning", "heldout",
"blind", "fresh", "sealed" or "vault" families. It is meant to be scored once, to say how the detector
does on text nobody has tuned on: never change the detector while looking at its results on these
posts, and never tune on them.

What a post looks like. Each post is one document of a kind that passes through a company's systems,
in one of the styles in HARBOR_STYLES: a hotel registration card, a pharmacy label or e-prescription,
a lab result report header, bank statement lines with SEPA transfers, a payslip, a US tax form excerpt
(W-2 / 1099 boxes), a loan or mortgage application, a car rental agreement, a parking or traffic fine
notice, a utility bill or meter letter, a veterinary record (owner and pet), a `curl -v` HTTP dump
("*", ">" and "<" lines), a CI pipeline log with leaked tokens, a forwarded e-mail's header chain
(Received: from host [IP]), a vCard export, a chatbot conversation (User / Assistant turns), SRT
subtitles of an interview or vlog, a press release with a media-contact block, a reference letter or
job offer, a passport or ID-card scan with MRZ lines, a customs declaration or shipping manifest, a
lost-and-found or neighbourhood-watch notice, a JSON API payload (a user object with a nested
address) and YAML seed data or a config map holding customers. About a fifth of the posts (60% of those drawn in de_DE, fr_FR or es_ES) are written in
the locale's own language (HARBOR_LOCAL: hotel cards, fine notices, veterinary records and payslips
in German, French and Spanish). Every post holds one line that names its topic (the `label`, one of
synth.TOPICS) and 1-5 lines that carry PII or only look like it (`pii_rate` decides), inside the
style's header and footer.

Value shapes (see `HarborValues`): names in full, first only, surname only, "SURNAME, Given",
"Surname, Given", ALL CAPS, lower case, initials ("R. Okafor", "R.A. Okafor"), a middle initial,
titles and honorifics per language ("Mx", "Herr Dr.", "Mme", "Dña."), suffixes ("Jr.", "III"),
particle and compound surnames ("van den Heuvel", "del Castillo", "Ó Súilleabháin"), hyphenated
surnames, names that are words ("Hope", "Baker"), and Indian and Yoruba names in English posts;
places as street addresses per locale with units, one-line addresses, address blocks over two to
four lines, postcode and town, bare towns, regions, lower-case towns; phones in national and
international forms per locale (with extensions, E.164); Luhn-valid cards of several brands
(plain, in fours with spaces or dashes, Amex 4-6-5); valid IBANs (DE, GB, FR, ES, NL, IT, BE, AT,
CH, IE; plain or in fours); SSNs with dashes, spaces or none; IPv4, IPv6 (compressed and full);
http(s) URLs with paths and queries; birth dates in ISO, numeric (also two-digit years), spelled
out in English, German, French and Spanish, and year-less birthdays; secrets as vendor-shaped keys
(AWS, GitHub, GitLab, Stripe, Slack, Google, SendGrid, npm, OpenAI-style), bearer tokens, JWTs,
session cookies, passwords in key=value and prose, passwords in connection strings, URLs that carry
credentials, and PEM private-key blocks (also JSON-escaped).

Distractors that carry no label: booking references, flight and ticket numbers, frequent-flyer
numbers, room numbers, NDC codes, drug names and doses, lab reference ranges, batch and lot
numbers, policy, meter, employee, invoice, case and tracking numbers, microchip numbers, container
numbers, HS codes, VINs, number plates, EINs, BIC/SWIFT codes, UK sort codes with account numbers
that are not IBANs, card-length numbers that fail the Luhn check, IBAN-like strings that fail
mod-97, four-part version strings (10.2.3.4), timestamps, SRT timecodes, request IDs, hashes, UUIDs,
ordinary dates (issue, expiry, travel, payment, appointment, offence dates), e-mail Message-IDs
(<uuid@mail.example.com>: not a mailbox), internal host names, pet names, drug names,
brands with people or places in their names ("Tim Hortons", "Boston Scientific"), airports and
airlines, hotel names, street-like product names ("Baker Street Gin"), job titles, and MRZ lines.

Labeling convention: the vault family's (see `synth_vault`), exactly:
  - every value inserted through an upper-case slot {ENTITY} or {ENTITY.shape} gets exactly one gold
    span of that entity covering the value and nothing else (an address block: one span per line);
    lower-case slots and literal template text get none, so spans never overlap and never include
    quotes, brackets, "@", "mailto:", "Bearer ", "password=" or a cookie's name;
  - PERSON covers the name as written, a title, honorific or suffix written with it included ("Herr
    Dr. Weber", "John Hale Jr."); pets, brands, hotels and airlines are not people;
  - LOCATION covers street addresses, postcode-and-town, and a bare town or region used as a place
    where someone lives, is, works, goes or was born; a city inside a brand, hotel or airport name is
    not a location; a venue's name is not, its address is;
  - an address written over several lines is one LOCATION span per line;
  - DATE_OF_BIRTH only where the text makes the date a birth date; issue, expiry, travel, payment,
    appointment and offence dates are not;
  - URL means an http(s) address; a URL that carries a credential (user:password@, a token in the
    query) is one SECRET span over the whole URL; SECRET otherwise covers only the key, token or
    password;
  - an e-mail address or URL that contains a name is only the EMAIL_ADDRESS / URL.
What this family adds (decisions the others did not have to make):
  - MRZ lines on passport and ID scans carry no span: the name, birth date and document number there
    are machine-encoded ("P<GBROKAFOR<<ROSE<ADA<<<<"), glued to the country code and fillers, not
    written as a name or a date; the visual zone above them is labeled as any form is;
  - a date inside a JSON/vCard field named for birth ("birthDate", "BDAY") is a DATE_OF_BIRTH;
  - a session cookie's value is a SECRET, the cookie's name is not part of it.
"""

from __future__ import annotations

import ipaddress
import random
import re
import string
import unicodedata
from collections.abc import Iterator, Sequence
from datetime import date

from faker import Faker

from aircluster.privacy.detect.lexicon import is_unseen
from evals.pii.family_types import FAMILY_ENTITIES
from evals.pii.shapes import ALNUM, HEX, MONTHS, fail_luhn, hms, iban_check_digits, luhn_digit, pick
from evals.pii.synth import TOPICS, Span, check_name_pool, draw_setting, make_fakers, without_style
from evals.pii.templates import ADDRESS_LINES, PostWriter, render_slots

LOCAL_RATE = 0.6  # share of de_DE / fr_FR / es_ES posts written in the locale's language

_DIGITS = string.digits
_UPPER = string.ascii_uppercase
_B64URL = string.ascii_letters + string.digits + "-_"

SLOT = re.compile(r"\{(\w+)(?:\.(\w+))?\}")
_CARD_RUN = re.compile(r"(?<![\w-])\d(?:[ -]?\d){11,18}(?![\w-])")


def _ascii(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


# ---- word pools ----------------------------------------------------------------------------------------

TITLES = {
    "en": ("Mr", "Mrs", "Ms", "Mx", "Dr", "Dr.", "Prof.", "Mr.", "Mrs.", "Miss", "Rev."),
    "de": ("Herr", "Frau", "Dr.", "Herr Dr.", "Frau Dr.", "Prof. Dr.", "Frau Prof."),
    "fr": ("M.", "Mme", "Mlle", "Dr", "Pr", "Me", "Monsieur", "Madame"),
    "es": ("Sr.", "Sra.", "D.", "Dña.", "Dr.", "Dra.", "Don", "Doña"),
}
SUFFIXES = ("Jr.", "Sr.", "III", "II", "Jr")
PARTICLE_SURNAMES = (
    "van den Heuvel",
    "de la Torre",
    "del Castillo",
    "Ó Súilleabháin",
    "von der Heide",
    "de Almeida",
    "van Rijn",
    "Mac an tSaoir",
    "ben Youssef",
    "de Saint-Exupéry",
    "da Costa",
    "zu Eltz",
    "Fitz-Simons",
    "dela Peña",
    "St. Clair",
    "de Groot",
    "Ní Dhomhnaill",
    "al-Masri",
    "van 't Hof",
    "de los Ríos",
)
# first names and surnames that are also ordinary English words
WORD_FIRST = (
    "Hope",
    "Grace",
    "Faith",
    "Joy",
    "Summer",
    "Hunter",
    "Dawn",
    "Iris",
    "Ivy",
    "Rose",
    "Will",
    "Mark",
    "Bill",
    "Frank",
    "Pearl",
    "Ruby",
    "Sky",
    "River",
    "Autumn",
    "Chase",
    "Miles",
    "Sunny",
)
WORD_LAST = (
    "Baker",
    "Cook",
    "Fox",
    "Stone",
    "Young",
    "Black",
    "Moss",
    "Brown",
    "Wood",
    "Bell",
    "Price",
    "Hill",
    "King",
    "Rich",
    "Little",
    "Sharp",
    "Love",
    "Day",
    "Page",
    "Marsh",
    "Hall",
    "Wolf",
)

_TOPIC_PHRASES: dict[str, dict[str, list[str]]] = {
    "en": {
        "sports": [
            "the regional under-16 football tournament",
            "a half-marathon in the spring",
            "the club's rowing regatta",
            "a weekend of padel lessons",
            "the cycling sportive season",
        ],
        "tech": [
            "a cloud infrastructure conference",
            "the data-centre migration project",
            "a hackathon on embedded firmware",
            "the release of the new mobile app",
            "a workshop on database tuning",
        ],
        "food": [
            "a street-food festival",
            "the bakery's new sourdough line",
            "a cookery course on Thai curries",
            "the farm-to-table supper club",
            "a wine and cheese tasting",
        ],
        "travel": [
            "a backpacking trip through the islands",
            "a ski holiday in the Alps",
            "a rail tour along the coast",
            "a city break with the family",
            "a long-haul trip to see relatives",
        ],
    },
    "de": {
        "sports": [
            "das Hallenturnier der C-Jugend",
            "einen Halbmarathon im Frühjahr",
            "die Vereinsregatta",
            "das Trainingslager der Handballerinnen",
        ],
        "tech": [
            "eine Konferenz zu Cloud-Infrastruktur",
            "die Umstellung des Rechenzentrums",
            "einen Hackathon zu Firmware",
            "den Start der neuen App",
        ],
        "food": [
            "ein Streetfood-Festival",
            "einen Kochkurs für italienische Küche",
            "die Weinprobe im Keller",
            "den Brotbackkurs am Wochenende",
        ],
        "travel": [
            "eine Rundreise durch Skandinavien",
            "den Skiurlaub in den Alpen",
            "eine Städtereise mit der Familie",
            "eine Radtour entlang der Donau",
        ],
    },
    "fr": {
        "sports": [
            "le tournoi régional de football des moins de 16 ans",
            "un semi-marathon au printemps",
            "la régate du club d'aviron",
            "un stage de tennis",
        ],
        "tech": [
            "une conférence sur l'infrastructure cloud",
            "la migration du centre de données",
            "un hackathon sur les objets connectés",
            "le lancement de la nouvelle application",
        ],
        "food": [
            "un festival de cuisine de rue",
            "un atelier de pâtisserie",
            "une dégustation de vins et fromages",
            "le marché gourmand du dimanche",
        ],
        "travel": [
            "un voyage en sac à dos dans les îles",
            "des vacances de ski dans les Alpes",
            "un circuit en train le long de la côte",
            "un week-end en famille",
        ],
    },
    "es": {
        "sports": [
            "el torneo regional de fútbol sub-16",
            "una media maratón en primavera",
            "la regata del club de remo",
            "un campus de baloncesto",
        ],
        "tech": [
            "un congreso de infraestructura en la nube",
            "la migración del centro de datos",
            "un hackathon de firmware",
            "el lanzamiento de la nueva aplicación",
        ],
        "food": [
            "un festival de comida callejera",
            "un curso de cocina de arroces",
            "una cata de vinos y quesos",
            "la feria gastronómica del barrio",
        ],
        "travel": [
            "un viaje de mochilero por las islas",
            "unas vacaciones de esquí en los Pirineos",
            "una ruta en tren por la costa",
            "una escapada en familia",
        ],
    },
}

PETS = (
    "Biscuit",
    "Luna",
    "Oscar",
    "Bella",
    "Charlie",
    "Milo",
    "Pepper",
    "Nala",
    "Rocky",
    "Daisy",
    "Simba",
    "Bruno",
    "Filou",
    "Canela",
    "Lotte",
    "Pixel",
)
_SPECIES = (
    "Labrador retriever",
    "domestic shorthair cat",
    "border collie",
    "dachshund",
    "Maine Coon",
    "French bulldog",
    "rabbit (Holland Lop)",
    "cockatiel",
    "beagle",
    "Bernese mountain dog",
)
DRUGS = (
    "Amoxicillin",
    "Metformin",
    "Atorvastatin",
    "Ramipril",
    "Omeprazole",
    "Sertraline",
    "Ibuprofen",
    "Levothyroxine",
    "Salbutamol",
    "Paracetamol",
    "Prednisolone",
    "Cetirizine",
)
_VET_DRUGS = ("Meloxicam", "Bravecto", "Apoquel", "Clavaseptin", "Milbemax", "Frontline Combo", "Synulox")
BRANDS = (
    "Tim Hortons",
    "Boston Scientific",
    "Hugo Boss",
    "Calvin Klein",
    "Ralph Lauren",
    "Mrs. Fields",
    "Sara Lee",
    "Paris Baguette",
    "Kentucky Fried Chicken",
    "Hamburg Süd",
    "Bristol Myers Squibb",
    "Philadelphia cream cheese",
    "Jean Paul Gaultier",
    "Paco Rabanne",
    "Tommy Bahama",
    "Mercedes-Benz",
    "Carl Zeiss",
    "Bosch",
    "Hermès",
    "Louis Vuitton",
    "Dr. Oetker Pizza",
    "John Deere",
    "Ben Sherman",
)
STREET_PRODUCTS = (
    "Baker Street Gin",
    "Mulholland Drive (2001)",
    "Sesame Street Live!",
    "Route 66 Diner",
    "Park Avenue Armory tickets",
    "Bourbon Street Blend coffee",
    "Fleet Street Fudge",
    "Carnaby Street Collection",
    "Via Veneto espresso",
    "Champs-Élysées perfume set",
)
HOTELS = (
    "Hotel Adlon Kempinski",
    "The Savoy",
    "Grand Hotel Europa",
    "Hôtel Le Meurice",
    "Parador de Granada",
    "Hotel Victoria Jungfrau",
    "The Balmoral",
    "Premier Inn Leeds City Centre",
    "Hotel Sacher",
    "Motel One Hamburg-Alster",
    "Ibis Styles Madrid Prado",
    "Hilton Garden Inn Boston Logan",
)
_AIRPORTS = ("LHR", "FRA", "CDG", "MAD", "JFK", "BOS", "MUC", "BCN", "ORY", "MAN", "SFO", "DUB")
AIRLINES = ("Lufthansa", "British Airways", "Air France", "Iberia", "Delta", "KLM", "Aer Lingus", "easyJet", "Vueling", "United")
_CARRIERS = ("Maersk Line", "Hapag-Lloyd", "CMA CGM", "MSC", "DHL Express", "UPS", "FedEx", "DPD")
_CAR_MODELS = (
    "VW Golf",
    "Toyota Corolla",
    "Peugeot 208",
    "SEAT Ibiza",
    "Ford Focus Estate",
    "Tesla Model 3",
    "Skoda Octavia",
    "Renault Clio",
    "BMW 3 Series",
    "Fiat 500",
)
_LAB_TESTS = (
    ("Haemoglobin", "g/dL", "12.0-15.5"),
    ("Creatinine", "µmol/L", "45-90"),
    ("TSH", "mIU/L", "0.4-4.0"),
    ("HbA1c", "mmol/mol", "20-41"),
    ("Ferritin", "µg/L", "15-150"),
    ("Vitamin D (25-OH)", "nmol/L", "50-125"),
    ("ALT", "U/L", "7-56"),
    ("CRP", "mg/L", "<5"),
    ("LDL cholesterol", "mmol/L", "<3.0"),
    ("Platelets", "x10^9/L", "150-400"),
)
BICS = (
    "DEUTDEFF",
    "COBADEFFXXX",
    "BNPAFRPP",
    "CAIXESBBXXX",
    "BARCGB22",
    "NWBKGB2L",
    "INGBNL2A",
    "BSCHESMM",
    "SOGEFRPP",
    "RABONL2U",
    "GENODEM1GLS",
    "AIBKIE2D",
)
_GB_BANKS = ("BARC", "NWBK", "LOYD", "HBUK", "MIDL", "ABBY")
_NL_BANKS = ("INGB", "RABO", "ABNA", "TRIO", "SNSB")
_IE_BANKS = ("AIBK", "BOFI", "IPBS")
_JOBS = (
    "Senior Data Engineer",
    "Head of Procurement",
    "Staff Nurse",
    "Warehouse Team Leader",
    "Junior Product Designer",
    "Chief Operating Officer",
    "Site Reliability Engineer",
    "Sous Chef",
    "Regional Sales Manager",
    "Paralegal",
    "Physiotherapist",
    "Quality Assurance Analyst",
)
_JOBS_LOCAL = {
    "de": ("Sachbearbeiterin Buchhaltung", "Softwareentwickler", "Pflegefachkraft", "Lagerleiter"),
    "fr": ("Chargée de clientèle", "Développeur web", "Infirmière", "Chef de rayon"),
    "es": ("Administrativa contable", "Desarrollador de software", "Enfermera", "Jefe de almacén"),
}
EXTRA_NAME_LOCALES: tuple[tuple[str, float], ...] = (("en_IN", 1.0), ("yo_NG", 1.0))

_IBAN_SHAPES = {  # country -> BBAN as (chars, count) runs
    "DE": ((_DIGITS, 18),),
    "GB": ((_UPPER, 4), (_DIGITS, 14)),
    "FR": ((_DIGITS, 23),),
    "ES": ((_DIGITS, 20),),
    "NL": ((_UPPER, 4), (_DIGITS, 10)),
    "IT": ((_UPPER, 1), (_DIGITS, 22)),
    "BE": ((_DIGITS, 12),),
    "AT": ((_DIGITS, 16),),
    "CH": ((_DIGITS, 17),),
    "IE": ((_UPPER, 4), (_DIGITS, 14)),
}
_IBAN_HOME = {
    "en_US": ("GB", "IE", "NL", "DE"),
    "en_GB": ("GB", "GB", "IE"),
    "de_DE": ("DE", "DE", "AT", "CH"),
    "fr_FR": ("FR", "FR", "BE"),
    "es_ES": ("ES", "ES", "IT"),
}


# ---- values --------------------------------------------------------------------------------------------


class HarborValues:
    """Draws slot values, deterministically from `rng` and the seeded Fakers. `draw(slot, shape, loc)`
    returns (entity or None, text); upper-case slots are entities, lower-case ones distractors."""

    def __init__(self, fakers: dict[str, Faker], extra: dict[str, Faker], rng: random.Random, name_pool: str):
        self.fakers = fakers
        self.extra = extra
        self.rng = rng
        self.name_pool = name_pool
        self.lang = "en"

    # -- people --
    def _ok(self, *words: str) -> bool:
        if self.name_pool != "unseen":
            return True
        return all(is_unseen(w) for n in words for w in re.split(r"[\s\-']+", n) if w)

    def first(self, loc: str) -> str:
        r = self.rng
        for _ in range(5000):
            if loc.startswith("en") and r.random() < 0.15:
                name = self.extra[r.choice(["en_IN", "yo_NG"])].first_name()
            elif r.random() < 0.06:
                name = r.choice(WORD_FIRST)
            else:
                name = self.fakers[loc].first_name()
            if self._ok(name):
                return name
        raise RuntimeError("no unseen first name in 5000 draws")

    def last(self, loc: str) -> str:
        r = self.rng
        for _ in range(5000):
            roll = r.random()
            if loc.startswith("en") and roll < 0.15:
                name = self.extra[r.choice(["en_IN", "yo_NG"])].last_name()
            elif roll < 0.25:
                name = r.choice(PARTICLE_SURNAMES)
            elif roll < 0.33:
                name = f"{self.fakers[loc].last_name()}-{self.fakers[loc].last_name()}"
            elif roll < 0.39:
                name = r.choice(WORD_LAST)
            elif loc == "es_ES" and roll < 0.6:
                name = f"{self.fakers[loc].last_name()} {self.fakers[loc].last_name()}"
            else:
                name = self.fakers[loc].last_name()
            if self._ok(name):
                return name
        raise RuntimeError("no unseen surname in 5000 draws")

    def person(self, shape: str, loc: str) -> str:
        r = self.rng
        lang = self.lang if self.lang != "en" else loc[:2] if r.random() < 0.3 else "en"
        lang = lang if lang in TITLES else "en"
        if shape in ("any", ""):
            shape = r.choice(["full", "full", "full", "first", "title", "init", "middle", "caps", "suffix", "last", "lower"])
        elif shape == "form":
            shape = r.choice(["full", "full", "rev", "revcaps", "caps", "middle", "title"])
        elif shape == "sig":
            shape = r.choice(["full", "full", "title", "middle", "init", "suffix"])
        first, last = self.first(loc), self.last(loc)
        match shape:
            case "full":
                return f"{first} {last}"
            case "first":
                return first
            case "last":
                return last
            case "title":
                title = r.choice(TITLES[lang])
                return f"{title} {last}" if r.random() < 0.5 else f"{title} {first} {last}"
            case "rev":
                return f"{last}, {first}"
            case "revcaps":
                return f"{last.upper()}, {first}"
            case "caps":
                return f"{first} {last}".upper()
            case "lower":
                return f"{first} {last}".lower()
            case "init":
                initials = ".".join(w[0] for w in first.split()) + "."
                if r.random() < 0.3:
                    initials += self.first(loc)[0] + "."
                return f"{initials} {last}"
            case "middle":
                return f"{first} {r.choice(_UPPER)}. {last}"
            case "suffix":
                sep = ", " if r.random() < 0.3 else " "
                return f"{first} {last}{sep}{r.choice(SUFFIXES)}"
            case "airline":
                return f"{_ascii(last).upper().replace(' ', '')}/{_ascii(first).upper()} {r.choice(['MR', 'MRS', 'MS'])}"
        raise ValueError(f"unknown PERSON shape {shape!r}")

    # -- places --
    def street(self, loc: str, unit: bool = True) -> str:
        f, r = self.fakers[loc], self.rng
        name = " ".join(f.street_name().split())
        n = r.randint(1, 240)
        match loc:
            case "en_US":
                s = f"{n * r.choice([1, 10, 17])} {name}"
                if unit and r.random() < 0.35:
                    s += r.choice(
                        [
                            f" Apt {r.randint(1, 40)}{r.choice('ABCD')}",
                            f", Suite {r.randint(100, 950)}",
                            f" Unit {r.randint(1, 20)}",
                            f" #{r.randint(2, 30)}",
                        ]
                    )
                return s
            case "en_GB":
                s = f"{n} {name}"
                if unit and r.random() < 0.3:
                    s = (
                        r.choice(
                            [
                                f"Flat {r.randint(1, 30)}, ",
                                f"Apartment {r.randint(1, 12)}, ",
                                f"{r.choice(['Ivy House', 'The Old Forge', 'Willow Lodge'])}, ",
                            ]
                        )
                        + s
                    )
                return s
            case "de_DE":
                return f"{name} {n}{r.choice(['', '', '', 'a', 'b'])}"
            case "fr_FR":
                return f"{n}{r.choice(['', '', '', ' bis', ' ter'])} {name}"
            case "es_ES":
                s = f"{name}, {n}"
                if unit and r.random() < 0.5:
                    s += r.choice(
                        [
                            f", {r.randint(1, 9)}º {r.choice(['A', 'B', 'izquierda', 'derecha'])}",
                            f", {r.randint(1, 9)}º{r.choice('ABCD')}",
                            ", bajo",
                        ]
                    )
                return s
        return f"{n} {name}"

    def town_line(self, loc: str) -> str:
        f, r = self.fakers[loc], self.rng
        match loc:
            case "en_US":
                return f"{f.city()}, {f.state_abbr()} {f.postcode()}"
            case "en_GB":
                return f"{f.city()} {f.postcode()}" if r.random() < 0.5 else f"{f.city().upper()} {f.postcode()}"
            case "fr_FR":
                return f"{f.postcode()} {f.city().upper() if r.random() < 0.4 else f.city()}"
            case _:
                return f"{f.postcode()} {f.city()}"

    def region(self, loc: str) -> str:
        f = self.fakers[loc]
        match loc:
            case "en_US":
                return f.state()
            case "en_GB":
                return f.county()
            case "de_DE":
                return f.state()
            case "fr_FR":
                return f.region()
            case "es_ES":
                return f.autonomous_community()
        return f.city()

    def location(self, shape: str, loc: str) -> str:
        f, r = self.fakers[loc], self.rng
        if shape in ("any", ""):
            shape = r.choice(["line", "line", "street", "town", "town", "pctown", "region", "lower"])
        match shape:
            case "street":
                return self.street(loc)
            case "line":
                return f"{self.street(loc)}, {self.town_line(loc)}"
            case "block":
                lines = [self.street(loc, unit=False)]
                if r.random() < 0.4:
                    lines.insert(
                        0 if loc != "es_ES" else 1,
                        r.choice(
                            {
                                "en_US": ["Apt 4C", "Suite 210", "Unit 7"],
                                "en_GB": ["Flat 3", "Rose Cottage", "2nd Floor"],
                                "de_DE": ["Hinterhaus", "3. OG links", "c/o Werkstatt"],
                                "fr_FR": ["Bâtiment B", "Résidence les Tilleuls", "Appt 12"],
                                "es_ES": ["Escalera 2, 3º B", "Portal 4", "Bajo izquierda"],
                            }.get(loc, ["Unit 1"])
                        ),
                    )
                if loc == "en_GB" and r.random() < 0.6:
                    lines += [f.city(), f.postcode()]
                else:
                    lines.append(self.town_line(loc))
                return "\n".join(lines)
            case "town":
                return f.city()
            case "pctown":
                return self.town_line(loc)
            case "region":
                return self.region(loc)
            case "lower":
                return f.city().lower()
        raise ValueError(f"unknown LOCATION shape {shape!r}")

    # -- numbers --
    def phone(self, shape: str, loc: str) -> str:
        r = self.rng

        def d(k: int) -> str:
            return pick(r, _DIGITS, k)

        if shape == "e164":
            cc = {"en_US": "1", "en_GB": "44", "de_DE": "49", "fr_FR": "33", "es_ES": "34"}[loc]
            body = {
                "en_US": f"{r.randint(201, 989)}{r.randint(200, 999)}{d(4)}",
                "en_GB": f"7{d(9)}",
                "de_DE": f"1{r.choice('567')}{d(8)}",
                "fr_FR": f"{r.choice('67')}{d(8)}",
                "es_ES": f"{r.choice('67')}{d(8)}",
            }[loc]
            return f"+{cc}{body}"
        match loc:
            case "en_US":
                a, e, n = r.randint(201, 989), r.randint(200, 999), d(4)
                return r.choice(
                    [
                        f"({a}) {e}-{n}",
                        f"{a}-{e}-{n}",
                        f"{a}.{e}.{n}",
                        f"+1 {a} {e} {n}",
                        f"+1-{a}-{e}-{n}",
                        f"1-800-{e}-{n}",
                        f"({a}) {e}-{n} x{r.randint(10, 999)}",
                    ]
                )
            case "en_GB":
                return r.choice(
                    [
                        f"07{d(3)} {d(6)}",
                        f"+44 7{d(3)} {d(6)}",
                        f"+44 (0)20 {d(4)} {d(4)}",
                        f"020 {d(4)} {d(4)}",
                        f"0161 {d(3)} {d(4)}",
                        f"+44 113 {d(3)} {d(4)}",
                        f"01632 {d(6)}",
                    ]
                )
            case "de_DE":
                return r.choice(
                    [
                        f"+49 30 {d(8)}",
                        f"030 {d(8)}",
                        f"0171 {d(7)}",
                        f"+49 (0)89 {d(3)} {d(3)} {d(2)}",
                        f"0221/{d(7)}",
                        f"+49 151 {d(8)}",
                        f"06221 {d(3)}-{d(3)}",
                    ]
                )
            case "fr_FR":
                p = " ".join(d(2) for _ in range(4))
                return r.choice(
                    [f"06 {p}", f"+33 6 {p}", f"01.{d(2)}.{d(2)}.{d(2)}.{d(2)}", f"+33 (0)1 {p}", f"07 {p}", f"04 {p}"]
                )
            case "es_ES":
                return r.choice(
                    [
                        f"6{d(2)} {d(3)} {d(3)}",
                        f"+34 6{d(2)} {d(2)} {d(2)} {d(2)}",
                        f"91 {d(3)} {d(2)} {d(2)}",
                        f"+34 9{d(8)}",
                        f"+34 93 {d(3)} {d(2)} {d(2)}",
                        f"7{d(2)}-{d(3)}-{d(3)}",
                    ]
                )
        return f"+1 {d(3)} {d(3)} {d(4)}"

    def card(self, shape: str) -> str:
        r = self.rng
        brand = r.choice(["visa", "visa", "mc", "mc2", "amex", "discover", "jcb", "visa13"])
        prefix, length = {
            "visa": ("4", 16),
            "mc": (str(r.randint(51, 55)), 16),
            "mc2": (str(r.randint(2221, 2720)), 16),
            "amex": (r.choice(["34", "37"]), 15),
            "discover": ("6011", 16),
            "jcb": ("3528", 16),
            "visa13": ("4", 13),
        }[brand]
        body = prefix + pick(r, _DIGITS, length - len(prefix) - 1)
        number = body + luhn_digit(body)
        style = shape if shape not in ("any", "") else r.choice(["plain", "space", "space", "dash"])
        if style == "plain" or length == 13:
            return number
        sep = " " if style == "space" else "-"
        if length == 15:
            return sep.join((number[:4], number[4:10], number[10:]))
        return sep.join(number[i : i + 4] for i in range(0, length, 4))

    def iban(self, loc: str, country: str | None = None) -> str:
        r = self.rng
        cc = country or r.choice(_IBAN_HOME.get(loc, ("DE",)))
        bban = ""
        for chars, k in _IBAN_SHAPES[cc]:
            if chars == _UPPER and cc in ("GB", "NL", "IE"):
                bban += r.choice({"GB": _GB_BANKS, "NL": _NL_BANKS, "IE": _IE_BANKS}[cc])
            else:
                bban += pick(r, chars, k)
        iban = f"{cc}{iban_check_digits(cc, bban)}{bban}"
        return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)) if r.random() < 0.55 else iban

    def ssn(self) -> str:
        r = self.rng
        area = r.randint(1, 899)
        while area == 666:
            area = r.randint(1, 899)
        s = (f"{area:03d}", f"{r.randint(1, 99):02d}", f"{r.randint(1, 9999):04d}")
        return r.choice(["-", "-", "-", " ", ""]).join(s)

    def ip(self, shape: str) -> str:
        r = self.rng
        if shape in ("any", ""):
            shape = r.choice(["v4", "v4", "v4", "v6"])
        if shape == "v6":
            addr = ipaddress.IPv6Address(
                (0x2001 << 112) | (r.getrandbits(96) << 16) | r.getrandbits(16) if r.random() < 0.5 else r.getrandbits(128)
            )
            return addr.exploded if r.random() < 0.2 else str(addr)
        first = r.choice([r.randint(11, 223), 10, 172, 192, 203, 198])
        if first == 192:
            return f"192.168.{r.randint(0, 255)}.{r.randint(1, 254)}"
        return f"{first}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"

    def url(self, loc: str) -> str:
        f, r = self.fakers[loc], self.rng
        domain = _ascii(f.domain_name()).lower()
        word = _ascii(f.word()).lower() or "info"
        return r.choice(
            [
                f"https://www.{domain}/",
                f"https://{domain}/{word}/{r.randint(100, 99999)}",
                f"http://{domain}/{word}.html",
                f"https://{domain}/{word}?ref=email&id={r.randint(1000, 999999)}",
                f"https://www.linkedin.com/in/{word}-{pick(r, HEX, 6)}",
                f"https://maps.app.goo.gl/{pick(r, ALNUM, 17)}",
                f"https://{word}.{domain}/press/{r.randint(2019, 2026)}/{word}-{r.randint(1, 99)}",
                f"https://track.{domain}/parcel/{pick(r, _UPPER + _DIGITS, 12)}",
                f"https://{domain}/u/{pick(r, ALNUM, 8)}#{word}",
            ]
        )

    def email(self, loc: str) -> str:
        f, r = self.fakers[loc], self.rng
        for _ in range(50):
            first, last = _ascii(self.first(loc)).lower(), _ascii(self.last(loc)).lower()
            first, last = re.sub(r"[^a-z]", "", first), re.sub(r"[^a-z]", "", last)
            domain = _ascii(r.choice([f.free_email_domain(), f.domain_name()])).lower()
            local = r.choice(
                [
                    f"{first}.{last}",
                    f"{first[:1]}{last}",
                    f"{last}.{first[:1]}",
                    f"{first}{r.randint(1, 99)}",
                    f"{first}_{last}",
                    f"{first}+{r.choice(['shop', 'news', 'bank'])}",
                    f"{last}{r.randint(60, 99)}",
                ]
            )
            value = f"{local}@{domain}"
            if re.fullmatch(r"[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}", value):
                return value if r.random() < 0.9 else value.capitalize()
        raise RuntimeError("no e-mail address in 50 draws")

    def birth(self, shape: str, loc: str) -> str:
        r = self.rng
        d = date(r.randint(1931, 2009), r.randint(1, 12), r.randint(1, 28))
        lang = self.lang if self.lang != "en" else loc[:2] if r.random() < 0.25 else "en"
        lang = lang if lang in MONTHS else "en"
        month = MONTHS[lang][d.month - 1]
        if shape == "iso":
            return d.isoformat()
        if shape == "yearless":
            return {"en": f"{month} {d.day}", "de": f"{d.day}. {month}", "fr": f"{d.day} {month}", "es": f"{d.day} de {month}"}[
                lang
            ]
        if shape == "numeric":
            return d.strftime("%d.%m.%Y") if lang == "de" else d.strftime("%d/%m/%Y")
        forms = {
            "en": [
                d.isoformat(),
                f"{d.day} {month} {d.year}",
                f"{month} {d.day}, {d.year}",
                f"{d.day} {month[:3]} {d.year}",
                f"{d.day:02d} {month[:3].upper()} {d.year}",
                d.strftime("%m/%d/%Y") if loc == "en_US" else d.strftime("%d/%m/%Y"),
                d.strftime("%m/%d/%y") if loc == "en_US" else d.strftime("%d/%m/%y"),
            ],
            "de": [d.strftime("%d.%m.%Y"), f"{d.day}.{d.month}.{d.year}", f"{d.day}. {month} {d.year}", d.isoformat()],
            "fr": [d.strftime("%d/%m/%Y"), f"{'1er' if d.day == 1 else d.day} {month} {d.year}", f"{d.day} {month} {d.year}"],
            "es": [d.strftime("%d/%m/%Y"), f"{d.day} de {month} de {d.year}", f"{d.day} {month} {d.year}"],
        }[lang]
        return r.choice(forms)

    # -- secrets --
    def secret(self, shape: str, loc: str) -> str:
        r = self.rng
        if shape in ("any", ""):
            shape = r.choice(["key", "key", "password", "token", "jwt"])
        match shape:
            case "key":
                kind = r.choice(
                    ["aws", "github", "gitlab", "stripe", "slack", "google", "sendgrid", "npm", "openai", "github_pat"]
                )
                return {
                    "aws": lambda: "AKIA" + pick(r, _UPPER + _DIGITS, 16),
                    "github": lambda: "ghp_" + pick(r, ALNUM, 36),
                    "github_pat": lambda: "github_pat_" + pick(r, ALNUM, 22) + "_" + pick(r, ALNUM, 59),
                    "gitlab": lambda: "glpat-" + pick(r, ALNUM + "-_", 20),
                    "stripe": lambda: r.choice(["sk_live_", "rk_live_"]) + pick(r, ALNUM, 24),
                    "slack": lambda: (
                        r.choice(["xoxb-", "xoxp-"])
                        + pick(r, _DIGITS, 11)
                        + "-"
                        + pick(r, _DIGITS, 13)
                        + "-"
                        + pick(r, ALNUM, 24)
                    ),
                    "google": lambda: "AIza" + pick(r, ALNUM + "-_", 35),
                    "sendgrid": lambda: "SG." + pick(r, ALNUM + "-_", 22) + "." + pick(r, ALNUM + "-_", 43),
                    "npm": lambda: "npm_" + pick(r, ALNUM, 36),
                    "openai": lambda: "sk-proj-" + pick(r, ALNUM + "-_", 48),
                }[kind]()
            case "aws_secret":
                return pick(r, ALNUM + "+/", 40)
            case "token":
                return pick(r, ALNUM, r.randint(32, 48)) if r.random() < 0.5 else pick(r, HEX, 40)
            case "jwt":
                return "eyJ" + pick(r, _B64URL, 33) + ".eyJ" + pick(r, _B64URL, r.randint(40, 90)) + "." + pick(r, _B64URL, 43)
            case "cookie":
                return pick(r, ALNUM, r.randint(26, 40))
            case "password":
                word = _ascii(self.fakers[loc].word()).capitalize()
                while len(word) < 5:
                    word += _ascii(self.fakers[loc].word()).capitalize()
                return r.choice(
                    [
                        f"{word}{r.randint(10, 9999)}{r.choice('!$#%&*?')}",
                        pick(r, ALNUM, r.randint(10, 16)),
                        f"{r.choice(PETS)}_{r.randint(1970, 2020)}!",
                        f"{word.lower()}-{_ascii(self.fakers[loc].word()).lower()}-{r.randint(1, 99)}",
                        f"Tr0ub4dor&{r.randint(1, 9)}{pick(r, _UPPER, 2)}",
                    ]
                )
            case "cred_url":
                user = re.sub(r"[^a-z]", "", _ascii(self.first(loc)).lower()) or "admin"
                host = _ascii(self.fakers[loc].domain_name()).lower()
                pw = pick(r, ALNUM, r.randint(10, 16))
                return r.choice(
                    [
                        f"https://{user}:{pw}@{host}/",
                        f"postgres://{user}:{pw}@db.{host}:5432/prod",
                        f"mongodb+srv://{user}:{pw}@cluster0.{pick(r, 'abcdefghijklmnop', 5)}.mongodb.net/app",
                        f"https://hooks.{host}/services/{pick(r, _UPPER + _DIGITS, 9)}?token={pick(r, ALNUM, 24)}",
                        f"https://{host}/export.csv?key={pick(r, HEX, 32)}",
                        f"redis://default:{pw}@cache.{host}:6379",
                    ]
                )
            case "pem" | "pem_json":
                body = [pick(r, string.ascii_letters + _DIGITS + "+/", 64) for _ in range(r.randint(3, 6))]
                kind = r.choice(["RSA ", "EC ", "OPENSSH ", ""])
                nl = "\\n" if shape == "pem_json" else "\n"
                return nl.join([f"-----BEGIN {kind}PRIVATE KEY-----", *body, f"-----END {kind}PRIVATE KEY-----"])
        raise ValueError(f"unknown SECRET shape {shape!r}")

    # -- distractors --
    def bad_luhn(self, length: int) -> str:
        r = self.rng
        body = r.choice(["4", "5", "3", "6", "9", "1", "7"]) + pick(r, _DIGITS, length - 1)
        return fail_luhn(body)

    def bad_iban(self, loc: str) -> str:
        good = self.iban(loc).replace(" ", "")
        check = int(good[2:4])
        wrong = (check - 2 + self.rng.randint(1, 90)) % 97 + 2  # any other check digits fail mod-97
        return f"{good[:2]}{wrong:02d}{good[4:]}"

    def miss(self, slot: str, loc: str) -> str:
        r = self.rng

        def d(k: int) -> str:
            return pick(r, _DIGITS, k)

        def when(y0: int = 2023, y1: int = 2026) -> date:
            return date(r.randint(y0, y1), r.randint(1, 12), r.randint(1, 28))

        match slot:
            case "booking_ref":
                return pick(r, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 6)
            case "flight":
                return f"{r.choice(['LH', 'BA', 'AF', 'IB', 'DL', 'KL', 'EI', 'U2', 'VY', 'UA'])} {r.randint(10, 9899)}"
            case "ff_no":
                return f"{r.choice(['Miles&More', 'Executive Club', 'Flying Blue', 'Iberia Plus'])} {d(3)} {d(3)} {d(3)}"
            case "eticket":
                n = self.bad_luhn(13)
                return f"{n[:3]}-{n[3:]}"
            case "room":
                return str(r.choice([r.randint(101, 1299), r.randint(2, 40)]))
            case "ndc":
                return f"{d(5)}-{d(4)}-{d(2)}"
            case "drug":
                return r.choice(DRUGS)
            case "vet_drug":
                return r.choice(_VET_DRUGS)
            case "dose":
                return r.choice(["500 mg", "10 mg", "2.5 mg", "250 mg/5 ml", "100 µg", "20 mg", "1 g"])
            case "lab":
                name, unit, rng_ = r.choice(_LAB_TESTS)
                return f"{name}  {round(r.uniform(0.5, 160), 1)} {unit}  (ref. {rng_})"
            case "batch":
                return f"{pick(r, _UPPER, 2)}{d(4)}{r.choice(_UPPER)}"
            case "policy_no":
                return f"{pick(r, _UPPER, 3)}-{d(7)}-{d(2)}"
            case "meter_no":
                return f"{r.choice(['S', 'E', 'G'])}{d(2)}{pick(r, _UPPER, 1)}{d(5)}"
            case "meter_read":
                return f"{r.randint(1000, 99999)}.{r.randint(0, 9)} kWh" if r.random() < 0.6 else f"{r.randint(100, 9999)} m³"
            case "vin":
                return pick(r, "ABCDEFGHJKLMNPRSTUVWXYZ0123456789", 17)
            case "plate":
                return {
                    "en_US": f"{d(1)}{pick(r, _UPPER, 3)}{d(3)}",
                    "en_GB": f"{pick(r, _UPPER, 2)}{d(2)} {pick(r, _UPPER, 3)}",
                    "de_DE": f"{r.choice(['B', 'M', 'HH', 'K', 'F'])}-{pick(r, _UPPER, 2)} {r.randint(1, 9999)}",
                    "fr_FR": f"{pick(r, _UPPER, 2)}-{d(3)}-{pick(r, _UPPER, 2)}",
                    "es_ES": f"{d(4)} {pick(r, 'BCDFGHJKLMNPRSTVWXYZ', 3)}",
                }.get(loc, "AB12 CDE")
            case "bic":
                return r.choice(BICS)
            case "sort_code":
                return f"{d(2)}-{d(2)}-{d(2)}"
            case "acct_no":
                return d(8)
            case "bad_card":
                n = self.bad_luhn(r.choice([13, 16, 16, 19]))
                return " ".join(n[i : i + 4] for i in range(0, len(n), 4)) if r.random() < 0.4 else n
            case "bad_iban":
                return self.bad_iban(loc)
            case "version":
                return ".".join(str(r.randint(0, 20)) for _ in range(4))
            case "timestamp":
                t = when()
                return f"{t.isoformat()}T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}Z"
            case "date":
                t = when()
                return r.choice(
                    [
                        t.isoformat(),
                        t.strftime("%d/%m/%Y"),
                        f"{t.day} {MONTHS['en'][t.month - 1]} {t.year}",
                        t.strftime("%d.%m.%Y"),
                    ]
                )
            case "date_local":
                t = when()
                lang = self.lang if self.lang in MONTHS else "en"
                return {
                    "en": f"{t.day} {MONTHS['en'][t.month - 1]} {t.year}",
                    "de": t.strftime("%d.%m.%Y"),
                    "fr": f"{t.day} {MONTHS['fr'][t.month - 1]} {t.year}",
                    "es": f"{t.day} de {MONTHS['es'][t.month - 1]} de {t.year}",
                }[lang]
            case "expiry":
                return f"{r.randint(1, 12):02d}/{r.randint(27, 33)}"
            case "time":
                return f"{r.randint(6, 22):02d}:{r.choice(['00', '15', '30', '45'])}"
            case "sha":
                return pick(r, HEX, 40)
            case "short_sha":
                return pick(r, HEX, 8)
            case "uuid":
                return "-".join(pick(r, HEX, k) for k in (8, 4, 4, 4, 12))
            case "req_id":
                return f"req_{pick(r, ALNUM, 14)}"
            case "pet":
                return r.choice(PETS)
            case "species":
                return r.choice(_SPECIES)
            case "chip":
                return self.bad_luhn(15)
            case "brand":
                return r.choice(BRANDS)
            case "street_product":
                return r.choice(STREET_PRODUCTS)
            case "hotel":
                return r.choice(HOTELS)
            case "airport":
                return r.choice(_AIRPORTS)
            case "airline":
                return r.choice(AIRLINES)
            case "carrier":
                return r.choice(_CARRIERS)
            case "car":
                return r.choice(_CAR_MODELS)
            case "job":
                return r.choice(_JOBS_LOCAL[self.lang]) if self.lang in _JOBS_LOCAL else r.choice(_JOBS)
            case "amount":
                return f"{r.randint(2, 4800)}.{r.randint(0, 99):02d}"
            case "amount_eu":
                return f"{r.randint(2, 4800)},{r.randint(0, 99):02d}"
            case "invoice_no":
                return f"INV-{r.randint(2023, 2026)}-{d(6)}"
            case "case_no":
                return f"{r.choice(['PCN', 'AZ', 'REF', 'CN'])} {pick(r, _UPPER, 2)}{d(8)}"
            case "tracking":
                return r.choice([f"1Z{pick(r, _UPPER + _DIGITS, 16)}", f"JD{d(18)}", f"{pick(r, _UPPER, 2)}{d(9)}GB"])
            case "container":
                return f"{pick(r, _UPPER, 3)}U {d(6)} {d(1)}"
            case "hs_code":
                return f"{d(4)}.{d(2)}"
            case "pet_weight":
                return f"{r.randint(2, 45)}.{r.randint(0, 9)} kg"
            case "period":
                t = when()
                return f"{t.replace(day=1).strftime('%d/%m/%Y')} – {t.replace(day=28).strftime('%d/%m/%Y')}"
            case "month_local":
                t = when()
                lang = self.lang if self.lang in MONTHS else "en"
                return f"{MONTHS[lang][t.month - 1]} {t.year}"
            case "weight":
                return f"{r.randint(1, 900)}.{r.randint(0, 9)} kg"
            case "ein":
                return f"{d(2)}-{d(7)}"
            case "employee_id":
                return f"E{d(6)}"
            case "tax_code":
                return r.choice(["1257L", "BR", "0T", "K475", "S1257L", "Steuerklasse I", "Stkl. IV"])
            case "port":
                return str(r.choice([443, 8443, 8080, 5432, 3000, 9200]))
            case "status":
                return r.choice(["200 OK", "201 Created", "401 Unauthorized", "403 Forbidden", "502 Bad Gateway"])
            case "host":
                return f"{r.choice(['api', 'auth', 'edge', 'mx'])}{r.randint(1, 9)}.{r.choice(['eu-west-1', 'us-east-2', 'fra1'])}.internal"
            case "build":
                return f"#{r.randint(1000, 99999)}"
            case "doc_no":
                return f"{pick(r, _UPPER, 2)}{d(7)}"
            case "mrz":
                return self.mrz(loc)
        raise ValueError(f"unknown distractor slot {slot!r}")

    def mrz(self, loc: str) -> str:
        """Two TD3 lines; the name inside is machine-encoded and carries no span (see the docstring)."""
        r, f = self.rng, self.fakers[loc]
        country = {"en_US": "USA", "en_GB": "GBR", "de_DE": "D<<", "fr_FR": "FRA", "es_ES": "ESP"}.get(loc, "GBR")
        names = (
            re.sub(r"[^A-Z<]", "", _ascii(f.last_name()).upper().replace(" ", "<"))
            + "<<"
            + re.sub(r"[^A-Z<]", "", _ascii(f.first_name()).upper().replace(" ", "<"))
        )
        line1 = (f"P<{country}{names}" + "<" * 44)[:44]
        born = f"{r.randint(30, 99):02d}{r.randint(1, 12):02d}{r.randint(1, 28):02d}"
        line2 = (
            f"{pick(r, _UPPER + _DIGITS, 9)}{r.randint(0, 9)}{country}{born}{r.randint(0, 9)}"
            f"{r.choice('MF')}{r.randint(27, 35):02d}{r.randint(1, 12):02d}{r.randint(1, 28):02d}{r.randint(0, 9)}"
            + "<" * 14
            + f"{r.randint(0, 9)}{r.randint(0, 9)}"
        )
        return f"{line1}\n{line2[:44]}"

    def draw(self, slot: str, shape: str, loc: str) -> tuple[str | None, str]:
        match slot:
            case "PERSON":
                return slot, self.person(shape, loc)
            case "EMAIL_ADDRESS":
                return slot, self.email(loc)
            case "PHONE_NUMBER":
                return slot, self.phone(shape, loc)
            case "CREDIT_CARD":
                return slot, self.card(shape)
            case "IBAN":
                return slot, self.iban(loc)
            case "US_SSN":
                return slot, self.ssn()
            case "IP_ADDRESS":
                return slot, self.ip(shape)
            case "URL":
                return slot, self.url(loc)
            case "LOCATION":
                return slot, self.location(shape, loc)
            case "DATE_OF_BIRTH":
                return slot, self.birth(shape, loc)
            case "SECRET":
                return slot, self.secret(shape, loc)
        if slot in FAMILY_ENTITIES:
            raise AssertionError(slot)
        return None, self.miss(slot, loc)


def fill(template: str, topic: str, values: HarborValues, loc: str, out: PostWriter) -> None:
    """Write `template` to `out` with its slots filled ({topic} is the post's topic phrase); a labeled
    address block gets one span per line (`out.by_line`)."""
    render_slots(template, SLOT, out, lambda name, shape: (None, topic) if name == "topic" else values.draw(name, shape, loc))


# ---- the records ---------------------------------------------------------------------------------------
# Each style: "head" and "foot" lines (no PII), "topic" lines ({topic} is a phrase naming the post's
# topic), "pii" lines by entity (each holds slots of its entity only, so `weights` can restrict the
# entities), "miss" lines (distractors only) and a "layout" (how the lines are put together).

Bank = dict[str, object]

HARBOR_EN: dict[str, Bank] = {
    "hotel": {
        "layout": "fields",
        "head": [
            "GUEST REGISTRATION CARD · {hotel}",
            "{hotel} — Registration card (please print clearly)",
            "Guest registration / Meldeschein · {hotel}",
        ],
        "topic": ["Purpose of stay: {topic}", "Reason for visit (optional): {topic}"],
        "pii": {
            "PERSON": [
                "Guest name: {PERSON.form}",
                "Surname / Given names: {PERSON.rev}",
                "Accompanying guest: {PERSON.full}",
                "Registered by: {PERSON.first} (front desk)",
            ],
            "LOCATION": [
                "Home address: {LOCATION.line}",
                "Permanent address:\n{LOCATION.block}",
                "Arriving from: {LOCATION.town}",
                "Next destination: {LOCATION.town}",
            ],
            "PHONE_NUMBER": ["Mobile: {PHONE_NUMBER}", "Contact number in case of emergency: {PHONE_NUMBER}"],
            "EMAIL_ADDRESS": ["E-mail for invoice: {EMAIL_ADDRESS}"],
            "DATE_OF_BIRTH": ["Date of birth: {DATE_OF_BIRTH}", "DOB (DD/MM/YYYY): {DATE_OF_BIRTH.numeric}"],
            "CREDIT_CARD": ["Card held for incidentals: {CREDIT_CARD} exp {expiry}", "Guarantee card no. {CREDIT_CARD}"],
            "URL": ["Booked via: {URL}"],
        },
        "miss": [
            "Room {room} · Arrival {date} · Departure {date} · 2 adults",
            "Confirmation no. {booking_ref}",
            "Loyalty member: Gold, no. {bad_card}",
            "Parking: vehicle {plate}, level -2",
            "Breakfast included at {hotel}; late checkout until {time}",
            "Frequent flyer: {ff_no} (miles credited after stay)",
        ],
        "foot": ["Guest signature: ______________   Checked in by: desk 2", "Checkout 11:00. Keys must be returned."],
    },
    "rx": {
        "layout": "fields",
        "head": [
            "ELECTRONIC PRESCRIPTION (eRx) — transmitted {timestamp}",
            "PHARMACY LABEL · Rx #{bad_card}",
            "Prescription record · dispensing copy",
        ],
        "topic": ["Patient note: asked about taking this during {topic}", "Counselling: patient mentioned {topic}"],
        "pii": {
            "PERSON": [
                "Patient: {PERSON.form}",
                "Prescriber: {PERSON.title}",
                "Dispensed by: {PERSON.init}, RPh",
                "FOR: {PERSON.caps}",
            ],
            "DATE_OF_BIRTH": ["DOB {DATE_OF_BIRTH}", "Patient date of birth: {DATE_OF_BIRTH.iso}"],
            "LOCATION": ["Patient address: {LOCATION.line}", "Deliver to:\n{LOCATION.block}"],
            "PHONE_NUMBER": ["Patient phone {PHONE_NUMBER}", "Surgery tel. {PHONE_NUMBER}"],
            "US_SSN": ["Insurance ID (SSN on file): {US_SSN}"],
            "EMAIL_ADDRESS": ["Refill reminders to {EMAIL_ADDRESS}"],
        },
        "miss": [
            "{drug} {dose} tablets — take ONE twice daily with food. Qty 56. Refills: 2",
            "NDC {ndc}   Lot {batch}   Exp {expiry}",
            "Keep out of reach of children. Do not drink alcohol.",
            "Dr. Reddy's generic substituted for brand {drug}",
            "Rx written {date}, filled {date}",
        ],
        "foot": ["Questions? Ask your pharmacist.", "Store below 25°C."],
    },
    "lab": {
        "layout": "fields",
        "head": [
            "LABORATORY REPORT — Clinical Chemistry",
            "Pathology results · Specimen {batch}",
            "LAB RESULTS (FINAL) · accession {uuid}",
        ],
        "topic": ["Clinical details: fatigue after {topic}", "Requested because of {topic} (pre-participation check)"],
        "pii": {
            "PERSON": [
                "Patient: {PERSON.revcaps}",
                "Requesting clinician: {PERSON.title}",
                "Validated by {PERSON.sig}, biomedical scientist",
            ],
            "DATE_OF_BIRTH": ["DOB: {DATE_OF_BIRTH}  Sex: F", "Born {DATE_OF_BIRTH}"],
            "LOCATION": ["Patient address: {LOCATION.line}", "Collected at home visit, {LOCATION.street}"],
            "PHONE_NUMBER": ["Critical results phoned to {PHONE_NUMBER}"],
            "URL": ["Results portal: {URL}"],
            "US_SSN": ["Subscriber SSN: {US_SSN}"],
        },
        "miss": [
            "{lab}",
            "{lab}",
            "Collected {timestamp}  Received {timestamp}",
            "Haemolysed sample — potassium not reported",
            "Method: immunoassay, analyser v{version}",
        ],
        "foot": ["Reference ranges apply to adults.", "*** END OF REPORT ***"],
    },
    "statement": {
        "layout": "statement",
        "head": [
            "ACCOUNT STATEMENT {period}  ·  BIC {bic}",
            "Kontoauszug / Statement of account no. {acct_no}",
            "Transactions export · sort code {sort_code} · account {acct_no}",
        ],
        "topic": [
            "{date}  CARD PAYMENT  booking for {topic}  -{amount}",
            "{date}  DIRECT DEBIT  membership — {topic}  -{amount}",
        ],
        "pii": {
            "IBAN": [
                "{date}  SEPA CREDIT TRANSFER  from {IBAN}  +{amount}",
                "{date}  SEPA DD  creditor acct {IBAN}  -{amount}",
                "{date}  STANDING ORDER  to {IBAN}  ref rent  -{amount}",
            ],
            "PERSON": [
                "{date}  SEPA TRANSFER  to {PERSON.caps}  -{amount}",
                "{date}  FASTER PAYMENT  {PERSON.rev}  +{amount}",
                "{date}  TRANSFER  beneficiary: {PERSON.full}  -{amount}",
            ],
            "CREDIT_CARD": ["{date}  CARD {CREDIT_CARD}  {brand}  -{amount}"],
            "LOCATION": ["{date}  CASH WITHDRAWAL  {LOCATION.town}  -{amount}", "Statement address: {LOCATION.line}"],
            "URL": ["{date}  ONLINE  {URL}  -{amount}"],
            "PHONE_NUMBER": ["{date}  MOBILE TOP-UP  {PHONE_NUMBER}  -{amount}"],
        },
        "miss": [
            "{date}  SEPA DD  creditor id DE98ZZZ0{acct_no}  mandate {short_sha}  -{amount}",
            "{date}  CARD PAYMENT  {brand}  -{amount}",
            "{date}  TRANSFER REF {bad_iban}  returned  +{amount}",
            "{date}  INTEREST  +{amount}",
            "{date}  FEE  card {bad_card} replacement  -{amount}",
        ],
        "foot": ["Closing balance {amount} CR", "Page 1 of 1 · Please check your statement carefully."],
    },
    "payslip": {
        "layout": "fields",
        "head": [
            "PAYSLIP · Pay period {period}",
            "Earnings statement — employee no. {employee_id}",
            "PAY ADVICE · Tax code {tax_code}",
        ],
        "topic": ["Allowance: {topic} (non-taxable)  {amount}", "Deduction: social club — {topic}  {amount}"],
        "pii": {
            "PERSON": ["Employee: {PERSON.form}", "Approved by: {PERSON.sig}, Payroll"],
            "US_SSN": ["SSN: {US_SSN}", "Social Security No. {US_SSN}"],
            "IBAN": ["Net pay paid to {IBAN}"],
            "LOCATION": ["Employee address:\n{LOCATION.block}", "Work location: {LOCATION.town}"],
            "DATE_OF_BIRTH": ["Date of birth {DATE_OF_BIRTH}"],
            "EMAIL_ADDRESS": ["Payslip sent to {EMAIL_ADDRESS}"],
            "SECRET": ["The PDF is protected; your password is {SECRET.password}"],
        },
        "miss": [
            "Basic pay  {amount}   Overtime  {amount}   Gross  {amount}",
            "Job title: {job} · Employee ID {employee_id}",
            "Employer EIN {ein}",
            "NI category A · Pension 5% {amount}",
            "Paid by BACS on {date}, sort code {sort_code}",
        ],
        "foot": ["Net pay {amount}", "Keep this statement for your records."],
    },
    "taxform": {
        "layout": "fields",
        "head": [
            "Form W-2 Wage and Tax Statement 2025",
            "Form 1099-NEC (Rev. January 2024) · Copy B",
            "Form 1099-INT · Interest income · OMB No. 1545-0112",
        ],
        "topic": ["Box 14 Other: stipend for {topic}", "Payer memo: fees for {topic}"],
        "pii": {
            "US_SSN": ["a  Employee's social security number  {US_SSN}", "RECIPIENT'S TIN  {US_SSN}"],
            "PERSON": ["e  Employee's first name and initial, last name  {PERSON.caps}", "RECIPIENT'S name  {PERSON.form}"],
            "LOCATION": [
                "f  Employee's address and ZIP code\n{LOCATION.block}",
                "Street address (including apt. no.)  {LOCATION.street}",
            ],
            "PHONE_NUMBER": ["PAYER'S telephone no.  {PHONE_NUMBER}"],
            "EMAIL_ADDRESS": ["Electronic delivery consent: {EMAIL_ADDRESS}"],
        },
        "miss": [
            "b  Employer identification number (EIN)  {ein}",
            "1  Wages, tips, other compensation  {amount}",
            "2  Federal income tax withheld  {amount}",
            "Account number (see instructions)  {acct_no}",
            "c  Employer's name: {brand} Inc.",
        ],
        "foot": ["Department of the Treasury — Internal Revenue Service", "This information is being furnished to the IRS."],
    },
    "loan": {
        "layout": "fields",
        "head": [
            "MORTGAGE APPLICATION · Application ID {uuid}",
            "Personal loan application — section B: applicant",
            "Uniform Residential Loan Application (excerpt)",
        ],
        "topic": ["Purpose of loan: financing {topic}", "Other income: coaching fees from {topic}"],
        "pii": {
            "PERSON": ["Applicant: {PERSON.form}", "Co-applicant: {PERSON.full}", "Loan officer: {PERSON.sig}"],
            "DATE_OF_BIRTH": ["Applicant DOB: {DATE_OF_BIRTH}", "Co-applicant date of birth: {DATE_OF_BIRTH}"],
            "US_SSN": ["SSN: {US_SSN}"],
            "LOCATION": [
                "Current address: {LOCATION.line}",
                "Property address:\n{LOCATION.block}",
                "Previous address (if < 2 yrs): {LOCATION.line}",
            ],
            "PHONE_NUMBER": ["Home phone: {PHONE_NUMBER}   Cell: {PHONE_NUMBER}"],
            "EMAIL_ADDRESS": ["Email: {EMAIL_ADDRESS}"],
            "IBAN": ["Repayment account (IBAN): {IBAN}"],
            "CREDIT_CARD": ["Card for application fee: {CREDIT_CARD}"],
            "IP_ADDRESS": ["Submitted online from IP {IP_ADDRESS} at {time}"],
        },
        "miss": [
            "Loan amount requested: {amount}  Term: 25 years  Rate: 4.19% fixed",
            "Employer: {brand} · Position: {job} · since {date}",
            "Credit reference: {policy_no}",
            "Existing mortgage account {acct_no}, sort code {sort_code}",
            "Appraisal scheduled {date}",
        ],
        "foot": ["I confirm the information above is true and complete.", "Signature ____________  Date {date}"],
    },
    "rental": {
        "layout": "fields",
        "head": [
            "RENTAL AGREEMENT No. {booking_ref}-{room}",
            "Vehicle rental contract · pick-up {airport} Terminal 2",
            "Car hire agreement — {car} or similar",
        ],
        "topic": ["Renter's note: driving to {topic}", "Trip purpose: {topic}"],
        "pii": {
            "PERSON": ["Main driver: {PERSON.form}", "Additional driver: {PERSON.full}", "Agent: {PERSON.first}"],
            "DATE_OF_BIRTH": ["Driver DOB: {DATE_OF_BIRTH}"],
            "LOCATION": [
                "Driver address: {LOCATION.line}",
                "Return location: {LOCATION.line}",
                "Home state / region: {LOCATION.region}",
            ],
            "CREDIT_CARD": ["Deposit pre-authorised on {CREDIT_CARD}", "Payment card: {CREDIT_CARD}"],
            "PHONE_NUMBER": ["Driver mobile {PHONE_NUMBER}", "Roadside assistance {PHONE_NUMBER}"],
            "EMAIL_ADDRESS": ["Receipt to {EMAIL_ADDRESS}"],
        },
        "miss": [
            "Vehicle {car} · plate {plate} · VIN {vin}",
            "Fuel: full-to-full · Odometer out 48213 km",
            "Pick-up {date} {time} · Return {date} {time}",
            "Licence no. {doc_no}, expires {expiry}",
            "Flight {flight} arriving {time}, e-ticket {eticket}",
        ],
        "foot": ["Damage noted: scratch rear bumper (see photo 3).", "Excess {amount} · CDW declined"],
    },
    "fine": {
        "layout": "fields",
        "head": [
            "PENALTY CHARGE NOTICE {case_no}",
            "NOTICE OF TRAFFIC VIOLATION · Citation {bad_card}",
            "Parking fine — notice to owner",
        ],
        "topic": ["Driver's statement: was unloading kit for {topic}", "Appeal reason: I was attending {topic}"],
        "pii": {
            "PERSON": ["Registered keeper: {PERSON.caps}", "To: {PERSON.title}", "Issued by officer {PERSON.init}"],
            "LOCATION": [
                "Address of keeper:\n{LOCATION.block}",
                "Location of contravention: {LOCATION.street}",
                "Keeper's town: {LOCATION.town}",
            ],
            "CREDIT_CARD": ["Paid by card {CREDIT_CARD}"],
            "URL": ["Pay or appeal online at {URL}"],
            "PHONE_NUMBER": ["Payment line {PHONE_NUMBER}"],
            "DATE_OF_BIRTH": ["Driver date of birth: {DATE_OF_BIRTH}"],
        },
        "miss": [
            "Vehicle registration {plate} · {car}",
            "Date of contravention {date} at {time}",
            "Contravention code 01 — parked in a restricted street",
            "Amount due {amount}, reduced if paid by {date}",
            "Camera ID CAM-{short_sha}, photo 2 of 3",
        ],
        "foot": ["If you do not pay or appeal within 28 days the charge may increase.", "Do not send cash by post."],
    },
    "utility": {
        "layout": "fields",
        "head": [
            "Your energy bill · account {acct_no}",
            "METER READING LETTER — we need a reading",
            "Water services · annual statement",
        ],
        "topic": ["Usage up because of {topic}? See our tips.", "Customer note: house empty during {topic}"],
        "pii": {
            "PERSON": ["Account holder: {PERSON.form}", "The occupier / {PERSON.caps}", "Dear {PERSON.title},"],
            "LOCATION": ["Supply address:\n{LOCATION.block}", "Billing address: {LOCATION.line}"],
            "IBAN": ["Direct Debit from {IBAN}"],
            "PHONE_NUMBER": ["Call us on {PHONE_NUMBER} quoting your account number"],
            "EMAIL_ADDRESS": ["Paperless billing: {EMAIL_ADDRESS}"],
            "URL": ["Submit a reading at {URL}"],
            "CREDIT_CARD": ["Last payment by card {CREDIT_CARD}"],
            "SECRET": ["Your temporary online-account password: {SECRET.password} (change it at first login)"],
        },
        "miss": [
            "Meter serial {meter_no}: previous {meter_read}, current {meter_read} (estimated)",
            "Tariff: Fixed Saver v{version} · standing charge 53.2p/day",
            "Bill date {date} · due {date}",
            "Invoice {invoice_no} · amount due {amount}",
            "MPAN {bad_card}",
        ],
        "foot": ["Thinking of switching? Check your exit fees first.", "Emergency? Smell gas: call the national line."],
    },
    "vet": {
        "layout": "fields",
        "head": ["VETERINARY CLINICAL RECORD", "Patient card · {species}", "Vaccination & treatment record"],
        "topic": ["History: lame after {topic} with the owner", "Owner asks about boarding during {topic}"],
        "pii": {
            "PERSON": ["Owner: {PERSON.form}", "Attending vet: {PERSON.title}", "Collected by owner's partner {PERSON.first}"],
            "LOCATION": ["Owner address: {LOCATION.line}", "Home visit to {LOCATION.street}", "Rehomed from {LOCATION.town}"],
            "PHONE_NUMBER": ["Owner tel. {PHONE_NUMBER}"],
            "EMAIL_ADDRESS": ["Reminders to {EMAIL_ADDRESS}"],
            "CREDIT_CARD": ["Paid {amount} on card {CREDIT_CARD}"],
            "DATE_OF_BIRTH": ["Owner DOB (for insurance): {DATE_OF_BIRTH}"],
        },
        "miss": [
            "Patient: {pet} ({species}), 7 y, neutered",
            "Microchip {chip}",
            "Rx {vet_drug} {dose} SID x 7 days",
            "Weight {pet_weight} · temp 38.6 °C",
            "Vaccinated {date}; booster due {date}",
            "Insurer policy {policy_no}",
        ],
        "foot": ["Next appointment {date} {time}", "Please bring {pet}'s record card."],
    },
    "curl": {
        "layout": "fields",
        "head": [
            '$ curl -v "$API_BASE/v2/users/me"',
            '$ curl -sv -X POST -d @login.json "$AUTH_URL"',
            "* Host {host}:{port} was resolved.",
        ],
        "topic": ["> X-Debug-Note: replaying failing signup call, campaign: {topic}", "# body was {topic} registration form"],
        "pii": {
            "IP_ADDRESS": [
                "* Connected to api.example.net ({IP_ADDRESS}) port 443",
                "> X-Forwarded-For: {IP_ADDRESS}, {IP_ADDRESS}",
                "< X-Client-IP: {IP_ADDRESS}",
            ],
            "SECRET": [
                "> Authorization: Bearer {SECRET.jwt}",
                "> Authorization: Bearer {SECRET.token}",
                "< Set-Cookie: session={SECRET.cookie}; Path=/; HttpOnly; Secure",
                "> x-api-key: {SECRET.key}",
                "> Cookie: sid={SECRET.cookie}; theme=dark",
            ],
            "EMAIL_ADDRESS": ["> X-User-Email: {EMAIL_ADDRESS}", "> From: {EMAIL_ADDRESS}"],
            "URL": ["> Referer: {URL}", '< Link: <{URL}>; rel="next"'],
            "PERSON": ["< X-Account-Owner: {PERSON.full}"],
        },
        "miss": [
            "> User-Agent: curl/{version}",
            "< HTTP/2 {status}",
            "< x-request-id: {req_id}",
            '< etag: W/"{sha}"',
            "* TLSv1.3 (IN), TLS handshake, Finished",
            "< date: Mon, 03 Mar 2025 10:22:41 GMT",
        ],
        "foot": ["* Connection #0 to host left intact", "< content-length: 0"],
    },
    "ci": {
        "layout": "ci",
        "head": [
            "Running with gitlab-runner {version} on docker-auto-scale",
            "##[group]Run actions/checkout@v4",
            "Started by an SCM change · build {build}",
        ],
        "topic": ['echo "deploying landing page for {topic}"', "note: feature flag enabled for {topic}"],
        "pii": {
            "SECRET": [
                "$ export AWS_ACCESS_KEY_ID={SECRET.key}",
                "$ docker login -u ci -p {SECRET.password} registry.example.io",
                "DATABASE_URL={SECRET.cred_url}",
                "npm config set //registry.npmjs.org/:_authToken {SECRET.key}",
                "WARNING! Using --password via the CLI is insecure: {SECRET.password}",
                "ConnectionStrings__Default=Server=db01;Database=app;User Id=svc_app;Password={SECRET.password};",
                '+ curl -H "PRIVATE-TOKEN: {SECRET.key}" "$CI_API_V4_URL/projects"',
            ],
            "IP_ADDRESS": ["Connecting to staging {IP_ADDRESS}:22 ...", "ssh deploy@{IP_ADDRESS} 'systemctl restart app'"],
            "EMAIL_ADDRESS": ["Author: {EMAIL_ADDRESS}", "git config user.email {EMAIL_ADDRESS}"],
            "PERSON": ["Triggered by {PERSON.full}", "Approved by {PERSON.lower}"],
            "URL": ["Preview deployed: {URL}"],
        },
        "miss": [
            "Checking out {sha} as detached HEAD",
            "Step 4/12 : RUN pip install -r requirements.txt",
            "Pulling image python:3.11-slim@sha256:{sha}",
            "Job succeeded in 4m 12s",
            "cache key: {uuid}",
        ],
        "foot": ["Cleaning up project directory and file based variables", "##[endgroup]"],
    },
    "headers": {
        "layout": "fields",
        "head": ["---------- Forwarded message ---------", "Begin forwarded message:", "-----Original Message-----"],
        "topic": ["Subject: Fwd: questions about {topic}", "Subject: RE: RE: {topic} — final numbers"],
        "pii": {
            "EMAIL_ADDRESS": ["From: {EMAIL_ADDRESS}", "Reply-To: {EMAIL_ADDRESS}", "Return-Path: <{EMAIL_ADDRESS}>"],
            "PERSON": ["From: {PERSON.full} (via Shared Drive)", 'To: "{PERSON.rev}"', "Cc: {PERSON.full}, {PERSON.full}"],
            "IP_ADDRESS": [
                "Received: from mail-out.example.net (mail-out.example.net [{IP_ADDRESS}])",
                "X-Originating-IP: [{IP_ADDRESS}]",
                "Received: from [{IP_ADDRESS}] by smtp.example.com with ESMTPSA",
            ],
            "URL": ["List-Unsubscribe: <{URL}>"],
            "PHONE_NUMBER": ["X-Sender-Phone: {PHONE_NUMBER}"],
        },
        "miss": [
            "Message-ID: <{uuid}@mail.example.com>",
            "Date: Tue, 4 Feb 2025 09:14:02 +0100",
            "DKIM-Signature: v=1; a=rsa-sha256; bh={sha}",
            "X-Mailer: Microsoft Outlook 16.0",
            "Received: by {host} with SMTP id {short_sha}",
        ],
        "foot": ['Content-Type: text/plain; charset="UTF-8"', "MIME-Version: 1.0"],
    },
    "vcard": {
        "layout": "fields",
        "head": ["BEGIN:VCARD\nVERSION:3.0", "BEGIN:VCARD\nVERSION:4.0\nPRODID:-//Apple Inc.//iOS 17.4//EN"],
        "topic": ["NOTE:met at {topic}", "CATEGORIES:{topic}"],
        "pii": {
            "PERSON": ["FN:{PERSON.full}", "FN:{PERSON.title}", "X-ASSISTANT:{PERSON.first}"],
            "PHONE_NUMBER": ["TEL;TYPE=CELL:{PHONE_NUMBER}", "TEL;TYPE=WORK,VOICE:{PHONE_NUMBER.e164}"],
            "EMAIL_ADDRESS": ["EMAIL;TYPE=INTERNET:{EMAIL_ADDRESS}", "EMAIL;TYPE=HOME:{EMAIL_ADDRESS}"],
            "DATE_OF_BIRTH": ["BDAY:{DATE_OF_BIRTH.iso}"],
            "URL": ["URL:{URL}"],
            "LOCATION": ["X-HOMETOWN:{LOCATION.town}", "LABEL;TYPE=HOME:{LOCATION.line}"],
        },
        "miss": ["ORG:{brand};Procurement", "TITLE:{job}", "UID:{uuid}", "REV:{timestamp}", "X-PET:{pet}"],
        "foot": ["END:VCARD"],
    },
    "chatbot": {
        "layout": "chatbot",
        "head": ["Conversation export · assistant v{version}", "[chat session {uuid}]", "Transcript — help bot"],
        "topic": ["Can you help me plan {topic}?", "I need a packing list for {topic}."],
        "pii": {
            "PERSON": [
                "My name is {PERSON.full}, can you write a cover note for me?",
                "Please address the letter to {PERSON.title}.",
            ],
            "LOCATION": [
                "I live at {LOCATION.line}, what's the nearest pharmacy?",
                "we're flying out of {LOCATION.town} tomorrow",
                "I'm moving to {LOCATION.lower} next month, any tips",
            ],
            "EMAIL_ADDRESS": ["Reply to {EMAIL_ADDRESS} when it's ready."],
            "PHONE_NUMBER": ["The clinic number is {PHONE_NUMBER}, can you format it for a flyer?"],
            "DATE_OF_BIRTH": ["I was born on {DATE_OF_BIRTH}, how old will I be in 2030?"],
            "SECRET": [
                "here's my config, why does it fail? api_key={SECRET.key}",
                "why can't my script connect with {SECRET.cred_url} ?",
                "my password is {SECRET.password} is it strong?",
                "the private key is\n{SECRET.pem}",
            ],
            "CREDIT_CARD": ["why did my card {CREDIT_CARD} get declined on the booking site?"],
            "IBAN": ["is {IBAN} a valid IBAN?"],
        },
        "miss": [
            "What does version {version} of the app change?",
            "Convert 38.5 degrees to Fahrenheit please.",
            "Is {drug} safe with coffee?",
            "Summarise this order: {invoice_no}, {amount} EUR.",
            "Which terminal does {airline} use at {airport}?",
            "The bank says {bad_iban} is not a valid IBAN, did I mistype it?",
        ],
        "foot": ["[conversation ended]", "Rate this conversation: 👍 👎"],
        "assistant": [
            "Sure — here is a draft you can adapt.",
            "I can't verify that, but here is what it usually means.",
            "For your safety, avoid sharing passwords or card numbers in chats.",
            "Here's a short checklist:",
            "Happy to help. Anything else?",
        ],
    },
    "srt": {
        "layout": "srt",
        "head": [],
        "foot": [],
        "topic": ["So today's video is all about {topic}.", "[MUSIC] Welcome back — this week: {topic}!"],
        "pii": {
            "PERSON": [
                "I'm here with {PERSON.full}, who runs the place.",
                "- Thanks, {PERSON.first}.",
                "{PERSON.title} told us the story behind it.",
            ],
            "LOCATION": [
                "We're in {LOCATION.town} right now.",
                "I grew up in {LOCATION.town}, so this is home.",
                "the shop is at {LOCATION.line}",
            ],
            "URL": ["Links are in the description: {URL}"],
            "EMAIL_ADDRESS": ["Send your questions to {EMAIL_ADDRESS}."],
            "PHONE_NUMBER": ["Call the hotline, {PHONE_NUMBER}, before ten."],
            "DATE_OF_BIRTH": ["She was born on {DATE_OF_BIRTH}, so it's her birthday today!"],
        },
        "miss": [
            "[LAUGHTER]",
            "- Is this thing on? - Yeah, we're rolling.",
            "That was {brand}, not sponsored by the way.",
            "Use code HARBOR10 for ten percent off.",
            "We drove the {car} all the way here.",
        ],
    },
    "press": {
        "layout": "prose",
        "head": ["FOR IMMEDIATE RELEASE", "PRESS RELEASE · Embargoed until {date} {time} CET", "NEWS RELEASE"],
        "topic": ["The company today announced its sponsorship of {topic}.", "The initiative is part of {topic}."],
        "pii": {
            "PERSON": [
                '"We are thrilled," said {PERSON.full}, the company\'s {job}.',
                "Media contact: {PERSON.sig}",
                "{PERSON.full} will present the results on stage.",
            ],
            "EMAIL_ADDRESS": ["Press enquiries: {EMAIL_ADDRESS}"],
            "PHONE_NUMBER": ["Tel. {PHONE_NUMBER}"],
            "URL": ["Images are available at {URL}."],
            "LOCATION": ["{LOCATION.town}, {date} —", "The new office opens at {LOCATION.line}."],
        },
        "miss": [
            "About {brand}: founded 1998, employs 4,200 people.",
            "The {street_product} range launches in May.",
            "Listed on Euronext under ticker HRB.",
            "The partnership with {airline} runs until 2027.",
            "Forward-looking statements involve risks and uncertainties.",
        ],
        "foot": ["###", "— ENDS —"],
    },
    "offer": {
        "layout": "prose",
        "head": ["LETTER OF REFERENCE", "Offer of employment — strictly private", "Re: reference for a former colleague"],
        "topic": ["Outside work, the candidate coached a team for {topic}.", "They also organised {topic} for our staff."],
        "pii": {
            "PERSON": [
                "Dear {PERSON.title},",
                "I have known {PERSON.full} for six years.",
                "Yours sincerely,\n{PERSON.sig}",
                "You will report to {PERSON.full}, {job}.",
            ],
            "LOCATION": ["Your place of work will be our site at {LOCATION.line}.", "{LOCATION.block}"],
            "DATE_OF_BIRTH": ["Candidate's date of birth: {DATE_OF_BIRTH}."],
            "PHONE_NUMBER": ["Please feel free to call me on {PHONE_NUMBER}."],
            "EMAIL_ADDRESS": ["Please confirm acceptance by e-mail to {EMAIL_ADDRESS}."],
            "IBAN": ["Salary will be paid monthly into {IBAN}."],
        },
        "miss": [
            "The position of {job} starts on {date}.",
            "Annual salary: {amount} gross, 28 days' holiday.",
            "This offer is subject to satisfactory references.",
            "Employee ID {employee_id} will be issued on day one.",
        ],
        "foot": ["Enclosures: contract (2 copies)", "This letter is confidential."],
    },
    "idscan": {
        "layout": "idscan",
        "head": ["[scan: passport data page, 300 dpi]", "ID CARD SCAN — front & back", "KYC document upload · {uuid}"],
        "topic": ["Applicant comment: needed for {topic}", "Reviewer note: traveller for {topic}"],
        "pii": {
            "PERSON": ["Surname / Given names: {PERSON.caps}", "Name: {PERSON.form}", "Holder's signature: {PERSON.full}"],
            "DATE_OF_BIRTH": ["Date of birth: {DATE_OF_BIRTH}", "DOB {DATE_OF_BIRTH}"],
            "LOCATION": ["Place of birth: {LOCATION.town}", "Address: {LOCATION.line}"],
            "IP_ADDRESS": ["Upload from {IP_ADDRESS} (device check passed)"],
            "SECRET": ["Verification session token: {SECRET.token}"],
        },
        "miss": [
            "Document no. {doc_no} · Date of issue {date} · Date of expiry {date}",
            "Nationality: BRITISH CITIZEN",
            "Authority: HMPO",
            "Sex: F · Height 1.68 m",
            "Type: P · Code: GBR",
        ],
        "foot": [],
    },
    "customs": {
        "layout": "fields",
        "head": ["CN23 CUSTOMS DECLARATION", "SHIPPING MANIFEST · container {container}", "Commercial invoice / packing list"],
        "topic": ["Contents: equipment for {topic}", "Reason for export: gift for {topic}"],
        "pii": {
            "PERSON": ["Sender: {PERSON.full}", "Consignee: {PERSON.caps}", "Attn: {PERSON.title}"],
            "LOCATION": [
                "Sender address: {LOCATION.line}",
                "Deliver to:\n{LOCATION.block}",
                "Port of discharge agent in {LOCATION.town}",
            ],
            "PHONE_NUMBER": ["Consignee tel.: {PHONE_NUMBER}"],
            "EMAIL_ADDRESS": ["Notify party: {EMAIL_ADDRESS}"],
            "US_SSN": ["Importer ID (SSN): {US_SSN}"],
        },
        "miss": [
            "HS code {hs_code} · {weight} · value {amount} USD",
            "Carrier: {carrier} · tracking {tracking}",
            "Container {container}, seal {batch}",
            "EORI GB{acct_no}000",
            "Item: {street_product}, qty 12",
        ],
        "foot": ["I certify that the particulars given in this declaration are correct.", "Incoterms: DAP"],
    },
    "notice": {
        "layout": "prose",
        "head": ["LOST & FOUND", "NEIGHBOURHOOD WATCH ALERT", "FOUND — please share"],
        "topic": ["It went missing on the way back from {topic}.", "Reminder: the street party for {topic} goes ahead."],
        "pii": {
            "PERSON": [
                "If found please contact {PERSON.first}.",
                "Many thanks to {PERSON.full} who handed it in.",
                "Ask for {PERSON.title} at number 14.",
            ],
            "LOCATION": [
                "Last seen near {LOCATION.street}.",
                "Suspicious van seen on {LOCATION.street} around 2am.",
                "Found in {LOCATION.town} by the bus stop.",
            ],
            "PHONE_NUMBER": ["Call or text {PHONE_NUMBER}.", "Reward! Ring {PHONE_NUMBER}"],
            "EMAIL_ADDRESS": ["Email {EMAIL_ADDRESS} with a photo."],
            "URL": ["More photos: {URL}"],
        },
        "miss": [
            "Grey cat called {pet}, very shy, blue collar.",
            "Black wallet, {brand} logo, no cash inside.",
            "Van plate partly read as {plate}.",
            "Police reference {case_no}.",
            "Meeting at the church hall on {date}, {time}.",
        ],
        "foot": ["Please share!", "Thank you, neighbours."],
    },
    "payload": {
        "layout": "json",
        "head": [
            "POST /api/v3/customers  200 OK  response body:",
            "// webhook payload, event user.updated",
            "--- request.json ---",
        ],
        "topic": ['"interests": ["{topic}"]', '"signup_source": "{topic} landing page"'],
        "pii": {
            "PERSON": ['"display_name": "{PERSON.full}"', '"last_name": "{PERSON.last}"', '"first_name": "{PERSON.first}"'],
            "EMAIL_ADDRESS": ['"email": "{EMAIL_ADDRESS}"'],
            "PHONE_NUMBER": ['"phone": "{PHONE_NUMBER.e164}"', '"phone": "{PHONE_NUMBER}"'],
            "LOCATION": [
                '"address": {"line1": "{LOCATION.street}", "city": "{LOCATION.town}"}',
                '"shipping": {"city": "{LOCATION.town}", "region": "{LOCATION.region}"}',
            ],
            "DATE_OF_BIRTH": ['"birthDate": "{DATE_OF_BIRTH.iso}"'],
            "IP_ADDRESS": ['"last_login_ip": "{IP_ADDRESS}"'],
            "SECRET": ['"api_token": "{SECRET.key}"', '"private_key": "{SECRET.pem_json}"', '"password": "{SECRET.password}"'],
            "CREDIT_CARD": ['"card_number": "{CREDIT_CARD.plain}"'],
            "IBAN": ['"iban": "{IBAN}"'],
            "US_SSN": ['"ssn": "{US_SSN}"'],
            "URL": ['"avatar_url": "{URL}"'],
        },
        "miss": [
            '"id": "{uuid}"',
            '"created_at": "{timestamp}"',
            '"plan": "pro", "seats": 12',
            '"app_version": "{version}"',
            '"card_last4": "4242", "card_fingerprint": "{short_sha}"',
        ],
        "foot": [],
    },
    "yaml": {
        "layout": "yaml",
        "head": [
            "# fixtures/customers.yaml — seed data copied from prod (!)",
            "--- # export of user {uuid}",
            "# kubectl get configmap app-users -o yaml",
        ],
        "topic": ["notes: signed up during {topic}", 'segment: "{topic}"'],
        "pii": {
            "PERSON": ["name: {PERSON.full}", 'contact_person: "{PERSON.rev}"', "given_name: {PERSON.first}"],
            "EMAIL_ADDRESS": ["email: {EMAIL_ADDRESS}", 'billing_email: "{EMAIL_ADDRESS}"'],
            "PHONE_NUMBER": ['phone: "{PHONE_NUMBER}"'],
            "LOCATION": ["address:\n  street: {LOCATION.street}\n  city: {LOCATION.town}", "home_region: {LOCATION.region}"],
            "DATE_OF_BIRTH": ["dob: {DATE_OF_BIRTH.iso}", 'date_of_birth: "{DATE_OF_BIRTH}"'],
            "SECRET": ["password: {SECRET.password}", "stripe_key: {SECRET.key}", "db_url: {SECRET.cred_url}"],
            "US_SSN": ['ssn: "{US_SSN}"'],
            "CREDIT_CARD": ['card: "{CREDIT_CARD}"'],
            "IP_ADDRESS": ["allowed_ip: {IP_ADDRESS}"],
        },
        "miss": [
            "id: {uuid}",
            "created: {timestamp}",
            "plan: business",
            "schema_version: {version}",
            "pet_name: {pet}",
            "employer: {brand}",
        ],
        "foot": ["# end of fixture", "..."],
    },
}

# Styles also written in German, French and Spanish (for posts drawn in de_DE, fr_FR, es_ES).
LOCAL_STYLES = ("hotel", "fine", "vet", "payslip")

HARBOR_LOCAL: dict[str, dict[str, Bank]] = {
    "de": {
        "hotel": {
            "layout": "fields",
            "head": ["MELDESCHEIN FÜR BEHERBERGUNGSSTÄTTEN · {hotel}", "Gästeanmeldung — bitte in Druckschrift ausfüllen"],
            "topic": ["Zweck des Aufenthalts: {topic}", "Anlass der Reise: {topic}"],
            "pii": {
                "PERSON": ["Familienname, Vorname: {PERSON.rev}", "Name des Gastes: {PERSON.form}", "Mitreisende: {PERSON.full}"],
                "DATE_OF_BIRTH": ["Geburtsdatum: {DATE_OF_BIRTH}", "geb. am {DATE_OF_BIRTH}"],
                "LOCATION": [
                    "Anschrift: {LOCATION.line}",
                    "Wohnort:\n{LOCATION.block}",
                    "Staatsangehörigkeit: deutsch, wohnhaft in {LOCATION.town}",
                ],
                "PHONE_NUMBER": ["Telefon: {PHONE_NUMBER}"],
                "EMAIL_ADDRESS": ["E-Mail für die Rechnung: {EMAIL_ADDRESS}"],
                "CREDIT_CARD": ["Kreditkarte zur Garantie: {CREDIT_CARD}, gültig bis {expiry}"],
            },
            "miss": [
                "Zimmer {room} · Anreise {date_local} · Abreise {date_local}",
                "Buchungsnummer {booking_ref}",
                "Kurtaxe 2,50 € pro Person und Nacht",
                "Frühstück im {hotel} von 6:30 bis 10:30 Uhr",
            ],
            "foot": ["Unterschrift des Gastes: ____________", "Die Daten werden gemäß BMG gespeichert."],
        },
        "fine": {
            "layout": "fields",
            "head": ["VERWARNUNG MIT VERWARNUNGSGELD · Aktenzeichen {case_no}", "Anhörung im Bußgeldverfahren"],
            "topic": ["Stellungnahme: Anlass der Fahrt war {topic}.", "Einspruch: Parkschein lag aus, Anlass: {topic}."],
            "pii": {
                "PERSON": ["Halter/in: {PERSON.caps}", "Sehr geehrte/r {PERSON.title},", "Sachbearbeiter: {PERSON.init}"],
                "LOCATION": [
                    "Anschrift des Halters:\n{LOCATION.block}",
                    "Tatort: {LOCATION.street}",
                    "Tatort: {LOCATION.town}, Ortsteil Mitte",
                ],
                "DATE_OF_BIRTH": ["Geburtsdatum des Fahrers: {DATE_OF_BIRTH}"],
                "IBAN": ["Zahlung an die Stadtkasse: {IBAN}", "Bitte überweisen Sie auf {IBAN}"],
                "PHONE_NUMBER": ["Rückfragen unter {PHONE_NUMBER}"],
            },
            "miss": [
                "Kennzeichen {plate} · Fahrzeug {car}",
                "Tatzeit: {date_local}, {time} Uhr",
                "Verwarnungsgeld: {amount_eu} €, zahlbar bis {date_local}",
                "BIC {bic} · Verwendungszweck {case_no}",
            ],
            "foot": ["Rechtsbehelfsbelehrung auf der Rückseite.", "Mit freundlichen Grüßen, Ihr Ordnungsamt"],
        },
        "vet": {
            "layout": "fields",
            "head": ["TIERÄRZTLICHE PATIENTENAKTE", "Impfpass / Behandlungsverlauf"],
            "topic": [
                "Anamnese: lahmt hinten links, Vorbericht: Halter plant {topic}",
                "Halter plant {topic} und fragt nach Tierpension",
            ],
            "pii": {
                "PERSON": ["Tierhalter: {PERSON.form}", "Behandelnde Tierärztin: {PERSON.title}", "Abgeholt von {PERSON.first}"],
                "LOCATION": ["Anschrift: {LOCATION.line}", "Hausbesuch in {LOCATION.town}"],
                "PHONE_NUMBER": ["Tel. Halter: {PHONE_NUMBER}"],
                "EMAIL_ADDRESS": ["Erinnerungen an {EMAIL_ADDRESS}"],
                "IBAN": ["Lastschrift von {IBAN}"],
            },
            "miss": [
                "Patient: {pet} ({species}), 7 Jahre",
                "Chipnummer {chip}",
                "Medikation: {vet_drug} {dose} 1x täglich",
                "Gewicht {pet_weight} · Temperatur 38,6 °C",
                "Nächste Impfung am {date_local}",
            ],
            "foot": ["Termin: {date_local}, {time} Uhr", "Bitte Impfpass mitbringen."],
        },
        "payslip": {
            "layout": "fields",
            "head": ["Verdienstabrechnung für {month_local}", "Entgeltabrechnung · Personalnummer {employee_id}"],
            "topic": ["Zuschuss: {topic}  {amount_eu}", "Abzug: Betriebssport — {topic}  {amount_eu}"],
            "pii": {
                "PERSON": ["Mitarbeiter/in: {PERSON.form}", "Erstellt von: {PERSON.sig}, Lohnbuchhaltung"],
                "DATE_OF_BIRTH": ["Geburtsdatum: {DATE_OF_BIRTH}"],
                "LOCATION": ["Anschrift:\n{LOCATION.block}", "Arbeitsort: {LOCATION.town}"],
                "IBAN": ["Auszahlung auf {IBAN}"],
                "EMAIL_ADDRESS": ["Versand an {EMAIL_ADDRESS}"],
            },
            "miss": [
                "Steuerklasse {tax_code} · Kirchensteuer: keine",
                "Tätigkeit: {job}",
                "Brutto {amount_eu} · Netto {amount_eu}",
                "Sozialversicherungsnummer siehe Vorjahresmeldung",
                "Steuer-ID siehe Lohnsteuerbescheinigung",
            ],
            "foot": ["Bitte bewahren Sie diese Abrechnung auf."],
        },
    },
    "fr": {
        "hotel": {
            "layout": "fields",
            "head": ["FICHE DE POLICE · {hotel}", "Fiche d'enregistrement client — merci d'écrire lisiblement"],
            "topic": ["Motif du séjour : {topic}", "Raison du voyage : {topic}"],
            "pii": {
                "PERSON": ["Nom, prénom : {PERSON.rev}", "Client : {PERSON.form}", "Accompagnant : {PERSON.full}"],
                "DATE_OF_BIRTH": ["Date de naissance : {DATE_OF_BIRTH}", "né(e) le {DATE_OF_BIRTH}"],
                "LOCATION": ["Adresse : {LOCATION.line}", "Domicile :\n{LOCATION.block}", "Venant de : {LOCATION.town}"],
                "PHONE_NUMBER": ["Téléphone : {PHONE_NUMBER}"],
                "EMAIL_ADDRESS": ["Courriel : {EMAIL_ADDRESS}"],
                "CREDIT_CARD": ["Carte de garantie : {CREDIT_CARD}, exp. {expiry}"],
            },
            "miss": [
                "Chambre {room} · Arrivée le {date_local} · Départ le {date_local}",
                "Réservation n° {booking_ref}",
                "Taxe de séjour : 2,88 € par nuit",
                "Petit-déjeuner servi au {hotel} de 7 h à 10 h",
            ],
            "foot": ["Signature du client : ____________", "Document à conserver six mois."],
        },
        "fine": {
            "layout": "fields",
            "head": ["AVIS DE CONTRAVENTION · n° {bad_card}", "Avis de paiement — forfait post-stationnement"],
            "topic": ["Observation : j'étais en route pour {topic}.", "Contestation : déplacement pour {topic}."],
            "pii": {
                "PERSON": [
                    "Titulaire du certificat d'immatriculation : {PERSON.caps}",
                    "À l'attention de {PERSON.title}",
                    "Agent verbalisateur : {PERSON.init}",
                ],
                "LOCATION": [
                    "Adresse du titulaire :\n{LOCATION.block}",
                    "Lieu de l'infraction : {LOCATION.street}",
                    "Commune : {LOCATION.town}",
                ],
                "DATE_OF_BIRTH": ["Date de naissance du conducteur : {DATE_OF_BIRTH}"],
                "URL": ["Payez en ligne sur {URL}"],
                "PHONE_NUMBER": ["Serveur vocal : {PHONE_NUMBER}"],
            },
            "miss": [
                "Véhicule immatriculé {plate} · {car}",
                "Date et heure : {date_local} à {time}",
                "Montant : {amount_eu} €, minoré si réglé avant le {date_local}",
                "Code infraction 0271 · radar n° {short_sha}",
            ],
            "foot": ["Conservez cet avis.", "Service de traitement des infractions"],
        },
        "vet": {
            "layout": "fields",
            "head": ["DOSSIER VÉTÉRINAIRE", "Carnet de santé · {species}"],
            "topic": ["Anamnèse : boiterie depuis {topic}", "Le propriétaire demande une garde pendant {topic}"],
            "pii": {
                "PERSON": ["Propriétaire : {PERSON.form}", "Vétérinaire : {PERSON.title}", "Récupéré par {PERSON.first}"],
                "LOCATION": ["Adresse : {LOCATION.line}", "Visite à domicile à {LOCATION.town}"],
                "PHONE_NUMBER": ["Tél. propriétaire : {PHONE_NUMBER}"],
                "EMAIL_ADDRESS": ["Rappels envoyés à {EMAIL_ADDRESS}"],
                "CREDIT_CARD": ["Réglé par carte {CREDIT_CARD}"],
            },
            "miss": [
                "Animal : {pet} ({species}), 7 ans",
                "Puce électronique {chip}",
                "Traitement : {vet_drug} {dose} une fois par jour",
                "Poids {pet_weight} · température 38,6 °C",
                "Rappel vaccin le {date_local}",
            ],
            "foot": ["Prochain rendez-vous : {date_local} à {time}"],
        },
        "payslip": {
            "layout": "fields",
            "head": ["BULLETIN DE PAIE · période : {month_local}", "Bulletin de salaire — matricule {employee_id}"],
            "topic": ["Prime : {topic}  {amount_eu}", "Retenue : association sportive — {topic}  {amount_eu}"],
            "pii": {
                "PERSON": ["Salarié(e) : {PERSON.form}", "Établi par {PERSON.sig}, service paie"],
                "DATE_OF_BIRTH": ["Date de naissance : {DATE_OF_BIRTH}"],
                "LOCATION": ["Adresse :\n{LOCATION.block}", "Lieu de travail : {LOCATION.town}"],
                "IBAN": ["Virement sur {IBAN}"],
                "EMAIL_ADDRESS": ["Bulletin dématérialisé envoyé à {EMAIL_ADDRESS}"],
            },
            "miss": [
                "Emploi : {job} · Coefficient 240",
                "Salaire brut {amount_eu} · Net à payer {amount_eu}",
                "Convention collective SYNTEC",
                "Payé le {date_local} par virement, BIC {bic}",
            ],
            "foot": ["Dans votre intérêt, conservez ce bulletin sans limitation de durée."],
        },
    },
    "es": {
        "hotel": {
            "layout": "fields",
            "head": ["PARTE DE ENTRADA DE VIAJEROS · {hotel}", "Ficha de registro de huéspedes"],
            "topic": ["Motivo de la estancia: {topic}", "Motivo del viaje: {topic}"],
            "pii": {
                "PERSON": ["Apellidos, nombre: {PERSON.rev}", "Huésped: {PERSON.form}", "Acompañante: {PERSON.full}"],
                "DATE_OF_BIRTH": ["Fecha de nacimiento: {DATE_OF_BIRTH}", "nacido/a el {DATE_OF_BIRTH}"],
                "LOCATION": ["Domicilio: {LOCATION.line}", "Dirección:\n{LOCATION.block}", "Procedente de: {LOCATION.town}"],
                "PHONE_NUMBER": ["Teléfono: {PHONE_NUMBER}"],
                "EMAIL_ADDRESS": ["Correo electrónico: {EMAIL_ADDRESS}"],
                "CREDIT_CARD": ["Tarjeta de garantía: {CREDIT_CARD}, caduca {expiry}"],
            },
            "miss": [
                "Habitación {room} · Entrada {date_local} · Salida {date_local}",
                "Localizador {booking_ref}",
                "Tasa turística 2,25 € por noche",
                "Desayuno en el {hotel} de 7:30 a 10:30",
            ],
            "foot": ["Firma del huésped: ____________", "Datos comunicados según el RD 933/2021."],
        },
        "fine": {
            "layout": "fields",
            "head": ["BOLETÍN DE DENUNCIA · expediente {case_no}", "Notificación de multa de tráfico"],
            "topic": ["Alegación: el motivo del desplazamiento era {topic}.", "Observaciones: viaje por {topic}."],
            "pii": {
                "PERSON": [
                    "Titular del vehículo: {PERSON.caps}",
                    "Estimado/a {PERSON.title}:",
                    "Agente denunciante: {PERSON.init}",
                ],
                "LOCATION": [
                    "Domicilio del titular:\n{LOCATION.block}",
                    "Lugar de la infracción: {LOCATION.street}",
                    "Municipio: {LOCATION.town}",
                ],
                "DATE_OF_BIRTH": ["Fecha de nacimiento del conductor: {DATE_OF_BIRTH}"],
                "IBAN": ["Ingreso en la cuenta {IBAN}"],
                "URL": ["Pago en línea: {URL}"],
            },
            "miss": [
                "Matrícula {plate} · {car}",
                "Fecha: {date_local}, hora {time}",
                "Importe: {amount_eu} €, reducción del 50% si paga antes del {date_local}",
                "Precepto infringido: art. 94 RGC",
            ],
            "foot": ["Puede presentar alegaciones en el plazo de 20 días naturales."],
        },
        "vet": {
            "layout": "fields",
            "head": ["HISTORIA CLÍNICA VETERINARIA", "Cartilla sanitaria · {species}"],
            "topic": ["Anamnesis: cojea desde {topic}", "El propietario pregunta por la residencia durante {topic}"],
            "pii": {
                "PERSON": ["Propietario: {PERSON.form}", "Veterinaria: {PERSON.title}", "Recogido por {PERSON.first}"],
                "LOCATION": ["Dirección: {LOCATION.line}", "Visita a domicilio en {LOCATION.town}"],
                "PHONE_NUMBER": ["Tel. propietario: {PHONE_NUMBER}"],
                "EMAIL_ADDRESS": ["Recordatorios a {EMAIL_ADDRESS}"],
                "IBAN": ["Domiciliación en {IBAN}"],
            },
            "miss": [
                "Paciente: {pet} ({species}), 7 años",
                "Microchip {chip}",
                "Tratamiento: {vet_drug} {dose} cada 24 h",
                "Peso {pet_weight} · temperatura 38,6 °C",
                "Próxima vacuna: {date_local}",
            ],
            "foot": ["Próxima cita: {date_local} a las {time}"],
        },
        "payslip": {
            "layout": "fields",
            "head": ["NÓMINA · periodo: {month_local}", "Recibo de salarios — n.º de empleado {employee_id}"],
            "topic": ["Plus: {topic}  {amount_eu}", "Descuento: club deportivo — {topic}  {amount_eu}"],
            "pii": {
                "PERSON": ["Trabajador/a: {PERSON.form}", "Elaborado por {PERSON.sig}, nóminas"],
                "DATE_OF_BIRTH": ["Fecha de nacimiento: {DATE_OF_BIRTH}"],
                "LOCATION": ["Domicilio:\n{LOCATION.block}", "Centro de trabajo: {LOCATION.town}"],
                "IBAN": ["Transferencia a {IBAN}"],
                "EMAIL_ADDRESS": ["Enviada a {EMAIL_ADDRESS}"],
            },
            "miss": [
                "Categoría: {job} · Grupo de cotización 5",
                "Total devengado {amount_eu} · Líquido a percibir {amount_eu}",
                "IRPF 14% · Contingencias comunes 4,7%",
                "Pagado el {date_local}, BIC {bic}",
            ],
            "foot": ["Recibí: ____________"],
        },
    },
}

HARBOR_STYLES: tuple[str, ...] = tuple(HARBOR_EN)


# ---- putting a post together ---------------------------------------------------------------------------


def _draw_body(rng: random.Random, bank: Bank, pii_rate: float, weights: dict[str, float] | None) -> list[str]:
    """The topic line and 1-5 lines that carry PII (with probability `pii_rate`) or only distractors."""
    pii: dict[str, list[str]] = bank["pii"]  # type: ignore[assignment]
    entities = [e for e in pii if weights is None or weights.get(e, 0.0) > 0]
    entity_weights = [1.0 if weights is None else weights[e] for e in entities]
    lines = [rng.choice(bank["topic"])]  # type: ignore[arg-type]
    for _ in range(rng.randint(1, 5)):
        for _ in range(4):  # a form seldom repeats a field: draw again a few times
            if entities and rng.random() < pii_rate:
                entity = rng.choices(entities, weights=entity_weights)[0]
                line = rng.choice(pii[entity])
            else:
                line = rng.choice(bank["miss"])  # type: ignore[arg-type]
            if line not in lines:
                break
        lines.append(line)
    rng.shuffle(lines)
    return lines


def _layout(style: str, layout: str, bank: Bank, body: list[str], rng: random.Random) -> list[tuple[str, str]]:
    """(template, separator before it) for the whole post: header, body lines in the style's layout, footer."""
    pieces: list[tuple[str, str]] = []

    def add(template: str, sep: str = "\n") -> None:
        pieces.append((template, sep if pieces else ""))

    heads: list[str] = bank["head"]  # type: ignore[assignment]
    foots: list[str] = bank["foot"]  # type: ignore[assignment]
    if heads:
        add(rng.choice(heads))
    match layout:
        case "fields" | "statement":
            for t in body:
                add(t)
        case "ci":
            seconds = rng.randint(0, 50)
            for t in body:
                seconds += rng.randint(1, 40)
                prefix = rng.choice(
                    [
                        f"[{seconds // 60:02d}:{seconds % 60:02d}] ",
                        f"#{rng.randint(5, 19)} {seconds}.{rng.randint(100, 999)} ",
                        "",
                    ]
                )
                add(prefix + t)
        case "chatbot":
            assistant: list[str] = bank["assistant"]  # type: ignore[assignment]
            for t in body:
                add("User: " + t, "\n\n")
                if rng.random() < 0.7:
                    add("Assistant: " + rng.choice(assistant), "\n\n")
        case "srt":
            seconds = rng.randint(0, 600)
            for i, t in enumerate(body, 1):
                start, seconds = seconds, seconds + rng.randint(2, 7)
                stamp = f"{hms(start)},{rng.randint(0, 999):03d} --> {hms(seconds)},{rng.randint(0, 999):03d}"
                add(f"{i}\n{stamp}\n{t}", "\n\n")
                seconds += rng.randint(0, 3)
        case "prose":
            for i, t in enumerate(body):
                run_on = i > 0 and t.endswith((".", "!", "?")) and body[i - 1].endswith((".", "!", "?"))
                add(t, rng.choice([" ", " ", "\n"]) if run_on else ("\n\n" if i == 0 else "\n"))
        case "json":
            add("{")
            for i, t in enumerate(body):
                add("  " + t + ("," if i < len(body) - 1 else ""))
            add("}")
        case "yaml":
            add("- kind: customer" if rng.random() < 0.5 else "user:")
            for t in body:
                add("  " + t.replace("\n", "\n  "))
        case "idscan":
            for t in body:
                add(t)
            add("{mrz}", "\n\n")
        case _:
            raise ValueError(f"unknown layout {layout!r} for {style!r}")
    if foots and rng.random() < 0.6:
        add(rng.choice(foots), "\n\n" if layout == "prose" else "\n")
    return pieces


def harbor_posts(
    n: int, seed: int, locale_mix: Sequence[tuple[str, float]], name_pool: str, pii_rate: float, weights: dict[str, float] | None
) -> Iterator[tuple[str, list[Span], int, str]]:
    """The harbor family: `(text, gold spans, label, locale)` per post, deterministic per seed. Each post
    is one record in a style from HARBOR_STYLES (see the module docstring)."""
    yield from without_style(harbor_posts_detailed(n, seed, locale_mix, name_pool, pii_rate, weights))


def harbor_posts_detailed(
    n: int, seed: int, locale_mix: Sequence[tuple[str, float]], name_pool: str, pii_rate: float, weights: dict[str, float] | None
) -> Iterator[tuple[str, list[Span], int, str, str, str]]:
    """As `harbor_posts`, with each post's style and language as well (for the tests)."""
    check_name_pool(name_pool)
    rng = random.Random(seed)
    fakers = make_fakers(seed, locale_mix)
    extra = make_fakers(seed + 104729, EXTRA_NAME_LOCALES)
    values = HarborValues(fakers, extra, rng, name_pool)
    for _ in range(n):
        loc, label, lang = draw_setting(rng, locale_mix, HARBOR_LOCAL, LOCAL_RATE)
        topic_key = TOPICS[label]
        if lang == "en":
            style = rng.choice(HARBOR_STYLES)
            bank = HARBOR_EN[style]
        else:
            style = rng.choice(LOCAL_STYLES)
            bank = HARBOR_LOCAL[lang][style]
        values.lang = lang
        topic = rng.choice(_TOPIC_PHRASES[lang][topic_key])
        body = _draw_body(rng, bank, pii_rate, weights)
        pieces = _layout(style, str(bank["layout"]), bank, body, rng)
        out = PostWriter(by_line=ADDRESS_LINES)
        for template, sep in pieces:
            out.literal(sep)
            fill(template, topic, values, loc, out)
        yield out.text(), out.spans, label, loc, style, lang
