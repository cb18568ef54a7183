"""Draw one source of the twentieth unseen part from Dungeon Crawl Stone Soup's literary quotations, and write it labeled.

    python -m evals.prose.build_unseen20_quotes --root DIR --draw OUT.jsonl   # documents, no spans (to be labeled)
    python -m evals.prose.build_unseen20_quotes --root DIR --write            # draws again, applies
                                                                             # unseen20_quotes_labels.json, writes
                                                                             # quotes_unseen20.jsonl beside this file

DIR holds Debian's `crawl-common` 2:0.28.0-1.1 unpacked, not installed (`apt-get download crawl-common`, then `dpkg-deb
-x 'crawl-common_2%3a0.28.0-1.1_all.deb' DIR`); see README.md for its sha256. The game's licence is GPL-2+ (its
`usr/share/doc/crawl-common/copyright`: "either version 2 of the License, or (at your option) any later version";
"Certain pieces come with different licenses", none of them the quotations). One file is read:
`usr/share/crawl/dat/descript/quotes.txt`, the English quotations the game shows beside its monsters, gods, places,
spells and items (the other languages' folders are not read): entries between "%%%%" lines, each a key line (what the
quotation is shown for), then one or more quotations from literature, myth, scripture, songs or films, each closed by
its attribution, an indented line opening with "-" and the lines after it up to a blank one ("    -Ovid,
_Metamorphoses_, XII, 330. 8 AD.", a translator's "    trans. Sir James George Frazer, 1913."). An entry that only
points at another ("<__d_suffix>"), a quotation without an attribution and the file's comments ("# ...") are left out.

Only quotations in the public domain are read. The rule, on the attribution's text alone: it is the King James or the
World English Bible ("KJV Bible, Exodus 3:2", "WEB Bible, ..."), or it gives a date, a year of four digits ("1603",
"March 1926", "ca. 1865") or an ancient one ("8 AD", "circa 150 BC", "700 BCE", "6th century BCE", "16th Century"), and
every year of four digits in it is before 1930 (the work's, its edition's, its publication's, its translation's: "1912
(published 1996)" and "1605. trans. Carlos Fuentes, 1997." are out); a quotation whose attribution names a translator
without a year after it ("trans. Katsuki Sekida", "trans. F. Max Muller") is out too, the translation's date unknown,
and so is one with no date at all ("-Nathaniel Hawthorne", "-The Quran, Sura 27 Al-Naml"): of the file's 353
attributed quotations, 196 are kept and 157 dropped.

A quotation's text is its lines, each trimmed, its blank lines dropped: a line is joined to the one before with a space
when that one was wrapped (66 characters or more) or the line opens with a lower-case letter, and kept as a line of its
own otherwise (verse keeps its lines; prose wrapped short is joined where its next line opens in lower case). The
attribution's lines are joined with a space into one line, put after the quotation's. A quotation with its attribution
of at most 600 characters is one document; a longer one is cut into pieces (its lines, a prose line at its sentences'
ends, as `gutencorpus.pieces` cuts a long paragraph, curly quotes allowed before and after the full stop), joined into
runs, each as long as it can be within RUN_CHARS (a longer piece a run of its own); the attribution goes on the last run
when the two fit within 600 characters, otherwise it is dropped. Documents of 80-600 characters with three lower-case
words in a row are kept. A document's id is `quotes-`, its entry's number in the file (from 0), then its run's number in
that entry.

Pools, by loose cues read on the text alone, a document in the first pool whose cue it has: a contact (an e-mail
address or a URL), a place (a capitalized word after "in", "at", "from", "to", "unto", "near" or "of the city of", not a
pronoun, "The", "God" or "Heaven"), a person (two capitalized words in a row, or a capitalized word after "by", "with"
or "said", none of them "The", "God", "Lord" or "I"; every attribution naming an author has this cue), and the rest.
COUNTS says how many each pool gives (of 236 documents: a place 20, a person 164, the rest 52; all of the first three
and 6 of the rest are drawn, 190); the builder draws with a fixed seed. No document is the text of a document of
another part (OTHER_PARTS, and any other source of unseen20, `*_unseen20.jsonl` but this one's file). Labels
(`unseen20_quotes_labels.json`, written by hand before any scoring, by reading each document): per document id, a list
of [type, kind, text, n]: the n-th occurrence (0 first) of `text` is a span of `type`.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

from evals.prose.gutencorpus import MAX_CHARS, MIN_CHARS
from evals.prose.labels import HERE, SENTENCE, builder_main, drawn_from_pools, first_missing, first_pool, one_space, texts_of

# Frozen: a later part must not change this one's draw
OTHER_PARTS = ("dev", "unseen", *(f"unseen{k}" for k in range(2, 20)))  # unseen2 .. unseen19
SEED = 20262021
PART = "unseen20"
SOURCE = "quotes"
LABELS = "unseen20_quotes_labels.json"
BUILDER = "build_unseen20_quotes"
QUOTES = "usr/share/crawl/dat/descript/quotes.txt"
NEEDED = ((QUOTES, "crawl-common"),)
WRAPPED = 66  # a line this long was wrapped: the next is joined to it
RUN_CHARS = 450  # a run of a long quotation's pieces grows within this many characters
POOLS = ("contact", "place", "person", "rest")
# Documents each pool gives (None: all of them)
COUNTS: dict[str, int | None] = {"contact": None, "place": None, "person": None, "rest": 6}
# An attribution: an indented line opening with "-"
ATTRIBUTION = re.compile(r"^\s+-\S")
YEAR = re.compile(r"(?<![\d:])\b(1\d{3}|20\d{2})\b(?![\d:])")
ANCIENT = re.compile(
    r"\b\d+(?:st|nd|rd|th)?\.? ?(?:AD|A\.D\.|BC|B\.C\.|BCE|B\.C\.E\.|CE)(?!\w)|\b\d+(?:st|nd|rd|th)\.? (?:century|cent\.)",
    re.IGNORECASE,
)
SCRIPTURE = re.compile(r"\b(?:KJV|WEB) Bible\b")
TRANSLATOR = re.compile(r"\btrans(?:\.|lated)", re.IGNORECASE)
# A sentence ends at ".", "!" or "?" after a lower-case letter or digit (a closing quote may follow), before a capital
# (an opening quote may come first); never after a title
SENTENCE_END = re.compile(
    r"(?:(?<=[a-z0-9][.!?])|(?<=[a-z][.!?][\"'_’”]))(?<!\bMr\.)(?<!\bMrs\.)(?<!\bDr\.)(?<!\bSt\.) +(?=[\"'_‘“]?[A-Z])"
)
CONTACT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b(?:https?|ftp)://\S+")
PLACE = re.compile(
    r"\b(?:in|at|from|to|unto|near|of the city of) (?!I\b|A\b|It\b|He\b|She\b|We\b|They\b|This\b|The\b|God\b|Heaven\b)[A-Z][a-z]"
)
NOT_NAME = r"(?:The|God|Lord|I)\b"
PERSON = re.compile(rf"\b(?!{NOT_NAME})[A-Z][a-z]+ (?!{NOT_NAME})[A-Z][a-z]+|\b(?:by|with|said) (?!{NOT_NAME})[A-Z][a-z]+")
CUES = {"contact": CONTACT, "place": PLACE, "person": PERSON}


def read_text(root: Path) -> str:
    p = root / QUOTES
    try:
        return p.read_text("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"{p} is not UTF-8 ({e.reason} at byte {e.start})") from None


def entries(text: str) -> list[tuple[str, list[tuple[list[str], list[str]]]]]:
    """The file's entries in order, each its key and its attributed quotations, a quotation as its lines (blank ones
    kept, comments dropped) and its attribution's lines."""
    out = []
    for block in re.split(r"^%%%%\n", text.replace("\r\n", "\n"), flags=re.MULTILINE):
        lines = [line for line in block.split("\n") if not line.startswith("#")]
        while lines and not lines[0].strip():
            lines.pop(0)
        if not lines:
            continue
        key, body = lines[0].strip(), lines[1:]
        quotations: list[tuple[list[str], list[str]]] = []
        current: list[str] = []
        k = 0
        while k < len(body):
            if ATTRIBUTION.match(body[k]):
                attribution = [body[k]]
                k += 1
                while k < len(body) and body[k].strip():
                    attribution.append(body[k])
                    k += 1
                quotations.append((current, attribution))
                current = []
            else:
                current.append(body[k])
                k += 1
        out.append((key, quotations))
    return out


def public_domain(attribution: str) -> bool:
    """Whether the attribution says the quotation is in the public domain: a Bible the rule names, or a date with every
    year of four digits before 1930, and no translator without a year after the name."""
    years = [int(y) for y in YEAR.findall(attribution)]
    translator = TRANSLATOR.search(attribution)
    if translator and not YEAR.search(attribution[translator.end() :]):
        return False
    if SCRIPTURE.search(attribution):
        return all(y < 1930 for y in years)
    return bool(years or ANCIENT.search(attribution)) and all(y < 1930 for y in years)


def quotation_lines(lines: list[str]) -> list[str]:
    """The quotation's lines, trimmed, blank ones dropped, a wrapped line's continuation joined to it with a space."""
    out: list[str] = []
    previous = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            previous = ""
            continue
        if out and previous and (len(previous.rstrip()) >= WRAPPED or line[0].islower()):
            out[-1] += " " + line
        else:
            out.append(line)
        previous = raw
    return out


def documents(lines: list[str], attribution: str) -> list[str]:
    """A quotation's documents: the whole with its attribution when it fits, else runs of its pieces, the attribution on
    the last when it fits."""
    whole = "\n".join([*lines, attribution])
    if len(whole) <= MAX_CHARS:
        return [whole]
    pieces = [(s.strip(), k > 0) for line in lines for k, s in enumerate(SENTENCE_END.split(line)) if s.strip()]
    out: list[str] = []
    for piece, same_line in pieces:
        glue = " " if same_line else "\n"
        if out and len(out[-1]) + 1 + len(piece) <= RUN_CHARS:
            out[-1] += glue + piece
        else:
            out.append(piece)
    if len(out[-1]) + 1 + len(attribution) <= MAX_CHARS:
        out[-1] += "\n" + attribution
    return out


def quotations(root: Path) -> tuple[list[tuple[str, str]], int, int]:
    """Every public-domain quotation's (id, document), entry after entry, and how many quotations were kept and dropped."""
    found = []
    kept = dropped = 0
    for n, (_, quoted) in enumerate(entries(read_text(root))):
        k = 0
        for lines, attribution_lines in quoted:
            attribution = " ".join(line.strip() for line in attribution_lines)
            if not public_domain(attribution):
                dropped += 1
                continue
            kept += 1
            body = quotation_lines(lines)
            if not body:
                continue
            for doc in documents(body, attribution):
                found.append((f"quotes-{n}-{k}", doc))
                k += 1
    return found, kept, dropped


def _prose(text: str) -> bool:
    return MIN_CHARS <= len(text) <= MAX_CHARS and bool(SENTENCE.search(text))


def taken_texts() -> set[str]:
    """The texts of the other parts, and of unseen20's other sources (whichever are written), white space made one."""
    texts = texts_of(OTHER_PARTS)
    ours = f"{SOURCE}_{PART}.jsonl"
    for path in sorted(HERE.glob(f"*_{PART}.jsonl")):
        if path.name != ours:
            texts |= texts_of_file(path)
    return {one_space(t) for t in texts}


def texts_of_file(path: Path) -> set[str]:
    return {json.loads(line)["text"].strip("\n") for line in path.read_text("utf-8").splitlines() if line}


def draw(root: Path = Path("/")) -> dict[str, list[dict]]:
    """The drawn documents of the one source, `quotes`."""
    taken = taken_texts()
    pools: dict[str, list[tuple[str, str]]] = {name: [] for name in POOLS}
    seen: set[str] = set()
    for i, text in quotations(root)[0]:
        flat = one_space(text)
        if not _prose(text) or flat in seen or flat in taken:
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
