"""Build the list of frequent ordinary words (`aircluster/privacy/detect/data/frequent_words.txt.gz`).

A capitalized word is often no name at all: a salutation ("Dear Colleague"), a German noun ("Lage",
"Haus"), a heading ("Esquela", "Passport"). The shipped `common_words` list has 1,153 English words;
this one has the words used at least once per million words (Zipf frequency >= 3.0) in English,
German, French or Spanish, from the `wordfreq` package (a build-time tool only: `pip install
wordfreq==3.1.1`; its data is CC BY-SA 4.0, so is this list). Words that are also a first name or
surname in any of Faker's locales, or a place in the shipped lists (`places.txt.gz`,
`world_cities.txt.gz`), are left out: the detector uses the list only to veto a PERSON or LOCATION
made of such words (`not_people.py`), and a word that is also a name must still be able to be one.
All of Faker's names are left out, also the fifth held out of the shipped name lists
(`lexicon.is_held_out`): the list must not veto the names the evaluation calls unseen; it gives no
evidence that they are names.

Run from the repository root (rewrites the file; output is deterministic):
    python -m tools.pii_lists.build_common_words
"""

from __future__ import annotations

import gzip
import importlib
import math
import pkgutil

from aircluster.privacy.detect.lexicon import DATA_DIR, load_lexicon
from aircluster.privacy.detect.tagger import load_cities

LANGUAGES = ("en", "de", "fr", "es")
MIN_ZIPF = 3.0
OUT = DATA_DIR / "frequent_words.txt.gz"


def faker_names() -> set[str]:
    """Every first name and surname (and each part of a compound one) in every Faker locale."""
    import faker.providers.person as person

    names: set[str] = set()
    for mod in pkgutil.iter_modules(person.__path__):
        provider = getattr(importlib.import_module(f"faker.providers.person.{mod.name}"), "Provider", None)
        for attr in dir(provider) if provider is not None else ():
            if attr.startswith(("first_names", "last_names")):
                value = getattr(provider, attr)
                if not isinstance(value, (dict, list, tuple)):
                    continue
                for name in value.keys() if isinstance(value, dict) else value:
                    if isinstance(name, str):
                        names.update(part.lower() for part in name.replace("-", " ").split())
    return names


def collect() -> list[str]:
    try:
        from wordfreq import get_frequency_dict
    except ImportError:
        raise SystemExit("build_common_words: needs the wordfreq package (pip install wordfreq==3.1.1)") from None

    lx = load_lexicon()
    names = faker_names() | lx.first_names | lx.last_names | lx.places | load_cities()
    words: set[str] = set()
    for lang in LANGUAGES:
        for word, freq in get_frequency_dict(lang).items():
            if freq <= 0 or math.log10(freq) + 9 < MIN_ZIPF or len(word) < 3:
                continue
            if not word.replace("-", "").replace("'", "").isalpha() or word in names:
                continue
            words.add(word)
    return sorted(words)


def main() -> None:
    words = collect()
    data = ("\n".join(words) + "\n").encode("utf-8")
    with open(OUT, "wb") as f:  # fixed mtime: the same bytes every run
        with gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
            gz.write(data)
    print(f"{OUT}: {len(words)} words")


if __name__ == "__main__":
    main()
