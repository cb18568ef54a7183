"""Draw the thirteenth unseen part's documents from two public-domain texts that Brotli's source distribution ships as
test data (the Library of Congress's proceedings of its 1992 Workshop on Electronic Texts, and Lewis Carroll's
"Alice's Adventures in Wonderland"), and write it labeled.

    python -m evals.prose.build_unseen13 --root DIR --draw OUT.jsonl   # documents, no spans (to be labeled)
    python -m evals.prose.build_unseen13 --root DIR --write            # draws again, applies unseen13_labels.json,
                                                                      # writes *_unseen13.jsonl beside this file

DIR holds Brotli's source distribution unpacked (`pip download --no-deps --no-binary :all: brotli==1.2.1`, then
`tar xzf` into DIR); see README.md for versions and licences. Three sources, none of which another part drew from:

- `workshop`: the paragraphs of the proceedings (`tests/testdata/lcet10.txt`) before their directory of participants,
  their lines joined: who spoke, and what they said, with surnames written in capitals ("Patricia BATTIN struck an
  ecumenical and flexible note", "BATTIN counseled"), the places of their libraries and projects.
- `directory`: the entries of the proceedings' directory of participants, as the file writes them (one line each):
  a participant's name and post, their institution, its postal address (street, town, state and postcode), telephone
  and fax numbers, e-mail address.
- `alice`: the paragraphs of the story (`tests/testdata/alice29.txt`), their lines joined: its characters named in
  sentences, and the places Alice thinks of.

Each gives pools by loose cues read on the text alone (a document in the first pool whose cue it has): for the
proceedings, a person named by first name and capitalized surname, and the rest; for the directory, an entry with a
street (a line opening with its number) and one without; the story is one pool. No document is the text of a document
of another part. Labels (`unseen13_labels.json`, written by hand before any scoring, by reading each document): per
document id, a list of [type, kind, text, n]: the n-th occurrence (0 first) of `text` is a span of `type`.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

from evals.prose.labels import SENTENCE, builder_main, drawn_from_pools, first_missing, pooled, texts_of

# Where the source distribution puts the texts, below the folder it is unpacked into (`--root`)
TESTDATA = "brotli-1.2.1/tests/testdata"
WORKSHOP = f"{TESTDATA}/lcet10.txt"
ALICE = f"{TESTDATA}/alice29.txt"
NEEDED_PYPI = ((WORKSHOP, "brotli==1.2.1"), (ALICE, "brotli==1.2.1"))
# Frozen: a later part must not change this one's draw
OTHER_PARTS = ("dev", "unseen", *(f"unseen{k}" for k in range(2, 13)))  # unseen2 .. unseen12
SEED = 20261313
# Documents each pool of a source gives (None: all of them)
COUNTS: dict[str, dict[str, int | None]] = {
    "workshop": {"named": None, "rest": 14},
    "directory": {"street": None, "office": None},
    "alice": {"story": 26},
}
MIN_CHARS, MAX_CHARS = 80, 800
# The heading of the proceedings' directory: where their prose ends and the directory begins
DIRECTORY_HEADING = "DIRECTORY OF PARTICIPANTS"
# A first name then a surname in capitals: "Patricia BATTIN", "Michael SPERBERG-McQUEEN", "George THOMA"
NAMED = re.compile(r"\b[A-Z][a-z]+ (?:[A-Z]\. )?[A-Z]{2,}[A-Za-z-]*\b")
# A line opening with a number, then a word: a street ("1400 16th Street, N.W.", "1920, rue Baile")
STREET_LINE = re.compile(r"^\d+,? \w", re.MULTILINE)


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("ascii").replace("\r\n", "\n")
    except UnicodeDecodeError as e:
        raise ValueError(f"{path} is not ASCII ({e.reason} at byte {e.start})") from None


def _prose(text: str) -> bool:
    return MIN_CHARS <= len(text) <= MAX_CHARS and bool(SENTENCE.search(text))


def _drawn(source: str, pools: dict[str, list[tuple[str, str]]]) -> list[dict]:
    """The draw of `source`: each source has a generator of its own, so that drawing more from one source changes no
    other's draw."""
    return drawn_from_pools(pools, COUNTS[source], random.Random(f"{SEED}-{source}"))


def paragraphs(text: str) -> list[tuple[int, str]]:
    """The (first line's number, from 1; text) of each paragraph (lines between blank ones), its lines joined with one
    space."""
    out: list[tuple[int, str]] = []
    run: list[str] = []
    start = 0
    for number, line in enumerate([*text.splitlines(), ""], 1):
        if line.strip():
            start = start if run else number
            run.append(line)
        elif run:
            out.append((start, " ".join(" ".join(run).split())))
            run = []
    return out


def _split_at_directory(text: str) -> tuple[str, str]:
    at = text.find(DIRECTORY_HEADING)
    if at < 0:
        raise ValueError(f"the proceedings have no {DIRECTORY_HEADING!r}")
    return text[:at], text[at + len(DIRECTORY_HEADING) :]


def workshop(root: Path, taken: set[str]) -> list[dict]:
    prose, _ = _split_at_directory(_read(root / WORKSHOP))
    docs = [(f"workshop-{n}", t) for n, t in paragraphs(prose) if _prose(t)]
    return _drawn("workshop", pooled(docs, taken, lambda t: "named" if NAMED.search(t) else "rest", ("named", "rest")))


def directory_entries(text: str) -> list[tuple[str, str]]:
    """The (id, text) of each entry of the directory: its lines trimmed, one a line; a heading ("PRESENTERS:") or the
    file's closing lines no entry. The id is the entry's first line's number in the file, from 1."""
    prose, directory = _split_at_directory(text)
    offset = prose.count("\n")
    entries = []
    for number, paragraph in _blocks(directory):
        lines = [line.strip() for line in paragraph]
        if len(lines) < 2 or lines[0].startswith(("*", "Note:", "[")) or "END" in lines:
            continue
        entries.append((f"directory-{offset + number}", "\n".join(lines)))
    return entries


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """The (first line's number, from 1; lines) of each run of lines between blank ones."""
    out: list[tuple[int, list[str]]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if out and out[-1][0] + len(out[-1][1]) == number:
            out[-1][1].append(line)
        else:
            out.append((number, [line]))
    return out


def directory(root: Path, taken: set[str]) -> list[dict]:
    docs = directory_entries(_read(root / WORKSHOP))
    pool = pooled(docs, taken, lambda t: "street" if STREET_LINE.search(t) else "office", ("street", "office"))
    return _drawn("directory", pool)


def alice(root: Path, taken: set[str]) -> list[dict]:
    docs = [(f"alice-{n}", t) for n, t in paragraphs(_read(root / ALICE)) if _prose(t)]
    return _drawn("alice", pooled(docs, taken, lambda _: "story", ("story",)))


def missing(root: Path) -> str | None:
    """The first source file that is not there, as a message naming the distribution that has it."""
    return first_missing(root, NEEDED_PYPI, how="pip download --no-deps --no-binary :all: {}, then tar xzf into the root")


def draw(root: Path = Path("/")) -> dict[str, list[dict]]:
    taken = texts_of(OTHER_PARTS)
    return {"workshop": workshop(root, taken), "directory": directory(root, taken), "alice": alice(root, taken)}


def main(argv: list[str] | None = None) -> int:
    return builder_main(argv, "unseen13", __doc__, draw, missing)


if __name__ == "__main__":
    sys.exit(main())
