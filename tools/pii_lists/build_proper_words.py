"""Build the list of frequent words that are names only (`aircluster/privacy/detect/data/proper_words.txt.gz`).

The frequent-word list (`frequent_words.txt.gz`, from wordfreq) is folded to lower case, so it holds the names
prose uses often ("Eisenhower", "Aristotle", "Schopenhauer") beside the ordinary words ("motors", "street"). The
rules read a word after a role as a name only when it is no frequent word ("General Motors", "King Street"), so a
famous surname after a role was lost ("General Eisenhower"). This list is the frequent words that an English
dictionary writes only capitalized, never in lower case and never all in capitals (an acronym: "IEEE", "FDA"):
names of people and places, and of firms and days, which the rules accept only after a role.

Source: Debian's `wamerican-large` (`/usr/share/dict/american-english-large`, SCOWL's size-70 American English
list; its copyright file: free to use, copy, modify and distribute, with the notices kept), a build-time input only
(`apt-get install wamerican-large`). Words for peoples, faiths and ranks (`people_words.txt.gz`,
`rank_words.txt.gz`) are left out: "Swede" after a role names no one.

Run from the repository root (rewrites the file; output is deterministic):
    python -m tools.pii_lists.build_proper_words
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from aircluster.privacy.detect.lexicon import PROPER_WORDS_PATH, load_frequent_words, load_people_words
from tools.pii_lists.build_world_names import write_list

DICTIONARY = Path("/usr/share/dict/american-english-large")


def proper_words(entries: Iterable[str], frequent: frozenset[str], people: frozenset[str]) -> set[str]:
    """The `frequent` words (lower case) that the dictionary's `entries` write only capitalized, not `people`'s."""
    lower: set[str] = set()
    capitalized: set[str] = set()
    for entry in entries:
        if entry.endswith("'s"):
            continue  # a possessive form of a headword
        if entry.islower():
            lower.add(entry)
        elif entry[:1].isupper() and not entry.isupper():
            capitalized.add(entry.lower())
    return {w for w in capitalized - lower if w in frequent and w not in people}


def main() -> None:
    if not DICTIONARY.is_file():
        raise SystemExit(f"build_proper_words: {DICTIONARY} not found (apt-get install wamerican-large)")
    entries = DICTIONARY.read_text(encoding="utf-8", errors="replace").split()
    words = proper_words(entries, load_frequent_words(), load_people_words()[0])
    write_list(PROPER_WORDS_PATH, sorted(words))


if __name__ == "__main__":
    main()
