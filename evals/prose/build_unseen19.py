"""Draw the nineteenth unseen part's documents from the tz database's commentary, and write it labeled.

    python -m evals.prose.build_unseen19 --root DIR --draw OUT.jsonl   # documents, no spans (to be labeled)
    python -m evals.prose.build_unseen19 --root DIR --write            # draws again, applies unseen19_labels.json,
                                                                      # writes tz_unseen19.jsonl beside this file

DIR holds the IANA time zone database's source as Debian ships it, tzdata 2026b (`tzdata_2026b.orig.tar.gz`, the same
tarball as IANA's `tzdata2026b.tar.gz`; see README.md for its sha256), unpacked into DIR: `DIR/version` says "2026b",
and the region files `africa`, `antarctica`, `asia`, `australasia`, `europe`, `northamerica`, `southamerica` and
`backzone` hold the rules and zones of the database with their comments ("# ..."), running prose by its contributors:
who reported what ("From Paul Eggert (2026-03-17):"), the towns, provinces, states, countries and islands of the
changes, quoted news and laws, URLs and a few e-mail addresses. Public domain (its LICENSE: "Unless specified below,
all files in the tz code and data (including this LICENSE file) are in the public domain").

A comment block is a run of consecutive comment lines of a region file (a line that is no comment, a blank one or a
rule, zone or link, ends it). Each line's "#" and the spaces and tabs after it are dropped (and a quoted mail's ">" marks); a line of a commented-out
table (a tab between words, "Rule", "Zone" or "Link" opening it, a row of "#" or "-", columns of "|"), or one with more digits than
letters, is dropped and ends a paragraph. A block's paragraphs are its lines between empty ones, each paragraph's lines
joined with one space (the file wraps prose at 80 columns; a quoted passage's indent is dropped with the rest); a
paragraph longer than RUN_CHARS is cut at its sentences' ends (as `gutencorpus.pieces` cuts a long paragraph) into
pieces each as long as it can be within RUN_CHARS. A block's paragraphs (or pieces) are joined by a blank line ("\\n\\n")
into runs, each as long as it can be within RUN_CHARS; runs of 80-600 characters with three lower-case words in a row,
and at most a sixth of their characters digits, are kept. A run's id is `tz-<file>-<line>`, the line of the region
file where its first paragraph begins, with `.<k>` for the k-th piece of a long paragraph.

The builder draws with a fixed seed, from pools read by loose cues on the text alone (a run in the first pool whose cue
it has): a contact (an e-mail address or a URL with its scheme), a person (an attribution "From Paul Eggert", a title
"Mr. Smith", "Prime Minister Kelly", or "Name Name writes/said/reported"), a place (a capitalized word after "in",
"at", "to", "from", "near" or "of") and the rest; then every run with an e-mail address (or a thing like one, a
Usenet message id) that the pools' draw left out, in the files' order, so few they are. No document is the text of a document of another part. Labels
(`unseen19_labels.json`, written by hand before any scoring, by reading each document): per document id, a list of
[type, kind, text, n]: the n-th occurrence (0 first) of `text` is a span of `type`.
"""

from __future__ import annotations

import random
import re
import sys
from functools import partial
from pathlib import Path

from evals.prose.gutencorpus import MAX_CHARS, MIN_CHARS, SENTENCE_END
from evals.prose.labels import SENTENCE, builder_main, drawn_from_pools, first_missing, first_pool, pooled, texts_of

# Frozen: a later part must not change this one's draw
OTHER_PARTS = ("dev", "unseen", *(f"unseen{k}" for k in range(2, 19)))  # unseen2 .. unseen18
SEED = 20261919
VERSION = "2026b"
REGIONS = ("africa", "antarctica", "asia", "australasia", "europe", "northamerica", "southamerica", "backzone")
HOW = "apt-get source --download-only tzdata=2026b-0+deb12u1, then tar xzf tzdata_2026b.orig.tar.gz -C the root"
NEEDED = (("version", "tzdata 2026b"), *((region, "tzdata 2026b") for region in REGIONS))
SOURCES = ("tz",)
RUN_CHARS = 480  # a run of paragraphs grows within this many characters
POOLS = ("contact", "person", "place", "rest")
# Documents each pool gives (None: all of them)
COUNTS: dict[str, int | None] = {"contact": 45, "person": 75, "place": 40, "rest": 15}
# A line of a commented-out table: a tab between words, a rule, zone or link, a row of "#", "-" or "="
TABLE = re.compile(r"\S\t|^(?:Rule|Zone|Link|STDOFF|NAME)\b|^[#=\-_*]{3,}\s*$|\|.*\||-\+-")
# The marks of a quoted mail's line ("> > text"), dropped with the "#"
QUOTE_MARK = re.compile(r"^\s*(?:>\s*)*")
MAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
CONTACT = re.compile(rf"{MAIL.pattern}|\b(?:https?|ftp)://\S")
# A person: an attribution ("From Paul Eggert", "From Tim Parenti (2014-10-30):"), a title before a capitalized word,
# or two capitalized words before a verb of saying
PERSON = re.compile(
    r"^From [A-Z][\w.'-]+ |\b(?:(?:Mr|Mrs|Ms|Dr|Prof)\.?|Professor|Sir|Lord|President|Minister|Governor|Premier|Mayor|"
    r"King|Queen|Senator|Judge|Captain) [A-Z][a-z]|\b[A-Z][a-z]+ [A-Z][a-z]+ (?:writes|wrote|said|says|reports|reported)\b",
    re.M,
)
# A capitalized word after a preposition of place: "in Chile", "of Quebec", "from Tonga"
PLACE = re.compile(r"\b(?:in|at|to|from|near|of) (?!I\b|The\b|A\b|It\b|This\b|These\b|That\b|UT\b|GMT\b|DST\b)[A-Z][a-z]")
CUES = {"contact": CONTACT, "person": PERSON, "place": PLACE}


def _kept_line(line: str) -> bool:
    """A line of prose: not a commented-out table's, not more digits than letters."""
    digits = sum(c.isdigit() for c in line)
    return not TABLE.search(line) and digits <= sum(c.isalpha() for c in line)


def paragraphs(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """A block's (line number, comment text) lines as paragraphs: lines between empty ones, a dropped line (a table's,
    a number's) ending a paragraph too."""
    out: list[list[tuple[int, str]]] = [[]]
    for n, text in lines:
        if text and _kept_line(text):
            out[-1].append((n, text))
        elif out[-1]:
            out.append([])
    return [p for p in out if p]


def pieces(paragraph: list[tuple[int, str]]) -> list[tuple[str, str]]:
    """A paragraph as (id suffix, text): its lines joined by spaces, a paragraph longer than RUN_CHARS cut at its
    sentences' ends into pieces each as long as it can be within RUN_CHARS (a longer sentence a piece of its own)."""
    first = str(paragraph[0][0])
    text = " ".join(t for _, t in paragraph)
    if len(text) <= RUN_CHARS:
        return [(first, text)]
    out: list[str] = []
    for sentence in (s.strip() for s in SENTENCE_END.split(text)):
        if out and len(out[-1]) + 1 + len(sentence) <= RUN_CHARS:
            out[-1] += " " + sentence
        elif sentence:
            out.append(sentence)
    return [(f"{first}.{k}", piece) for k, piece in enumerate(out)]


def block_runs(lines: list[tuple[int, str]]) -> list[tuple[str, str]]:
    """A block's paragraphs (or pieces of a long one) joined by blank lines into runs, each as long as it can be within
    RUN_CHARS; a piece of a long paragraph is a run of its own. Each run with the id suffix of its first paragraph."""
    out: list[tuple[str, str]] = []
    joinable = False  # the last run may take the next paragraph (it is not a piece of a long one)
    for paragraph in paragraphs(lines):
        cut = pieces(paragraph)
        if len(cut) > 1:
            out += cut
            joinable = False
        elif joinable and len(out[-1][1]) + 2 + len(cut[0][1]) <= RUN_CHARS:
            out[-1] = (out[-1][0], out[-1][1] + "\n\n" + cut[0][1])
        else:
            out.append(cut[0])
            joinable = True
    return out


def comment_text(line: str) -> str:
    """A comment line's text: its "#" and the spaces and tabs after it dropped, a quoted mail's ">" marks too, and its
    trailing blanks."""
    return QUOTE_MARK.sub("", line[1:]).strip()


def region_runs(name: str, text: str) -> list[tuple[str, str]]:
    """A region file's (id, run), block after block in the file's order."""
    out: list[tuple[str, str]] = []
    block: list[tuple[int, str]] = []
    for n, line in enumerate([*text.split("\n"), ""], start=1):
        if line.startswith("#"):
            block.append((n, comment_text(line)))
        elif block:
            out += [(f"tz-{name}-{suffix}", run) for suffix, run in block_runs(block)]
            block = []
    return out


def _prose(text: str) -> bool:
    digits = sum(c.isdigit() for c in text)
    return MIN_CHARS <= len(text) <= MAX_CHARS and bool(SENTENCE.search(text)) and digits * 6 <= len(text)


def source_runs(root: Path) -> list[tuple[str, str]]:
    """The (id, run) of every region file, in the order of REGIONS."""
    version = (root / "version").read_text("utf-8").strip()
    if version != VERSION:
        raise ValueError(f"{root / 'version'} says {version!r}, not {VERSION!r}")
    out: list[tuple[str, str]] = []
    for name in REGIONS:
        path = root / name
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError as e:
            raise ValueError(f"{path} is not UTF-8 ({e.reason} at byte {e.start})") from None
        if not any(line.startswith(("Zone", "Rule", "Link")) for line in text.split("\n")):
            raise ValueError(f"{path} holds no rule, zone or link: not a tz region file")
        out += region_runs(name, text)
    return out


def drawn(docs: list[tuple[str, str]], taken: set[str]) -> list[dict]:
    """The pools' draw, then every run with an e-mail address (or what looks like one) the draw left out, in the
    files' order: so few that the pools' draw would seldom give one."""
    kept = [(i, t) for i, t in docs if _prose(t)]
    chosen = drawn_from_pools(
        pooled(kept, taken, partial(first_pool, pools=POOLS, cues=CUES), POOLS), COUNTS, random.Random(f"{SEED}-tz")
    )
    texts = taken | {d["text"] for d in chosen}
    mail = pooled(kept, texts, lambda t: "mail" if MAIL.search(t) else None, ("mail",))["mail"]
    return chosen + [{"id": i, "text": t} for i, t in mail]


def missing(root: Path) -> str | None:
    """The first source file that is not there, as a message saying how to get it."""
    return first_missing(root, NEEDED, how=f"{{}}: {HOW}")


def draw(root: Path = Path("/")) -> dict[str, list[dict]]:
    return {"tz": drawn(source_runs(root), texts_of(OTHER_PARTS))}


def main(argv: list[str] | None = None) -> int:
    return builder_main(argv, "unseen19", __doc__, draw, missing)


if __name__ == "__main__":
    sys.exit(main())
