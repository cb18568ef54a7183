"""The "quarry" evaluation family: labeled synthetic records written without reading the detector.

Written without reading the detector's code, its word lists, its configuration or any of its results;
the records, sentences and framing are new, not rephrasings of the "tuning", "heldout", "blind",
"fresh", "sealed", "vault" or "harbor" families. It measures how the detector generalises to text
styles it was never developed on: never change the detector while looking at its results on these
posts, the family is only worth something while nobody has tuned against it.

What a post looks like. Each post is one record in one of the 22 styles of QUARRY_STYLES, all kinds of
text no other family uses: an HL7 v2 message (MSH/PID/NK1/PV1 segments, "^"-separated names, birth
dates as YYYYMMDD), a FHIR-style JSON patient resource, an LDIF directory export (dn, cn, mail,
telephoneNumber, postalAddress), an sshd/syslog auth log ("Accepted password for", "Failed password
for invalid user ... from IP port"), a ride-share trip receipt, a telecom bill with call detail
records, an ambulance patient care report, an emergency dispatch log, a probate / legal notice, a
wedding or engagement announcement, an amateur match report, alumni magazine class notes, a parish
newsletter, a visa application form, a jury summons, a patent front page, a crowdfunding page with
its backers, a charity gift-aid declaration, a library loan record, a fixed-width mainframe report
printout, a Slack JSON export and a LinkedIn-style recommendation. About a fifth of the posts (60%
of those drawn in de_DE, fr_FR or es_ES) are written in the locale's own language (LOCAL_STYLES:
wedding announcements, legal notices, ride-share receipts, visa forms and parish newsletters in
German, French and Spanish). Every post holds one line that names its topic (the `label`: sports,
tech, food or travel) and 1-5 lines that carry PII or only look like it (`pii_rate`), framed by the
style's header and footer lines.

Value shapes (see `QuarryValues`): names in full, first only, surname only, "SURNAME, Given",
"Surname, Given", ALL CAPS, lower case, HL7 "SMITH^JOHN^A", initials ("J. R. Smith"), with titles of
each language ("Mr", "Dr.", "Herr", "Frau", "Mme", "Maître", "Sra.", "Dña."), ranks and clergy
("Sgt.", "Rev.", "Fr."), suffixes ("Jr.", "III"), particle surnames, hyphenated names, names that are
ordinary words ("Will Baker", "Grace Hill"); places as street addresses per locale, address blocks
over two or three lines (one LOCATION span per line), postcode and town, bare towns and regions;
phones in national and international forms per locale; Luhn-valid card numbers plain, spaced or
dashed; IBANs with right check digits (GB, DE, FR, ES) plain or grouped; SSNs with and without
dashes; IPv4 and IPv6; http(s) URLs (some with names in them); birth dates 1925-2012 in English,
German, French and Spanish words, numeric d/m/y, m/d/y, d.m.y, ISO, "12-MAR-1987" and HL7 YYYYMMDD;
secrets as passwords after labels, API keys, bearer tokens, Slack tokens, private key blocks and
connection strings / links with a credential.

Distractors that carry no label: HL7 message control ids and timestamps, MRNs, visit and incident
numbers, case, claim and docket numbers, patent and application numbers, ISBNs, call durations,
timestamps, ports, PIDs, sequence numbers, card-length numbers that fail the Luhn check, IBAN-like
strings that fail mod-97, version strings like 10.2.3.4, dates that are not birth dates (weddings,
hearings, due dates, calls, filing dates), hashes, UUIDs, LDAP group names, organisation names with
people or towns in them (law firms "Harper & Lowe LLP", churches "St Anne's", teams "Leeds Rhinos"),
job titles and medical terms with eponyms ("Glasgow Coma Scale", "Parkinson's disease").

Labeling convention (the sealed/vault families' convention, exactly):
  - every value inserted through an upper-case slot [[ENTITY]] or [[ENTITY.shape]] gets exactly one
    gold span of that entity covering the value and nothing else (an address block: one span per
    line); lower-case slots ([[mrn]], ...) and literal template text get none, so spans never
    overlap and never include quotes, brackets, "@", "mailto:", "Bearer " or "password=";
  - PERSON covers the name as written, a title, rank or suffix written with it included ("Dr. Weber",
    "Sgt. Okafor", "John Hale Jr.", the whole HL7 name "SMITH^JOHN^A"); PERSON is for people: user
    ids, firms, churches, teams and eponyms are not labeled;
  - LOCATION covers street addresses, postcode-and-town, and a bare town or region used as a place
    where someone lives, is, works, goes or was born; a city inside a team, firm or church name is
    not a location; an address written over several lines is one LOCATION span per line;
  - DATE_OF_BIRTH only where the text makes the date a birth date (HL7 PID-7, "DOB", "born", "né
    le", "geboren am"); other dates are not labeled;
  - URL means an http(s) address; a URL or connection string that carries a credential is one
    SECRET span over the whole of it; otherwise SECRET covers the key, token or password itself;
  - an e-mail address or URL that contains a name is only the EMAIL_ADDRESS / URL.
"""

from __future__ import annotations

import itertools
import random
import re
import string
import unicodedata
from collections.abc import Iterator, Sequence

from aircluster.privacy.detect.lexicon import is_unseen
from evals.pii.shapes import MONTHS, iban_check_digits, luhn_digit, luhn_ok
from evals.pii.synth import TOPICS, Span, check_name_pool, draw_setting, make_fakers, without_style
from evals.pii.templates import ADDRESS_LINES, PostWriter, render_slots

_CARD_RUN = re.compile(r"(?<![\w-])\d(?:[ -]?\d){11,18}(?![\w-])")
_SLOT = re.compile(r"\[\[([A-Za-z_][A-Za-z0-9_]*)(?:\.(\w+))?\]\]")

# ---- value pools -------------------------------------------------------------------------------------

TITLES = {
    "en": ("Mr", "Mrs", "Ms", "Dr", "Mr.", "Mrs.", "Dr.", "Prof.", "Miss"),
    "de": ("Herr", "Frau", "Dr.", "Prof. Dr.", "Herr Dr."),
    "fr": ("M.", "Mme", "Mlle", "Dr", "Maître", "Pr"),
    "es": ("Sr.", "Sra.", "D.", "Dña.", "Dr.", "Dra."),
}
RANKS = ("Sgt.", "Cpl.", "Capt.", "Rev.", "Fr.", "Lt.", "PC")
SUFFIXES = ("Jr.", "Sr.", "III", "II")
_PARTICLE_SURNAMES = (
    "van der Meer",
    "de la Torre",
    "O'Sullivan",
    "D'Souza",
    "von Bülow",
    "di Stefano",
    "MacLeod",
    "al-Rashid",
    "Le Bihan",
    "dos Reis",
    "van Rijn",
    "de Wit",
    "du Bois",
)
_WORD_FIRST = (
    "Will",
    "Mark",
    "Grace",
    "Hope",
    "Rose",
    "Bill",
    "Jack",
    "Faith",
    "Joy",
    "Dawn",
    "June",
    "Summer",
    "Rich",
    "Frank",
    "Sunny",
)
_WORD_LAST = (
    "Baker",
    "Mason",
    "Fisher",
    "Hunter",
    "Cook",
    "Young",
    "King",
    "Hill",
    "Wood",
    "Stone",
    "Bell",
    "Field",
    "Sharp",
    "Best",
    "Little",
    "Swift",
)
_REGIONS = {
    "en_US": ("Vermont", "Ohio", "Oregon", "New Mexico", "Nebraska", "Maine"),
    "en_GB": ("Yorkshire", "Cornwall", "Kent", "Cumbria", "Norfolk", "Somerset"),
    "de_DE": ("Bayern", "Sachsen", "Brandenburg", "Schleswig-Holstein", "Hessen"),
    "fr_FR": ("Bretagne", "Normandie", "Provence", "Alsace", "Occitanie"),
    "es_ES": ("Andalucía", "Galicia", "Asturias", "Aragón", "Extremadura"),
}
_IBAN_BBAN = {
    "GB": "AAAA##############",
    "DE": "##################",
    "FR": "#######################",
    "ES": "####################",
}
_LOC_IBAN = {"en_GB": "GB", "de_DE": "DE", "fr_FR": "FR", "es_ES": "ES"}
_DOMAINS = (
    "example.org",
    "mailbox.net",
    "posteo.de",
    "orange.fr",
    "telefonica.es",
    "outlook.com",
    "gmx.net",
    "proton.me",
    "btinternet.com",
    "fastmail.fm",
)
ORGS = (
    "Harper & Lowe LLP",
    "Smith & Partners",
    "St Anne's Church",
    "St. Mary Magdalene",
    "Leeds Rhinos",
    "Hamilton Academical",
    "Morgan Stanley",
    "Wells Fargo",
    "Johnson & Johnson",
    "Marks & Spencer",
    "Kellogg College",
    "Sheffield Wednesday",
    "Bayer Leverkusen",
    "Saint-Étienne",
    "Real Oviedo",
    "Baker McKenzie",
    "Dean & DeLuca",
    "Ben & Jerry's",
    "Paris Saint-Germain",
    "Aston Villa",
)
EPONYMS = (
    "Glasgow Coma Scale",
    "Parkinson's disease",
    "Cheyne-Stokes breathing",
    "Babinski sign",
    "Colles' fracture",
    "Bell's palsy",
    "Heimlich manoeuvre",
    "Apgar score",
    "Murphy's sign",
    "Alzheimer's disease",
)
JOBS = (
    "Senior Data Engineer",
    "Charge Nurse",
    "Paramedic",
    "Site Reliability Engineer",
    "Head Chef",
    "Branch Librarian",
    "Verger",
    "Clerk of the Court",
    "Patent Attorney",
    "Dispatcher",
)
_GROUPS = ("ou=People", "ou=Groups", "cn=admins", "ou=Staff", "cn=vpn-users", "ou=Contractors")


def _ascii(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if c.isascii() and (c.isalnum() or c in ".-"))


class QuarryValues:
    """Draws slot values deterministically from `rng` and the seeded Fakers."""

    def __init__(self, fakers, rng: random.Random, name_pool: str):
        self.fakers = fakers
        self.rng = rng
        self.name_pool = name_pool
        self.lang = "en"
        self.topic = ""

    # -- names --
    def _ok(self, *words: str) -> bool:
        """Under name_pool="unseen": every part of every word (also as HL7 writes it, in ASCII) is held out."""
        if self.name_pool != "unseen":
            return True
        parts = [p for w in words for p in re.split(r"[\s\-']+", w) if p]
        return all(is_unseen(p) and is_unseen(_ascii(p)) for p in parts) and all(
            is_unseen(_ascii(w.replace(" ", ""))) for w in words
        )

    def _first_last(self, f) -> tuple[str, str]:
        for _ in range(1000):
            first, last = f.first_name(), f.last_name()
            if self._ok(first, last):
                return first, last
        raise RuntimeError("no unseen name found")

    def person(self, shape: str | None, loc: str) -> str:
        r, f = self.rng, self.fakers[loc]
        first, last = self._first_last(f)
        if shape is None:
            shape = r.choices(
                ["full", "first", "last", "rev", "caps", "lower", "title", "initials"], weights=[40, 8, 5, 7, 5, 3, 10, 5]
            )[0]
        if shape == "full":  # a full name in one of the shapes people have
            shape = r.choices(["plain", "particle", "hyphen", "word", "suffix", "middle"], weights=[50, 10, 10, 10, 7, 13])[0]
        if shape == "word":
            pairs = [(a, b) for a in _WORD_FIRST for b in _WORD_LAST if self._ok(a, b)]
            if pairs:
                first, last = r.choice(pairs)
            shape = "plain"
        if shape == "particle":
            parts = [p for p in _PARTICLE_SURNAMES if self._ok(p)]
            if parts:
                return f"{first} {r.choice(parts)}"
            shape = "plain"
        match shape:
            case "plain":
                return f"{first} {last}"
            case "first":
                return first
            case "last":
                return last
            case "rev":
                return f"{last.upper()}, {first}" if r.random() < 0.5 else f"{last}, {first}"
            case "caps":
                return f"{first} {last}".upper()
            case "lower":
                return f"{first} {last}".lower()
            case "title":
                return f"{r.choice(TITLES[self.lang])} {r.choice([last, first + ' ' + last])}"
            case "rank":
                return f"{r.choice(RANKS)} {last}"
            case "initials":
                if r.random() < 0.5:
                    return f"{first[0]}. {last}"
                return f"{first[0]}. {r.choice(string.ascii_uppercase)}. {last}"
            case "hyphen":
                other = self._first_last(f)[1]
                return f"{first} {last}-{other}" if r.random() < 0.5 else f"{first}-{self._first_last(f)[0]} {last}"
            case "suffix":
                if self.lang != "en":
                    return f"{first} {last}"
                return f"{first} {last} {r.choice(SUFFIXES)}"
            case "middle":
                return f"{first} {r.choice(string.ascii_uppercase)}. {last}"
            case "hl7":
                fam, giv = _ascii(last.replace(" ", "")).upper(), _ascii(first).upper()
                return f"{fam}^{giv}^{r.choice(string.ascii_uppercase)}" if r.random() < 0.6 else f"{fam}^{giv}"
            case "fl":  # first and last for fields that hold them separately
                return first
        raise ValueError(shape)

    # -- the rest --
    def email(self, loc: str) -> str:
        r, f = self.rng, self.fakers[loc]
        first, last = self._first_last(f)
        a, b = _ascii(first).lower() or "info", _ascii(last).lower() or "post"
        user = r.choice([f"{a}.{b}", f"{a[0]}{b}", f"{b}{r.randint(1, 99)}", f"{a}_{b}", f"{a}"])
        return f"{user}@{r.choice(_DOMAINS)}"

    def phone(self, loc: str) -> str:
        r = self.rng

        def d(k: int) -> str:
            return "".join(r.choice(string.digits) for _ in range(k))

        a = str(r.randint(2, 9))
        match loc:
            case "en_US":
                area, ex = f"{r.randint(201, 989)}", f"{r.randint(200, 989)}"
                return r.choice(
                    [
                        f"({area}) {ex}-{d(4)}",
                        f"{area}-{ex}-{d(4)}",
                        f"+1 {area} {ex} {d(4)}",
                        f"{area}.{ex}.{d(4)}",
                        f"1-{area}-{ex}-{d(4)}",
                    ]
                )
            case "en_GB":
                return r.choice(
                    [
                        f"07{d(3)} {d(6)}",
                        f"+44 7{d(3)} {d(6)}",
                        f"020 {a}{d(3)} {d(4)}",
                        f"+44 (0)1{d(3)} {d(6)}",
                        f"01{d(3)} {d(6)}",
                    ]
                )
            case "de_DE":
                return r.choice(
                    [
                        f"015{d(1)} {d(8)}",
                        f"+49 15{d(1)} {d(8)}",
                        f"030 {a}{d(6)}",
                        f"+49 (0)89 {a}{d(6)}",
                        f"0221/{a}{d(5)}",
                        f"+49 40 {a}{d(6)}",
                    ]
                )
            case "fr_FR":
                return r.choice(
                    [
                        f"06 {d(2)} {d(2)} {d(2)} {d(2)}",
                        f"+33 6 {d(2)} {d(2)} {d(2)} {d(2)}",
                        f"01.{d(2)}.{d(2)}.{d(2)}.{d(2)}",
                        f"+33 (0)4 {d(2)} {d(2)} {d(2)} {d(2)}",
                    ]
                )
            case _:
                return r.choice(
                    [
                        f"6{d(2)} {d(3)} {d(3)}",
                        f"+34 6{d(2)} {d(2)} {d(2)} {d(2)}",
                        f"91 {d(3)} {d(2)} {d(2)}",
                        f"+34 93 {d(3)} {d(2)} {d(2)}",
                    ]
                )

    def card(self, loc: str) -> str:
        r = self.rng
        number = self.fakers[loc].credit_card_number()
        sep = r.choice(["", " ", "-", " "])
        if not sep:
            return number
        cuts = (0, 4, 10, 15) if len(number) == 15 else range(0, len(number) + 4, 4)
        return sep.join(number[a:b] for a, b in itertools.pairwise(cuts) if number[a:b])

    def iban(self, loc: str, valid: bool = True) -> str:
        r = self.rng
        country = _LOC_IBAN.get(loc) or r.choice(sorted(_IBAN_BBAN))
        bban = "".join(r.choice(string.ascii_uppercase) if c == "A" else r.choice(string.digits) for c in _IBAN_BBAN[country])
        check = iban_check_digits(country, bban)
        if not valid:
            check = f"{(int(check) + r.randint(1, 90)) % 97 + 2:02d}"
            if check == iban_check_digits(country, bban):
                check = f"{(int(check) + 1) % 97 + 2:02d}"
        iban = country + check + bban
        if r.random() < 0.45:
            return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
        return iban

    def ssn(self) -> str:
        r = self.rng
        area = r.choice([x for x in (r.randint(1, 665), r.randint(667, 899))])
        g, s = r.randint(1, 99), r.randint(1, 9999)
        sep = r.choice(["-", "-", "-", " ", ""])
        return f"{area:03d}{sep}{g:02d}{sep}{s:04d}"

    def ip(self) -> str:
        r = self.rng
        if r.random() < 0.25:
            return (
                ":".join(f"{r.randrange(65536):x}" for _ in range(8))
                if r.random() < 0.5
                else f"2001:db8:{r.randrange(65536):x}::{r.randrange(65536):x}"
            )
        first = r.choice([r.randint(11, 126), r.randint(128, 223), 10, 192, 172])
        if first == 192:
            return f"192.168.{r.randint(0, 255)}.{r.randint(1, 254)}"
        return f"{first}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"

    def url(self, loc: str) -> str:
        r, f = self.rng, self.fakers[loc]
        first, last = self._first_last(f)
        slug = _ascii(f"{first}-{last}").lower().strip("-.") or "page"
        return r.choice(
            [
                f"https://www.{_ascii(last).lower() or 'home'}-family.net/",
                f"https://{r.choice(['gofund', 'backit', 'crowdpot'])}.com/c/{slug}-{r.randint(100, 999)}",
                f"https://www.linkedin.com/in/{slug}",
                f"http://{r.choice(['intranet', 'portal', 'ehr'])}.{r.choice(_DOMAINS)}/p/{r.randint(1000, 99999)}",
                f"https://photos.{r.choice(_DOMAINS)}/album/{slug}",
                f"https://{r.choice(_DOMAINS)}/{r.choice(['news', 'blog', 'events'])}/{slug}",
            ]
        )

    def location(self, shape: str | None, loc: str) -> str:
        r, f = self.rng, self.fakers[loc]
        street = " ".join(f.street_address().split()).rstrip(",.")
        city, post = f.city(), f.postcode()
        if shape is None:
            shape = r.choices(["line", "block", "town", "post", "region", "street"], weights=[30, 20, 25, 10, 7, 8])[0]
        match shape:
            case "street":
                return street
            case "town":
                return city
            case "region":
                return r.choice(_REGIONS[loc])
            case "post":
                return (
                    f"{city} {post}"
                    if loc == "en_GB"
                    else (f"{city}, {f.state_abbr()} {post}" if loc == "en_US" else f"{post} {city}")
                )
            case "block":
                if loc == "en_US":
                    return f"{street}\n{city}, {f.state_abbr()} {post}"
                if loc == "en_GB":
                    return f"{street}\n{city}\n{post}"
                return f"{street}\n{post} {city}"
            case _:
                if loc == "en_US":
                    return f"{street}, {city}, {f.state_abbr()} {post}"
                if loc == "en_GB":
                    return f"{street}, {city} {post}"
                return f"{street}, {post} {city}"

    def birth(self, shape: str | None) -> str:
        r = self.rng
        y, m, d = r.randint(1925, 2012), r.randint(1, 12), r.randint(1, 28)
        if shape == "hl7":
            return f"{y}{m:02d}{d:02d}"
        if shape == "bday":  # a baby's birth: recent, spelled out
            return f"{MONTHS['en'][m - 1]} {d}, {r.randint(2016, 2020)}"
        if shape == "iso":
            return f"{y}-{m:02d}-{d:02d}"
        if shape == "mf":
            return f"{d:02d}-{MONTHS['en'][m - 1][:3].upper()}-{y}"
        lang = self.lang
        words = MONTHS[lang][m - 1]
        opts = {
            "en": [f"{d} {words} {y}", f"{words} {d}, {y}", f"{d:02d}/{m:02d}/{y}", f"{m}/{d}/{y}", f"{y}-{m:02d}-{d:02d}"],
            "de": [f"{d}. {words} {y}", f"{d:02d}.{m:02d}.{y}", f"{d}.{m}.{y}"],
            "fr": [f"{'1er' if d == 1 else d} {words} {y}", f"{d:02d}/{m:02d}/{y}"],
            "es": [f"{d} de {words} de {y}", f"{d:02d}/{m:02d}/{y}", f"{d}-{m:02d}-{y}".replace("-", "/")],
        }
        return r.choice(opts[lang])

    def secret(self, shape: str | None) -> str:
        r = self.rng
        alnum = string.ascii_letters + string.digits

        def s(k: int, chars: str = alnum) -> str:
            return "".join(r.choice(chars) for _ in range(k))

        if shape is None:
            shape = r.choice(["pw", "key", "token", "pem", "conn", "slack"])
        match shape:
            case "pw":
                return r.choice(
                    [
                        s(10),
                        f"{r.choice(_WORD_FIRST)}{r.randint(1960, 2011)}!",
                        f"{s(4)}#{s(5)}$",
                        f"Winter{r.randint(10, 99)}{r.choice('!?%')}{s(3)}",
                    ]
                )
            case "key":
                return r.choice(
                    [
                        "AKIA" + s(16, string.ascii_uppercase + string.digits),
                        "ghp_" + s(36),
                        "sk_live_" + s(24),
                        "AIza" + s(35, alnum + "-_"),
                        s(40, "0123456789abcdef"),
                    ]
                )
            case "token":
                return "eyJ" + s(20) + "." + s(30) + "." + s(22, alnum + "-_")
            case "slack":
                return f"xoxp-{s(11, string.digits)}-{s(12, string.digits)}-{s(24)}"
            case "pem":
                b64 = alnum + "+/"
                body = "\n".join(s(64, b64) for _ in range(r.randint(2, 4)))
                kind = r.choice(["RSA ", "EC ", "OPENSSH ", ""])
                return f"-----BEGIN {kind}PRIVATE KEY-----\n{body}\n-----END {kind}PRIVATE KEY-----"
            case "conn":
                user = r.choice(["app", "svc_etl", "admin", "reporting"])
                return r.choice(
                    [
                        f"postgres://{user}:{s(14)}@db{r.randint(1, 9)}.{r.choice(_DOMAINS)}:5432/main",
                        f"mongodb+srv://{user}:{s(16)}@cluster0.{s(5).lower()}.mongodb.net/prod",
                        f"https://{user}:{s(12)}@git.{r.choice(_DOMAINS)}/repo.git",
                        f"https://share.{r.choice(_DOMAINS)}/d/{s(10)}?token={s(32)}",
                    ]
                )
        raise ValueError(shape)

    # -- distractors --
    def distractor(self, name: str, loc: str) -> str:
        r = self.rng

        def d(k: int) -> str:
            return "".join(r.choice(string.digits) for _ in range(k))

        def hx(k: int) -> str:
            return "".join(r.choice("0123456789abcdef") for _ in range(k))

        match name:
            case "topic":
                return self.topic
            case "topic_up":
                return self.topic.upper()
            case "msg_id":
                return f"MSG{d(8)}"
            case "hl7ts":
                ts = (
                    f"{r.randint(2022, 2026)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}{r.randint(0, 23):02d}"
                    f"{r.randint(0, 59):02d}{r.randint(0, 5)}"
                )
                return ts + str((int(luhn_digit(ts)) + r.randint(1, 9)) % 10)  # a timestamp, never a card
            case "mrn":
                return f"{r.choice(['MRN', 'H', 'PT'])}{d(7)}"
            case "case_no":
                return f"{r.choice(['CV', 'PR', 'CR'])}-{r.randint(2019, 2026)}-{d(6)}"
            case "claim_no":
                return f"CLM-{d(9)}"
            case "patent_no":
                return r.choice([f"US {r.randint(9, 12)},{d(3)},{d(3)} B2", f"EP {d(7)} A1", f"WO 20{r.randint(19, 25)}/{d(6)}"])
            case "app_no":
                return f"{r.randint(15, 18)}/{d(3)},{d(3)}"
            case "isbn":
                while True:  # a real ISBN-13 check digit, and not a number that passes Luhn
                    body = f"978{r.randint(0, 3)}{d(8)}"
                    isbn = body + str(-sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body)) % 10)
                    if not luhn_ok(isbn):
                        return f"{isbn[:3]}-{isbn[3]}-{isbn[4:8]}-{isbn[8:12]}-{isbn[12]}"
            case "duration":
                return f"{r.randint(0, 59):02d}:{r.randint(0, 59):02d}"
            case "ts":
                return (
                    f"{r.randint(2022, 2026)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d} "
                    f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}"
                )
            case "syslog_ts":
                return (
                    f"{r.choice(MONTHS['en'])[:3]} {r.randint(1, 28):2d} "
                    f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}"
                )
            case "time":
                return f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}"
            case "port":
                return str(r.randint(1024, 65535))
            case "pid":
                return str(r.randint(300, 99999))
            case "seq":
                return f"{r.randint(1, 9999):04d}"
            case "bad_card":
                number = self.fakers[loc].credit_card_number()
                bad = number[:-1] + str((int(number[-1]) + r.randint(1, 9)) % 10)
                return bad if r.random() < 0.5 else " ".join(bad[i : i + 4] for i in range(0, len(bad), 4))
            case "bad_iban":
                while True:  # no card-length run of digits inside it may pass Luhn either
                    bad = self.iban(loc, valid=False)
                    if not any(luhn_ok(re.sub(r"\D", "", m[0])) for m in _CARD_RUN.finditer(bad)):
                        return bad
            case "version":
                return f"{r.randint(1, 12)}.{r.randint(0, 9)}.{r.randint(0, 20)}.{r.randint(0, 999)}"
            case "date":  # an ordinary date (a wedding, a hearing, a bill), never a birth date
                y, m, day = r.randint(2021, 2026), r.randint(1, 12), r.randint(1, 28)
                month = MONTHS[self.lang][m - 1]
                spelled = {
                    "en": f"{day} {month} {y}",
                    "de": f"{day}. {month} {y}",
                    "fr": f"{day} {month} {y}",
                    "es": f"{day} de {month} de {y}",
                }[self.lang]
                numeric = f"{day:02d}.{m:02d}.{y}" if self.lang == "de" else f"{day:02d}/{m:02d}/{y}"
                return r.choice([spelled, spelled, numeric, f"{y}-{m:02d}-{day:02d}"])
            case "year":
                return str(r.randint(1975, 2020))
            case "sha":
                return hx(40)
            case "short_sha":
                return hx(10)
            case "uuid":
                return "-".join(hx(k) for k in (8, 4, 4, 4, 12))
            case "org":
                return r.choice(ORGS)
            case "eponym":
                return r.choice(EPONYMS)
            case "job":
                return r.choice(JOBS)
            case "group":
                return r.choice(_GROUPS)
            case "uid":
                return f"U{''.join(r.choice(string.ascii_uppercase + string.digits) for _ in range(9))}"
            case "user":
                return r.choice(["svc-backup", "deploy", "jenkins", "postgres", "git", "ubuntu", "root", "nagios"])
            case "badge":
                return f"{r.choice(['A', 'M', 'E'])}{r.randint(10, 99)}"
            case "amount":
                return f"{r.randint(5, 900)}.{d(2)}"
            case "num":
                return str(r.randint(2, 60))
            case "inc_no":
                return f"INC{d(8)}"
            case "barcode":
                code = f"3{d(12)}"
                return code + str((int(luhn_digit(code)) + r.randint(1, 9)) % 10)
            case "hash_pw":
                return "$6$" + hx(8) + "$" + hx(30)
        raise ValueError(f"unknown slot {name!r}")

    def draw(self, name: str, shape: str | None, loc: str) -> tuple[str | None, str]:
        match name:
            case "PERSON":
                return "PERSON", self.person(shape, loc)
            case "EMAIL_ADDRESS":
                return name, self.email(loc)
            case "PHONE_NUMBER":
                return name, self.phone(loc)
            case "CREDIT_CARD":
                return name, self.card(loc)
            case "IBAN":
                return name, self.iban(loc)
            case "US_SSN":
                return name, self.ssn()
            case "IP_ADDRESS":
                return name, self.ip()
            case "URL":
                return name, self.url(loc)
            case "LOCATION":
                return name, self.location(shape, loc)
            case "DATE_OF_BIRTH":
                return name, self.birth(shape)
            case "SECRET":
                return name, self.secret(shape)
        return None, self.distractor(name, loc)


def fill(template: str, values: QuarryValues, loc: str, out: PostWriter) -> None:
    """Write `template` to `out` with its [[slots]] filled; a labeled address block gets one span per line
    (`out.by_line`)."""
    render_slots(template, _SLOT, out, lambda name, shape: values.draw(name, shape or None, loc), own_full_stop=True)


def slot_entities(template: str) -> list[str]:
    return [m[1] for m in _SLOT.finditer(template) if m[1].isupper()]


# ---- the records -------------------------------------------------------------------------------------
# A style: "head" and "tail" (alternatives for the frame lines; one of each is drawn, only among those
# whose entities `weights` allows), "topic" (the format of the topic line, [[topic]] is the sentence),
# "pii" (entity -> lines carrying it) and "miss" (lines that only look like PII). Slots: [[ENTITY]] or
# [[ENTITY.shape]] are labeled, [[lower]] slots are distractors and never labeled.

QUARRY_TOPICS = {
    "en": {
        "sports": [
            "Took a knock to the shin during the Sunday five-a-side game.",
            "Rowing club regatta moved to the reservoir this year.",
            "Training for the half marathon, long run was 18 km.",
            "Netball semi-final went to extra time.",
        ],
        "tech": [
            "Keyboard firmware update bricked the laptop dock.",
            "Migrating the ticket queue to the new cluster this week.",
            "The router kept dropping packets after the patch.",
            "Soldering a new battery into an old handheld console.",
        ],
        "food": [
            "Catering order covers sourdough, soup and a vegan stew.",
            "Burnt hand on a cast-iron skillet while frying onions.",
            "Bake sale raised enough for new oven trays.",
            "Recipe swap: lentil dal with tamarind and curry leaves.",
        ],
        "travel": [
            "Ferry crossing was delayed by fog for three hours.",
            "Layover in a sleepy airport, then an overnight coach.",
            "Hiking hut booking for the glacier route.",
            "Lost luggage claim after the return flight.",
        ],
    },
    "de": {
        "sports": [
            "Beim Kreisliga-Spiel am Sonntag fiel der Ausgleich spät.",
            "Die Rudergruppe trainiert jetzt zweimal pro Woche am See.",
        ],
        "tech": [
            "Nach dem Firmware-Update startet der Router nicht mehr.",
            "Wir ziehen den Server nächste Woche ins neue Rechenzentrum um.",
        ],
        "food": ["Für das Buffet gibt es Linsensuppe und Zwetschgenkuchen.", "Der Sauerteig braucht bei dieser Kälte zwei Tage."],
        "travel": ["Die Fähre hatte wegen Nebel drei Stunden Verspätung.", "Nachtzug gebucht, Umstieg morgens in Wien."],
    },
    "fr": {
        "sports": [
            "Le match de rugby amateur s'est joué sous la pluie.",
            "Sortie vélo du club dimanche, quatre-vingts kilomètres.",
        ],
        "tech": [
            "La mise à jour du routeur a coupé le réseau toute la nuit.",
            "Migration de la messagerie vers le nouveau serveur.",
        ],
        "food": ["Au menu du repas : blanquette et tarte aux pommes.", "Atelier pâtisserie samedi, on apprend les éclairs."],
        "travel": [
            "Le ferry a eu trois heures de retard à cause du brouillard.",
            "Train de nuit réservé, correspondance à Lyon au petit matin.",
        ],
    },
    "es": {
        "sports": ["El partido de fútbol sala terminó en penaltis.", "La carrera popular del domingo tuvo récord de inscritos."],
        "tech": ["Tras la actualización el router no arranca.", "Migramos el correo al servidor nuevo esta semana."],
        "food": [
            "Para la merienda habrá tortilla y bizcocho de limón.",
            "Taller de cocina: paella de verduras para veinte personas.",
        ],
        "travel": [
            "El ferry salió con tres horas de retraso por la niebla.",
            "Reservado el tren nocturno, transbordo de madrugada.",
        ],
    },
}

QUARRY_EN: dict[str, dict] = {
    "hl7": {
        "head": [
            "MSH|^~\\&|ADT1|GOOD HEALTH HOSPITAL|[[msg_id]]|[[hl7ts]]||ADT^A04|[[msg_id]]|P|2.5.1",
            "MSH|^~\\&|EPIC|CLINIC|LABADT|DH|[[hl7ts]]||ADT^A08|[[msg_id]]|P|2.3\nEVN|A08|[[hl7ts]]",
            "MSH|^~\\&|RIS|[[org]]|PACS|RAD|[[hl7ts]]||ORM^O01|[[msg_id]]|P|2.4",
        ],
        "topic": "NTE|1||[[topic]]",
        "pii": {
            "PERSON": [
                "PID|1||[[mrn]]^^^MRN||[[PERSON.hl7]]|||U",
                "NK1|1|[[PERSON.hl7]]|SPO^Spouse|||[[PHONE_NUMBER]]",
                "PV1|1|O|ER^^^[[seq]]||||[[num]]^[[PERSON.hl7]]^^^^DR|||",
            ],
            "DATE_OF_BIRTH": ["PID|1||[[mrn]]^^^MRN||[[PERSON.hl7]]||[[DATE_OF_BIRTH.hl7]]|F|||[[seq]]"],
            "LOCATION": ["PID|1||[[mrn]]||[[PERSON.hl7]]||||||[[LOCATION.street]]^^[[LOCATION.town]]^^[[num]]"],
            "PHONE_NUMBER": ["PID|1||[[mrn]]||[[PERSON.hl7]]|||||||[[PHONE_NUMBER]]^PRN^PH"],
            "US_SSN": ["PID|1||[[mrn]]^^^MRN||[[PERSON.hl7]]||||||||||||[[claim_no]]|[[US_SSN]]"],
            "EMAIL_ADDRESS": ["NK1|2|[[PERSON.hl7]]|MTH^Mother||||^NET^Internet^[[EMAIL_ADDRESS]]"],
            "IP_ADDRESS": ["NTE|2||Interface engine relayed from [[IP_ADDRESS]] port [[port]]"],
        },
        "miss": [
            "OBX|1|NM|8867-4^Heart rate^LN||[[num]]|/min|||||F|||[[hl7ts]]",
            "DG1|1||G20^[[eponym]]^I10||[[hl7ts]]|A",
            "PV1|1|I|W[[num]]^[[seq]]^1|||||||MED||||||||V[[seq]][[seq]]",
            "IN1|1|PLAN[[num]]|[[seq]]|[[org]]||||||||||||||||||||||||||[[bad_card]]",
        ],
    },
    "fhir": {
        "head": [
            '{"resourceType": "Patient", "id": "[[uuid]]",\n "meta": {"versionId": "[[num]]", "lastUpdated": "[[ts]]"},',
            '{\n "resourceType": "Patient",\n "identifier": [{"system": "urn:oid:2.16.840.1.113883.2.1", "value": "[[mrn]]"}],',
        ],
        "topic": ' "text": {"status": "generated", "div": "<div>[[topic]]</div>"},',
        "tail": [' "active": true\n}', ' "managingOrganization": {"display": "[[org]]"}\n}'],
        "pii": {
            "PERSON": [
                ' "name": [{"use": "official", "family": "[[PERSON.last]]", "given": ["[[PERSON.first]]"]}],',
                ' "name": [{"text": "[[PERSON.full]]"}],',
                ' "generalPractitioner": [{"display": "[[PERSON.title]]"}],',
            ],
            "DATE_OF_BIRTH": [' "birthDate": "[[DATE_OF_BIRTH.iso]]",'],
            "LOCATION": [
                ' "address": [{"line": ["[[LOCATION.street]]"], "city": "[[LOCATION.town]]"}],',
                ' "address": [{"text": "[[LOCATION.line]]"}],',
            ],
            "PHONE_NUMBER": [' "telecom": [{"system": "phone", "value": "[[PHONE_NUMBER]]", "use": "mobile"}],'],
            "EMAIL_ADDRESS": [' "telecom": [{"system": "email", "value": "[[EMAIL_ADDRESS]]"}],'],
            "US_SSN": [' "identifier": [{"system": "http://hl7.org/fhir/sid/us-ssn", "value": "[[US_SSN]]"}],'],
            "URL": [' "photo": [{"url": "[[URL]]"}],'],
        },
        "miss": [
            ' "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/patient-birthPlace"}],',
            ' "deceasedBoolean": false, "multipleBirthInteger": [[num]],',
            ' "identifier": [{"system": "urn:claims", "value": "[[bad_card]]"}],',
            ' "meta": {"versionId": "[[version]]", "source": "#[[short_sha]]"},',
        ],
    },
    "ldif": {
        "head": ["# LDIF export, [[ts]]\nversion: 1", "# extended LDIF\n# base <dc=corp,dc=example> with scope subtree"],
        "topic": "description: [[topic]]",
        "pii": {
            "PERSON": [
                "dn: cn=[[PERSON.full]],[[group]],dc=corp,dc=example",
                "displayName: [[PERSON.rev]]",
                "sn: [[PERSON.last]]",
                "manager: cn=[[PERSON.full]],ou=People,dc=corp,dc=example",
            ],
            "EMAIL_ADDRESS": ["mail: [[EMAIL_ADDRESS]]"],
            "PHONE_NUMBER": ["telephoneNumber: [[PHONE_NUMBER]]", "mobile: [[PHONE_NUMBER]]"],
            "LOCATION": [
                "postalAddress: [[LOCATION.street]] $ [[LOCATION.post]]",
                "l: [[LOCATION.town]]",
                "homePostalAddress: [[LOCATION.line]]",
            ],
            "SECRET": ["userPassword: [[SECRET.pw]]", "# bind password for sync: [[SECRET.pw]]"],
            "URL": ["labeledURI: [[URL]] homepage"],
            "IP_ADDRESS": ["ipHostNumber: [[IP_ADDRESS]]"],
            "DATE_OF_BIRTH": ["dateOfBirth: [[DATE_OF_BIRTH.iso]]"],
        },
        "miss": [
            "uidNumber: [[pid]]",
            "objectClass: inetOrgPerson",
            "entryUUID: [[uuid]]",
            "# entry checksum [[sha]]",
            "memberOf: cn=vpn-users,[[group]],dc=corp,dc=example",
            "title: [[job]]",
            "employeeNumber: [[seq]][[num]]",
            "userPassword:: e1NTSEF9[[short_sha]]",
            "modifyTimestamp: [[hl7ts]]Z",
        ],
    },
    "authlog": {
        "head": ["==> /var/log/auth.log <==", "journalctl -u ssh --since yesterday", "-- Logs begin at [[ts]] --"],
        "topic": "# note: [[topic]]",
        "pii": {
            "IP_ADDRESS": [
                "[[syslog_ts]] bastion sshd[[[pid]]]: Failed password for invalid user [[user]] from [[IP_ADDRESS]] port [[port]] ssh2",
                "[[syslog_ts]] web01 sshd[[[pid]]]: Accepted publickey for deploy from [[IP_ADDRESS]] port [[port]] ssh2: RSA SHA256:[[short_sha]]",
                "[[syslog_ts]] gw sshd[[[pid]]]: Connection closed by authenticating user root [[IP_ADDRESS]] port [[port]] [preauth]",
            ],
            "PERSON": [
                "[[syslog_ts]] host sudo: [[PERSON.lower]] : TTY=pts/[[num]] ; PWD=/home ; USER=root ; COMMAND=/bin/systemctl restart nginx",
                "[[syslog_ts]] host chfn[[[pid]]]: changed user 'jdoe' information, GECOS now '[[PERSON.full]]'",
            ],
            "SECRET": [
                "[[syslog_ts]] host sshd[[[pid]]]: Failed password for invalid user [[SECRET.pw]] from [[IP_ADDRESS]] port [[port]] ssh2",
                "[[syslog_ts]] host cron[[[pid]]]: (backup) CMD (PGPASSWORD=[[SECRET.pw]] pg_dump main)",
                "[[syslog_ts]] host app[[[pid]]]: using DSN [[SECRET.conn]]",
                "[[syslog_ts]] api[[[pid]]]: GET /v1/me 200 Authorization: Bearer [[SECRET.token]]",
                "# key found in /home/deploy/.ssh/id_ed25519, rotate it:\n[[SECRET.pem]]",
            ],
            "EMAIL_ADDRESS": [
                "[[syslog_ts]] host postfix/smtp[[[pid]]]: to=<[[EMAIL_ADDRESS]]>, relay=mx.example.org[[[IP_ADDRESS]]]:25, status=sent"
            ],
        },
        "miss": [
            "[[syslog_ts]] host sshd[[[pid]]]: Server listening on 0.0.0.0 port [[port]].",
            "[[syslog_ts]] host sshd[[[pid]]]: pam_unix(sshd:session): session opened for user ubuntu(uid=[[pid]])",
            "[[syslog_ts]] host kernel: [UFW BLOCK] IN=eth0 LEN=[[num]] TTL=[[num]] ID=[[pid]] PROTO=TCP",
            "[[syslog_ts]] host systemd[1]: Started OpenSSH server daemon version [[version]].",
            "[[syslog_ts]] host sshd[[[pid]]]: error: kex_exchange_identification: read: Connection reset by peer (seq [[seq]])",
        ],
    },
    "rideshare": {
        "head": ["Your trip receipt · [[date]]", "Thanks for riding! Trip ID [[uuid]]", "RIDE RECEIPT #[[seq]][[seq]]"],
        "topic": "Trip note: [[topic]]",
        "tail": ["Total [[amount]] · Fare breakdown in the app", "Rate your trip · Lost an item? Visit help"],
        "pii": {
            "PERSON": [
                "You rode with [[PERSON.first]] · 4.9 ★",
                "Driver: [[PERSON.first]] ([[badge]] · Toyota Prius)",
                "Rider: [[PERSON.full]]",
            ],
            "LOCATION": [
                "Pickup [[time]] · [[LOCATION.line]]",
                "Drop-off [[time]] · [[LOCATION.street]], [[LOCATION.town]]",
                "Pickup\n[[LOCATION.block]]",
            ],
            "CREDIT_CARD": ["Charged to card [[CREDIT_CARD]]"],
            "EMAIL_ADDRESS": ["Receipt sent to [[EMAIL_ADDRESS]]"],
            "PHONE_NUMBER": ["Driver contact (masked relay): [[PHONE_NUMBER]]"],
        },
        "miss": [
            "Distance 12.4 km · Duration [[duration]]",
            "Booking fee [[amount]] · Promo RIDE[[num]] applied",
            "Card ending [[num]][[num]] · Auth code [[seq]]",
            "Surge x1.[[num]] from [[time]] to [[time]]",
        ],
    },
    "telecom": {
        "head": [
            "MONTHLY STATEMENT · Account [[seq]]-[[seq]] · Billing period ending [[date]]",
            "Itemised bill · Invoice [[inc_no]]",
        ],
        "topic": "Customer comment: [[topic]]",
        "tail": ["Amount due: [[amount]] · Direct debit on [[date]]"],
        "pii": {
            "PERSON": ["Account holder: [[PERSON.title]]", "Bill to: [[PERSON.rev]]"],
            "PHONE_NUMBER": [
                "[[date]] [[time]]  Outgoing  [[PHONE_NUMBER]]  [[duration]]  [[amount]]",
                "[[date]] [[time]]  SMS to  [[PHONE_NUMBER]]  1  0.[[num]]",
                "Your number: [[PHONE_NUMBER]]",
            ],
            "LOCATION": [
                "[[LOCATION.block]]",
                "Service address: [[LOCATION.line]]",
                "[[date]] [[time]]  Roaming data in [[LOCATION.town]]  [[num]] MB",
            ],
            "IBAN": ["Direct debit from [[IBAN]]"],
            "SECRET": ["Voicemail PIN reset to [[SECRET.pw]]", "Wi-Fi hub admin password: [[SECRET.pw]]"],
            "CREDIT_CARD": ["Top-up paid with [[CREDIT_CARD]]"],
            "EMAIL_ADDRESS": ["E-bill address: [[EMAIL_ADDRESS]]"],
        },
        "miss": [
            "[[date]] [[time]]  Outgoing  0800 [[pid]]  [[duration]]  0.00",
            "SIM serial [[barcode]] · tariff T[[num]]",
            "Creditor ref [[bad_iban]]",
            "Data used [[num]].[[num]] GB of 50 GB · Plan version [[version]]",
        ],
    },
    "ambulance": {
        "head": ["PATIENT CARE REPORT · Incident [[inc_no]] · Unit MEDIC [[num]]", "ePCR [[uuid]] · Crew [[badge]]/[[badge]]"],
        "topic": "Mechanism: [[topic]]",
        "pii": {
            "PERSON": [
                "Pt: [[PERSON.rev]]",
                "Next of kin on scene: [[PERSON.full]] (spouse)",
                "Handover to [[PERSON.title]] at resus",
            ],
            "DATE_OF_BIRTH": ["DOB [[DATE_OF_BIRTH]] · Age [[num]]", "Pt DOB: [[DATE_OF_BIRTH]]"],
            "LOCATION": ["Scene: [[LOCATION.line]]", "Pt home address: [[LOCATION.street]], [[LOCATION.town]]"],
            "PHONE_NUMBER": ["Callback number [[PHONE_NUMBER]]"],
            "US_SSN": ["SSN [[US_SSN]] (from driver's licence)"],
        },
        "miss": [
            "GCS 14 ([[eponym]] noted) · BP 132/[[num]] · SpO2 9[[num]]%",
            "Hx: [[eponym]] · meds: levodopa [[num]] mg",
            "Times: dispatched [[time]], on scene [[time]], at hospital [[time]]",
            "Receiving: [[org]] ED · bed [[num]]",
        ],
    },
    "dispatch": {
        "head": ["CAD EVENT LOG · [[date]]", "DISPATCH · Event [[inc_no]]"],
        "topic": "[[time]] NARR: [[topic_up]]",
        "pii": {
            "LOCATION": [
                "[[time]] LOC: [[LOCATION.line]]",
                "[[time]] XST: near [[LOCATION.street]]",
                "[[time]] CITY: [[LOCATION.town]]",
            ],
            "PHONE_NUMBER": ["[[time]] CALLBACK: [[PHONE_NUMBER]]"],
            "PERSON": [
                "[[time]] RP: [[PERSON.caps]]",
                "[[time]] UNIT 4A ENRT, OFC [[PERSON.rank]]",
                "[[time]] PT: [[PERSON.rev]], CONSCIOUS AND BREATHING",
                "[[time]] RP IS NEIGHBOR [[PERSON.first]]",
            ],
            "DATE_OF_BIRTH": ["[[time]] PT DOB [[DATE_OF_BIRTH.mf]] PER RP"],
            "IP_ADDRESS": ["[[time]] NG911 SIP from [[IP_ADDRESS]]:[[port]]"],
        },
        "miss": [
            "[[time]] PRI 2 · TYPE MVC-INJ · BEAT [[num]]",
            "[[time]] UNIT M[[num]] ARRVD · MILEAGE [[amount]]",
            "[[time]] CASE [[case_no]] ASSIGNED",
            "[[time]] ALI SEQ [[seq]] CLASS WPH2",
            "[[time]] FIRE ENG [[num]] CLRD · [[eponym]] PROTOCOL",
            "[[time]] CAD [[uuid]] MERGED",
        ],
    },
    "probate": {
        "head": ["PUBLIC NOTICES — ESTATES", "NOTICE TO CREDITORS · Case No. [[case_no]]", "LEGAL NOTICE"],
        "topic": "Also in this edition: [[topic]]",
        "tail": ["Published [[date]] and the two weeks following."],
        "pii": {
            "PERSON": [
                "Re the estate of [[PERSON.caps]], deceased.",
                "Executor: [[PERSON.full]], c/o [[org]]",
                "[[PERSON.rev]], late of this parish, retired schoolteacher.",
            ],
            "LOCATION": [
                "Late of [[LOCATION.line]], who died on [[date]].",
                "Claims to the executors at\n[[LOCATION.block]]",
                "formerly residing in [[LOCATION.town]]",
            ],
            "DATE_OF_BIRTH": ["born [[DATE_OF_BIRTH]], died [[date]]"],
            "PHONE_NUMBER": ["Enquiries to the solicitors on [[PHONE_NUMBER]]"],
            "EMAIL_ADDRESS": ["Written claims by e-mail to [[EMAIL_ADDRESS]]"],
        },
        "miss": [
            "Docket [[case_no]] · Surrogate's Court, County of Kings",
            "Solicitors: [[org]], ref [[claim_no]]",
            "Claims must be filed by [[date]] or be forever barred.",
            "Hearing on [[date]] in Courtroom [[num]]",
        ],
    },
    "wedding": {
        "head": ["WEDDINGS & ENGAGEMENTS", "Engagement announced", "Happy couple"],
        "topic": "From the couple's note: [[topic]]",
        "pii": {
            "PERSON": [
                "[[PERSON.title]] and [[PERSON.title]] are delighted to announce the engagement of their daughter [[PERSON.first]]",
                "to [[PERSON.full]], son of [[PERSON.full]]",
                "The bride was given away by her uncle, [[PERSON.full]].",
            ],
            "LOCATION": [
                "both of [[LOCATION.town]]",
                "The reception was held at the couple's home, [[LOCATION.line]]",
                "The groom grew up in [[LOCATION.region]]",
            ],
            "URL": ["Photos: [[URL]]", "Registry: [[URL]]"],
            "EMAIL_ADDRESS": ["RSVP to the bride's mother at [[EMAIL_ADDRESS]]"],
            "DATE_OF_BIRTH": ["Guestbook note: the bride, born [[DATE_OF_BIRTH]], was the youngest of five"],
        },
        "miss": [
            "The ceremony took place on [[date]] at [[org]].",
            "Music by the Sheffield Wednesday supporters' brass band.",
            "Registry reference [[claim_no]]",
            "The couple will honeymoon in the Lake District.",
        ],
    },
    "match": {
        "head": ["MATCH REPORT · [[org]] [[num]]–[[num]] Hartwell Town", "Sunday League · Division 2 · Round [[num]]"],
        "topic": "[[topic]]",
        "pii": {
            "PERSON": [
                "Goals: [[PERSON.last]] 12', [[PERSON.last]] 67' (pen)",
                "Man of the match [[PERSON.full]] was superb in midfield.",
                "Captain [[PERSON.initials]] limped off before half time.",
                "Ref: [[PERSON.full]]",
            ],
            "LOCATION": ["Next fixture away at Meadow Lane, [[LOCATION.town]]", "Kick-off at the ground, [[LOCATION.line]]"],
            "PHONE_NUMBER": ["Availability to the fixtures secretary on [[PHONE_NUMBER]]"],
            "URL": ["Highlights: [[URL]]", "Full scorecard at [[URL]]"],
            "DATE_OF_BIRTH": ["Junior call-up [[PERSON.first]] (born [[DATE_OF_BIRTH]]) made his debut."],
            "SECRET": ["Club Wi-Fi in the pavilion: password [[SECRET.pw]]"],
            "EMAIL_ADDRESS": ["Match fees to [[EMAIL_ADDRESS]] by Friday"],
        },
        "miss": [
            "Attendance [[num]]0 · Possession 54%",
            "Yellow cards: #[[num]], #[[num]]",
            "Next: Leeds Rhinos Community XI on [[date]]",
            "Sponsored by [[org]]",
            "Half time [[num]]–[[num]] · Subs used: #[[num]] for #[[num]]",
            "Kick-off [[time]] · Pitch [[num]]",
        ],
    },
    "classnotes": {
        "head": ["CLASS NOTES · Class of [[year]]", "Alumni News — Class of [[year]]"],
        "topic": "Class note: [[topic]]",
        "pii": {
            "PERSON": [
                "[[PERSON.full]] ('[[num]]) writes that she retired from [[org]].",
                "[[PERSON.full]] and [[PERSON.first]] welcomed twins this spring.",
                "In memoriam: [[PERSON.title]]",
            ],
            "LOCATION": ["...who now lives in [[LOCATION.town]] with two dogs.", "moved to [[LOCATION.region]] to open a bakery"],
            "EMAIL_ADDRESS": ["Send your news to your class secretary at [[EMAIL_ADDRESS]]"],
            "URL": ["Read the full profile at [[URL]]"],
            "PHONE_NUMBER": ["Reunion RSVPs by phone: [[PHONE_NUMBER]]"],
            "DATE_OF_BIRTH": ["[[PERSON.full]] reports the arrival of a grandson, born [[DATE_OF_BIRTH.bday]]."],
        },
        "miss": [
            "Reunion weekend is [[date]]; [[org]] hosts the dinner.",
            "Alumni ID [[seq]][[seq]]",
            "Congratulations to the [[job]] of the year.",
            "Gift of [[amount]] to the [[org]] fund.",
        ],
    },
    "parish": {
        "head": ["ST ANNE'S PARISH NEWSLETTER · [[date]]", "Parish News — Week [[num]]"],
        "topic": "Notices: [[topic]]",
        "pii": {
            "PERSON": [
                "Please pray for [[PERSON.full]], who is in hospital.",
                "Flowers this week by [[PERSON.title]]",
                "Mass intentions: [[PERSON.rev]] (RIP)",
                "Parish priest: [[PERSON.rank]]",
            ],
            "PHONE_NUMBER": ["Parish office: [[PHONE_NUMBER]] (Tue & Thu)"],
            "IBAN": ["Standing orders to [[IBAN]]"],
            "EMAIL_ADDRESS": ["Safeguarding lead: [[EMAIL_ADDRESS]]"],
            "LOCATION": ["Presbytery: [[LOCATION.line]]", "Coach trip to the shrine in [[LOCATION.town]]"],
        },
        "miss": [
            "Collection last Sunday: [[amount]] · Gift Aid [[amount]]",
            "Confirmation classes start [[date]]",
            "St Mary Magdalene choir rehearses at [[time]]",
            "Sort code 20-[[num]]-[[num]] for the roof appeal",
        ],
    },
    "visa": {
        "head": ["VISA APPLICATION FORM · Ref [[claim_no]]", "Application for a short-stay visa"],
        "topic": "Purpose of journey: [[topic]]",
        "pii": {
            "PERSON": [
                "1. Surname (family name): [[PERSON.last]]",
                "2. First name(s): [[PERSON.first]]",
                "Inviting person: [[PERSON.title]]",
            ],
            "DATE_OF_BIRTH": ["4. Date of birth (day-month-year): [[DATE_OF_BIRTH]]"],
            "LOCATION": ["5. Place of birth: [[LOCATION.town]]", "Home address:\n[[LOCATION.block]]"],
            "EMAIL_ADDRESS": ["E-mail address: [[EMAIL_ADDRESS]]"],
            "PHONE_NUMBER": ["Telephone number: [[PHONE_NUMBER]]"],
            "US_SSN": ["National identity number: [[US_SSN]]"],
            "SECRET": ["Password chosen for the online account: [[SECRET.pw]]"],
        },
        "miss": [
            "Passport no. [[badge]][[seq]][[num]] · issued [[date]]",
            "Number of entries requested: multiple",
            "Intended date of arrival: [[date]]",
            "Fee paid: [[amount]] EUR",
        ],
    },
    "jury": {
        "head": ["JURY SUMMONS · Juror No. [[seq]][[num]]", "SUMMONS FOR JURY SERVICE"],
        "topic": "Excusal reason given: [[topic]]",
        "pii": {
            "PERSON": [
                "To: [[PERSON.caps]]",
                "Clerk of Court: [[PERSON.title]]",
                "Deferral granted to [[PERSON.rev]] until the next term.",
                "Jury commissioner: [[PERSON.initials]]",
            ],
            "PHONE_NUMBER": ["Juror's daytime phone: [[PHONE_NUMBER]]"],
            "LOCATION": ["[[LOCATION.block]]", "Report to the courthouse, [[LOCATION.line]]"],
            "DATE_OF_BIRTH": ["Juror date of birth: [[DATE_OF_BIRTH]]"],
            "US_SSN": ["Last verified SSN: [[US_SSN]]"],
            "SECRET": ["Juror portal login code: [[SECRET.pw]]"],
            "URL": ["Respond online at [[URL]]"],
        },
        "miss": [
            "Report on [[date]] at 8:30 a.m. to Courtroom [[num]]",
            "Pool [[seq]] · Group [[num]]",
            "Questions: call 1-800-[[pid]] option [[num]]",
            "Case [[case_no]] · State v. Jackson Holdings",
            "Parking permit [[seq]] valid for the Washington Street garage",
            "Docket [[case_no]] · Judge's chambers, Room [[num]]",
        ],
    },
    "patent": {
        "head": [
            "(12) United States Patent · (10) Patent No.: [[patent_no]]",
            "(19) European Patent Office · (11) [[patent_no]]",
        ],
        "topic": "(54) Field: [[topic]]",
        "pii": {
            "PERSON": [
                "(72) Inventors: [[PERSON.full]], [[LOCATION.town]] (US); [[PERSON.full]], [[LOCATION.town]] (DE)",
                "(74) Attorney, Agent: [[PERSON.full]], [[org]]",
                "Primary Examiner — [[PERSON.full]]",
            ],
            "LOCATION": ["(73) Assignee: Tessellate Inc., [[LOCATION.town]], [[LOCATION.region]]"],
            "EMAIL_ADDRESS": ["Correspondence: [[EMAIL_ADDRESS]]"],
            "PHONE_NUMBER": ["(74) Agent's telephone: [[PHONE_NUMBER]]"],
            "URL": ["(56) Inventor's publication list: [[URL]]"],
        },
        "miss": [
            "(21) Appl. No.: [[app_no]] · (22) Filed: [[date]]",
            "(45) Date of Patent: [[date]]",
            "(51) Int. Cl. G06F 16/[[num]] (2019.01)",
            "References cited: [[patent_no]]",
        ],
    },
    "crowdfund": {
        "head": ["Campaign page · [[uuid]]", "Fundraiser update #[[num]]"],
        "topic": "About: [[topic]]",
        "pii": {
            "PERSON": [
                "Organised by [[PERSON.full]]",
                "Recent backers: [[PERSON.first]] ([[amount]]), [[PERSON.full]] ([[amount]])",
                "Top backer: [[PERSON.lower]]",
            ],
            "LOCATION": ["Based in [[LOCATION.town]]", "Rewards ship from [[LOCATION.post]]"],
            "CREDIT_CARD": ["Pledge charged to [[CREDIT_CARD]] (receipt [[seq]])"],
            "URL": ["Share: [[URL]]"],
            "IBAN": ["Offline gifts to [[IBAN]]"],
            "EMAIL_ADDRESS": ["Questions: [[EMAIL_ADDRESS]]"],
        },
        "miss": [
            "Raised [[amount]] of 5,000 · [[num]] backers",
            "Campaign ID [[uuid]]",
            "Anonymous ([[amount]])",
            "Reward tier [[num]]: signed poster",
        ],
    },
    "giftaid": {
        "head": ["GIFT AID DECLARATION · [[org]] Trust", "Gift Aid it! Declaration form"],
        "topic": "Donation towards: [[topic]]",
        "pii": {
            "PERSON": ["Title & full name: [[PERSON.title]]", "Surname: [[PERSON.last]]  First name: [[PERSON.first]]"],
            "LOCATION": ["Home address: [[LOCATION.line]]", "Postcode: [[LOCATION.post]]"],
            "IBAN": ["Regular gift from account [[IBAN]]"],
            "CREDIT_CARD": ["Single gift, card: [[CREDIT_CARD]]"],
            "EMAIL_ADDRESS": ["Email (optional): [[EMAIL_ADDRESS]]"],
        },
        "miss": [
            "Charity no. 11[[pid]] · Donor ref [[seq]]",
            "Date of declaration: [[date]]",
            "Amount: [[amount]] · Gift Aid [[amount]]",
            "Mandate ref [[bad_iban]]",
        ],
    },
    "library": {
        "head": ["LIBRARY LOANS · Borrower [[barcode]]", "Overdue notice · [[org]] Library"],
        "topic": "Reading list theme: [[topic]]",
        "pii": {
            "PERSON": [
                "Borrower: [[PERSON.rev]]",
                "Reserved for [[PERSON.initials]]",
                "Interlibrary request placed by [[PERSON.title]]",
            ],
            "CREDIT_CARD": ["Fine paid online, card [[CREDIT_CARD]]"],
            "EMAIL_ADDRESS": ["Notices to [[EMAIL_ADDRESS]]"],
            "PHONE_NUMBER": ["SMS alerts: [[PHONE_NUMBER]]"],
            "LOCATION": ["Home branch: [[LOCATION.town]] · address on file [[LOCATION.line]]"],
            "DATE_OF_BIRTH": ["Junior card, DOB [[DATE_OF_BIRTH]]"],
            "SECRET": ["PIN reset: new PIN [[SECRET.pw]]"],
        },
        "miss": [
            "ISBN [[isbn]] · due [[date]] · item [[barcode]]",
            "Fine: [[amount]] · renewed [[num]] times",
            "[[isbn]]  David Copperfield  due [[date]]",
            "Call no. 641.59 [[seq]]",
        ],
    },
    "mainframe": {
        "head": [
            "1REPORT ID: CUSTR[[num]]       RUN DATE [[date]]       PAGE [[seq]]\n0ACCT-NO   NAME                  DETAIL",
            "*** JOB [[seq]] STEP010  MEMBER LISTING  VERSION [[version]] ***",
        ],
        "topic": " REMARKS   [[topic_up]]",
        "tail": [" *** END OF REPORT ***  RECORDS READ [[num]]"],
        "pii": {
            "PERSON": [" [[seq]][[seq]]  [[PERSON.caps]]       ACTIVE", " [[seq]][[seq]]  [[PERSON.rev]]       CLOSED"],
            "DATE_OF_BIRTH": [" [[seq]][[seq]]  DOB [[DATE_OF_BIRTH.mf]]"],
            "US_SSN": [" [[seq]][[seq]]  SSN [[US_SSN]]"],
            "CREDIT_CARD": [" [[seq]][[seq]]  CARD [[CREDIT_CARD]]  LIMIT [[amount]]"],
            "LOCATION": [" [[seq]][[seq]]  ADDR [[LOCATION.line]]"],
            "PHONE_NUMBER": [" [[seq]][[seq]]  TEL  [[PHONE_NUMBER]]"],
            "SECRET": [" [[seq]][[seq]]  RACF PWD [[SECRET.pw]]", "//SYSIN DD *  APIKEY=[[SECRET.key]]"],
        },
        "miss": [
            " [[seq]][[seq]]  ACCT [[bad_card]]  BAL [[amount]]",
            " TOTALS    [[amount]]    [[amount]]",
            " [[seq]][[seq]]  UPDATED [[date]] BY BATCH",
            " [[seq]][[seq]]  REF [[bad_iban]]",
        ],
    },
    "slack": {
        "head": ['[\n  {"type": "message", "subtype": "channel_join", "user": "[[uid]]", "ts": "[[pid]][[pid]].000200"},'],
        "topic": '  {"type": "message", "user": "[[uid]]", "text": "[[topic]]", "ts": "[[pid]][[pid]].000[[num]]"},',
        "tail": ["]"],
        "pii": {
            "PERSON": [
                '  {"type": "message", "user": "[[uid]]", "user_profile": {"real_name": "[[PERSON.full]]"}, "text": "morning all"},',
                '  {"type": "message", "user": "[[uid]]", "text": "can someone ask [[PERSON.first]] about the invoice?"},',
            ],
            "SECRET": [
                '  {"type": "message", "user": "[[uid]]", "text": "token for the bot is [[SECRET.slack]] dont share"},',
                '  {"type": "message", "user": "[[uid]]", "text": "staging db: [[SECRET.conn]]"},',
                '  {"type": "message", "user": "[[uid]]", "text": "new api key [[SECRET.key]]"},',
                '  {"type": "message", "user": "[[uid]]", "text": "curl -H \'Authorization: Bearer [[SECRET.token]]\' works"},',
            ],
            "URL": [
                '  {"type": "message", "user": "[[uid]]", "text": "<[[URL]]|the doc>"},',
                '  {"type": "message", "user": "[[uid]]", "text": "photos from saturday: <[[URL]]>"},',
            ],
            "EMAIL_ADDRESS": [
                '  {"type": "message", "user": "[[uid]]", "text": "cc <mailto:[[EMAIL_ADDRESS]]|[[EMAIL_ADDRESS]]>"},'
            ],
            "IP_ADDRESS": ['  {"type": "message", "user": "[[uid]]", "text": "prod box is [[IP_ADDRESS]] now"},'],
            "PHONE_NUMBER": ['  {"type": "message", "user": "[[uid]]", "text": "on call number this week: [[PHONE_NUMBER]]"},'],
        },
        "miss": [
            '  {"type": "message", "user": "[[uid]]", "text": "deployed [[version]] ([[short_sha]])"},',
            '  {"type": "message", "user": "[[uid]]", "text": "ticket [[inc_no]] closed", "thread_ts": "[[pid]].[[pid]]"},',
            '  {"type": "message", "user": "[[uid]]", "text": "lunch at [[org]]?"},',
        ],
    },
    "recommend": {
        "head": ["Recommendations received", "Recommendation · [[date]]"],
        "topic": "Context: [[topic]]",
        "pii": {
            "PERSON": [
                "[[PERSON.full]] · [[job]] at Northwind",
                "I managed [[PERSON.first]] directly for three years.",
                "[[PERSON.full]] is the colleague everyone turns to.",
            ],
            "LOCATION": ["[[PERSON.first]] built our [[LOCATION.town]] office from scratch."],
            "URL": ["[[URL]]", "See our joint talk: [[URL]]"],
            "PHONE_NUMBER": ["Call me for more detail on [[PHONE_NUMBER]]."],
            "EMAIL_ADDRESS": ["Happy to give a reference: [[EMAIL_ADDRESS]]"],
        },
        "miss": [
            "[[job]] · 500+ connections",
            "Endorsed for Kubernetes, Python and [[eponym]] research",
            "worked with [[org]] on the [[year]] launch",
            "Skills: Python · Kubernetes · Go [[version]]",
            "Given [[date]], managed directly",
        ],
    },
}

# The styles translated, for posts drawn in a German, French or Spanish locale.
QUARRY_LOCAL: dict[str, dict[str, dict]] = {
    "de": {
        "wedding": {
            "head": ["FAMILIENANZEIGEN", "Wir heiraten!"],
            "topic": "Kennengelernt haben sie sich so: [[topic]]",
            "pii": {
                "PERSON": [
                    "[[PERSON.full]] und [[PERSON.full]] geben ihre Verlobung bekannt.",
                    "Trauzeugin: [[PERSON.title]]",
                    "In Liebe: [[PERSON.first]] & [[PERSON.first]]",
                ],
                "PHONE_NUMBER": ["Zusagen bitte bis Ostern an [[PHONE_NUMBER]]"],
                "LOCATION": ["Wohnhaft in [[LOCATION.town]]", "Empfang: [[LOCATION.line]]"],
                "DATE_OF_BIRTH": ["Die Braut, geboren am [[DATE_OF_BIRTH]], stammt aus der Gegend."],
                "URL": ["Fotos unter [[URL]]"],
            },
            "miss": [
                "Standesamt am [[date]] um [[time]] Uhr",
                "Musik: Bayer Leverkusen Fanfarenzug",
                "Aktenzeichen [[claim_no]]",
            ],
        },
        "probate": {
            "head": ["ÖFFENTLICHE BEKANNTMACHUNG", "Amtsgericht · Nachlasssache [[case_no]]"],
            "topic": "Weitere Meldungen: [[topic]]",
            "pii": {
                "PERSON": ["Nachlass des am [[date]] verstorbenen [[PERSON.full]]", "Nachlasspfleger: [[PERSON.title]]"],
                "LOCATION": ["zuletzt wohnhaft [[LOCATION.line]]", "Anschrift des Gerichts:\n[[LOCATION.block]]"],
                "DATE_OF_BIRTH": ["geboren am [[DATE_OF_BIRTH]]"],
                "PHONE_NUMBER": ["Rückfragen unter [[PHONE_NUMBER]]"],
            },
            "miss": ["Frist zur Anmeldung bis [[date]]", "Geschäftszeichen [[claim_no]]", "Kanzlei [[org]]"],
        },
        "rideshare": {
            "head": ["Deine Fahrtquittung · [[date]]", "Danke für deine Fahrt! Fahrt-ID [[uuid]]"],
            "topic": "Notiz zur Fahrt: [[topic]]",
            "pii": {
                "PERSON": ["Dein Fahrer: [[PERSON.first]]", "Fahrgast: [[PERSON.full]]"],
                "LOCATION": ["Abholung [[time]] · [[LOCATION.line]]", "Ziel [[time]] · [[LOCATION.post]]"],
                "CREDIT_CARD": ["Belastet auf Karte [[CREDIT_CARD]]"],
                "EMAIL_ADDRESS": ["Beleg gesendet an [[EMAIL_ADDRESS]]"],
            },
            "miss": [
                "Strecke 8,3 km · Dauer [[duration]]",
                "Gesamt [[amount]] € · MwSt. 7 %",
                "Karte endet auf [[num]][[num]] · Beleg [[bad_card]]",
            ],
        },
        "visa": {
            "head": ["ANTRAG AUF ERTEILUNG EINES VISUMS · Vorgang [[claim_no]]"],
            "topic": "Zweck der Reise: [[topic]]",
            "pii": {
                "PERSON": ["Familienname: [[PERSON.last]]", "Vorname(n): [[PERSON.first]]"],
                "DATE_OF_BIRTH": ["Geburtsdatum: [[DATE_OF_BIRTH]]"],
                "LOCATION": ["Geburtsort: [[LOCATION.town]]", "Wohnanschrift: [[LOCATION.line]]"],
                "PHONE_NUMBER": ["Telefon: [[PHONE_NUMBER]]"],
                "EMAIL_ADDRESS": ["E-Mail: [[EMAIL_ADDRESS]]"],
                "SECRET": ["Kennwort für das Antragsportal: [[SECRET.pw]]"],
            },
            "miss": ["Reisepass Nr. C[[seq]][[pid]] · ausgestellt am [[date]]", "Geplante Einreise: [[date]]"],
        },
        "parish": {
            "head": ["PFARRBRIEF · [[date]]", "Aus unserer Gemeinde"],
            "topic": "Termine: [[topic]]",
            "pii": {
                "PERSON": ["Wir beten für [[PERSON.full]].", "Pfarrer: [[PERSON.title]]"],
                "PHONE_NUMBER": ["Pfarrbüro: [[PHONE_NUMBER]]"],
                "IBAN": ["Spendenkonto: [[IBAN]]"],
                "LOCATION": ["Pfarrhaus: [[LOCATION.line]]"],
            },
            "miss": [
                "Kollekte: [[amount]] €",
                "Chorprobe in St. Marien um [[time]] Uhr",
                "Gläubiger-ID [[bad_iban]]",
                "Erstkommunion am [[date]]",
            ],
        },
    },
    "fr": {
        "wedding": {
            "head": ["CARNET DU JOUR · Mariages", "Ils se sont dit oui"],
            "topic": "Ils se sont rencontrés ainsi : [[topic]]",
            "pii": {
                "PERSON": [
                    "[[PERSON.title]] et [[PERSON.title]] ont la joie d'annoncer le mariage de leur fille [[PERSON.first]]",
                    "avec [[PERSON.full]]",
                    "Témoins : [[PERSON.full]] et [[PERSON.title]]",
                ],
                "PHONE_NUMBER": ["Réponse souhaitée au [[PHONE_NUMBER]]"],
                "LOCATION": ["domiciliés à [[LOCATION.town]]", "Réception : [[LOCATION.line]]"],
                "DATE_OF_BIRTH": ["La mariée, née le [[DATE_OF_BIRTH]], est la cadette."],
                "URL": ["Photos : [[URL]]"],
            },
            "miss": ["Cérémonie le [[date]] à [[time]] en l'église Saint-Étienne", "Réf. [[claim_no]]"],
        },
        "probate": {
            "head": ["ANNONCES LÉGALES", "AVIS DE SUCCESSION · RG [[case_no]]"],
            "topic": "Dans cette édition : [[topic]]",
            "pii": {
                "PERSON": ["Succession de [[PERSON.caps]], décédé le [[date]]", "Notaire : [[PERSON.title]]"],
                "LOCATION": ["demeurant [[LOCATION.line]]", "Oppositions à l'étude :\n[[LOCATION.block]]"],
                "DATE_OF_BIRTH": ["né le [[DATE_OF_BIRTH]]"],
                "PHONE_NUMBER": ["Tél. de l'étude : [[PHONE_NUMBER]]"],
            },
            "miss": ["Oppositions avant le [[date]]", "SIREN 8[[pid]][[seq]]", "Cabinet [[org]]"],
        },
        "rideshare": {
            "head": ["Votre reçu de course · [[date]]", "Merci d'avoir voyagé avec nous"],
            "topic": "Note : [[topic]]",
            "pii": {
                "PERSON": ["Votre chauffeur : [[PERSON.first]]", "Passager : [[PERSON.full]]"],
                "LOCATION": ["Prise en charge [[time]] · [[LOCATION.line]]", "Arrivée [[time]] · [[LOCATION.post]]"],
                "CREDIT_CARD": ["Payé par carte [[CREDIT_CARD]]"],
                "EMAIL_ADDRESS": ["Reçu envoyé à [[EMAIL_ADDRESS]]"],
            },
            "miss": [
                "Distance 9,1 km · Durée [[duration]]",
                "Total [[amount]] € TTC",
                "Carte se terminant par [[num]][[num]] · ticket [[bad_card]]",
            ],
        },
        "visa": {
            "head": ["DEMANDE DE VISA · Dossier [[claim_no]]"],
            "topic": "Objet du voyage : [[topic]]",
            "pii": {
                "PERSON": ["Nom de famille : [[PERSON.last]]", "Prénom(s) : [[PERSON.first]]"],
                "DATE_OF_BIRTH": ["Date de naissance : [[DATE_OF_BIRTH]]"],
                "LOCATION": ["Lieu de naissance : [[LOCATION.town]]", "Adresse du domicile : [[LOCATION.line]]"],
                "PHONE_NUMBER": ["Téléphone : [[PHONE_NUMBER]]"],
                "EMAIL_ADDRESS": ["Courriel : [[EMAIL_ADDRESS]]"],
                "SECRET": ["Mot de passe du compte en ligne : [[SECRET.pw]]"],
            },
            "miss": ["Passeport n° [[seq]][[pid]] · délivré le [[date]]", "Date d'arrivée prévue : [[date]]"],
        },
        "parish": {
            "head": ["FEUILLE PAROISSIALE · [[date]]", "Nouvelles de la paroisse"],
            "topic": "Agenda : [[topic]]",
            "pii": {
                "PERSON": ["Prions pour [[PERSON.full]].", "Curé : [[PERSON.title]]"],
                "PHONE_NUMBER": ["Secrétariat : [[PHONE_NUMBER]]"],
                "IBAN": ["Dons : [[IBAN]]"],
                "LOCATION": ["Presbytère : [[LOCATION.line]]"],
            },
            "miss": [
                "Quête : [[amount]] €",
                "Chorale à l'église Saint-Étienne à [[time]]",
                "Référence du mandat [[bad_iban]]",
                "Premières communions le [[date]]",
            ],
        },
    },
    "es": {
        "wedding": {
            "head": ["ECOS DE SOCIEDAD · Bodas", "¡Nos casamos!"],
            "topic": "Se conocieron así: [[topic]]",
            "pii": {
                "PERSON": [
                    "[[PERSON.title]] y [[PERSON.title]] anuncian el enlace de su hija [[PERSON.first]]",
                    "con [[PERSON.full]]",
                    "Padrinos: [[PERSON.full]] y [[PERSON.title]]",
                ],
                "PHONE_NUMBER": ["Confirmad asistencia al [[PHONE_NUMBER]]"],
                "LOCATION": ["vecinos de [[LOCATION.town]]", "Banquete en [[LOCATION.line]]"],
                "DATE_OF_BIRTH": ["La novia, nacida el [[DATE_OF_BIRTH]], es la menor de tres."],
                "URL": ["Fotos: [[URL]]"],
            },
            "miss": ["Ceremonia el [[date]] a las [[time]] con la peña del Real Oviedo", "Ref. [[claim_no]]"],
        },
        "probate": {
            "head": ["EDICTOS", "ANUNCIO DE HERENCIA · Expediente [[case_no]]"],
            "topic": "En esta edición: [[topic]]",
            "pii": {
                "PERSON": ["Herencia de [[PERSON.caps]], fallecido el [[date]]", "Notario: [[PERSON.title]]"],
                "LOCATION": ["con último domicilio en [[LOCATION.line]]", "Notaría:\n[[LOCATION.block]]"],
                "DATE_OF_BIRTH": ["nacido el [[DATE_OF_BIRTH]]"],
                "PHONE_NUMBER": ["Teléfono de la notaría: [[PHONE_NUMBER]]"],
            },
            "miss": ["Plazo de reclamación hasta el [[date]]", "Protocolo n.º [[seq]]", "Despacho [[org]]"],
        },
        "rideshare": {
            "head": ["Tu recibo de viaje · [[date]]", "Gracias por viajar con nosotros"],
            "topic": "Nota del viaje: [[topic]]",
            "pii": {
                "PERSON": ["Tu conductor: [[PERSON.first]]", "Pasajero: [[PERSON.full]]"],
                "LOCATION": ["Recogida [[time]] · [[LOCATION.line]]", "Destino [[time]] · [[LOCATION.post]]"],
                "CREDIT_CARD": ["Cobrado en la tarjeta [[CREDIT_CARD]]"],
                "EMAIL_ADDRESS": ["Recibo enviado a [[EMAIL_ADDRESS]]"],
            },
            "miss": [
                "Distancia 7,6 km · Duración [[duration]]",
                "Total [[amount]] € IVA incl.",
                "Tarjeta terminada en [[num]][[num]] · justificante [[bad_card]]",
            ],
        },
        "visa": {
            "head": ["SOLICITUD DE VISADO · Expediente [[claim_no]]"],
            "topic": "Motivo del viaje: [[topic]]",
            "pii": {
                "PERSON": ["Apellidos: [[PERSON.last]]", "Nombre: [[PERSON.first]]"],
                "DATE_OF_BIRTH": ["Fecha de nacimiento: [[DATE_OF_BIRTH]]"],
                "LOCATION": ["Lugar de nacimiento: [[LOCATION.town]]", "Domicilio: [[LOCATION.line]]"],
                "PHONE_NUMBER": ["Teléfono: [[PHONE_NUMBER]]"],
                "EMAIL_ADDRESS": ["Correo electrónico: [[EMAIL_ADDRESS]]"],
                "SECRET": ["Contraseña de la sede electrónica: [[SECRET.pw]]"],
            },
            "miss": ["Pasaporte n.º P[[seq]][[pid]] · expedido el [[date]]", "Fecha prevista de llegada: [[date]]"],
        },
        "parish": {
            "head": ["HOJA PARROQUIAL · [[date]]", "Noticias de la parroquia"],
            "topic": "Agenda: [[topic]]",
            "pii": {
                "PERSON": ["Oremos por [[PERSON.full]].", "Párroco: [[PERSON.title]]"],
                "PHONE_NUMBER": ["Despacho parroquial: [[PHONE_NUMBER]]"],
                "IBAN": ["Donativos: [[IBAN]]"],
                "LOCATION": ["Casa parroquial: [[LOCATION.line]]"],
            },
            "miss": [
                "Colecta: [[amount]] €",
                "Ensayo del coro en San Juan de Dios a las [[time]]",
                "Referencia del mandato [[bad_iban]]",
                "Primeras comuniones el [[date]]",
            ],
        },
    },
}

LOCAL_STYLES = ("wedding", "probate", "rideshare", "visa", "parish")
QUARRY_STYLES = tuple(QUARRY_EN)


def _allowed(template: str, weights: dict[str, float] | None) -> bool:
    return weights is None or all(weights.get(e, 0.0) > 0 for e in slot_entities(template))


def quarry_posts(
    n: int, seed: int, locale_mix: Sequence[tuple[str, float]], name_pool: str, pii_rate: float, weights: dict[str, float] | None
) -> Iterator[tuple[str, list[Span], int, str]]:
    """The quarry family: `(text, gold spans, label, locale)` per post, deterministic per seed. Each post
    is one record in a style from QUARRY_STYLES (see the module docstring)."""
    yield from without_style(quarry_posts_detailed(n, seed, locale_mix, name_pool, pii_rate, weights))


def quarry_posts_detailed(
    n: int, seed: int, locale_mix: Sequence[tuple[str, float]], name_pool: str, pii_rate: float, weights: dict[str, float] | None
) -> Iterator[tuple[str, list[Span], int, str, str, str]]:
    """As `quarry_posts`, with each post's style and language as well (for the tests)."""
    check_name_pool(name_pool)
    rng = random.Random(seed)
    fakers = make_fakers(seed, locale_mix)
    values = QuarryValues(fakers, rng, name_pool)
    for _ in range(n):
        loc, label, lang = draw_setting(rng, locale_mix, QUARRY_LOCAL, 0.6)
        topic = TOPICS[label]
        bank = QUARRY_EN if lang == "en" else QUARRY_LOCAL[lang]
        style = rng.choice(sorted(bank))
        spec = bank[style]
        values.lang = lang
        values.topic = rng.choice(QUARRY_TOPICS[lang][topic])
        pii = {e: [t for t in ts if _allowed(t, weights)] for e, ts in spec["pii"].items()}
        pii = {e: ts for e, ts in pii.items() if ts and (weights is None or weights.get(e, 0.0) > 0)}
        entities = sorted(pii)
        entity_weights = [1.0 if weights is None else weights[e] for e in entities]
        body = [spec["topic"]]
        for _ in range(rng.randint(1, 5)):
            if entities and rng.random() < pii_rate:
                entity = rng.choices(entities, weights=entity_weights)[0]
                body.append(rng.choice(pii[entity]))
            else:
                body.append(rng.choice(spec["miss"]))
        rng.shuffle(body)
        lines = []
        for part in ("head", "tail"):
            options = [t for t in spec.get(part, []) if _allowed(t, weights)]
            if options:
                lines.append((part, rng.choice(options)))
        templates = [t for p, t in lines if p == "head"] + body + [t for p, t in lines if p == "tail"]
        out = PostWriter(by_line=ADDRESS_LINES)
        for i, template in enumerate(templates):
            if i:
                out.literal("\n")
            fill(template, values, loc, out)
        yield out.text(), out.spans, label, loc, style, lang
