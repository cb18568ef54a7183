"""The demo's "production" data: user posts with PII in them, deterministic per seed.

Small on purpose: the PII evaluation families (with gold labels, many locales and styles) live in
`evals/pii/`, outside the product. These posts only have to look like what a review must catch:
names, e-mail addresses, phone numbers, card numbers that pass the Luhn check, IBANs, addresses,
IPs, birth dates and leaked secrets, beside ordinary chatter that must be left alone.
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterator

TOPICS = ("sports", "tech", "food", "travel")
_TOPIC_SENTENCES = {
    "sports": (
        "What a match last night, the defense was incredible.",
        "Ran 20 km today, the marathon is close.",
        "Our team finally won the league after a tough season.",
    ),
    "tech": (
        "The new release fixed the memory leak in the parser.",
        "Upgraded the cluster drivers, all green.",
        "Anyone else seeing slow builds since the last update?",
    ),
    "food": (
        "Tried a new ramen place downtown, the broth was perfect.",
        "Baked sourdough again, third try worked.",
        "Best tacos I have had all year.",
    ),
    "travel": (
        "Just back from two weeks of hiking in the Alps.",
        "The night train was cheaper than flying.",
        "Lost my luggage again, third time this year.",
    ),
}
_FIRST = (
    "Maria",
    "James",
    "Aisha",
    "Lukas",
    "Sofia",
    "Daniel",
    "Chloe",
    "Mateo",
    "Hannah",
    "Oliver",
    "Elena",
    "Noah",
    "Fatima",
    "Jonas",
    "Grace",
    "Pierre",
    "Lucia",
    "Samuel",
    "Ingrid",
    "Tomás",
)
_LAST = (
    "Garcia",
    "Smith",
    "Khan",
    "Müller",
    "Rossi",
    "Johnson",
    "Dubois",
    "Fernández",
    "Schneider",
    "Brown",
    "Novak",
    "Williams",
    "Haddad",
    "Becker",
    "Taylor",
    "Moreau",
    "Silva",
    "Fischer",
    "Clarke",
    "Lopez",
)
_STREETS = ("Oak Street", "Maple Avenue", "Hauptstraße", "Rue de la Paix", "Calle Mayor", "High Street", "Elm Road")
_CITIES = ("Springfield", "Berlin", "Lyon", "Madrid", "Manchester", "Denver", "Hamburg", "Seattle", "Valencia")
_DOMAINS = ("example.com", "mail.example.org", "example.net")
_TEMPLATES = {
    "person": (
        "I met {person} at the meetup yesterday.",
        "Thanks {person}, see you next week!",
        "{person} said the deploy is blocked again.",
        "Please forward this to {person}.",
    ),
    "email": ("Email me at {email} if you want the notes.", "Contact: {email}"),
    "phone": ("Call me on {phone} after six.", "you can text {phone} if anything comes up"),
    "card": ("Paid with card {card}, still no refund.", "my visa {card} got charged twice"),
    "iban": ("Send the money to {iban} please.",),
    "address": ("I live at {address}, come by anytime.", "Ship it to {address} please."),
    "ip": ("The server at {ip} keeps timing out.",),
    "dob": ("I was born on {dob}.", "DOB: {dob}"),
    "secret": ("oops, pushed my key {key} to the public repo", "config has password={password}"),
}
# How often each kind turns up, roughly as in real posts: names and e-mail addresses often, leaked
# secrets rarely (the default policy rejects a dataset where more than 5% of records hold one).
_WEIGHTS = {
    "person": 4.0,
    "email": 2.0,
    "phone": 1.0,
    "card": 0.2,
    "iban": 0.2,
    "address": 1.5,
    "ip": 0.5,
    "dob": 0.5,
    "secret": 0.1,
}
_NEAR_MISSES = (
    "Upgraded to version {version} and everything works.",
    "The meeting moved to Room {room}.",
    "Order number {order} still shows as pending.",
)


def _luhn_digit(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:  # every second digit from the right, counting the check digit still to come
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def _card(r: random.Random) -> str:
    body = "4" + "".join(r.choice(string.digits) for _ in range(14))
    number = body + _luhn_digit(body)
    return " ".join(number[i : i + 4] for i in range(0, 16, 4))


def _iban(r: random.Random) -> str:
    bban = "".join(r.choice(string.digits) for _ in range(18))  # German layout: bank code + account
    numeric = int(bban + "131400")  # "DE" as 13 14, check digits 00
    check = 98 - numeric % 97
    return f"DE{check:02d}{bban}"


def _values(r: random.Random) -> dict[str, str]:
    first, last = r.choice(_FIRST), r.choice(_LAST)
    return {
        "person": f"{first} {last}",
        "email": f"{first.lower()}.{last.lower()}{r.randint(1, 99)}@{r.choice(_DOMAINS)}".encode("ascii", "ignore").decode(),
        "phone": f"+1 {r.randint(201, 989)}-{r.randint(200, 999)}-{r.randint(1000, 9999)}",
        "card": _card(r),
        "iban": _iban(r),
        "address": f"{r.randint(1, 250)} {r.choice(_STREETS)}, {r.choice(_CITIES)}",
        "ip": f"{r.randint(11, 223)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
        "dob": f"{r.randint(1950, 2004)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
        "key": "sk_live_" + "".join(r.choice(string.ascii_letters + string.digits) for _ in range(24)),
        "password": "".join(r.choice(string.ascii_letters + string.digits + "!#%") for _ in range(14)),
        "version": f"{r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 9)}",
        "room": str(r.randint(100, 499)),
        "order": "".join(r.choice(string.digits) for _ in range(9)),
    }


def generate_records(n: int, seed: int, pii_rate: float = 0.5) -> Iterator[dict[str, object]]:
    """Yield `n` records {"user", "text", "label"}; `label` indexes TOPICS."""
    r = random.Random(seed)
    kinds = sorted(_TEMPLATES)
    weights = [_WEIGHTS[k] for k in kinds]
    for _ in range(n):
        label = r.randrange(len(TOPICS))
        values = _values(r)
        sentences = [r.choice(_TOPIC_SENTENCES[TOPICS[label]])]
        while r.random() < pii_rate:
            kind = r.choices(kinds, weights)[0]
            sentences.append(r.choice(_TEMPLATES[kind]).format(**values))
        if r.random() < 0.2:
            sentences.append(r.choice(_NEAR_MISSES).format(**values))
        r.shuffle(sentences)
        user = f"{r.choice(_FIRST).lower()}{r.randint(10, 9999)}"
        yield {"user": user, "text": " ".join(sentences), "label": label}
