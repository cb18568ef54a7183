"""Build the list of famous people's names (`aircluster/privacy/detect/data/famous_people.txt.gz`).

A careful reader knows that "Einstein published", "the ideas of Schopenhauer" and "Aristotle wrote" name people: the
name alone is enough, where the rules otherwise ask the sentence for a cue. Such names are frequent words (the
frequent-word list, folded to lower case, holds every word prose uses often), so the rules' checks against ordinary
words turned them away. This list is the names that WordNet 3.0 gives its people (the instances in its lexicographer
file of persons: "Albert Einstein", "Aristotle", "Niccolo Machiavelli"), each by its last word (how a text names
someone again), when that word means nothing else:

- no lower-case entry of WordNet (any part of speech) or of Webster's Second International (1934, public domain,
  Debian's `miscfiles`: `/usr/share/dict/web2`) is the word: "Bush", "Ford", "Rand", "Baker" are words too;
- no other capitalized entry of WordNet of one word is the word but a person's ("an Einstein", a genius): "Washington",
  "Lincoln" and "Mars" are places or planets as well (the town and region lists speak for those; "Achilles tendon"
  is a name's use, not another sense of the word);
- three letters or more, letters only (an apostrophe or hyphen inside allowed), the last word of a name whose words
  are all capitalized but for particles ("Leonardo da Vinci"; not an epithet's, "Apostle of the Gentiles"); no
  people's word ("Swede": the detector's `people_words.txt.gz`).

Source: Debian's `wordnet-base` (`/usr/share/wordnet/data.*`; the WordNet 3.0 licence, free to use, copy and
distribute with its notice) and `miscfiles`, build-time inputs only.

Run from the repository root (rewrites the file; output is deterministic; needs `apt-get install wordnet-base
miscfiles`):
    python -m tools.pii_lists.build_famous_people
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from aircluster.privacy.detect.lexicon import FAMOUS_PEOPLE_PATH, load_people_words
from tools.pii_lists.build_world_names import write_list

WORDNET = Path("/usr/share/wordnet")
PARTS_OF_SPEECH = ("noun", "verb", "adj", "adv")
DICTIONARY = Path("/usr/share/dict/web2")
_PERSONS = "18"  # WordNet's lexicographer file noun.person
_PARTICLES = frozenset("da de di del della der des du la le van von dos das y bin ibn al el".split())
_NAME = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _synsets(lines: Iterable[str]) -> Iterable[tuple[str, list[str], bool]]:
    """(lexicographer file, lemmas, is an instance) of each synset of WordNet data `lines`."""
    for line in lines:
        if line.startswith(" "):
            continue  # the licence at the file's head
        fields = line.split(" | ", 1)[0].split()
        count = int(fields[3], 16)
        lemmas = [re.sub(r"\(\w+\)$", "", fields[4 + 2 * i]) for i in range(count)]
        rest = fields[4 + 2 * count :]
        symbols = [rest[1 + 4 * i] for i in range(int(rest[0]))]
        yield fields[1], lemmas, "@i" in symbols


def famous_people(wordnet: Iterable[tuple[str, list[str], bool]], words: frozenset[str], people: frozenset[str]) -> set[str]:
    """The last words (lower case) of WordNet's people (`wordnet`: its synsets, every part of speech) that mean nothing
    else: no lower-case lemma of WordNet or word of `words`, no other capitalized lemma, no `people`'s word."""
    names: set[str] = set()
    other: set[str] = set()  # single words WordNet writes in lower case, or capitalized for no person
    for lexfile, lemmas, instance in wordnet:
        for lemma in lemmas:
            last = lemma.rsplit("_", 1)[-1]
            if lexfile == _PERSONS and instance:
                if all(w[:1].isupper() or w in _PARTICLES for w in lemma.split("_")) and _NAME.fullmatch(last):
                    if len(last) >= 3 and not last.isupper():
                        names.add(last.lower())  # not an epithet's last word ("Apostle of the Gentiles")
            elif "_" not in lemma and (lemma[:1].islower() or lexfile != _PERSONS):
                # "einstein" would be the word; "Mars" a planet; "Einstein", a genius, is still the man's name
                other.add(lemma.lower())
    return {n for n in names if n not in other and n not in words and n not in people}


def main() -> None:
    paths = [WORDNET / f"data.{pos}" for pos in PARTS_OF_SPEECH]
    for path, package in [*((p, "wordnet-base") for p in paths), (DICTIONARY, "miscfiles")]:
        if not path.is_file():
            raise SystemExit(f"build_famous_people: {path} not found (apt-get install {package})")
    synsets = [s for path in paths for s in _synsets(path.read_text(encoding="utf-8").splitlines())]
    words = frozenset(w for w in DICTIONARY.read_text(encoding="utf-8").split() if w.islower())
    names = famous_people(synsets, words, load_people_words()[0])
    write_list(FAMOUS_PEOPLE_PATH, sorted(names))


if __name__ == "__main__":
    main()
