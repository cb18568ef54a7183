"""Draw one source of the twenty-second unseen part from the Reuters newswire articles the text-mining package tm
ships, and write it labeled.

    python -m evals.prose.build_unseen22 --root DIR --draw OUT.jsonl   # documents, no spans (to be labeled)
    python -m evals.prose.build_unseen22 --root DIR --write            # draws again, applies unseen22_labels.json,
                                                                      # writes news_unseen22.jsonl beside this file

DIR holds Debian's `r-cran-tm` 0.7-11-1 unpacked, not installed (`apt-get download r-cran-tm`, then `dpkg-deb -x
r-cran-tm_0.7-11-1_amd64.deb DIR`); see README.md for its sha256. Its `usr/share/doc/r-cran-tm/copyright` puts `Files: *`
under GPL-3; the articles are Reuters', from the Reuters-21578 collection (whose terms, Reuters Ltd.'s and Carnegie
Group's, allow its free distribution for research purposes) and one from RCV1. Read, below
`usr/lib/R/site-library/tm/texts/`: `crude/*.xml` (20 articles on crude oil), `acq/*.xml` (50 on acquisitions),
`reuters-21578.xml` (10 more; an article whose body is one already read, the collection's NEWID 10 that acq also
holds, is read once) and `rcv1_2330.xml` (one article of 1996); never `loremipsum.txt`, `custom.xml` or `txt/`.

An article is read as a reader of the wire sees it: its body (<BODY>; in RCV1 the <p> paragraphs of <text>), the XML's
entities undone ("&quot;" -> '"', "&lt;" -> "<"), the trailing " Reuter" (or "REUTER") signature dropped; a line that
starts with spaces starts a paragraph, the wire's wrapped lines of a paragraph are joined by one space, and a
paragraph break is kept as a line break. The first paragraph opens with the dateline as the wire prints it ("NEW YORK,
FEB 26 - Diamond Shamrock Corp said ..."; RCV1's dateline "SAN DIEGO" likewise, with " - "); the all-capital TITLE is
left out. The tags <PLACES>, <PEOPLE>, <ORGS>, <COMPANIES> are Reuters' index terms: never read. Paragraphs are cut at
their sentences' ends (a full stop, "!" or "?" after a lower-case letter, a digit or a closing bracket, a closing
quote allowed after it, before a capital or an opening quote; never after "Mr.", "Mrs.", "Dr.", "St.", "Co.", "Corp.",
"Inc.", "Ltd." and the like), and the sentences joined into runs, each as long as it can be within RUN_CHARS (a
longer sentence a run of its own), the next sentence of the same paragraph after a space, of the next paragraph after
a line break. Runs of 80-600 characters with three lower-case words in a row are documents; the id is the file's
folder or name (`crude`, `acq`, `reuters`, `rcv1`), the article's NEWID (RCV1: its itemid), and the run's number in the
article (`crude-127.0`, `acq-10.2`, `rcv1-2330.0`).

Pools, by loose cues read on the text alone, a document in the first pool whose cue it has: a contact (an e-mail
address, a URL with its scheme or a telephone number), a person (two capitalized words in a row after "said" or before
", " and a lower-case word, or "Mr."/"Mrs." before a capitalized word), a place (a capitalized word after "in", "at",
"from", "near" or "to", or an all-capital dateline), and the rest. Every article first gives one document (its first
run that is kept); then each pool is shuffled and taken in the order of POOLS as COUNTS says, an article giving at most
CAP documents in all; the builder draws with a fixed seed. No document is the text of a document of another part, holds
one or is a piece of one (OTHER_PARTS). Labels (`unseen22_labels.json`, written by hand before any scoring, by reading
each document): per document id, a list of [type, kind, text, n]: the n-th occurrence (0 first) of `text` is a span of
`type`.
"""

from __future__ import annotations

import html
import random
import re
import sys
from collections.abc import Iterator
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
OTHER_PARTS = ("dev", "unseen", *(f"unseen{k}" for k in range(2, 22)))  # unseen2 .. unseen21
SEED = 20262222
PART = "unseen22"
SOURCE = "news"
TEXTS = "usr/lib/R/site-library/tm/texts"
FOLDERS = ("crude", "acq")
COLLECTION = f"{TEXTS}/reuters-21578.xml"
RCV1 = f"{TEXTS}/rcv1_2330.xml"
NEEDED = (
    (f"{TEXTS}/crude/reut-00001.xml", "r-cran-tm"),
    (f"{TEXTS}/acq/reut-00001.xml", "r-cran-tm"),
    (COLLECTION, "r-cran-tm"),
    (RCV1, "r-cran-tm"),
)
RUN_CHARS = 420  # a run of an article's sentences grows within this many characters
CAP = 5  # documents an article gives at most
POOLS = ("contact", "person", "place", "rest")
# Documents each pool gives after every article's first (None: all of them)
COUNTS: dict[str, int | None] = {"contact": None, "person": None, "place": None, "rest": 6}

ARTICLE = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.DOTALL)
NEWID = re.compile(r'\bNEWID="(\d+)"')
DATELINE = re.compile(r"<DATELINE>(.*?)</DATELINE>", re.DOTALL)
BODY = re.compile(r"<BODY>(.*?)</BODY>", re.DOTALL)
RCV1_ITEM = re.compile(r'<newsitem\b[^>]*\bitemid="(\d+)"')
RCV1_DATELINE = re.compile(r"<dateline>(.*?)</dateline>", re.DOTALL)
RCV1_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
SIGNATURE = re.compile(r"\s*\bReuter\s*$", re.IGNORECASE)
ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Dr", "St", "Co", "Corp", "Inc", "Ltd", "Bros", "Jr", "Sr", "No", "Gen", "Gov", "Sen", "Rep")
SENTENCE_END = re.compile(
    r"(?:(?<=[a-z0-9)][.!?])|(?<=[a-z0-9)][.!?][\"'’”]))"
    + "".join(rf"(?<!\b{a}\.)" for a in ABBREVIATIONS)
    + r" +(?=[\"'‘“(<]?[A-Z])"
)
CONTACT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b(?:https?|ftp)://\S+|\(\d{3}\) ?\d{3}-\d{4}|\b\d{3}-\d{3}-\d{4}\b")
NOT_WORD = r"(?:I|A|An|It|He|She|We|They|This|These|That|The|Their|His|Her|Its)\b"
CAPITALIZED = rf"(?!{NOT_WORD})[A-Z][a-z]+"
PERSON = re.compile(
    rf"\bsaid {CAPITALIZED} (?:[A-Z]\. )?{CAPITALIZED}|\b{CAPITALIZED} (?:[A-Z]\. )?{CAPITALIZED}, [a-z]|\bMrs?\. [A-Z]"
)
PLACE = re.compile(rf"\b(?:in|at|from|near|to) {CAPITALIZED}|^[A-Z][A-Z .]+, ")
CUES = {"contact": CONTACT, "person": PERSON, "place": PLACE}


def read_text(p: Path, encoding: str = "utf-8") -> str:
    try:
        return p.read_text(encoding)
    except UnicodeDecodeError as e:
        raise ValueError(f"{p} is not {encoding} ({e.reason} at byte {e.start})") from None


def wire_paragraphs(body: str) -> list[str]:
    """A Reuters-21578 body as its paragraphs: the entities undone, the signature dropped, a line starting with
    spaces opening a paragraph, wrapped lines joined by one space."""
    text = SIGNATURE.sub("", html.unescape(body).replace("\x03", ""))
    paragraphs: list[list[str]] = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        if not paragraphs or line.startswith(" "):
            paragraphs.append([])
        paragraphs[-1].append(line.strip())
    return [" ".join(p) for p in paragraphs]


def with_dateline(dateline: str, paragraphs: list[str]) -> list[str]:
    """The paragraphs, the first opening with the dateline as the wire prints it ("NEW YORK, FEB 26 - ")."""
    line = one_space(html.unescape(dateline)).rstrip(" -")
    if not line or not paragraphs:
        return paragraphs
    return [f"{line} - {paragraphs[0]}", *paragraphs[1:]]


def articles(root: Path) -> Iterator[tuple[str, list[str]]]:
    """(id, paragraphs) of each article, folder after folder, then the collection and RCV1; a body met twice once."""
    xml: list[tuple[str, str]] = []
    for folder in FOLDERS:
        xml += [(folder, read_text(p)) for p in sorted((root / TEXTS / folder).glob("*.xml"))]
    xml.append(("reuters", read_text(root / COLLECTION)))
    seen: set[str] = set()
    for name, text in xml:
        for m in ARTICLE.finditer(text):
            newid, inner = NEWID.search(m.group(1)), m.group(2)
            body, dateline = BODY.search(inner), DATELINE.search(inner)
            if not (newid and body):
                continue
            paragraphs = wire_paragraphs(body.group(1))
            flat = one_space(" ".join(paragraphs))
            if flat in seen:
                continue
            seen.add(flat)
            yield f"{name}-{newid.group(1)}", with_dateline(dateline.group(1) if dateline else "", paragraphs)
    text = read_text(root / RCV1, "iso-8859-1")
    item, dateline = RCV1_ITEM.search(text), RCV1_DATELINE.search(text)
    paragraphs = [one_space(html.unescape(p)) for p in RCV1_PARAGRAPH.findall(text)]
    if item and paragraphs:
        yield f"rcv1-{item.group(1)}", with_dateline(dateline.group(1) if dateline else "", paragraphs)


def runs(paragraphs: list[str]) -> list[str]:
    """The article cut into runs of whole sentences within RUN_CHARS."""
    out: list[str] = []
    current = ""
    for paragraph in paragraphs:
        for k, sentence in enumerate(s.strip() for s in SENTENCE_END.split(paragraph) if s.strip()):
            glue = " " if k else "\n"
            if current and len(current) + 1 + len(sentence) <= RUN_CHARS:
                current += glue + sentence
            else:
                if current:
                    out.append(current)
                current = sentence
    if current:
        out.append(current)
    return out


def candidates(root: Path) -> list[tuple[str, str, str]]:
    """Every (id, article, document) the articles give, before the draw: runs of 80-600 characters that are prose."""
    return [
        (f"{article}.{k}", article, text)
        for article, paragraphs in articles(root)
        for k, text in enumerate(runs(paragraphs))
        if MIN_CHARS <= len(text) <= MAX_CHARS and SENTENCE.search(text)
    ]


def draw(root: Path = Path("/")) -> dict[str, list[dict]]:
    """The drawn documents of the one source, `news`: every article's first kept run, then each pool shuffled and
    taken in the order of POOLS as COUNTS says, an article's documents at most CAP."""
    taken = Taken(texts_of(OTHER_PARTS), MAX_CHARS)
    rng = random.Random(SEED)
    chosen: list[tuple[str, str]] = []
    per_article: dict[str, int] = {}
    pools: dict[str, list[tuple[str, str, str]]] = {name: [] for name in POOLS}
    seen: set[str] = set()
    for i, article, text in candidates(root):
        flat = one_space(text)
        if flat in seen or taken.holds(flat):
            continue
        seen.add(flat)
        if article not in per_article:
            per_article[article] = 1
            chosen.append((i, text))
            continue
        pools[first_pool(text, POOLS, CUES)].append((i, article, text))
    chosen += drawn_capped(pools, COUNTS, CAP, rng, per_article)
    rng.shuffle(chosen)
    return {SOURCE: [{"id": i, "text": t} for i, t in chosen]}


def missing(root: Path) -> str | None:
    """The first source file that is not there, as a message naming the package that has it."""
    return first_missing(root, NEEDED, how="apt-get download {}, then dpkg-deb -x into the root")


def main(argv: list[str] | None = None) -> int:
    return builder_main(argv, PART, __doc__, draw, missing)


if __name__ == "__main__":
    sys.exit(main())
