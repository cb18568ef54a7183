"""Draw the twenty-first unseen part from Stellarium's sky cultures and landscapes, and write it labeled.

    python -m evals.prose.build_unseen21 --root DIR --draw OUT.jsonl   # documents, no spans (to be labeled)
    python -m evals.prose.build_unseen21 --root DIR --write            # draws again, applies unseen21_labels.json,
                                                                      # writes skies_unseen21.jsonl beside this file

DIR holds Debian's `stellarium-data` 0.22.2-1 unpacked, not installed (`apt-get download stellarium-data`, then
`dpkg-deb -x stellarium-data_0.22.2-1_all.deb DIR`); see README.md for its sha256. Read: the English descriptions of the
sky cultures, `usr/share/stellarium/skycultures/<culture>/description.en.utf8` (ethnographic and historical prose about
the night sky of a people, with its authors, informants and references), and of the landscapes,
`usr/share/stellarium/landscapes/<landscape>/description.en.utf8` (a line or two on a place). Only the cultures whose
`info.ini` gives a free licence are read (FREE: GNU GPL v2.0, CC BY-SA 2.0, 3.0 and 4.0, with or without the Free Art
License); those under CC BY-ND or CC BY-NC(-ND, -SA) and the one without a licence line (`vanuatu_netwar`) are not. The
landscapes are the package's own (its `usr/share/doc/stellarium-data/copyright`: "Files: *", GPL-2+).

A description is HTML. It is read as a reader sees it: its comments (<!-- ... -->) are dropped, its headings (<h1> .. <h5>) are dropped, each ending a section; a
<p>, <br>, <li>, <dt>, <dd>, <blockquote>, <tr>, <td> or <th> ends a line; every other tag is dropped, its text kept (a
link's text, not its address); HTML entities are undone ("&quot;" -> '"'); the white space of wrapped lines is made one
space. A table's cell is a line of its own that is never joined to another (a table of native star names is no
document; a cell that holds a sentence of 80 characters or more is). A section's lines are cut into pieces, a prose line
at its sentences' ends; the lines of a section headed "References", "Reference", "Sources", "Bibliography", "Further
Reading" or "External links" are whole entries, never cut. Pieces are joined into runs, each as long as it can be
within RUN_CHARS (a longer piece a run of its own), a piece of the same line after a space, of the next line after a
line break; a run never crosses a heading or a table's cell. Runs of 80-600 characters with three lower-case words in a
row are documents. A document's id is the culture's folder (or `landscape-` and the landscape's folder), then its run's
number in that description.

Pools, by loose cues read on the text alone, a document in the first pool whose cue it has: a contact (an e-mail address
or a URL), a place (a capitalized word after "in", "at", "from" or "near"), a person (two capitalized words in a row, or
a capitalized word after "by" or "with"), none of those words a pronoun, "The" or a word of the sky or of a language (SKY:
"Orion", "Ursa", "Milky", "Chinese", ...), and the rest. COUNTS says
how many each pool gives; a culture gives at most CAP documents; the builder draws with a fixed seed. No document is
the text of a document of another part, holds one, or is a piece of one (OTHER_PARTS). Labels (`unseen21_labels.json`,
written by hand before any scoring, by reading each document): per document id, a list of [type, kind, text, n]: the
n-th occurrence (0 first) of `text` is a span of `type`.
"""

from __future__ import annotations

import html
import random
import re
import sys
from pathlib import Path

from evals.prose.gutencorpus import MAX_CHARS, MIN_CHARS
from evals.prose.labels import (
    SENTENCE,
    Taken,
    builder_main,
    drawn_capped,
    first_missing,
    first_pool,
    one_space,
    texts_of,
)

# Frozen: a later part must not change this one's draw
OTHER_PARTS = ("dev", "unseen", *(f"unseen{k}" for k in range(2, 21)))  # unseen2 .. unseen20
SEED = 20262121
PART = "unseen21"
SOURCE = "skies"
STELLARIUM = "usr/share/stellarium"
SKYCULTURES = f"{STELLARIUM}/skycultures"
LANDSCAPES = f"{STELLARIUM}/landscapes"
DESCRIPTION = "description.en.utf8"
NEEDED = ((f"{SKYCULTURES}/boorong/{DESCRIPTION}", "stellarium-data"), (f"{SKYCULTURES}/boorong/info.ini", "stellarium-data"))
# A free licence, as a culture's info.ini writes it on its "license" line
FREE = re.compile(r"^(?:GNU GPL v2\.0|CC BY-SA [234]\.0\b)", re.IGNORECASE)
RUN_CHARS = 420  # a run of a section's pieces grows within this many characters
CAP = 10  # documents a culture gives at most
POOLS = ("contact", "place", "person", "rest")
# Documents each pool gives (None: all of them)
COUNTS: dict[str, int | None] = {"contact": None, "place": None, "person": None, "rest": 6}

HEADING = re.compile(r"<h[1-6]\b[^>]*>(.*?)</h[1-6]\s*>", re.IGNORECASE | re.DOTALL)
LIST_HEADING = re.compile(r"^(?:references?|sources|bibliography|further reading|external links)\b", re.IGNORECASE)
TABLE = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)
CELL = re.compile(r"<t[dh]\b[^>]*>(.*?)</t[dh]\s*>", re.IGNORECASE | re.DOTALL)
LINE_TAG = re.compile(r"</?(?:p|br|li|dt|dd|blockquote|ul|ol|dl|tr|figure|figcaption|caption|div)\b[^>]*>", re.IGNORECASE)
TAG = re.compile(r"<[^>]*>")
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# A sentence ends at ".", "!" or "?" after a lower-case letter, a digit or a closing bracket (a closing quote may
# follow), before a capital (an opening quote or bracket may come first); never after a title or "e.g."
SENTENCE_END = re.compile(
    r"(?:(?<=[a-z0-9)][.!?])|(?<=[a-z][.!?][\"'’”)]))(?<!\bMr\.)(?<!\bMrs\.)(?<!\bDr\.)(?<!\bSt\.)(?<!\bProf\.)"
    r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bcf\.)(?<!\bca\.)(?<!\bvol\.)(?<!\bpp\.)(?<!\bp\.)(?<!\bed\.)(?<!\beds\.) +"
    r"(?=[\"'‘“(]?[A-Z])"
)
CONTACT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b(?:https?|ftp)://\S+")
# Words of the sky and of languages, never a place's or a person's cue ("in Orion", "Ursa Major", "in Chinese")
SKY = (
    r"(?:Orion|Ursa|Major|Minor|Canis|Cassiopeia|Taurus|Scorpius|Scorpio|Gemini|Aquila|Aquarius|Pisces|Pegasus|Perseus"
    r"|Hercules|Ophiuchus|Cygnus|Lyra|Auriga|Sagittarius|Centaurus|Crux|Corona|Milky|Way|Big|Dipper|Great|Bear|Pleiades"
    r"|Southern|Northern|Cross|Summer|Triangle|Western|Chinese|English|Sanskrit|Mongolian|Japanese|Native|Stellarium"
    r"|Sky|Star|Stars|Moon|Sun)"
)
NOT_WORD = rf"(?:I|A|An|It|He|She|We|They|This|These|That|The|Their|His|Her|Its|{SKY})\b"
PLACE = re.compile(rf"\b(?:in|at|from|near) (?!{NOT_WORD})[A-Z][a-z]")
PERSON = re.compile(rf"\b(?!{NOT_WORD})[A-Z][a-z]+ (?!{NOT_WORD})[A-Z][a-z]+|\b(?:by|with) (?!{NOT_WORD})[A-Z][a-z]+")
CUES = {"contact": CONTACT, "place": PLACE, "person": PERSON}


def read_text(p: Path) -> str:
    try:
        return p.read_text("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"{p} is not UTF-8 ({e.reason} at byte {e.start})") from None


def licence(root: Path, culture: str) -> str:
    """The "license" line of the culture's info.ini ("" when none)."""
    for line in read_text(root / SKYCULTURES / culture / "info.ini").splitlines():
        key, _, value = line.partition("=")
        if key.strip().lower() == "license":
            return value.strip()
    return ""


def free_cultures(root: Path) -> list[str]:
    """The sky cultures with an English description whose licence is free, in order of their folders."""
    folder = root / SKYCULTURES
    return [
        p.name
        for p in sorted(folder.iterdir())
        if (p / DESCRIPTION).is_file() and (p / "info.ini").is_file() and FREE.match(licence(root, p.name))
    ]


def flat_text(fragment: str) -> str:
    """An HTML fragment's text on one line: tags dropped, entities undone, white space made one space."""
    return one_space(html.unescape(TAG.sub("", fragment)))


def sections(page: str) -> list[tuple[bool, list[tuple[bool, str]]]]:
    """The page's sections (between headings) in order, each whether it is a list of entries, and its lines in order,
    each whether it is a table's cell, and its text."""
    page = COMMENT.sub("", page)
    out: list[tuple[bool, list[tuple[bool, str]]]] = []
    listing = False
    at = 0
    for heading in [*HEADING.finditer(page), None]:
        end = heading.start() if heading else len(page)
        lines: list[tuple[bool, str]] = []
        body = page[at:end]
        k = 0
        for table in [*TABLE.finditer(body), None]:
            stop = table.start() if table else len(body)
            for chunk in LINE_TAG.split(body[k:stop]):
                line = flat_text(chunk)
                if line:
                    lines.append((False, line))
            if table:
                lines += [(True, cell) for cell in (flat_text(c) for c in CELL.findall(table.group())) if cell]
                k = table.end()
        out.append((listing, lines))
        if heading:
            listing = bool(LIST_HEADING.match(flat_text(heading.group(1))))
            at = heading.end()
    return out


def runs(page: str) -> list[str]:
    """The page cut into runs of whole sentences (or whole entries of a list) within RUN_CHARS, by section."""
    out: list[str] = []
    for listing, lines in sections(page):
        current = ""
        for cell, line in lines:
            if cell:
                if current:
                    out.append(current)
                    current = ""
                out.append(line)
                continue
            pieces = [line] if listing else [s.strip() for s in SENTENCE_END.split(line) if s.strip()]
            for k, piece in enumerate(pieces):
                glue = " " if k else "\n"
                if current and len(current) + 1 + len(piece) <= RUN_CHARS:
                    current += glue + piece
                else:
                    if current:
                        out.append(current)
                    current = piece
        if current:
            out.append(current)
    return out


def descriptions(root: Path) -> list[tuple[str, str]]:
    """Each (id prefix, HTML) of the free cultures, then of the landscapes, in order of their folders."""
    found = [(c, read_text(root / SKYCULTURES / c / DESCRIPTION)) for c in free_cultures(root)]
    folder = root / LANDSCAPES
    if folder.is_dir():
        found += [
            (f"landscape-{p.name}", read_text(p / DESCRIPTION)) for p in sorted(folder.iterdir()) if (p / DESCRIPTION).is_file()
        ]
    return found


def _prose(text: str) -> bool:
    return MIN_CHARS <= len(text) <= MAX_CHARS and bool(SENTENCE.search(text))


def candidates(root: Path) -> list[tuple[str, str, str]]:
    """Every (id, culture, document) the descriptions give, before the draw."""
    return [
        (f"{prefix}-{k}", "landscape" if prefix.startswith("landscape-") else prefix, text)
        for prefix, page in descriptions(root)
        for k, text in enumerate(runs(page))
    ]


def draw(root: Path = Path("/")) -> dict[str, list[dict]]:
    """The drawn documents of the one source, `skies`: each pool shuffled, taken in the order of POOLS as COUNTS
    says, a culture's documents at most CAP."""
    taken = Taken(texts_of(OTHER_PARTS), MAX_CHARS)
    pools: dict[str, list[tuple[str, str, str]]] = {name: [] for name in POOLS}
    seen: set[str] = set()
    for i, culture, text in candidates(root):
        flat = one_space(text)
        if not _prose(text) or flat in seen or taken.holds(flat):
            continue
        seen.add(flat)
        pools[first_pool(text, POOLS, CUES)].append((i, culture, text))
    rng = random.Random(SEED)
    chosen = drawn_capped(pools, COUNTS, CAP, rng)
    rng.shuffle(chosen)
    return {SOURCE: [{"id": i, "text": t} for i, t in chosen]}


def missing(root: Path) -> str | None:
    """The first source file that is not there, as a message naming the package that has it."""
    return first_missing(root, NEEDED, how="apt-get download {}, then dpkg-deb -x into the root")


def main(argv: list[str] | None = None) -> int:
    return builder_main(argv, PART, __doc__, draw, missing)


if __name__ == "__main__":
    sys.exit(main())
