"""Build the word lists the PII detector ships in `aircluster/privacy/detect/data/`.

Sources are offline and already dependencies: Faker's locale data (person names, cities, states,
countries, street words) and spaCy's English stop words (common words that must not count as names).

A fixed fifth of the names (by a hash of the name, see `aircluster.privacy.detect.lexicon.is_held_out`) is
left out of the shipped lists on purpose: the evaluation generates text with those "unseen" names to
measure how well the context rules find names the lists do not know.

Run from the repository root (rewrites the files; output is deterministic):
    python -m tools.pii_lists.build_pii_lists
"""

from __future__ import annotations

import argparse
import gzip
import importlib
from pathlib import Path

from aircluster.privacy.detect.lexicon import DATA_DIR, is_held_out

# Latin-script locales: names and places people write in English-language posts.
NAME_LOCALES = [
    "en_US",
    "en_GB",
    "en_IE",
    "en_NZ",
    "de_DE",
    "de_AT",
    "fr_FR",
    "es_ES",
    "es_MX",
    "it_IT",
    "nl_NL",
    "pt_PT",
    "pt_BR",
    "pl_PL",
    "sv_SE",
    "da_DK",
    "no_NO",
    "fi_FI",
]
PLACE_ATTRS = ["cities", "states", "countries", "counties", "regions", "departments", "provinces"]
# Street words only from locales whose suffixes are street types, not names (fi_FI lists names).
STREET_LOCALES = {
    "en_US",
    "en_GB",
    "en_IE",
    "en_NZ",
    "de_DE",
    "de_AT",
    "fr_FR",
    "es_ES",
    "es_MX",
    "it_IT",
    "nl_NL",
    "pt_PT",
    "pt_BR",
}
STREET_ATTRS = ["street_suffixes", "street_suffixes_long", "street_suffixes_short", "street_prefixes"]


def _strings(value: object) -> list[str]:
    """Faker stores lists as tuples, or as dicts of value -> weight."""
    if isinstance(value, dict):
        value = list(value.keys())
    if isinstance(value, (list, tuple)):
        out = []
        for item in value:
            if isinstance(item, str):
                out.append(item)
            elif isinstance(item, (list, tuple)) and item and isinstance(item[0], str):
                out.append(item[0])
        return out
    return []


def _provider(kind: str, locale: str) -> type | None:
    try:
        return importlib.import_module(f"faker.providers.{kind}.{locale}").Provider
    except ModuleNotFoundError:
        return None


def collect() -> dict[str, set[str]]:
    first, last, places, street, city_affixes = set(), set(), set(), set(), set()
    for loc in NAME_LOCALES:
        person = _provider("person", loc)
        if person is not None:
            for attr in dir(person):
                if attr.startswith("first_names"):
                    first.update(_strings(getattr(person, attr)))
                elif attr.startswith("last_names"):
                    last.update(_strings(getattr(person, attr)))
        address = _provider("address", loc)
        if address is not None:
            for attr in PLACE_ATTRS:
                places.update(_strings(getattr(address, attr, ())))
            for attr in STREET_ATTRS if loc in STREET_LOCALES else ():
                street.update(_strings(getattr(address, attr, ())))
            for attr in ("city_prefixes", "city_suffixes"):
                city_affixes.update(_strings(getattr(address, attr, ())))
    # Components of hyphenated / multi-word names are names too ("Wieloch-Bolnbach").
    last = {part for name in last for part in name.replace("-", " ").split()}
    first = {part for name in first for part in name.replace("-", " ").split()}
    first = {n for n in first if len(n) > 1 and n[0].isupper() and not is_held_out(n)}
    last = {n for n in last if len(n) > 1 and n[0].isupper() and not is_held_out(n)}
    places = {p for p in places if p[:1].isupper()}
    street = {s.strip().lower() for s in street if s.strip()}
    return {
        "first_names": first,
        "last_names": last,
        "places": places,
        "street_words": street,
        "city_affixes": {a.strip() for a in city_affixes if a.strip()},
        "common_words": common_words(),
    }


def common_words() -> set[str]:
    """Frequent English words: a capitalized one is usually not a name ("Will", "May", "Grant")."""
    from faker.providers.lorem.en_US import Provider as Lorem
    from spacy.lang.en.stop_words import STOP_WORDS

    words = {w.lower() for w in Lorem.word_list} | {w.lower() for w in STOP_WORDS}
    words |= {
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "today",
        "tomorrow",
        "yesterday",
        "hello",
        "hi",
        "hey",
        "thanks",
        "thank",
        "please",
        "dear",
        "regards",
        "cheers",
        "ok",
        "okay",
        "yes",
        "no",
        "sorry",
        "great",
        "good",
        "nice",
        "happy",
        "love",
        "best",
        "new",
        "old",
        "street",
        "avenue",
        "road",
        "lane",
        "drive",
        "court",
        "city",
        "county",
        "state",
        "north",
        "south",
        "east",
        "west",
        "port",
        "lake",
        "mount",
        "saint",
        "san",
        "santa",
        "christmas",
        "easter",
        "god",
        "internet",
        "email",
        "phone",
        "card",
        "bank",
        "iban",
        "password",
        "token",
        "key",
        "server",
        "version",
        "release",
        "update",
        "team",
        "meeting",
        "order",
        "invoice",
        "account",
        "customer",
        "support",
        "admin",
        "user",
        "true",
        "false",
        "none",
        "null",
        "http",
        "https",
        "www",
        "com",
        "net",
        "org",
        "i",
    }
    return words


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--out", type=Path, default=DATA_DIR, help="folder to write the lists to (default: the package's)")
    out: Path = ap.parse_args(argv).out
    if out.exists() and not out.is_dir():
        raise SystemExit(f"build_pii_lists: --out {out} is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    for name, words in collect().items():
        path = out / f"{name}.txt.gz"
        body = "\n".join(sorted(words)) + "\n"
        # mtime=0 keeps the gzip bytes identical across runs.
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
            gz.write(body.encode("utf-8"))
        print(f"{path}: {len(words)} entries, {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
