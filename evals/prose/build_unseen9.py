"""Draw the ninth unseen part's documents from Jane Austen's novels, the IEEE's register of network vendors and a
dictionary of the chemical elements, and write it labeled.

    python -m evals.prose.build_unseen9 --root DIR --draw OUT.jsonl   # documents, no spans (to be labeled)
    python -m evals.prose.build_unseen9 --root DIR --write            # draws again, applies unseen9_labels.json,
                                                                     # writes *_unseen9.jsonl beside this file

DIR holds the three Debian packages unpacked, not installed (`apt-get download r-cran-janeaustenr ieee-data
dict-elements`, then `dpkg-deb -x` each into DIR: installing them would add `/usr/share/doc` files that another part's
builder draws from); see README.md for versions and licences. Three sources, none of which another part drew from:

- `austen`: paragraphs of Jane Austen's six novels, as janeaustenr ships them (R's lazy-load database of one character
  vector a novel, a line an element; a paragraph's lines joined with spaces): people by their names and titles, the
  streets of Bath and London ("Camden Place", "Harley Street"), towns and counties in running sentences.
- `oui`: entries of the IEEE's register of MAC address blocks (`oui.txt`): a vendor's name, then its postal address
  (street, town, state and postcode, country code) as the vendor wrote it, in every country's order.
- `elements`: entries of Jay Kominek's elements database for dictd (the description, its lines joined): who
  discovered or isolated an element, where and when, and the element's chemistry.

Each gives pools by loose cues read on the text alone (a document in the first pool whose cue it has): for Austen, a
street (a capitalized word before a street word; all drawn), a town (a place's preposition before a capitalized word
that is no title), someone named (a title before a capitalized word, or two capitalized words) and plain (no
capitalized word inside a sentence but "I": the part's precision share); for the register, a vendor in the United
States and one elsewhere (its last line's country code); for the elements, a discoverer (a capitalized word after
"by") and plain (none). No document is the text of a document of another part. Labels (`unseen9_labels.json`,
written by hand before any scoring, by reading each document): per document id, a list of [type, kind, text, n]: the
n-th occurrence (0 first) of `text` is a span of `type`.
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
AUSTEN_INDEX = "usr/lib/R/site-library/janeaustenr/data/Rdata.rdx"
AUSTEN_DATA = "usr/lib/R/site-library/janeaustenr/data/Rdata.rdb"
OUI = "usr/share/ieee-data/oui.txt"
ELEMENTS = "usr/share/dictd/elements.dict.dz"
NEEDED = (
    (AUSTEN_INDEX, "r-cran-janeaustenr"),
    (AUSTEN_DATA, "r-cran-janeaustenr"),
    (OUI, "ieee-data"),
    (ELEMENTS, "dict-elements"),
)
OTHER_PARTS = ("dev", "unseen", "unseen2", "unseen3", "unseen4", "unseen5", "unseen6", "unseen7", "unseen8")
SEED = 20261210
# Documents each pool of a source gives (None: all of them)
COUNTS: dict[str, dict[str, int | None]] = {
    "austen": {"street": 40, "place": 36, "named": 8, "plain": 20},
    "oui": {"us": 26, "world": 26},
    "elements": {"discoverer": 24, "plain": 10},
}
MIN_CHARS, MAX_CHARS = 80, 600
# A capitalized word before a street word ("Camden Place", "Westgate Buildings"), "The" and "A" aside
AUSTEN_STREET = re.compile(
    r"\b(?!The\b|A\b)[A-Z][a-z]+ (?:Street|Square|Place|Buildings|Lane|Crescent|Road|Row|Terrace|Parade)\b"
)
TITLES = r"(?:Mr|Mrs|Miss|Lady|Sir|Colonel|Captain|Admiral|Dr|Lord|I)\b"
# A place's preposition before a capitalized word that is no title ("gone to Bath", "the road from Uppercross")
AUSTEN_PLACE = re.compile(rf"\b(?:in|at|to|from|near|into|through|towards) (?!{TITLES})[A-Z][a-z]+")
# Someone named: a title before a capitalized word, or two capitalized words
AUSTEN_NAMED = re.compile(r"\b(?:Mr|Mrs|Miss|Lady|Sir|Colonel|Captain)\.? [A-Z][a-z]+|\b[A-Z][a-z]+ [A-Z][a-z]+")
# A capitalized word after a lower-case one ("I" aside): a paragraph without one is plain
CAPITAL_INSIDE = re.compile(r"\b[a-z]+[,;:]? (?!I\b)[A-Z]")
# A discoverer: a capitalized word after "by" ("discovered in 1808 by Sir Humphry Davy", "isolated by Bussy")
DISCOVERER = re.compile(r"\bby\s+[A-Z]")


def austen_novels(root: Path) -> dict[str, list[str]]:
    """Each novel's lines, by janeaustenr's name of it ("emma", "persuasion", ...): the index names where each object
    is in the database, a length then a zlib stream."""
    index = unserialize(gzip.decompress((root / AUSTEN_INDEX).read_bytes()))
    data = (root / AUSTEN_DATA).read_bytes()
    try:
        return {
            name: unserialize(zlib.decompress(data[offset + 4 : offset + length]))
            for name, (offset, length) in sorted(index["variables"].items())
        }
    except (zlib.error, struct.error, KeyError, TypeError, IndexError) as e:  # cut short, or another database
        raise ValueError(f"{root / AUSTEN_DATA} is not janeaustenr's database ({e})") from None


def _austen_pool(text: str) -> str | None:
    if AUSTEN_STREET.search(text):
        return "street"
    if AUSTEN_PLACE.search(text):
        return "place"
    if AUSTEN_NAMED.search(text):
        return "named"
    return None if CAPITAL_INSIDE.search(text) else "plain"


def _drawn(source: str, pools: dict[str, list[tuple[str, str]]]) -> list[dict]:
    """The draw of `source`: each source has a generator of its own, so that drawing more from one source changes no
    other's draw."""
    return drawn_from_pools(pools, COUNTS[source], random.Random(f"{SEED}-{source}"))


def _decoded(data: bytes) -> str:
    """A file's text: UTF-8, or Latin-1 where it is not (the elements database has a few Latin-1 letters)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _prose(text: str) -> bool:
    return MIN_CHARS <= len(text) <= MAX_CHARS and bool(SENTENCE.search(text))


def austen(root: Path, taken: set[str]) -> list[dict]:
    docs = [
        (f"austen-{name}-{k}", para)
        for name, lines in austen_novels(root).items()
        for k, para in enumerate(paragraphs_of_lines(lines))
        if _prose(para)
    ]
    return _drawn("austen", pooled(docs, taken, _austen_pool, ("street", "place", "named", "plain")))


_OUI_HEAD = re.compile(r"^([0-9A-F]{6})\s+\(base 16\)\t+(.*)$")


def oui_entries(text: str) -> list[tuple[str, str]]:
    """The (id, text) of each entry of the register with an address: the vendor's name, then its address lines, each
    line trimmed (the spaces inside a line as the vendor wrote them)."""
    out = []
    for block in re.split(r"\n\s*\n", text.replace("\r", "")):
        lines = block.splitlines()
        heads = [(k, m) for k, line in enumerate(lines) if (m := _OUI_HEAD.match(line.strip()))]
        if not heads:
            continue
        k, head = heads[0]
        address = [line.strip() for line in lines[k + 1 :] if line.strip()]
        if address:
            out.append((f"oui-{head.group(1)}", "\n".join([head.group(2).strip(), *address])))
    return out


def _oui_pool(text: str) -> str:
    return "us" if text.rsplit("\n", 1)[-1] == "US" else "world"


def oui(root: Path, taken: set[str]) -> list[dict]:
    docs = oui_entries(_decoded((root / OUI).read_bytes()))
    return _drawn("oui", pooled(docs, taken, _oui_pool, ("us", "world")))


def element_entries(text: str) -> list[tuple[str, str]]:
    """The (id, description) of each element of the dictd database: an entry is a headword, its Symbol, Atomic
    number and Atomic weight lines, then the description, whose lines are joined with spaces."""
    out = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if len(lines) < 5 or not lines[1].startswith("Symbol:"):
            continue
        body = [line for line in lines[1:] if not re.match(r"(?:Symbol|Atomic number|Atomic weight):", line)]
        out.append((f"elements-{lines[0]}", " ".join(body)))
    return out


def _element_pool(text: str) -> str:
    return "discoverer" if DISCOVERER.search(text) else "plain"


def elements(root: Path, taken: set[str]) -> list[dict]:
    text = _decoded(gzip.decompress((root / ELEMENTS).read_bytes()))
    docs = [(i, t) for i, t in element_entries(text) if _prose(t)]
    return _drawn("elements", pooled(docs, taken, _element_pool, ("discoverer", "plain")))


def missing(root: Path) -> str | None:
    """The first source file that is not there, as a message naming the package that has it."""
    return first_missing(root, NEEDED, how="apt-get download {}, then dpkg-deb -x into the root")


def draw(root: Path = Path("/")) -> dict[str, list[dict]]:
    taken = texts_of(OTHER_PARTS)
    return {"austen": austen(root, taken), "oui": oui(root, taken), "elements": elements(root, taken)}


def main(argv: list[str] | None = None) -> int:
    return builder_main(argv, "unseen9", __doc__, draw, missing)


if __name__ == "__main__":
    sys.exit(main())
