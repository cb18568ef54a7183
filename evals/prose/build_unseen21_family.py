"""Draw one source of the twenty-first unseen part from Gramps's example family trees, and write it labeled.

    python -m evals.prose.build_unseen21_family --root DIR --draw OUT.jsonl   # documents, no spans (to be labeled)
    python -m evals.prose.build_unseen21_family --root DIR --write            # draws again, applies
                                                                             # unseen21_family_labels.json, writes
                                                                             # family_unseen21.jsonl beside this file

DIR holds Debian's `gramps` 5.1.5-1 unpacked, not installed (`apt-get download gramps`, then `dpkg-deb -x
gramps_5.1.5-1_all.deb DIR`); see README.md for its sha256. Its licence is GPL-2+ (`usr/share/doc/gramps/copyright`,
`Files: *`: "either version 2 of the License, or (at your option) any later version"; the file says nothing else of the
example data, which comes under `Files: *`). Three files are read, genealogy records as a data steward would import them:

- `usr/share/doc/gramps/example/gedcom/sample.ged` (GEDCOM 5.5): each level-0 record but the header and the trailer
  (`0 @I0@ INDI`, `0 @F0@ FAM`, `0 @SUBM@ SUBM`, `0 @S0@ SOUR`, `0 @R0002@ REPO`, `0 @N0000@ NOTE ...`) with all its
  lines, as written, one line a line. Document id `ged-<xref>` (`ged-I0`, `ged-SUBM`).
- `usr/share/doc/gramps/example/gramps/data.gramps` and `example.gramps` (Gramps XML 1.7.1; the first the same family as
  sample.ged, the second Gramps's large example tree): the header's `researcher` and each `event`, `person`, `placeobj`,
  `source` and `repository` element, its lines as written, the element's own indent (four spaces) taken off every line, so its inner lines keep
  their indent relative to it (two spaces a level). Document id `data-<id>` or `example-<id>`, the element's Gramps id
  (`example-E0000`, `example-I0552`, `example-P0852`, `data-R0002`; the researcher, who has none, by its line number).
- the same files' `note` elements, as plain text: the note's text (the XML's entities undone), its paragraphs (between
  blank lines) joined into runs each as long as it can be within RUN_CHARS (a longer paragraph cut at its lines' ends,
  then at its sentences' ends); the notes are prose written by Gramps's authors. Document id `<file>-<note id>.<k>`.

A record or element longer than 600 characters is cut at its lines into runs of consecutive lines, each as long as it can
be within RUN_CHARS, `.<k>` after the id (from 0). Documents of 80-600 characters are kept, a text met twice once.

Pools by the record's kind (`ged`, `person`, `event`, `place`, `source` for sources, repositories and the researcher, `note`) and by loose
cues read on the text alone, a document in the first pool of its kind whose cue it has: a contact (an e-mail address, a
URL with its scheme or a telephone number), a place (a GEDCOM `PLAC` or `ADDR` line, an XML `ptitle`, `pname`, `city` or
`street`, or a capitalized word after "in", "at", "from", "near" or "to"), a person (a GEDCOM `NAME`, `GIVN` or `SURN`
line, an XML `first`, `surname` or `sauthor`, "Birth of", "Death of", "Marriage of" and the like before a capitalized
word, or two capitalized words in a row) and the rest. COUNTS says how many each pool gives; the builder draws with a
fixed seed. No document is the text of a document of another part, holds one or is a piece of one (OTHER_PARTS, and any
other source of unseen21, `*_unseen21.jsonl` but this one's file). Labels (`unseen21_family_labels.json`, written
before any scoring, by reading each document): per document id, a list of [type, kind, text, n]: the n-th occurrence (0
first) of `text` is a span of `type`.
"""

from __future__ import annotations

import html
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from evals.prose.gutencorpus import MAX_CHARS, MIN_CHARS
from evals.prose.labels import HERE, Taken, builder_main, drawn_from_pools, first_missing, first_pool, one_space, texts_of

# Frozen: a later part must not change this one's draw
OTHER_PARTS = ("dev", "unseen", *(f"unseen{k}" for k in range(2, 21)))  # unseen2 .. unseen20
SEED = 20262122
PART = "unseen21"
SOURCE = "family"
LABELS = "unseen21_family_labels.json"
BUILDER = "build_unseen21_family"
EXAMPLE = "usr/share/doc/gramps/example"
GEDCOM = f"{EXAMPLE}/gedcom/sample.ged"
XML_FILES = (("data", f"{EXAMPLE}/gramps/data.gramps"), ("example", f"{EXAMPLE}/gramps/example.gramps"))
NEEDED = ((GEDCOM, "gramps"), *((path, "gramps") for _, path in XML_FILES))
RUN_CHARS = 480  # a run of a long record's lines, or of a note's paragraphs, grows within this many characters
KINDS = ("ged", "person", "event", "place", "source", "note")
CUE_NAMES = ("contact", "place", "person", "rest")
POOLS = tuple(f"{kind}-{cue}" for kind in KINDS for cue in CUE_NAMES)
# Documents each pool gives (None: all of them; a pool not named: none)
COUNTS: dict[str, int | None] = {
    "ged-contact": None,
    "ged-place": 26,
    "ged-person": None,
    "ged-rest": 2,
    "person-contact": None,
    "person-place": None,
    "person-person": 34,
    "person-rest": 2,
    "event-contact": None,
    "event-place": None,
    "event-person": 32,
    "event-rest": 3,
    "place-contact": None,
    "place-place": 34,
    "place-person": None,
    "place-rest": 2,
    "source-contact": None,
    "source-place": None,
    "source-person": None,
    "source-rest": None,
    "note-contact": None,
    "note-place": None,
    "note-person": None,
    "note-rest": 4,
}
# The XML elements read, at the depth of the file's lists (four spaces in)
ELEMENTS = ("researcher", "event", "person", "placeobj", "source", "repository")
KIND_OF = {
    "researcher": "source",
    "event": "event",
    "person": "person",
    "placeobj": "place",
    "source": "source",
    "repository": "source",
}
OPEN = re.compile(r"^    <(" + "|".join(ELEMENTS) + r")\b[^>]*?(/?)>\s*$")
GRAMPS_ID = re.compile(r'\bid="([^"]+)"')
NOTE = re.compile(r'<note [^>]*\bid="([^"]+)"[^>]*>\s*<text>(.*?)</text>', re.DOTALL)
SENTENCE_END = re.compile(r"(?<=[a-z0-9][.!?]) +(?=[A-Z])")
CUES = {
    "contact": re.compile(
        r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b(?:https?|ftp)://\S+|\(\d{3}\) ?\d{3}-\d{4}|\b(?:PHON|EMAIL|WWW)\b|<(?:phone|resphone|resemail)>"
    ),
    "place": re.compile(
        r"\b(?:PLAC|ADDR|CITY|STAE|CTRY) \S|<(?:ptitle|city|street)>|<pname value=\"|\b(?:in|at|from|near|to) [A-Z][a-z]"
    ),
    "person": re.compile(
        r"\b(?:NAME|GIVN|SURN|AUTH) \S|<(?:first|surname|sauthor|call|nick)>|\b(?:of|by) [A-Z][a-z]|\b[A-Z][a-z]+ [A-Z][a-z]+"
    ),
}


def runs(pieces: list[str], glue: str, limit: int = RUN_CHARS) -> list[str]:
    """The pieces joined with `glue` into runs, each as long as it can be within `limit` (a longer piece a run of its own)."""
    out: list[str] = []
    for piece in pieces:
        if out and len(out[-1]) + len(glue) + len(piece) <= limit:
            out[-1] += glue + piece
        else:
            out.append(piece)
    return out


def cut(record_id: str, lines: list[str]) -> list[tuple[str, str]]:
    """A record as one document, or cut at its lines into runs when it is longer than MAX_CHARS."""
    whole = "\n".join(lines)
    if len(whole) <= MAX_CHARS:
        return [(record_id, whole)]
    return [(f"{record_id}.{k}", run) for k, run in enumerate(runs(lines, "\n"))]


def gedcom_records(text: str) -> Iterator[tuple[str, str, str]]:
    """(kind, id, document) of each level-0 record of a GEDCOM file but its header and trailer."""
    record: list[str] = []
    for line in [*text.splitlines(), "0 TRLR"]:
        if line.startswith("0 ") and record:
            head = record[0].split()
            if len(head) > 2 and head[1].startswith("@"):
                for i, doc in cut(f"ged-{head[1].strip('@')}", record):
                    yield "ged", i, doc
            record = []
        if line.strip():
            record.append(line.rstrip())
    return


def xml_elements(name: str, text: str) -> Iterator[tuple[str, str, str]]:
    """(kind, id, document) of each element ELEMENTS names, its lines as written, its own indent taken off."""
    lines = text.splitlines()
    k = 0
    while k < len(lines):
        m = OPEN.match(lines[k])
        if not m:
            k += 1
            continue
        element, closed = m.group(1), m.group(2)
        end = k
        if not closed:
            while not lines[end].startswith(f"    </{element}>"):
                end += 1
        body = [line[4:] if line.startswith("    ") else line.lstrip() for line in lines[k : end + 1]]
        found = GRAMPS_ID.search(lines[k])
        record_id = f"{name}-{found.group(1) if found else k + 1}"
        for i, doc in cut(record_id, [line.rstrip() for line in body]):
            yield KIND_OF[element], i, doc
        k = end + 1


def note_paragraph_pieces(paragraph: str) -> list[str]:
    """A paragraph within RUN_CHARS as it is; a longer one cut at its lines' ends, a long line at its sentences' ends."""
    if len(paragraph) <= RUN_CHARS:
        return [paragraph]
    pieces: list[str] = []
    for line in paragraph.split("\n"):
        pieces += runs(SENTENCE_END.split(line), " ") if len(line) > RUN_CHARS else [line]
    return runs(pieces, "\n")


def xml_notes(name: str, text: str) -> Iterator[tuple[str, str, str]]:
    """(kind, id, document) of each note's text as plain text, its paragraphs joined into runs."""
    for m in NOTE.finditer(text):
        body = html.unescape(m.group(2)).strip("\n")
        paragraphs = [p.strip("\n") for p in re.split(r"\n[ \t]*\n", body) if p.strip()]
        pieces = [piece for p in paragraphs for piece in note_paragraph_pieces(p)]
        for k, run in enumerate(runs(pieces, "\n\n")):
            yield "note", f"{name}-{m.group(1)}.{k}", run


def read_text(p: Path) -> str:
    try:
        return p.read_text("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"{p} is not UTF-8 ({e.reason} at byte {e.start})") from None


def records(root: Path) -> list[tuple[str, str, str]]:
    """Every (kind, id, document) of the three files, file after file, in each file's order."""
    found = list(gedcom_records(read_text(root / GEDCOM)))
    for name, path in XML_FILES:
        text = read_text(root / path)
        found += xml_elements(name, text)
        found += xml_notes(name, text)
    return found


def taken_texts() -> Taken:
    """The texts of the other parts, and of unseen21's other sources (whichever are written)."""
    texts = texts_of(OTHER_PARTS)
    ours = f"{SOURCE}_{PART}.jsonl"
    for path in sorted(HERE.glob(f"*_{PART}.jsonl")):
        if path.name != ours:
            texts |= {json.loads(line)["text"].strip("\n") for line in path.read_text("utf-8").splitlines() if line}
    return Taken(texts, MAX_CHARS)


def pools_of(root: Path) -> dict[str, list[tuple[str, str]]]:
    """The kept documents of the three files in their pools."""
    taken = taken_texts()
    pools: dict[str, list[tuple[str, str]]] = {name: [] for name in POOLS}
    seen: set[str] = set()
    for kind, i, text in records(root):
        flat = one_space(text)
        if not MIN_CHARS <= len(text) <= MAX_CHARS or flat in seen or taken.holds(flat):
            continue
        seen.add(flat)
        pools[f"{kind}-{first_pool(text, CUE_NAMES, CUES)}"].append((i, text))
    return pools


def draw(root: Path = Path("/")) -> dict[str, list[dict]]:
    """The drawn documents of the one source, `family`."""
    counts = {name: COUNTS.get(name, 0) for name in POOLS}
    return {SOURCE: drawn_from_pools(pools_of(root), counts, random.Random(SEED))}


def missing(root: Path) -> str | None:
    """The first source file that is not there, as a message naming the package that has it."""
    return first_missing(root, NEEDED, how="apt-get download {}, then dpkg-deb -x into the root")


def main(argv: list[str] | None = None) -> int:
    return builder_main(argv, PART, __doc__, draw, missing, builder=BUILDER, labels_file=LABELS)


if __name__ == "__main__":
    sys.exit(main())
