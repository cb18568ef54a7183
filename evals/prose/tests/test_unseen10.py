"""The tenth unseen part: its committed files are what its labels give (checked on their texts, never scanned: the
lead scores the part once), and its builder draws the same documents from the same sources every time, refusing with
one line when a source is missing or cannot be read."""

from __future__ import annotations

import gzip
import struct
import zlib
from collections import Counter
from pathlib import Path

import pytest

from evals.prose import build_unseen10 as b
from evals.prose.score import load, part_files
from evals.prose.tests.builder_checks import (
    committed_files_are_what_the_labels_give,
    draw_writes_the_documents_unlabeled,
    labeled_part,
    labeled_part_is_never_written_over,
    one_line,
    run_builder,
)
from evals.prose.tests.rdata import RWriter, lazy_load_index, serialized

SOURCES = ("mobydick",)
# A document of another part that a paragraph of the book could be, with a town's cue: were it not another part's, it
# would be drawn for sure (every town paragraph of the small book below is)
TAKEN = next(
    t
    for part in b.OTHER_PARTS
    for p in part_files(part)
    for t in (d.text for d in load(p))
    if b._prose(t) and b.paragraphs_of_lines(t.splitlines()) == [t] and b.PLACE.search(t)
)


def test_the_part_loads_with_every_hand_label_applied():
    docs = labeled_part("unseen10", SOURCES, b.OTHER_PARTS)
    spans = [g for d in docs for g in d.spans]
    types = Counter(g.type for g in spans)
    kinds = Counter(g.kind for g in spans if g.type == "LOCATION")
    assert len(docs) == 120 and len(spans) == 218
    assert types["PERSON"] == 167 and types["LOCATION"] == 51
    assert kinds["city"] == 22 and kinds["region"] == 21 and kinds["country"] == 7
    assert set(types) == {"PERSON", "LOCATION"}
    assert set(kinds) == {"city", "country", "region", "other"}
    assert 0.18 <= sum(not d.spans for d in docs) / len(docs) <= 0.26  # the precision share
    assert all(b.MIN_CHARS <= len(d.text) <= b.MAX_CHARS for d in docs)


def test_the_committed_files_are_what_the_labels_give_their_texts():
    committed_files_are_what_the_labels_give("unseen10", SOURCES)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _moby_database() -> bytes:
    """A string named "mobydick", as tokenizers' database holds it."""

    def write(w: RWriter) -> None:
        w.int(16 | 512, 1)  # one string, with attributes
        w.chars(_book())
        w.int(2 | 1024)  # attributes: names = "mobydick"
        w.symbol("names")
        w.strings(["mobydick"])
        w.int(254)

    return serialized(write)


def _book() -> str:
    place = [f"We sailed out of the harbour and came at last to Nantucket, on the {k}th day of the voyage." for k in range(70)]
    named = [f'"Lower away," cried Captain Ahab to the whole crew, for the {k}th time in that long night.' for k in range(40)]
    plain = [
        f"the sea was calm and the whale was nowhere to be seen, number {k}, all that long and weary day." for k in range(12)
    ]
    nobody = ["The day was fine and Ishmael was glad of it, as he had every reason to be at sea."]
    head = "The Project Gutenberg EBook of Moby Dick, on the docks of New Bedford in the winter\r\n\r\n"
    tail = "\r\n*** END OF THIS PROJECT GUTENBERG EBOOK ***\r\n\r\nThe licence was sent from Salt Lake City to all.\r\n"
    body = "\r\n\r\n".join(["MOBY DICK", "CHAPTER 1", *place, *named, *plain, *nobody, TAKEN])
    return f"{head}*** START OF THIS PROJECT GUTENBERG EBOOK ***\r\n\r\n{body}\r\n{tail}"


def _moby(root: Path) -> None:
    body = _moby_database()
    chunk = struct.pack(">i", len(body)) + zlib.compress(body)
    _write(root / b.MOBY_DATA, chunk)
    _write(root / b.MOBY_INDEX, gzip.compress(lazy_load_index({"mobydick": [0, len(chunk)]})))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Small copies of the packages' files, in their layout below a root of their own."""
    r = tmp_path / "root"
    _moby(r)
    return r


def test_the_draw_is_fixed_by_its_seed(root):
    first, again = b.draw(root), b.draw(root)
    assert first == again and list(first) == list(SOURCES)
    moby = {d["id"]: d["text"] for d in first["mobydick"]}
    # every town paragraph (70), 34 of the 40 naming Ahab, 10 of the 12 plain; the paragraph naming Ishmael with no
    # cue, the headings, the Gutenberg header and licence, and another part's text never
    assert len(moby) == 70 + 34 + 10
    assert sum("Nantucket" in t for t in moby.values()) == 70 and sum("Captain Ahab" in t for t in moby.values()) == 34
    assert sum("whale was nowhere" in t for t in moby.values()) == 10
    assert not any("Ishmael" in t or "Gutenberg" in t or "Salt Lake" in t or t == TAKEN for t in moby.values())
    # ids count the book's paragraphs from the first after the start marker
    assert moby["mobydick-2"] == "We sailed out of the harbour and came at last to Nantucket, on the 0th day of the voyage."


def _run(*args: str):
    return run_builder("unseen10", *args)


def test_draw_writes_the_documents_unlabeled(root, tmp_path):
    draw_writes_the_documents_unlabeled("unseen10", b.draw, root, tmp_path)


def test_another_draw_is_never_written_over_the_labeled_part(root):
    labeled_part_is_never_written_over("unseen10", SOURCES, root)


def test_a_missing_source_is_named(root, tmp_path):
    (root / b.MOBY_INDEX).unlink()
    one_line(
        _run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "Rdata.rdx missing", "apt-get download r-cran-tokenizers"
    )
    assert not (tmp_path / "x.jsonl").exists()


def test_a_database_that_cannot_be_read_is_named(root, tmp_path):
    data = (root / b.MOBY_DATA).read_bytes()
    (root / b.MOBY_DATA).write_bytes(data[:40])  # cut short
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "cannot read the sources", "tokenizers' database")
    assert not (tmp_path / "x.jsonl").exists()


def test_nothing_to_do_is_said():
    one_line(_run(), "nothing to do")
