"""Draw the fourth unseen part's documents from English prose that ships in Debian packages, and write it labeled.

    python -m evals.prose.build_unseen4 --draw OUT.jsonl   # documents, no spans (to be labeled)
    python -m evals.prose.build_unseen4 --write            # draws again, applies unseen4_labels.json,
                                                          # writes *_unseen4.jsonl beside this file

Needs `apt-get install debian-history dict-devil miscfiles fortunes` (see README.md for versions and licences).
Four sources, none of which another part drew from:

- `history`: paragraphs of "A Brief History of Debian" (Debian's `debian-history`, GPL-2+): people named in
  running sentences ("Bruce Perens led Debian from ..."), towns and countries where meetings were held.
- `devil`: entries of Ambrose Bierce's "The Devil's Dictionary" (Debian's `dict-devil`, public domain):
  people, real and invented, in sentences and as the poets of quoted verse; towns and countries in prose.
- `state`: paragraphs of the US Constitution and the signers of the Declaration of Independence, by state
  (Debian's `miscfiles`, `/usr/share/state`, public domain): states and the country in prose, lists of names.
- `fortunes3`: fortunes from the files of Debian's `fortunes` that no other part drew from (startrek, zippy,
  pratchett, cookie, fortunes, riddles, magic, drugs, definitions, goedel, paradoxum, platitudes, tao):
  characters speaking and spoken of, attributions, places in jokes.

Every document has a capitalized word inside a sentence (the constitution's paragraphs and the signers aside:
they are drawn as they come), and none is the text of a document of another part.
Labels (`unseen4_labels.json`, written by hand before any scoring, by reading each document): per document id,
a list of [type, kind, text, n]: the n-th occurrence (0 first) of `text` is a span of `type`.
"""

from __future__ import annotations

import gzip
import random
import re
import sys
from pathlib import Path

from evals.prose.labels import builder_main, first_missing, texts_of

# Where the packages install their text, below the file system's root (`--root` reads a copy elsewhere)
HISTORY = "usr/share/doc/debian-history/docs/project-history.en.txt.gz"
DEVIL = "usr/share/dictd/devil.dict.dz"
FOLDOC = "usr/share/dictd/foldoc.dict.dz"
CONSTITUTION = "usr/share/state/us-constitution.gz"
DECLARATION = "usr/share/state/us-declaration.gz"
FORTUNES = "usr/share/games/fortunes"
NEEDED = (
    (HISTORY, "debian-history"),
    (DEVIL, "dict-devil"),
    (FOLDOC, "dict-foldoc"),
    (CONSTITUTION, "miscfiles"),
    (DECLARATION, "miscfiles"),
    (f"{FORTUNES}/zippy", "fortunes"),
    (f"{FORTUNES}/fortunes", "fortunes-min"),
)
FORTUNE_FILES = (
    "startrek",
    "zippy",
    "pratchett",
    "cookie",
    "fortunes",
    "riddles",
    "magic",
    "drugs",
    "definitions",
    "goedel",
    "paradoxum",
    "platitudes",
    "tao",
)
OTHER_PARTS = ("dev", "unseen", "unseen2", "unseen3")
SEED = 20261207
N_HISTORY, N_DEVIL, N_CONSTITUTION, N_SIGNERS, N_FORTUNES = 24, 16, 5, 5, 26
N_FOLDOC_ADDRESS, N_FOLDOC_PLACE = 10, 14
MAX_CHARS = 600
CAP_INSIDE = re.compile(r"[a-z,;] +[A-Z][a-z]")
# A Devil's Dictionary entry opens with its word in capitals and the part of speech: "ABATIS, n.  Rubbish ..."
_DEVIL_ENTRY = re.compile(r"^(?=[A-Z][A-Z'\- ]*[A-Z]\.?, [a-z]+\.)", re.M)
# FOLDOC: a postal address given as such, or a place named in a sentence ("in Murray Hill, New Jersey")
_FOLDOC_ADDRESS = re.compile(r"^(?:Address|Headquarters):", re.M)
_FOLDOC_PLACE = re.compile(r"\b(?:in|at|from|near) [A-Z][a-z]+(?: [A-Z][a-z]+)?, [A-Z]")


def _paragraphs(text: str) -> list[str]:
    return [p.strip("\n") for p in re.split(r"\n[ \t]*\n", text) if p.strip()]


def _from(text: str, marker: str, path: Path) -> str:
    """The text from `marker` on; ValueError naming the file when it is not there (another version of the text)."""
    at = text.find(marker)
    if at < 0:
        raise ValueError(f"{path}: {marker.strip()!r} not found")
    return text[at:]


def _read_gz(path: Path) -> str:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return f.read()


def history(root: Path, rng: random.Random, taken: set[str]) -> list[dict]:
    """Paragraphs of the body (indented in the text rendering, partly with no-break spaces), each line's indent
    dropped, line breaks kept."""
    pool = []
    for k, para in enumerate(_paragraphs(_read_gz(root / HISTORY))):
        if not para.startswith("    ") or para.lstrip().startswith("*"):
            continue  # headings, the table of contents and bullet lists of credits
        text = "\n".join(line.strip(" \t\u00a0") for line in para.splitlines())
        if 80 <= len(text) <= MAX_CHARS and CAP_INSIDE.search(text) and text not in taken:
            pool.append((f"history-{k}", text))
    rng.shuffle(pool)
    return [{"id": i, "text": t} for i, t in pool[:N_HISTORY]]


def devil(root: Path, rng: random.Random, taken: set[str]) -> list[dict]:
    # dictzip is gzip with an extra header field: the gzip module reads it
    body = _from(_read_gz(root / DEVIL), "ABASEMENT, n.", root / DEVIL)
    pool = []
    for k, entry in enumerate(_DEVIL_ENTRY.split(body)):
        entry = entry.strip("\n")
        first, _, rest = entry.partition("\n")
        # a capitalized word inside a sentence after the headword's line opening
        inside = first[first.index(".") + 1 :] + "\n" + rest if "." in first else entry
        if 60 <= len(entry) <= MAX_CHARS and CAP_INSIDE.search(inside) and entry not in taken:
            pool.append((f"devil-{k}", entry))
    rng.shuffle(pool)
    return [{"id": i, "text": t} for i, t in pool[:N_DEVIL]]


def state(root: Path, rng: random.Random, taken: set[str]) -> list[dict]:
    """Constitution paragraphs of some length, and the Declaration's signers of one state each."""
    paras = [(k, p) for k, p in enumerate(_paragraphs(_read_gz(root / CONSTITUTION))) if 150 <= len(p) <= MAX_CHARS]
    rng.shuffle(paras)
    tail = _from(_read_gz(root / DECLARATION), "The signers of the Declaration", root / DECLARATION)
    signers = [(k, p) for k, p in enumerate(_paragraphs(tail)) if re.match(r"[A-Z][a-z]+( [A-Z][a-z]+)?:\n", p)]
    rng.shuffle(signers)
    docs = [(f"state-constitution-{k}", p) for k, p in paras if p not in taken][:N_CONSTITUTION]
    docs += [(f"state-signers-{k}", p) for k, p in signers if p not in taken][:N_SIGNERS]
    return [{"id": i, "text": t} for i, t in docs]


def fortunes(root: Path, rng: random.Random, taken: set[str]) -> list[dict]:
    pool = []
    for name in FORTUNE_FILES:
        text = (root / FORTUNES / name).read_text(encoding="latin-1")
        for k, piece in enumerate(text.split("\n%\n")):
            piece = piece.strip("\n")
            if 20 <= len(piece) <= 420 and CAP_INSIDE.search(piece) and piece not in taken:
                pool.append((f"fortunes3-{name}-{k}", piece))
    rng.shuffle(pool)
    seen: set[str] = set()
    docs = []
    for i, t in pool:  # the same fortune in two files is drawn once
        if t not in seen:
            seen.add(t)
            docs.append({"id": i, "text": t})
    return docs[:N_FORTUNES]


def _foldoc_entries(root: Path) -> list[str]:
    """Entries: a headword at the line's start, the body indented by three spaces. Cross-reference braces
    ("{Unix}") are dropped so that the text reads as the rendered page does."""
    entries: list[list[str]] = []
    for line in _from(_read_gz(root / FOLDOC), "\nAcknowledgements\n", root / FOLDOC).splitlines():
        if line and not line[0].isspace():
            entries.append([line])
        elif entries:
            entries[-1].append(line.strip())
    return [re.sub(r"[{}]", "", "\n".join(lines).strip("\n")) for lines in entries]


def foldoc(root: Path, rng: random.Random, taken: set[str]) -> list[dict]:
    """Entries with a postal address, and entries naming a town and its region in a sentence."""
    with_address, with_place = [], []
    for k, entry in enumerate(_foldoc_entries(root)):
        if not 60 <= len(entry) <= 900 or entry in taken:
            continue
        if _FOLDOC_ADDRESS.search(entry):
            with_address.append((f"foldoc-{k}", entry))
        elif _FOLDOC_PLACE.search(entry):
            with_place.append((f"foldoc-{k}", entry))
    rng.shuffle(with_address)
    rng.shuffle(with_place)
    chosen = with_address[:N_FOLDOC_ADDRESS] + with_place[:N_FOLDOC_PLACE]
    rng.shuffle(chosen)
    return [{"id": i, "text": t} for i, t in chosen]


def missing(root: Path) -> str | None:
    """The first source file that is not there, as a message naming the package that installs it."""
    return first_missing(root, NEEDED)


def draw(root: Path = Path("/")) -> dict[str, list[dict]]:
    rng = random.Random(SEED)
    taken = texts_of(OTHER_PARTS)
    return {
        "history": history(root, rng, taken),
        "devil": devil(root, rng, taken),
        "state": state(root, rng, taken),
        "fortunes3": fortunes(root, rng, taken),
        "foldoc": foldoc(root, rng, taken),
    }


def main(argv: list[str] | None = None) -> int:
    return builder_main(argv, "unseen4", __doc__, draw, missing)


if __name__ == "__main__":
    sys.exit(main())
