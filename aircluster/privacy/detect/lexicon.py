"""Word lists shipped with the detector (built by `tools/pii_lists/build_pii_lists.py` from Faker's data; first
names and surnames widened by `tools/pii_lists/build_world_names.py` from a world name dictionary and the US Census).

`Lexicon` holds them as sets of lower-cased words; `is_held_out` is the fixed split that keeps a fifth
of all names out of the shipped lists so the evaluation can measure recall on names the lists lack (but for
the commonest English first names, shipped whatever it says: `common_first_names.txt.gz`).
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from aircluster.privacy.detect.compiled import PACKAGE_DIR

DATA_DIR = PACKAGE_DIR / "data"
# Frequent English words, capitalized or not (tools/pii_lists/build_common_words.py): a wider list than
# `common_words`, for the checks that ask whether a word means something besides a name.
FREQUENT_WORDS_PATH = DATA_DIR / "frequent_words.txt.gz"
# The frequent words a dictionary writes only capitalized ("Eisenhower"; tools/pii_lists/build_proper_words.py).
PROPER_WORDS_PATH = DATA_DIR / "proper_words.txt.gz"
# Famous people's last names that mean nothing else ("Einstein", "Schopenhauer"; tools/pii_lists/build_famous_people.py).
FAMOUS_PEOPLE_PATH = DATA_DIR / "famous_people.txt.gz"
# Peoples, nationalities, faiths and their adherents, and titles of rank, from WordNet 3.0
# (tools/pii_lists/build_people_words.py).
PEOPLE_WORDS_PATH = DATA_DIR / "people_words.txt.gz"
RANK_WORDS_PATH = DATA_DIR / "rank_words.txt.gz"
LIST_NAMES = ("first_names", "last_names", "places", "street_words", "city_affixes", "common_words")
# Lists added to Faker's: more people's first names and surnames, the same held-out fifth left out; and the
# commonest English first names whatever the split says ("John", "Sarah": tools/pii_lists/build_common_first_names.py).
MORE_OF = {"first_names": ("world_first_names", "common_first_names"), "last_names": ("census_last_names",)}


def is_held_out(name: str) -> bool:
    """True for the fixed fifth of names never shipped (used only to build lists and test sets)."""
    return hashlib.sha256(name.lower().encode("utf-8")).digest()[0] % 5 == 0


@lru_cache(maxsize=1)
def _shipped_whatever_the_split() -> frozenset[str]:
    return frozenset(w.lower() for w in read_list("common_first_names"))


def is_unseen(name: str) -> bool:
    """True for a name the evaluation may call unseen: held out, and not one of the commonest first names, which
    ship whatever the split says (`common_first_names.txt.gz`)."""
    return is_held_out(name) and name.lower() not in _shipped_whatever_the_split()


@dataclass(frozen=True)
class Lexicon:
    first_names: frozenset[str]
    last_names: frozenset[str]
    places: frozenset[str]  # cities, states, countries (lower-cased, may hold spaces)
    street_words: frozenset[str]  # street suffixes and prefixes in several languages
    city_affixes: frozenset[str]  # "Port", "North", "-ville", "-berg" ... (lower-cased)
    common_words: frozenset[str]  # frequent English words: capitalized, still not a name
    version: str  # short digest of every shipped list (not only these), reported with the detector


def read_list(name: str) -> list[str]:
    """One shipped list as written (`DATA_DIR/<name>.txt.gz`, a word or phrase a line)."""
    path = DATA_DIR / f"{name}.txt.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def files_digest(paths: Iterable[Path]) -> str:
    """A short digest of files' names and bytes, in name order: what a report names to say which code or lists
    read the data (any edit changes it, where a number bumped by hand fell behind)."""
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        data = path.read_bytes()
        digest.update(f"{path.name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()[:12]


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    lists: dict[str, frozenset[str]] = {}
    for name in LIST_NAMES:
        words = read_list(name) + [w for more in MORE_OF.get(name, ()) for w in read_list(more)]
        lists[name] = frozenset(w.lower() for w in words)
    # Every list, the regions, countries and frequent words the other readers load too: not only these six.
    return Lexicon(**lists, version=files_digest(DATA_DIR.glob("*.txt.gz")))


def read_words(path: Path) -> frozenset[str]:
    """A word list file as a set, a word (or "word<TAB>tag") a line."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return frozenset(line.strip() for line in f if line.strip())


@lru_cache(maxsize=1)
def load_frequent_words() -> frozenset[str]:
    return read_words(FREQUENT_WORDS_PATH)


@lru_cache(maxsize=1)
def load_proper_words() -> frozenset[str]:
    return read_words(PROPER_WORDS_PATH)


def load_famous_people() -> frozenset[str]:
    return read_words(FAMOUS_PEOPLE_PATH)


@lru_cache(maxsize=1)
def load_people_words() -> tuple[frozenset[str], frozenset[str]]:
    """Words for peoples, nationalities, faiths and their adherents, and titles of rank ("Swede", "Roman",
    "Christian", "Emperor"), and those of them that are a first name or surname too ("Christian", "King"; lines
    "word<TAB>name", held-out names included)."""
    lines = read_words(PEOPLE_WORDS_PATH) | read_words(RANK_WORDS_PATH)
    words = frozenset(line.split("\t")[0] for line in lines)
    return words, frozenset(line.split("\t")[0] for line in lines if line.endswith("\tname"))
