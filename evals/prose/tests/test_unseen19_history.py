"""The nineteenth unseen part's history source: its committed file is what its labels give (checked on its texts, never
scanned: the lead scores the part once), and its builder draws the same documents from the same package every time,
refusing with one line when a source is missing or cannot be read."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import pytest

from evals.prose import build_unseen19_history as b
from evals.prose.labels import HERE, first_pool, labeled_files
from evals.prose.score import load, part_files
from evals.prose.tests.builder_checks import (
    draw_is_refused,
    draw_writes_the_documents_unlabeled,
    labeled_file_is_never_written_over,
    labeled_part,
    one_line,
    run_builder,
)

NAME = "unseen19_history"
FILE = HERE / f"{b.SOURCE}_{b.PART}.jsonl"


def test_the_source_loads_with_every_hand_label_applied():
    docs = labeled_part(b.PART, (b.SOURCE,), b.OTHER_PARTS, labels_file=b.LABELS)
    labels = json.loads((HERE / b.LABELS).read_text(encoding="utf-8"))
    assert [d.id for d in docs] == list(labels)
    spans = [g for d in docs for g in d.spans]
    assert len(docs) == 118 and len(spans) == 205
    assert Counter(g.type for g in spans) == {"PERSON": 153, "LOCATION": 33, "EMAIL_ADDRESS": 12, "AGE": 5, "URL": 2}
    kinds = Counter(g.kind for g in spans)
    assert kinds["name"] == 122 and kinds["first_name"] == 28 and kinds["nick_name"] == 3
    assert kinds["city"] == 17 and kinds["country"] == 14 and kinds["state"] == 1 and kinds["region"] == 1
    assert sum(not d.spans for d in docs) == 24  # the precision share
    assert Counter(d.id.rsplit("-", 1)[0] for d in docs) == {
        "history": 94,
        "changelog": 16,
        "dedication-9.0": 4,
        "dedication-5.0": 2,
        "dedication-2.2": 2,
    }
    assert all(b.MIN_CHARS <= len(d.text) <= b.MAX_CHARS for d in docs)


def test_no_text_is_another_parts_nor_a_piece_of_one():
    flat = {" ".join(d.text.split()) for d in load(FILE)}
    others = {" ".join(d.text.split()) for part in b.OTHER_PARTS for p in part_files(part) for d in load(p)}
    assert not flat & others
    joined = "\x00".join(others)
    assert not any(t in joined for t in flat)


def test_the_committed_file_is_what_the_labels_give_its_texts():
    rows = [json.loads(line) for line in FILE.read_text("utf-8").splitlines()]
    parts = {b.SOURCE: [{"id": r["id"], "text": r["text"]} for r in rows]}
    rebuilt = labeled_files(parts, b.LABELS, b.PART, b.BUILDER)
    assert rebuilt == {FILE.name: FILE.read_text("utf-8")}


# A made-up history in the package's form: headings at the margin, a table of contents, indented paragraphs and lists
HISTORY = """
                      A Brief History of Something

Table of Contents

1. Introduction
    1.1. In the Beginning
A. The Appendix
    A.1. What is it?

Chapter 1. Introduction

    The project was founded by Jane Roe in a small town called Ashford
    in the spring of that year, and it grew slowly after that.

    Jane Roe led the project from April until May of the next year.

    The following versions were released during this time:

      * 1.1 released in June with many small packages and fixes.

      * 1.2 released in July with even more packages and fixes.

4.13.1. July 2000: John Doe died

    On July 11th, 2000, John Doe passed away. He was a friend to
    all of us and wrote to us at john@example.org every week.
{more}
"""
MORE = "".join(
    f"\n    Paragraph number {k} says nothing of anyone at all, and it goes on for a while"
    f"\n    so that it is long enough to be kept as a document of its own here.\n"
    for k in range(40)
)
DEDICATION = "Dedicated to Someone\n--------------------\n\nSomeone was a developer of the project for many years and\nwill be missed by all of us who knew her work.\n\n-- The Developers\n"
CHANGELOG = (
    "something (1.0) unstable; urgency=medium\n\n  [ Jane Roe ]\n  * Update the translation of the whole text. (Closes: #1)\n\n"
    " -- John Doe <john@example.org>  Wed, 15 Feb 2023 22:40:17 +0100\n"
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "root"
    for name, path, _ in b.TEXTS:
        (r / path).parent.mkdir(parents=True, exist_ok=True)
        text = {"history": HISTORY.format(more=MORE), "changelog": CHANGELOG}.get(name, DEDICATION.replace("Someone", name))
        (r / path).write_bytes(gzip.compress(text.encode()) if path.endswith(".gz") else text.encode())
    return r


def test_the_draw_is_fixed_by_its_seed_and_cut_at_headings(root):
    first, again = b.draw(root), b.draw(root)
    assert first == again and list(first) == [b.SOURCE]
    drawn = {d["id"]: d["text"] for d in first[b.SOURCE]}
    texts = dict(b.text_runs(root))
    assert all(texts[i] == t for i, t in drawn.items())
    # the table of contents is no document; a paragraph's wrapped lines are joined, paragraphs and list items kept apart
    assert not any("Introduction" in t or "What is it" in t for t in texts.values())
    assert texts["history-1"] == (
        "The project was founded by Jane Roe in a small town called Ashford in the spring of that year, and it grew slowly "
        "after that.\nJane Roe led the project from April until May of the next year.\n"
        "The following versions were released during this time:"
    )
    assert texts["history-2"] == (
        "* 1.1 released in June with many small packages and fixes.\n* 1.2 released in July with even more packages and fixes."
    )
    assert texts["history-3"].startswith("On July 11th, 2000, John Doe passed away. He was")
    assert texts["changelog-0"].startswith("[ Jane Roe ]\n* Update the translation")
    assert texts["dedication-2.2-0"].startswith("dedication-2.2 was a developer")
    assert not any("Dedicated to" in t for t in texts.values())
    # every cued run is drawn (two with an e-mail address, one naming Jane Roe), and 14 of the rest (the plain paragraphs)
    pools = Counter(first_pool(t, b.POOLS, b.CUES) for t in drawn.values())
    assert pools == {"rest": 14, "contact": 2, "person": 1}


def test_a_leaders_line_is_a_sentence_a_list_of_software_is_not():
    assert b._prose(
        "Ben Collins led Debian from April 2001 until April 2002.\nBdale Garbee led Debian from April 2002 until 2003."
    )
    assert not b._prose("* Apache 2.4.10\n* Asterisk 11.13.1\n* GIMP 2.8.14\n* Python 2.7.9 and 3.4.2\n* Samba 4.1.17\n* PHP 5.6")


def test_draw_writes_the_documents_unlabeled(root, tmp_path):
    draw_writes_the_documents_unlabeled(NAME, b.draw, root, tmp_path)


def test_another_draw_is_never_written_over_the_labeled_file(root):
    labeled_file_is_never_written_over(NAME, FILE, root)


@pytest.mark.parametrize("k", range(len(b.TEXTS)))
def test_a_missing_source_is_named(root, tmp_path, k):
    path = b.TEXTS[k][1]
    (root / path).unlink()
    draw_is_refused(NAME, root, tmp_path, f"{path} missing", "debian-history")


def test_a_source_that_cannot_be_read_is_refused(root, tmp_path):
    (root / b.TEXTS[0][1]).write_bytes(b"not gzipped at all")
    draw_is_refused(NAME, root, tmp_path, "is not gzipped")


def test_nothing_to_do_is_said():
    one_line(run_builder(NAME), "nothing to do")
