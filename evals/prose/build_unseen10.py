"""Draw the tenth unseen part's documents from Herman Melville's Moby-Dick, and write it labeled.

    python -m evals.prose.build_unseen10 --root DIR --draw OUT.jsonl   # documents, no spans (to be labeled)
    python -m evals.prose.build_unseen10 --root DIR --write            # draws again, applies unseen10_labels.json,
                                                                      # writes *_unseen10.jsonl beside this file

DIR holds the Debian package unpacked, not installed (`apt-get download r-cran-tokenizers`, then `dpkg-deb -x` into
DIR); see README.md for its version and licence. One source no other part drew from (the Reuters-21578 stories
r-cran-tm ships were drawn and labeled too, then left out: their terms allow distribution for research only, no open
licence):

- `mobydick`: paragraphs of Moby-Dick as tokenizers ships it (R's lazy-load database of one named string, the Project
  Gutenberg text), from the book's start to its end marker: sailors by name, New Bedford, Nantucket and other towns,
  seas and countries.

It gives pools by loose cues read on the text alone (a document in the first pool whose cue it has): a town (a place's preposition
before a capitalized word; the book's few streets are in paragraphs too long to draw), someone named (a title or two
capitalized words) and plain. No document is the text of a document of another part. Labels
(`unseen10_labels.json`, written by hand before any scoring, by reading each document): per document id, a list of
[type, kind, text, n]: the n-th occurrence (0 first) of `text` is a span of `type`.
"""

from __future__ import annotations

import gzip
import random
import re
import struct
import sys
import zlib
from pathlib import Path

from evals.prose.labels import SENTENCE, builder_main, drawn_from_pools, first_missing, pooled, texts_of
from evals.prose.rlazyload import paragraphs_of_lines, unserialize

# Where the packages put their text, below the folder they are unpacked into (`--root`)
MOBY_INDEX = "usr/lib/R/site-library/tokenizers/data/Rdata.rdx"
MOBY_DATA = "usr/lib/R/site-library/tokenizers/data/Rdata.rdb"
NEEDED = (
    (MOBY_INDEX, "r-cran-tokenizers"),
    (MOBY_DATA, "r-cran-tokenizers"),
)
OTHER_PARTS = ("dev", "unseen", "unseen2", "unseen3", "unseen4", "unseen5", "unseen6", "unseen7", "unseen8", "unseen9")
SEED = 20261211
# Documents each pool of a source gives (None: all of them)
COUNTS: dict[str, dict[str, int | None]] = {
    "mobydick": {"place": 76, "named": 34, "plain": 10},
}
MIN_CHARS, MAX_CHARS = 80, 600
TITLES = r"(?:Mr|Mrs|Miss|Sir|Captain|Capt|Dr|Lord|I)\b"
# A place's preposition before a capitalized word that is no title ("at Nantucket", "from New Bedford")
PLACE = re.compile(rf"\b(?:in|at|to|from|near|into|through|towards|of) (?!{TITLES})[A-Z][a-z]+")
# Someone named: a title before a capitalized word, or two capitalized words after a lower-case word
NAMED = re.compile(r"\b(?:Mr|Mrs|Captain|Capt|Sir|Minister|President|Chairman)\.? [A-Z][a-z]+|\b[a-z]+ [A-Z][a-z]+ [A-Z][a-z]+")
# A capitalized word after a lower-case one ("I" aside): a paragraph without one is plain
CAPITAL_INSIDE = re.compile(r"\b[a-z]+[,;:]? (?!I\b)[A-Z]")


def _prose(text: str) -> bool:
    return MIN_CHARS <= len(text) <= MAX_CHARS and bool(SENTENCE.search(text))


def _drawn(source: str, pools: dict[str, list[tuple[str, str]]]) -> list[dict]:
    """The draw of `source`: each source has a generator of its own, so that drawing more from one source changes no
    other's draw."""
    return drawn_from_pools(pools, COUNTS[source], random.Random(f"{SEED}-{source}"))


def moby_text(root: Path) -> str:
    """The book's text: tokenizers' database holds one object, a string named "mobydick"; the index names where it
    is, a length then a zlib stream."""
    try:
        index = unserialize(gzip.decompress((root / MOBY_INDEX).read_bytes()))
        offset, length = index["variables"]["mobydick"]
        data = (root / MOBY_DATA).read_bytes()
        return unserialize(zlib.decompress(data[offset + 4 : offset + length]))["mobydick"]
    except (zlib.error, struct.error, KeyError, TypeError, IndexError, gzip.BadGzipFile) as e:
        raise ValueError(f"{root / MOBY_DATA} is not tokenizers' database ({e})") from None


def moby_paragraphs(text: str) -> list[tuple[str, str]]:
    """The (id, paragraph) of the book between Project Gutenberg's start and end markers, counted from the first."""
    lines = text.replace("\r", "").splitlines()
    starts = [k for k, line in enumerate(lines) if line.startswith("*** START OF")]
    ends = [k for k, line in enumerate(lines) if line.startswith("*** END OF")]
    if not starts or not ends:
        raise ValueError("Moby-Dick's text has no Project Gutenberg markers")
    return [(f"mobydick-{k}", p) for k, p in enumerate(paragraphs_of_lines(lines[starts[0] + 1 : ends[0]]))]


def _moby_pool(text: str) -> str | None:
    if PLACE.search(text):
        return "place"
    if NAMED.search(text):
        return "named"
    return None if CAPITAL_INSIDE.search(text) else "plain"


def mobydick(root: Path, taken: set[str]) -> list[dict]:
    docs = [(i, t) for i, t in moby_paragraphs(moby_text(root)) if _prose(t)]
    return _drawn("mobydick", pooled(docs, taken, _moby_pool, ("place", "named", "plain")))


def missing(root: Path) -> str | None:
    """The first source file that is not there, as a message naming the package that has it."""
    return first_missing(root, NEEDED, how="apt-get download {}, then dpkg-deb -x into the root")


def draw(root: Path = Path("/")) -> dict[str, list[dict]]:
    taken = texts_of(OTHER_PARTS)
    return {"mobydick": mobydick(root, taken)}


def main(argv: list[str] | None = None) -> int:
    return builder_main(argv, "unseen10", __doc__, draw, missing)


if __name__ == "__main__":
    sys.exit(main())
