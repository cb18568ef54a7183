"""Draw the twenty-third unseen part from shoppers' reviews of fine foods as a modelling course's package ships them,
and write it labeled.

    python -m evals.prose.build_unseen23 --root DIR --draw OUT.jsonl   # documents, no spans (to be labeled)
    python -m evals.prose.build_unseen23 --root DIR --write            # draws again, applies unseen23_labels.json,
                                                                      # writes reviews_unseen23.jsonl beside this file

DIR holds Debian's `r-cran-modeldata` 1.1.0-1 unpacked, not installed (`apt-get download r-cran-modeldata`, then
`dpkg-deb -x r-cran-modeldata_1.1.0-1_all.deb DIR`); see README.md for its sha256. Its
`usr/share/doc/r-cran-modeldata/copyright` puts `Files: *` under MIT (2019 Max Kuhn, RStudio); the reviews are Amazon
users' reviews of the "Amazon Fine Food Reviews" data (Stanford SNAP's web-FineFoods, as the package's help page for
`small_fine_foods` says). Only the data frames `training_data` (4,000 reviews of 10 products) and `testing_data` (1,000
reviews) of the dataset `small_fine_foods` are read, from the package's R lazy-load database
(`usr/lib/R/site-library/modeldata/data/Rdata.rdx` and `Rdata.rdb`), without R: the index is gzip, each object four
bytes of length then a byte naming its compression ("Z" xz, "2" bzip2, "1" zlib, "0" none) and the stream; the
column `review` (`product` and `score` are not read).

Documents: a review's text as stored, each "<br />" written as a newline, the HTML entities with a semicolon undone
("&quot;", "&eacute;", "&lt;"), other markup kept as stored (the links Amazon made of product names, `<a
href="http://www.amazon.com/gp/...">name</a>`), runs of spaces kept as stored, outer white space trimmed. A review is
cut into runs of whole sentences or lines: a piece ends at a line's end or after ".", "!" or "?" (and a closing quote or
bracket) before white space, never after "Mr.", "Mrs.", "Ms.", "Dr.", "St." and never inside a link; the pieces are
joined in order into runs, each as long as it can be within 600 characters (a piece longer than that is no run); a
review of at most 600 characters is one run. Runs of 80-600 characters are kept.

Pools by loose cues read on the text alone, a review in the first pool whose cue one of its kept runs has: a contact (a
URL with its scheme, an e-mail address, a telephone number), a person ("my husband", "wife", "son", ... before a
capitalized word, "named", "Mr.", "Mrs.", "Ms.", "Dr." before one), a place ("in", "at", "from", "to", "near" before a
capitalized word that is not one of a few shops and feasts: "at Amazon", "from Costco", "at Christmas"), two capitalized
words in a row after a lower-case word or a comma (so not at a sentence's start: mostly brands, some people and places)
and the rest; the document is the review's first kept run that has its pool's cue (the rest: its first kept run).
Document id `train-<row>` or `test-<row>` (the row of `training_data` or `testing_data`, from 1). COUNTS says how many
each pool gives; the builder draws with a fixed seed, the first of each shuffled pool (every row names a product of its
own: 5,000 products, though the help page speaks of 10 sampled for the training set). A text met twice is drawn once; no document is the text of a document of another part, holds one or is a piece of one (OTHER_PARTS).
Labels (`unseen23_labels.json`, written before any scoring, by reading each document): per document id, a list of
[type, kind, text, n]: the n-th occurrence (0 first) of `text` is a span of `type`.
"""

from __future__ import annotations

import bz2
import gzip
import html
import lzma
import random
import re
import struct
import sys
import zlib
from pathlib import Path

from evals.prose.gutencorpus import MAX_CHARS, MIN_CHARS
from evals.prose.labels import Taken, builder_main, drawn_from_pools, first_missing, first_pool, one_space, texts_of
from evals.prose.rlazyload import unserialize

# Frozen: a later part must not change this one's draw
OTHER_PARTS = ("dev", "unseen", *(f"unseen{k}" for k in range(2, 23)))  # unseen2 .. unseen22
SEED = 20262323
PART = "unseen23"
SOURCE = "reviews"
LABELS = "unseen23_labels.json"
BUILDER = "build_unseen23"
DATA = "usr/lib/R/site-library/modeldata/data"
INDEX = f"{DATA}/Rdata.rdx"
DATABASE = f"{DATA}/Rdata.rdb"
NEEDED = ((INDEX, "r-cran-modeldata"), (DATABASE, "r-cran-modeldata"))
FRAMES = (("training_data", "train"), ("testing_data", "test"))
XZ = [{"id": lzma.FILTER_LZMA2, "preset": 9 | lzma.PRESET_EXTREME}]
LINK = re.compile(r"<a\b[^>]*>.*?</a>", re.S)
ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z]+);")
# a sentence's end: ".", "!" or "?" (a closing quote or bracket after it) before white space; a line's end
END = re.compile(r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)[.!?]+[\"')\]]*(?=\s)|\n")
SHOPS = r"Amazon|Christmas|Costco|Target|Trader|Walmart|Wal|Whole"  # where shoppers shop, no cue of a place
KIN = r"husband|wife|son|daughter|friend|mom|mother|dad|father|sister|brother|boyfriend|girlfriend"
CUES = {
    "contact": re.compile(
        r"\b(?:https?|ftp)://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<!\d)(?:\+?1[-. ])?\(?\d{3}\)?[-. ]?\d{3}[-.]\d{4}(?!\d)"
    ),
    "person": re.compile(rf"\b(?:[Mm]y|[Oo]ur) (?:{KIN}),? [A-Z][a-z]|\bnamed [A-Z][a-z]|\b(?:Mr|Mrs|Ms|Dr)\.? [A-Z][a-z]"),
    "place": re.compile(rf"\b(?:in|at|from|to|near) (?!(?:{SHOPS})\b)[A-Z][a-z]"),
    "pair": re.compile(r"(?<=[a-z,] )(?!I )[A-Z][a-z]+ (?!I\b)[A-Z][a-z]+"),
}
POOLS = ("contact", "person", "place", "pair", "rest")
# Documents each pool gives (the person pool is small: all of it)
COUNTS: dict[str, int | None] = {"contact": 48, "person": None, "place": 105, "pair": 10, "rest": 18}


def _decompressed(raw: bytes) -> bytes:
    kind, body = raw[:1], raw[1:]
    if kind == b"Z":
        return lzma.decompress(body, format=lzma.FORMAT_RAW, filters=XZ)
    if kind == b"2":
        return bz2.decompress(body)
    if kind == b"1":
        return zlib.decompress(body)
    if kind == b"0":
        return body
    raise ValueError(f"an object compressed in a way not known ({kind!r})")


def reviews(root: Path) -> list[tuple[str, str]]:
    """(id, review) of every review of the two data frames, as stored."""
    out: list[tuple[str, str]] = []
    try:
        index = unserialize(gzip.decompress((root / INDEX).read_bytes()))
        data = (root / DATABASE).read_bytes()
        for name, short in FRAMES:
            offset, length = index["variables"][name]
            frame = unserialize(_decompressed(data[offset + 4 : offset + length]))
            out += [(f"{short}-{k}", r) for k, r in enumerate(frame["review"], 1) if isinstance(r, str)]
    except (lzma.LZMAError, OSError, ValueError, zlib.error, struct.error, KeyError, TypeError, IndexError) as e:
        raise ValueError(f"{root / DATABASE} is not modeldata's database ({e})") from None
    return out


def clean(review: str) -> str:
    text = review.replace("<br />", "\n")
    return ENTITY.sub(lambda m: html.unescape(m.group()), text).strip()


def pieces(text: str) -> list[str]:
    """The text's sentences and lines, each after the white space before it (joined, they are the text)."""
    links = [m.span() for m in LINK.finditer(text)]
    out, start = [], 0
    for m in END.finditer(text):
        if any(a < m.end() < b for a, b in links):
            continue
        out.append(text[start : m.end()])
        start = m.end()
    out.append(text[start:])
    return [p for p in out if p]


def runs(text: str) -> list[str]:
    """The review cut into runs of whole sentences or lines of MIN_CHARS-MAX_CHARS characters (itself when short)."""
    if len(text) <= MAX_CHARS:
        return [text] if len(text) >= MIN_CHARS else []
    found, current = [], ""
    for piece in pieces(text):
        if len((current + piece).strip()) <= MAX_CHARS:
            current += piece
            continue
        found.append(current.strip())
        current = piece
    found.append(current.strip())
    return [r for r in found if MIN_CHARS <= len(r) <= MAX_CHARS]


def document(text: str) -> tuple[str, str] | None:
    """(pool, document) of a cleaned review: the first kept run with the cue of the first pool any kept run has."""
    kept = runs(text)
    if not kept:
        return None
    name = first_pool("\n".join(kept), POOLS, CUES)  # no cue reads across a line's end
    return name, kept[0] if name == "rest" else next(r for r in kept if CUES[name].search(r))


def pools_of(root: Path) -> dict[str, list[tuple[str, str]]]:
    """(id, document) of the kept reviews in their pools."""
    taken = Taken(texts_of(OTHER_PARTS), MAX_CHARS)
    pools: dict[str, list[tuple[str, str]]] = {name: [] for name in POOLS}
    seen: set[str] = set()
    for i, review in reviews(root):
        found = document(clean(review))
        if not found:
            continue
        name, text = found
        flat = one_space(text)
        if flat in seen or taken.holds(flat):
            continue
        seen.add(flat)
        pools[name].append((i, text))
    return pools


def draw(root: Path = Path("/")) -> dict[str, list[dict]]:
    """The drawn documents of the one source, `reviews`: the first COUNTS of each shuffled pool (None: all), shuffled."""
    return {SOURCE: drawn_from_pools(pools_of(root), COUNTS, random.Random(SEED))}


def missing(root: Path) -> str | None:
    """The first source file that is not there, as a message naming the package that has it."""
    return first_missing(root, NEEDED, how="apt-get download {}, then dpkg-deb -x into the root")


def main(argv: list[str] | None = None) -> int:
    return builder_main(argv, PART, __doc__, draw, missing, builder=BUILDER, labels_file=LABELS)


if __name__ == "__main__":
    sys.exit(main())
