"""Build the list of real towns whose name is also an ordinary word or a person's name
(`aircluster/privacy/detect/data/town_words.txt.gz`).

The rules read a real town (`world_cities.txt.gz`) as a place even with nothing before it ("Chicago is
windy."), but "Reading", "Bath" or "Mobile" opening a sentence are mostly the words, and "Florence",
"Austin" or "Campbell" mostly people. Such towns are written here, to be read as places only where the
sentence says so ("moved to Reading", "Austin, Texas"):

- every one-word town that Webster's Second International Dictionary (1934, public domain; Debian's
  `miscfiles` package, `/usr/share/dict/web2`) spells in lower case, that is, lists as an ordinary word
  (generous: "berlin" is a carriage there);
- every town that is a first name or surname, or part of one, in any of Faker's locales, also the fifth of
  names held out of the shipped name lists (`lexicon.is_held_out`): a name the evaluation calls unseen must
  not be read as a town for lack of the list that would say it is a name.

Run from the repository root (rewrites the file; output is deterministic; needs `apt-get install miscfiles`):
    python -m tools.pii_lists.build_town_words [--dictionary /usr/share/dict/web2]
"""

from __future__ import annotations

import argparse
import gzip
from pathlib import Path

from aircluster.privacy.detect.tagger import load_cities
from aircluster.privacy.detect.towns import TOWN_WORDS_PATH
from tools.pii_lists.build_common_words import faker_names

DICTIONARY = Path("/usr/share/dict/web2")


def collect(dictionary: Path) -> list[str]:
    try:
        lines = dictionary.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise SystemExit(f"build_town_words: cannot read {dictionary} ({e.strerror}); apt-get install miscfiles") from None
    words = {w.strip() for w in lines if w.strip().islower()} | faker_names()
    return sorted(t for t in load_cities() if t in words)


def main() -> None:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--dictionary", type=Path, default=DICTIONARY, help="a word list, proper nouns capitalized")
    towns = collect(p.parse_args().dictionary)
    data = ("\n".join(towns) + "\n").encode("utf-8")
    with open(TOWN_WORDS_PATH, "wb") as f:  # fixed mtime: the same bytes every run
        with gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
            gz.write(data)
    print(f"{TOWN_WORDS_PATH}: {len(towns)} towns")


if __name__ == "__main__":
    main()
