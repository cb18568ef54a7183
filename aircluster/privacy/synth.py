"""Labeled synthetic user posts with PII inside, for tests, the evaluation and the demo.

    generate_posts(n, seed, locale_mix=DEFAULT_LOCALE_MIX, name_pool="any")
        -> Iterator[tuple[str, list[Span]]]          # text and its gold PII spans
    generate_records(n, seed, ...) -> Iterator[dict]  # {"user": str, "text": str, "label": int}

Deterministic per seed. Posts are English sentences from several templates (a topic sentence that
sets `label`, then sentences carrying PII or look-alikes that are not PII: version strings, order
numbers that fail the Luhn check, ordinary dates, capitalized words); the PII values come from Faker
in the locale drawn for the post. `name_pool="unseen"` draws only names that the shipped word lists
leave out (see `lexicon.is_held_out`), to measure recall on names the lists do not know.
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from faker import Faker

from aircluster.privacy.lexicon import is_held_out

DEFAULT_LOCALE_MIX: tuple[tuple[str, float], ...] = (
    ("en_US", 0.45), ("en_GB", 0.2), ("de_DE", 0.15), ("fr_FR", 0.1), ("es_ES", 0.1))

TOPICS = ("sports", "tech", "food", "travel")
TOPIC_SENTENCES = {
    "sports": ["What a match last night, the defense was incredible.",
               "Training for the marathon is going well, ran 20 km today.",
               "Our team finally won the league after a tough season."],
    "tech": ["The new release fixed the memory leak in the parser.",
             "Anyone else seeing the build fail after the compiler upgrade?",
             "We moved the service to a new cluster and latency dropped."],
    "food": ["Tried a new ramen place and the broth was amazing.",
             "Baking sourdough this weekend, the starter is finally ready.",
             "This pasta recipe needs more garlic than you think."],
    "travel": ["Just got back from two weeks on the coast, highly recommend.",
               "The night train was cheaper than flying and much nicer.",
               "Packing light this time: one bag for ten days."],
}

# Sentences with PII slots. A slot is {ENTITY}; {TOPIC} is the post's topic word.
PII_TEMPLATES: dict[str, list[str]] = {
    "PERSON": ["I met {PERSON} at the meetup yesterday.", "Shoutout to {PERSON} for the help!",
               "{PERSON} said the deploy is blocked again.", "Hi, I'm {PERSON} and I love {TOPIC}.",
               "My name is {PERSON}, nice to meet you all.", "Please forward this to {PERSON}.",
               "Thanks {PERSON}, see you next week!", "According to {PERSON} the venue changed.",
               "cc {PERSON}", "Had lunch with {PERSON} and {PERSON} today."],
    "EMAIL_ADDRESS": ["Email me at {EMAIL_ADDRESS} if you want the notes.",
                      "Contact: {EMAIL_ADDRESS}", "my address is {EMAIL_ADDRESS}, write anytime"],
    "PHONE_NUMBER": ["Call me on {PHONE_NUMBER} after six.", "Phone: {PHONE_NUMBER}",
                     "you can text {PHONE_NUMBER} if anything comes up"],
    "CREDIT_CARD": ["Paid with card {CREDIT_CARD}, still no refund.",
                    "my visa {CREDIT_CARD} got charged twice"],
    "IBAN": ["Send the money to {IBAN} please.", "IBAN: {IBAN}"],
    "US_SSN": ["The form asked for my SSN {US_SSN}, is that normal?", "SSN: {US_SSN}"],
    "IP_ADDRESS": ["The server at {IP_ADDRESS} keeps timing out.", "blocked {IP_ADDRESS} in the firewall"],
    "URL": ["Details here: {URL}", "I wrote about it at {URL} last week."],
    "LOCATION": ["I live at {LOCATION}, come by anytime.", "Ship it to {LOCATION} please.",
                 "We moved to {CITY} last spring.", "Anyone from {CITY} going to the meetup?",
                 "Our office address: {LOCATION}"],
    "DATE_OF_BIRTH": ["I was born on {DATE_OF_BIRTH}.", "DOB: {DATE_OF_BIRTH}",
                      "my birthday is {DATE_OF_BIRTH} so the cake is on me",
                      "date of birth {DATE_OF_BIRTH}"],
    "SECRET": ["oops, pushed my key {API_KEY} to the public repo", "config has password={PASSWORD}",
               "export API_TOKEN={API_KEY}", "db_password: {PASSWORD}",
               "here is the key:\n{PRIVATE_KEY}\nplease keep it safe"],
}

# Sentences that look like PII but are not: the detector must leave them alone.
NEAR_MISSES = ["Upgraded to version {VERSION} and everything works.",
               "Order number {BAD_CARD} still shows as pending.",
               "The meeting moved to {DATE} in Room 101.",
               "The Quick Brown Fox Conference opens on Monday.",
               "Great Work Everyone, The Release Is Out.",
               "Build {VERSION} is tagged, ticket #48213 is closed.",
               "Price went up to 1,299.00 and shipping is 15.50."]

# How often each kind of PII sentence is drawn. The evaluation uses equal weights (every entity well
# represented); records for the demo use these, closer to real posts, where credentials are rare.
REALISTIC_WEIGHTS = {"PERSON": 4.0, "EMAIL_ADDRESS": 2.0, "PHONE_NUMBER": 1.0, "CREDIT_CARD": 0.2,
                     "IBAN": 0.2, "US_SSN": 0.1, "IP_ADDRESS": 0.5, "URL": 1.5, "LOCATION": 1.5,
                     "DATE_OF_BIRTH": 0.5, "SECRET": 0.1}

SLOT_ENTITY = {"CITY": "LOCATION", "API_KEY": "SECRET", "PASSWORD": "SECRET", "PRIVATE_KEY": "SECRET"}


@dataclass(frozen=True)
class Span:
    entity: str
    start: int
    end: int


class _Values:
    """Draws slot values from Faker in one locale, deterministically from `rng`."""

    def __init__(self, fakers: dict[str, Faker], rng: random.Random, name_pool: str):
        self.fakers = fakers
        self.rng = rng
        self.name_pool = name_pool

    def value(self, slot: str, loc: str) -> str:
        f = self.fakers[loc]
        r = self.rng
        match slot:
            case "PERSON":
                return self._person(f)
            case "EMAIL_ADDRESS":
                return r.choice([f.email, f.free_email, f.company_email])()
            case "PHONE_NUMBER":
                return f.phone_number()
            case "CREDIT_CARD":
                return _group(f.credit_card_number(), r)
            case "IBAN":
                return _group(f.iban(), r)
            case "US_SSN":
                return self.fakers["en_US"].ssn()
            case "IP_ADDRESS":
                return f.ipv6() if r.random() < 0.15 else r.choice([f.ipv4_public, f.ipv4_private])()
            case "URL":
                return r.choice([f.url, f.uri])()
            case "LOCATION":
                street = f.street_address().replace("\n", ", ")
                return street if r.random() < 0.4 else f"{street}, {f.postcode()} {f.city()}"
            case "CITY":
                return f.city()
            case "DATE_OF_BIRTH":
                fmt = r.choice(["%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%B %d, %Y", "%d %B %Y", "%d.%m.%Y"])
                return f.date_of_birth(minimum_age=16, maximum_age=90).strftime(fmt)
            case "API_KEY":
                return _api_key(r)
            case "PASSWORD":
                return f.password(length=r.randint(10, 18), special_chars=False)
            case "PRIVATE_KEY":
                return _private_key(r)
            case "VERSION":
                return ".".join(str(r.randint(0, 20)) for _ in range(r.choice([3, 4])))
            case "BAD_CARD":
                return _bad_luhn(f.credit_card_number(card_type="visa16"))
            case "DATE":
                return f.date_between("-2y", "+1y").strftime(r.choice(["%B %d, %Y", "%Y-%m-%d"]))
            case "TOPIC":
                raise AssertionError("topic is filled by the caller")
        raise ValueError(f"unknown template slot {slot!r}")

    def _person(self, f: Faker) -> str:
        shape = self.rng.random()
        for _ in range(500):
            first, last = f.first_name(), f.last_name()
            if self.name_pool == "unseen" and not (is_held_out(first) and is_held_out(last)):
                continue
            if shape < 0.7:
                return f"{first} {last}"
            if shape < 0.85:
                return first
            prefix = f.prefix() if hasattr(f, "prefix") else ""
            return f"{prefix} {first} {last}".strip()
        raise RuntimeError("no unseen name found in 500 draws")


def _group(number: str, r: random.Random) -> str:
    """Write a card number / IBAN in groups of four some of the time, as people do."""
    if r.random() < 0.4:
        return " ".join(number[i:i + 4] for i in range(0, len(number), 4))
    return number


def _bad_luhn(number: str) -> str:
    last = int(number[-1])
    return number[:-1] + str((last + 1) % 10)


def _api_key(r: random.Random) -> str:
    alnum = string.ascii_letters + string.digits
    kind = r.choice(["aws", "github", "stripe", "slack", "generic"])
    if kind == "aws":
        return "AKIA" + "".join(r.choice(string.ascii_uppercase + string.digits) for _ in range(16))
    if kind == "github":
        return "ghp_" + "".join(r.choice(alnum) for _ in range(36))
    if kind == "stripe":
        return "sk_live_" + "".join(r.choice(alnum) for _ in range(24))
    if kind == "slack":
        return "xoxb-" + "-".join("".join(r.choice(string.digits) for _ in range(12)) for _ in range(2)) \
            + "-" + "".join(r.choice(alnum) for _ in range(24))
    return "".join(r.choice("0123456789abcdef") for _ in range(40))


def _private_key(r: random.Random) -> str:
    b64 = string.ascii_letters + string.digits + "+/"
    body = "\n".join("".join(r.choice(b64) for _ in range(64)) for _ in range(r.randint(3, 6)))
    kind = r.choice(["RSA ", "EC ", "OPENSSH ", ""])
    return f"-----BEGIN {kind}PRIVATE KEY-----\n{body}\n-----END {kind}PRIVATE KEY-----"


def _fill(template: str, topic: str, values: _Values, loc: str, spans: list[Span], parts: list[str],
          offset: int) -> int:
    """Append `template` with slots filled to `parts`; record gold spans; return the new offset."""
    pos = 0
    while True:
        open_ = template.find("{", pos)
        if open_ < 0:
            parts.append(template[pos:])
            return offset + len(template) - pos
        close = template.index("}", open_)
        literal = template[pos:open_]
        parts.append(literal)
        offset += len(literal)
        slot = template[open_ + 1:close]
        text = topic if slot == "TOPIC" else values.value(slot, loc).strip()
        entity = SLOT_ENTITY.get(slot, slot)
        if entity in PII_TEMPLATES:
            spans.append(Span(entity, offset, offset + len(text)))
        parts.append(text)
        offset += len(text)
        pos = close + 1


def _pick_locale(rng: random.Random, locale_mix: Sequence[tuple[str, float]]) -> str:
    return rng.choices([loc for loc, _ in locale_mix], weights=[w for _, w in locale_mix])[0]


def _make_fakers(seed: int, locale_mix: Sequence[tuple[str, float]]) -> dict[str, Faker]:
    fakers = {}
    for i, loc in enumerate(sorted({loc for loc, _ in locale_mix} | {"en_US"})):
        fk = Faker(loc)
        fk.seed_instance(seed * 1000 + i)
        fakers[loc] = fk
    return fakers


def _posts(n: int, seed: int, locale_mix: Sequence[tuple[str, float]], name_pool: str,
           pii_rate: float, weights: dict[str, float] | None = None) -> Iterator[tuple[str, list[Span], int, str]]:
    if name_pool not in ("any", "unseen"):
        raise ValueError(f"name_pool must be 'any' or 'unseen', not {name_pool!r}")
    rng = random.Random(seed)
    fakers = _make_fakers(seed, locale_mix)
    values = _Values(fakers, rng, name_pool)
    entities = list(PII_TEMPLATES)
    entity_weights = [1.0 if weights is None else weights.get(e, 0.0) for e in entities]
    for _ in range(n):
        loc = _pick_locale(rng, locale_mix)
        label = rng.randrange(len(TOPICS))
        topic = TOPICS[label]
        templates = [rng.choice(TOPIC_SENTENCES[topic])]
        for _ in range(rng.randint(1, 3)):
            if rng.random() < pii_rate:
                entity = rng.choices(entities, weights=entity_weights)[0]
                templates.append(rng.choice(PII_TEMPLATES[entity]))
            else:
                templates.append(rng.choice(NEAR_MISSES))
        rng.shuffle(templates)
        parts: list[str] = []
        spans: list[Span] = []
        offset = 0
        for i, template in enumerate(templates):
            if i:
                parts.append(" ")
                offset += 1
            offset = _fill(template, topic, values, loc, spans, parts, offset)
        yield "".join(parts), spans, label, loc


def generate_posts(n: int, seed: int, locale_mix: Sequence[tuple[str, float]] = DEFAULT_LOCALE_MIX,
                   name_pool: str = "any", pii_rate: float = 0.75) -> Iterator[tuple[str, list[Span]]]:
    """Yield `n` (text, gold spans) pairs; the same arguments always give the same posts."""
    for text, spans, _, _ in _posts(n, seed, locale_mix, name_pool, pii_rate):
        yield text, spans


def generate_records(n: int, seed: int, locale_mix: Sequence[tuple[str, float]] = DEFAULT_LOCALE_MIX,
                     name_pool: str = "any", pii_rate: float = 0.5,
                     weights: dict[str, float] | None = REALISTIC_WEIGHTS) -> Iterator[dict]:
    """Yield `n` user-post records {"user", "text", "label"} (label indexes `TOPICS`); PII kinds are
    drawn with `weights` (None: all equally often)."""
    users = Faker("en_US")
    users.seed_instance(seed + 7)
    for text, _, label, _ in _posts(n, seed, locale_mix, name_pool, pii_rate, weights):
        yield {"user": users.user_name(), "text": text, "label": label}
