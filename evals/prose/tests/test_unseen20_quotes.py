"""The twentieth unseen part's quotations source: its committed file is what its labels give (checked on its texts, never
scanned: the lead scores the part once), and its builder draws the same documents from the same package every time,
refusing with one line when the source is missing or cannot be read."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from evals.prose import build_unseen20_quotes as b
from evals.prose.labels import HERE, first_pool, labeled_files
from evals.prose.score import load
from evals.prose.tests.builder_checks import (
    draw_is_refused,
    draw_writes_the_documents_unlabeled,
    labeled_file_is_never_written_over,
    labeled_part,
    one_line,
    run_builder,
)

NAME = "unseen20_quotes"
FILE = HERE / f"{b.SOURCE}_{b.PART}.jsonl"


def test_the_source_loads_with_every_hand_label_applied():
    docs = labeled_part(b.PART, (b.SOURCE,), b.OTHER_PARTS, labels_file=b.LABELS)
    labels = json.loads((HERE / b.LABELS).read_text(encoding="utf-8"))
    assert [d.id for d in docs] == list(labels)
    spans = [g for d in docs for g in d.spans]
    assert len(docs) == 190 and len(spans) == 289
    assert Counter(g.type for g in spans) == {"PERSON": 269, "LOCATION": 20}
    kinds = Counter(g.kind for g in spans)
    assert kinds["name"] == 251 and kinds["first_name"] == 9 and kinds["last_name"] == 9
    assert kinds["region"] == 7 and kinds["city"] == 6 and kinds["country"] == 6 and kinds["other"] == 1
    assert sum(not d.spans for d in docs) == 10  # the precision share
    assert all(80 <= len(d.text) <= 600 for d in docs)


def test_no_text_is_another_unseen20_sources():
    mine = {d.text for d in load(FILE)}
    for path in sorted(HERE.glob(f"*_{b.PART}.jsonl")):
        if path != FILE:
            assert not mine & {d.text for d in load(path)}, path.name


def test_the_committed_file_is_what_the_labels_give_its_texts():
    rows = [json.loads(line) for line in FILE.read_text("utf-8").splitlines()]
    parts = {b.SOURCE: [{"id": r["id"], "text": r["text"]} for r in rows]}
    rebuilt = labeled_files(parts, b.LABELS, b.PART, b.BUILDER)
    assert rebuilt == {FILE.name: FILE.read_text("utf-8")}


@pytest.mark.parametrize(
    ("attribution", "kept"),
    [
        ("-Ovid, _Metamorphoses_, XII, 330. 8 AD.", True),
        ("-William Shakespeare, _The Tragedy of Hamlet, Prince of Denmark_, III, 4. 1603.", True),
        ("-Pseudo-Apollodorus , _Library and Epitome_, 1.9.11. circa 150 BC. trans. Sir James George Frazer, 1913.", True),
        ("-Anonymous, “The Old Cloak”. 16th Century.", True),
        ("-KJV Bible, Exodus 3:2.", True),
        ("-George Silver,_Paradoxes of Defence_.1599.", True),
        ("-Ovid, _Metamorphoses_, XIII, 546-7. 8 A.D. trans. Garth, Dryden, et al.", False),
        ("-T.S. Eliot, “Prufrock's Pervigilium”. 1912 (published 1996).", False),
        ("-Dante Alighieri, _The Divine Comedy_, “Inferno”, Canto III. ca. 1315. trans. John Ciardi, 1954.", False),
        ("-Bertolt Brecht, “The Measures Taken”. 1930.", False),
        ("-The Quran, Sura 27 Al-Naml", False),
        ("-Ezekiel 1:15-18 (New International Version)", False),
        ("-Nathaniel Hawthorne", False),
    ],
)
def test_only_public_domain_quotations_are_read(attribution, kept):
    assert b.public_domain(attribution) is kept


# A made-up quotations file in the package's form: entries between "%%%%" lines, a key, quotations and attributions
QUOTES = """%%%%
first key

“When Jane Roe, some distance away, saw him, she shouted a few words to the
 others in the town of Ashford and went on her way home in the evening.”
    -Someone Old, _A Book_, II, 3.
1801.

“Ah, the short lines
 of a poem that has
 none of the names
 we are looking for here”
    -Another Poet, “A Poem”. 1999.
%%%%
second key

<first key>
%%%%
third key

# a comment of the file
“A line of verse that is short,
A second line of verse that is short,
And a third one closes it with a name or two.”
    -Anonymous, “Verse”. 16th Century.
{more}%%%%
"""
MORE = "".join(
    f"%%%%\nkey {k}\n\n“Quotation number {k} says nothing of anyone at all, and it goes on for a while so that\n"
    " it is long enough to be kept as a document of its own here.”\n    -A Writer, _A Work_. 1850.\n"
    for k in range(20)
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "root"
    (r / b.QUOTES).parent.mkdir(parents=True)
    (r / b.QUOTES).write_text(QUOTES.format(more=MORE), "utf-8")
    return r


def test_the_draw_is_fixed_by_its_seed_and_keeps_the_public_domain(root):
    first, again = b.draw(root), b.draw(root)
    assert first == again and list(first) == [b.SOURCE]
    found, kept, dropped = b.quotations(root)
    assert (kept, dropped) == (22, 1)  # the poem of 1999 is out, the pointer is no quotation
    texts = dict(found)
    # a wrapped line is joined to the one before, verse keeps its lines, the attribution's lines are joined
    assert texts["quotes-0-0"] == (
        "“When Jane Roe, some distance away, saw him, she shouted a few words to the others in the town of Ashford and "
        "went on her way home in the evening.”\n-Someone Old, _A Book_, II, 3. 1801."
    )
    assert texts["quotes-2-0"].startswith("“A line of verse that is short,\nA second line")
    assert not any("comment" in t or "poem" in t for t in texts.values())
    drawn = {d["id"] for d in first[b.SOURCE]}
    pools = Counter(first_pool(texts[i], b.POOLS, b.CUES) for i in drawn)
    # Jane Roe's quotation is the one person; "A Writer" and "Anonymous" are no cue: 6 of the rest are drawn
    assert pools == {"person": 1, "rest": 6}


def test_a_long_quotation_is_cut_at_its_sentences_with_its_attribution_last():
    lines = [" ".join(f"Sentence {k} of a long quotation goes on and on here." for k in range(30))]
    docs = b.documents(lines, "-A Writer, _A Work_. 1850.")
    assert len(docs) > 1 and all(len(d) <= b.RUN_CHARS for d in docs[:-1])
    assert docs[-1].endswith("\n-A Writer, _A Work_. 1850.") and not any("A Writer" in d for d in docs[:-1])
    assert all(d.startswith("Sentence") for d in docs)


def test_draw_writes_the_documents_unlabeled(root, tmp_path):
    draw_writes_the_documents_unlabeled(NAME, b.draw, root, tmp_path)


def test_another_draw_is_never_written_over_the_labeled_file(root):
    labeled_file_is_never_written_over(NAME, FILE, root)


def test_a_missing_source_is_named(root, tmp_path):
    (root / b.QUOTES).unlink()
    draw_is_refused(NAME, root, tmp_path, f"{b.QUOTES} missing", "crawl-common")


def test_a_source_that_cannot_be_read_is_refused(root, tmp_path):
    (root / b.QUOTES).write_bytes(b"\xff\xfe not utf-8 \xff")
    draw_is_refused(NAME, root, tmp_path, "is not UTF-8")


def test_nothing_to_do_is_said():
    one_line(run_builder(NAME), "nothing to do")
