"""Draw one source of the nineteenth unseen part from "A Brief History of Debian" and its package, and write it labeled.

    python -m evals.prose.build_unseen19_history --root DIR --draw OUT.jsonl   # documents, no spans (to be labeled)
    python -m evals.prose.build_unseen19_history --root DIR --write            # draws again, applies
                                                                              # unseen19_history_labels.json, writes
                                                                              # history_unseen19.jsonl beside this file

DIR holds Debian's `debian-history` 2.28 unpacked, not installed (`apt-get download debian-history`, then `dpkg-deb -x
debian-history_2.28_all.deb DIR`); see README.md for its sha256. Its licence is GPL-2+ (its
`usr/share/doc/debian-history/copyright`: "either version 2 of the License, or (at your option) any later version").
Three texts of it, all English, below `usr/share/doc/debian-history/`:

- `docs/project-history.en.txt.gz`: "A Brief History of Debian" (version 2.28, 2023-02-15) as plain text: its front
  matter and contributors, the project's leaders, its releases and their Toy Story code names, the detailed history
  with the DebConfs and the towns and countries they met in, the developers who died, and the Debian Manifesto of 1994
  as its appendix. The package's HTML (`docs/*.en.html`) and `debian-manifesto.gz` are the same text and are not read.
- `dedication/dedication-2.2.txt`, `dedication-5.0.txt`, `dedication-9.0.txt`: the dedications of Debian 2.2, 5.0 and
  9 to Joel Klecker, Thiemo Seufer and Ian Murdock.
- `changelog.gz`: the package's own changelog (its last five entries), who changed what, and their e-mail addresses.

The constitution and the social contract name no one and are not read.

A text is cut into sections at its headings (a line at the left margin: "Chapter 2. Leadership", "4.13.9. July 2005:
Jens Schmalzing died", a dedication's title and its underline), the table of contents left out. A section's paragraphs
(indented lines between blank ones, each line trimmed and the wrapped lines joined with a space) are cut at their
sentences' ends (as `gutencorpus.pieces` cuts a long paragraph); a list item ("* Apache 2.4.10", a changelog's "[ Holger
Wansing ]" and " -- Name <e-mail>  date" lines) is a piece of its own. A section's pieces are joined into runs, each as
long as it can be within RUN_CHARS (a longer piece a run of its own), sentences of one paragraph with a space, anything
else with a line break; runs of 80-600 characters with a sentence are kept: three lower-case words in a row, or a line of
five words or more closed by a full stop or a parenthesis (the leaders' lines, "Ben Collins led Debian from April 2001
until April 2002.", and the changelog's items; not a list of software, "* Python 2.7.9 and 3.4.2"). A run's id is its
text's name, then the run's number in that text.

Pools, by loose cues read on the text alone, a run in the first pool whose cue it has: a contact (an e-mail address or a
URL), a place (a capitalized word after "in", "at", "from", "to" or "near", or a capitalized word, a comma and another),
a person (two capitalized words in a row, or a capitalized word after "by" or "with") and the rest; in the place's and
the person's cues no capitalized word is one of COMMON, the words this text capitalizes for no one and nowhere (its
software and bodies, "Debian", "Linux", "Free Software", "Toy Story", "Release Notes", and the months: "in August" is no
place). All of the contact's, place's and person's pools are drawn, and COUNTS["rest"] of the rest. The builder draws
with a fixed seed. No document is the text of a document of another part, nor a piece of one, nor holds one (unseen4
drew 24 paragraphs of the same history, with their line breaks: the texts are compared with their white space made one
space). Labels (`unseen19_history_labels.json`, written by hand before any scoring, by
reading each document): per document id, a list of [type, kind, text, n]: the n-th occurrence (0 first) of `text` is a
span of `type`.
"""

from __future__ import annotations

import gzip
import random
import re
import sys
from pathlib import Path

from evals.prose.gutencorpus import MAX_CHARS, MIN_CHARS, SENTENCE_END
from evals.prose.labels import SENTENCE, Taken, builder_main, drawn_from_pools, first_missing, first_pool, one_space, texts_of

# Frozen: a later part must not change this one's draw
OTHER_PARTS = ("dev", "unseen", *(f"unseen{k}" for k in range(2, 19)))  # unseen2 .. unseen18
SEED = 20261920
PART = "unseen19"
SOURCE = "history"
LABELS = "unseen19_history_labels.json"
BUILDER = "build_unseen19_history"
DOC = "usr/share/doc/debian-history"
# Each text: its id's name, its path below the root (".gz": gzipped), and whether its body is indented (a line at the
# left margin a heading); a text at the margin has a title of one line without a full stop, and dashes under it
TEXTS = (
    ("history", f"{DOC}/docs/project-history.en.txt.gz", True),
    ("dedication-2.2", f"{DOC}/dedication/dedication-2.2.txt", False),
    ("dedication-5.0", f"{DOC}/dedication/dedication-5.0.txt", False),
    ("dedication-9.0", f"{DOC}/dedication/dedication-9.0.txt", False),
    ("changelog", f"{DOC}/changelog.gz", True),
)
NEEDED = tuple((path, "debian-history") for _, path, _ in TEXTS)
RUN_CHARS = 300  # a run of pieces grows within this many characters
POOLS = ("contact", "place", "person", "rest")
# Documents each pool gives (None: all of them)
COUNTS: dict[str, int | None] = {"contact": None, "place": None, "person": None, "rest": 14}
# A list item: "* text", a changelog's "[ Name ]" or " -- Name <e-mail>  date"
ITEM = re.compile(r"^(?:\* |\[ |-- )")
# A heading that opens a section read by no one: the table of contents; its entries at the margin ("A. The Debian
# Manifesto") do not end it
SKIPPED = re.compile(r"^Table of Contents\s*$")
ENTRY = re.compile(r"^[A-Z0-9]+(?:\.\d+)*\. ")
CONTACT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b(?:https?|ftp)://\S+")
# Capitalized words this text writes for no one and nowhere: its software, bodies, months and releases' notes
COMMON = (
    r"(?:Debian|Linux|GNU|Free|Software|Project|Release|Notes|Compiler|Collection|Toy|Story|Open|Source|General|Public|"
    r"Kernel|Installer|Secure|Boot|Official|Corporation|Network|Maintainer|Med|The|Rust|January|February|March|April|"
    r"May|June|July|August|September|October|November|December)\b"
)
PLACE = re.compile(
    rf"\b(?:in|at|from|to|near) (?!I\b|A\b|It\b|He\b|We\b|This\b|{COMMON})[A-Z][a-z]|"
    rf"\b(?!{COMMON})[A-Z][a-z]+, (?!and\b|{COMMON})[A-Z][a-z]"
)
PERSON = re.compile(rf"\b(?!{COMMON})[A-Z][a-z]+ (?:[A-Z]\. )?(?!{COMMON})[A-Z][a-z]+|\b(?:by|with) (?!{COMMON})[A-Z][a-z]+")
CUES = {"contact": CONTACT, "place": PLACE, "person": PERSON}


def read_text(root: Path, path: str) -> str:
    p = root / path
    try:
        return gzip.decompress(p.read_bytes()).decode("utf-8") if path.endswith(".gz") else p.read_text("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"{p} is not UTF-8 ({e.reason} at byte {e.start})") from None
    except gzip.BadGzipFile:
        raise ValueError(f"{p} is not gzipped") from None


def _heading(line: str, lines: list[str], k: int, indented: bool) -> bool:
    """Whether the k-th of the text's `lines` is a heading (or the dashes under one)."""
    if not line.strip():
        return False
    if indented:
        return not line[0].isspace()
    if set(line.strip()) == {"-"}:
        return True
    alone = (k == 0 or not lines[k - 1].strip()) and (
        k + 1 == len(lines) or not lines[k + 1].strip() or set(lines[k + 1].strip()) == {"-"}
    )
    return alone and not ITEM.match(line.strip()) and not line.rstrip().endswith((".", "!", "?", '"'))


def sections(text: str, indented: bool = True) -> list[list[list[str]]]:
    """The text's sections (cut at each heading), each a list of its paragraphs, each a list of its lines, trimmed;
    the table of contents left out."""
    out: list[list[list[str]]] = [[[]]]
    skipping = False
    lines = text.replace("\r\n", "\n").split("\n")
    for k, line in enumerate(lines):
        if _heading(line, lines, k, indented):
            skipping = bool(SKIPPED.match(line)) or (skipping and bool(ENTRY.match(line)))
            out.append([[]])
        elif skipping:
            continue
        elif line.strip():
            out[-1][-1].append(line.strip())
        elif out[-1][-1]:
            out[-1].append([])
    return [[p for p in s if p] for s in out if any(s)]


def pieces(paragraph: list[str]) -> list[tuple[str, bool]]:
    """A paragraph's pieces, each with whether it is a sentence of running text: its list items (an item's wrapped
    lines joined) or its sentences."""
    if ITEM.match(paragraph[0]):
        items: list[str] = []
        for line in paragraph:
            if ITEM.match(line) or not items:
                items.append(line)
            else:
                items[-1] += " " + line
        return [(i, False) for i in items]
    joined = " ".join(paragraph)
    return [(s.strip(), True) for s in SENTENCE_END.split(joined) if s.strip()]


def runs(section: list[list[str]]) -> list[str]:
    """A section's pieces joined into runs, each as long as it can be within RUN_CHARS (a longer piece a run of its
    own): sentences of one paragraph with a space, anything else with a line break."""
    out: list[str] = []
    for paragraph in section:
        first = True
        for piece, sentence in pieces(paragraph):
            glue = " " if sentence and not first else "\n"
            if out and len(out[-1]) + 1 + len(piece) <= RUN_CHARS:
                out[-1] += glue + piece
            else:
                out.append(piece)
            first = False
    return out


def text_runs(root: Path) -> list[tuple[str, str]]:
    """Every text's (id, run), text after text, section after section."""
    found = []
    for name, path, indented in TEXTS:
        text = read_text(root, path)
        all_runs = [r for s in sections(text, indented) for r in runs(s)]
        found += [(f"{name}-{k}", r) for k, r in enumerate(all_runs)]
    return found


def _prose(text: str) -> bool:
    """80-600 characters with a sentence: three lower-case words in a row, or a line of five words or more (a list
    item's mark aside) closed by a full stop or a parenthesis ("Ben Collins led Debian from April 2001 until April
    2002.", "* Update German translation. (Closes: #1031153)"; not "* Python 2.7.9 and 3.4.2")."""
    if not MIN_CHARS <= len(text) <= MAX_CHARS:
        return False
    return bool(SENTENCE.search(text)) or any(
        len(ITEM.sub("", line).split()) >= 5 and line.rstrip().endswith((".", ")")) for line in text.split("\n")
    )


def draw(root: Path = Path("/")) -> dict[str, list[dict]]:
    """The drawn documents of the one source, `history`."""
    taken = Taken(texts_of(OTHER_PARTS), MAX_CHARS)
    pools: dict[str, list[tuple[str, str]]] = {name: [] for name in POOLS}
    seen: set[str] = set()
    for i, text in text_runs(root):
        flat = one_space(text)
        if not _prose(text) or flat in seen or taken.holds(flat):
            continue
        seen.add(flat)
        pools[first_pool(text, POOLS, CUES)].append((i, text))
    return {SOURCE: drawn_from_pools(pools, COUNTS, random.Random(SEED))}


def missing(root: Path) -> str | None:
    """The first source file that is not there, as a message naming the package that has it."""
    return first_missing(root, NEEDED, how="apt-get download {}, then dpkg-deb -x into the root")


def main(argv: list[str] | None = None) -> int:
    return builder_main(argv, PART, __doc__, draw, missing, builder=BUILDER, labels_file=LABELS)


if __name__ == "__main__":
    sys.exit(main())
