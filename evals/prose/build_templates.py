"""Build the template part of the prose evaluation from presidio-evaluator's own templates and people.

    python -m evals.prose.build_templates --raw DIR [--per-template 4] [--seed 13]

DIR is `presidio_evaluator/data_generator/raw_data` of an unpacked presidio-evaluator 0.3.2 wheel
(`pip download --no-deps presidio-evaluator==0.3.2` and unzip it; nothing here downloads). Its
`templates.txt` (sentences written by Presidio's authors, MIT licence) are split by template, half for
development and half unseen; each template is filled with identities from the wheel's
`FakeNameGenerator.com_3000.csv` (rows split the same way, so no name is in both parts). Spans come
from the filling, so the labels are exact. Writes `templates_dev.jsonl` and `templates_unseen.jsonl`
beside this file: one {"id", "text", "spans": [{"type", "kind", "start", "end"}]} per line.
Deterministic: the same wheel and arguments give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SLOT = re.compile(r"\{\{(\w+)\}\}|\{(\w+)\}")
# Kinds of a LOCATION span that run together into one street address when only spaces, commas or
# line breaks stand between them ("12 Elm Street, Apt. 3").
_STREET_PARTS = {"building_number", "street_name", "secondary_address", "street_address"}


@dataclass
class Person:
    title: str
    first: str
    middle: str
    last: str
    gender: str
    street: str
    city: str
    state: str
    zip: str
    country: str
    country_code: str
    phone: str
    phone_cc: str
    email: str
    birthday: str
    age: str
    job: str


def _clean(value: str) -> str:
    """FakeNameGenerator's cities sometimes keep wiki markup: "[[w:Kalisz|Kalisz]" -> "Kalisz"."""
    value = value.strip()
    if value.startswith("[["):
        value = value.rsplit("|", 1)[-1].strip("[]")
    return value


def read_people(path: Path) -> list[Person]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    return [
        Person(
            r["Title"],
            r["GivenName"],
            r["MiddleInitial"],
            r["Surname"],
            r["Gender"],
            _clean(r["StreetAddress"]),
            _clean(r["City"]),
            r["State"],
            r["ZipCode"],
            r["CountryFull"],
            r["Country"],
            r["TelephoneNumber"],
            r["TelephoneCountryCode"],
            r["EmailAddress"],
            r["Birthday"],
            r["Age"],
            r["Occupation"],
        )
        for r in rows
        if r["GivenName"] and r["Surname"] and r["StreetAddress"]
    ]


def read_templates(path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        line = line.strip()
        if line:
            out.append(line.replace("\\n", "\n").replace("\\,", ","))
    return out


class Filler:
    """Values for the templates' slots: (text, type, kind); type None for words that are no PII."""

    def __init__(self, people: list[Person], orgs: list[str], nations: list[dict[str, str]], seed: int):
        from faker import Faker

        self.rng = random.Random(seed)
        self.people = people
        self.orgs = orgs
        self.nations = nations
        self.faker = Faker(["en_US", "en_GB", "de_DE", "fr_FR", "nl_NL", "es_ES"])
        self.faker.seed_instance(seed)
        self.person = people[0]

    def new_record(self) -> None:
        self.person = self.rng.choice(self.people)
        self.faker.seed_instance(self.rng.getrandbits(32))  # else each locale repeats the others' values

    def other(self) -> Person:
        return self.rng.choice(self.people)

    def full_name(self, p: Person) -> str:
        u = self.rng.random()
        if u < 0.6:
            return f"{p.first} {p.last}"
        if u < 0.7 and p.middle:
            return f"{p.first} {p.middle}. {p.last}"
        if u < 0.8:
            return f"{p.title} {p.last}"
        if u < 0.9:
            return f"{p.title} {p.first} {p.last}"
        return p.first

    def address(self, p: Person) -> str:
        u = self.rng.random()
        if p.country_code == "US":
            base = f"{p.street}, {p.city}, {p.state} {p.zip}"
        else:
            base = f"{p.street}, {p.zip} {p.city}"
        if u < 0.3:
            return base + f", {p.country}"
        if u < 0.45:
            return base.replace(", ", "\n", 1)
        return base

    def value(self, slot: str, used: int) -> tuple[str, str | None, str]:
        """The value of one slot; `used` counts the person slots filled so far in this sentence (the
        first is the record's person, later ones other people)."""
        r, f = self.rng, self.faker
        p = self.person if used == 0 else self.other()
        if slot in ("person", "name"):
            return self.full_name(p), "PERSON", "name"
        if slot in ("name_female", "name_male"):
            q = self.person_of("female" if slot == "name_female" else "male", used)
            return f"{q.first} {q.last}", "PERSON", "name"
        if slot.startswith("first_name"):
            gender = "female" if slot.endswith("_female") else "male" if slot.endswith("_male") else ""
            return (self.person_of(gender, used) if gender else p).first, "PERSON", "first_name"
        if slot.startswith("last_name"):
            return p.last, "PERSON", "last_name"
        if slot.startswith("prefix"):
            return (
                {
                    "prefix_female": r.choice(["Mrs.", "Ms.", "Miss", "Dr."]),
                    "prefix_male": r.choice(["Mr.", "Dr."]),
                }.get(slot, r.choice(["Mr.", "Ms.", "Dr."])),
                None,
                "",
            )
        if slot == "address":
            return self.address(p), "LOCATION", "street_address"
        if slot == "street_name":
            words = [w for w in p.street.split() if not any(c.isdigit() for c in w)]
            return " ".join(words) or p.street, "LOCATION", "street_name"
        if slot == "building_number":
            num = next((w for w in p.street.split() if w[0].isdigit()), str(r.randint(1, 999)))
            return num, "LOCATION", "building_number"
        if slot == "secondary_address":
            return f"{r.choice(['Apt.', 'Suite', 'Unit', 'Flat'])} {r.randint(1, 999)}", "LOCATION", "secondary_address"
        if slot == "city":
            return p.city, "LOCATION", "city"
        if slot == "country":
            return p.country, "LOCATION", "country"
        if slot == "state_abbr":
            return p.state or "NY", "LOCATION", "state"
        if slot in ("postcode", "zipcode"):
            return p.zip, "ZIP_CODE", "zip"
        if slot == "phone_number":
            return (f"+{p.phone_cc} {p.phone}" if r.random() < 0.3 else p.phone), "PHONE_NUMBER", "phone"
        if slot == "email":
            return p.email, "EMAIL_ADDRESS", "email"
        if slot == "credit_card_number":
            return f.credit_card_number(), "CREDIT_CARD", "card"
        if slot == "iban":
            return f.iban(), "IBAN", "iban"
        if slot == "ssn":
            return f["en_US"].ssn(), "US_SSN", "ssn"
        if slot == "ip_address":
            return (f.ipv4() if r.random() < 0.7 else f.ipv6()), "IP_ADDRESS", "ip"
        if slot == "url":
            return f.url(), "URL", "url"
        if slot == "age":
            return p.age, "AGE", "age"
        if slot == "date_of_birth":
            return p.birthday, "DATE_OF_BIRTH", "date_of_birth"
        if slot == "us_driver_license":
            return r.choice("ABCDEFGHJKLMNPRSTWY") + str(r.randint(1_000_000, 99_999_999)), "DRIVER_LICENSE", "licence"
        if slot == "organization":
            return r.choice(self.orgs), None, ""
        if slot in ("nationality", "nation_woman", "nation_man"):
            return r.choice(self.nations)["nationality"].title(), None, ""
        if slot == "nation_plural":
            return r.choice(self.nations)["plural"].title(), None, ""
        if slot == "job":
            return p.job or f.job(), None, ""
        if slot == "year":
            return str(r.randint(1900, 2024)), None, ""
        if slot == "date_time":
            return f.date(), None, ""
        if slot == "day_of_week":
            return f.day_of_week(), None, ""
        raise ValueError(f"build_templates: unknown slot {{{{{slot}}}}}")

    def person_of(self, gender: str, used: int) -> Person:
        if used == 0 and self.person.gender == gender:
            return self.person
        for _ in range(50):
            q = self.other()
            if q.gender == gender:
                return q
        return self.other()


def fill(template: str, filler: Filler, lower: bool) -> dict:
    filler.new_record()
    parts: list[str] = []
    spans: list[dict] = []
    pos = persons = 0
    last = 0
    for m in SLOT.finditer(template):
        literal = template[last : m.start()]
        parts.append(literal)
        pos += len(literal)
        slot = m.group(1) or m.group(2)
        value, typ, kind = filler.value(slot, persons)
        if typ == "PERSON":
            persons += 1
        parts.append(value)
        if typ:
            spans.append({"type": typ, "kind": kind, "start": pos, "end": pos + len(value)})
        pos += len(value)
        last = m.end()
    parts.append(template[last:])
    text = "".join(parts)
    if lower:
        text = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return {"text": text, "spans": merge_street(text, spans)}


def merge_street(text: str, spans: list[dict]) -> list[dict]:
    """Street pieces next to each other become one street address."""
    out: list[dict] = []
    for s in sorted(spans, key=lambda s: s["start"]):
        prev = out[-1] if out else None
        if (
            prev
            and prev["kind"] in _STREET_PARTS
            and s["kind"] in _STREET_PARTS
            and not text[prev["end"] : s["start"]].strip(" ,\n")
        ):
            prev["end"] = s["end"]
            prev["kind"] = "street_address"
            continue
        if s["kind"] in _STREET_PARTS:
            s = {**s, "kind": "street_address"}
        out.append(s)
    return out


def build(raw: Path, per_template: int, seed: int) -> dict[str, list[dict]]:
    people = read_people(raw / "FakeNameGenerator.com_3000.csv")
    templates = read_templates(raw / "templates.txt")
    with (raw / "companies_and_organizations.csv").open(encoding="utf-8-sig", newline="") as f:
        orgs = [r["organization"] for r in csv.DictReader(f) if r["organization"]]
    with (raw / "nationalities.csv").open(encoding="utf-8-sig", newline="") as f:
        nations = list(csv.DictReader(f))
    rng = random.Random(seed)
    order = sorted(set(templates))
    rng.shuffle(order)
    half = len(order) // 2
    parts = {"dev": order[:half], "unseen": order[half:]}
    split_people = {"dev": people[: len(people) // 2], "unseen": people[len(people) // 2 :]}
    out: dict[str, list[dict]] = {}
    for k, (name, temps) in enumerate(sorted(parts.items())):
        filler = Filler(split_people[name], orgs, nations, seed + k)
        rows = []
        for t_i, template in enumerate(temps):
            for j in range(per_template):
                row = fill(template, filler, lower=filler.rng.random() < 0.05)
                rows.append({"id": f"templates-{name}-{t_i:03d}-{j}", **row})
        out[name] = rows
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--raw", type=Path, required=True, help="presidio_evaluator/data_generator/raw_data")
    ap.add_argument("--per-template", type=int, default=4)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", type=Path, default=HERE)
    args = ap.parse_args(argv)
    for need in (
        "templates.txt",
        "FakeNameGenerator.com_3000.csv",
        "companies_and_organizations.csv",
        "nationalities.csv",
    ):
        if not (args.raw / need).is_file():
            print(
                f"build_templates: {args.raw / need}: not found (unpack presidio-evaluator 0.3.2 first)",
                file=sys.stderr,
            )
            return 2
    for name, rows in build(args.raw, args.per_template, args.seed).items():
        path = args.out / f"templates_{name}.jsonl"
        tmp = path.with_suffix(".tmp")
        tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        tmp.replace(path)
        print(f"wrote {path}: {len(rows)} texts, {sum(len(r['spans']) for r in rows)} spans")
    return 0


if __name__ == "__main__":
    sys.exit(main())
