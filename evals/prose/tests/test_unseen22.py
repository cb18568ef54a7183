"""The twenty-second unseen part's newswire source: its committed file is what its labels give (checked on its texts,
never scanned: the lead scores the part once), and its builder draws the same documents from the same package every
time, refusing with one line when the source is missing or cannot be read."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from evals.prose import build_unseen22 as b
from evals.prose.labels import HERE, labeled_files
from evals.prose.score import load
from evals.prose.tests.builder_checks import (
    draw_is_refused,
    draw_writes_the_documents_unlabeled,
    labeled_file_is_never_written_over,
    labeled_part,
    one_line,
    run_builder,
)

NAME = "unseen22"
LABELS = "unseen22_labels.json"
FILE = HERE / f"{b.SOURCE}_{b.PART}.jsonl"


def test_the_source_loads_with_every_hand_label_applied():
    docs = labeled_part(b.PART, (b.SOURCE,), b.OTHER_PARTS, labels_file=LABELS)
    labels = json.loads((HERE / LABELS).read_text(encoding="utf-8"))
    assert [d.id for d in docs] == list(labels)
    spans = [g for d in docs for g in d.spans]
    assert len(docs) == 153 and len(spans) == 254
    assert Counter(g.type for g in spans) == {"LOCATION": 186, "PERSON": 68}
    assert Counter(g.kind for g in spans) == {
        "city": 98,
        "country": 48,
        "state": 34,
        "region": 6,
        "name": 37,
        "last_name": 28,
        "first_name": 3,
    }
    assert sum(not d.spans for d in docs) == 23  # the precision share
    assert all(80 <= len(d.text) <= 600 for d in docs)
    articles = Counter(d.id.rsplit(".", 1)[0] for d in docs)
    assert len(articles) == 80 and max(articles.values()) <= b.CAP
    assert Counter(d.id.split("-")[0] for d in docs) == {"acq": 93, "crude": 44, "reuters": 15, "rcv1": 1}


def test_no_text_is_another_unseen22_sources():
    mine = {d.text for d in load(FILE)}
    for path in sorted(HERE.glob(f"*_{b.PART}.jsonl")):
        if path != FILE:
            assert not mine & {d.text for d in load(path)}, path.name


def test_the_committed_file_is_what_the_labels_give_its_texts():
    rows = [json.loads(line) for line in FILE.read_text("utf-8").splitlines()]
    parts = {b.SOURCE: [{"id": r["id"], "text": r["text"]} for r in rows]}
    rebuilt = labeled_files(parts, LABELS, b.PART, f"build_{NAME}")
    assert rebuilt == {FILE.name: FILE.read_text("utf-8")}


# Made-up articles of the package's forms
ARTICLE = """<?xml version="1.0"?>
<REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="{old}" NEWID="{new}">
 <DATE>26-FEB-1987 17:00:56.04</DATE>
 <PLACES>
  <D>usa</D>
 </PLACES>
 <TEXT>
  <TITLE>ACME (ACM) BUYS WIDGET MAKER</TITLE>
  <DATELINE>SPRINGFIELD, Ill., Feb 26 -</DATELINE>
  <BODY>Acme Corp said it agreed to buy &lt;Widget Co&gt; for
12 mln dlrs, and that its chairman, Jane Roe, would lead the
new company from its offices in Springfield.
    &quot;This is a good deal for both firms,&quot; said John Doe, an analyst
with Smith and Co. He said the shares of Acme Corp. rose.
    The company said article {new} of this made-up series has nothing more to say about anything.
 Reuter</BODY>
 </TEXT>
</REUTERS>
"""
COLLECTION = """<?xml version="1.0"?>
<LEWIS>
{articles}</LEWIS>
"""
RCV1 = """<?xml version="1.0" encoding="iso-8859-1" ?>
<newsitem itemid="2330" id="root" date="1996-08-20" xml:lang="en">
<title>USA: Tylan stock jumps.</title>
<dateline>SAN DIEGO</dateline>
<text>
<p>The stock of Tylan General Inc. jumped Tuesday after the maker of
process-management equipment said it is exploring a sale of the company.</p>
<p>Tylan was up $2.50 to $12.75 in early trading on the Nasdaq market in Z\xfcrich.</p>
</text>
<copyright>(c) Reuters Limited 1996</copyright>
</newsitem>
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "root"
    for k, folder in enumerate(b.FOLDERS):
        (r / b.TEXTS / folder).mkdir(parents=True)
        for n in range(1, 4):
            new = 100 * (k + 1) + n
            (r / b.TEXTS / folder / f"reut-{n:05d}.xml").write_text(ARTICLE.format(old=new, new=new), "utf-8")
    # the collection repeats crude's first article (NEWID 101) and has one of its own
    articles = "".join(ARTICLE.format(old=n, new=n).split("\n", 1)[1] for n in (101, 900))
    (r / b.COLLECTION).write_text(COLLECTION.format(articles=articles), "utf-8")
    (r / b.RCV1).write_bytes(RCV1.encode("iso-8859-1"))
    return r


def test_an_article_is_read_as_the_wire_prints_it(root):
    found = dict(b.articles(root))
    assert list(found)[:3] == ["crude-101", "crude-102", "crude-103"]
    assert "reuters-101" not in found and "reuters-900" in found  # a body met twice once
    first = found["crude-101"]
    assert first[0].startswith("SPRINGFIELD, Ill., Feb 26 - Acme Corp said it agreed to buy <Widget Co> for 12 mln dlrs,")
    assert first[1].startswith('"This is a good deal for both firms," said John Doe, an analyst with Smith and Co.')
    assert first[-1].endswith("nothing more to say about anything.") and "ACME" not in "".join(first)
    assert found["rcv1-2330"][0].startswith("SAN DIEGO - The stock of Tylan General Inc. jumped Tuesday")
    assert found["rcv1-2330"][1].endswith("on the Nasdaq market in Zürich.")
    runs = b.runs(["One two three. Mr. Doe said it. Four five six.", "Seven eight nine."])
    assert runs == ["One two three. Mr. Doe said it. Four five six.\nSeven eight nine."]
    assert b.SENTENCE_END.split("He said shares of Acme Corp. rose. Then Acme Corp fell.") == [
        "He said shares of Acme Corp. rose.",
        "Then Acme Corp fell.",
    ]


def test_the_draw_is_fixed_by_its_seed_and_every_article_gives_one(root):
    first, again = b.draw(root), b.draw(root)
    assert first == again and list(first) == [b.SOURCE]
    drawn = [d["id"] for d in first[b.SOURCE]]
    articles = {i for i, _, _ in b.candidates(root)}
    assert {i.rsplit(".", 1)[0] for i in drawn} == {i.rsplit(".", 1)[0] for i in articles}
    assert all(80 <= len(d["text"]) <= 600 for d in first[b.SOURCE])


def test_draw_writes_the_documents_unlabeled(root, tmp_path):
    draw_writes_the_documents_unlabeled(NAME, b.draw, root, tmp_path)


def test_another_draw_is_never_written_over_the_labeled_file(root):
    labeled_file_is_never_written_over(NAME, FILE, root)


def test_a_missing_source_is_named(root, tmp_path):
    (root / b.COLLECTION).unlink()
    draw_is_refused(NAME, root, tmp_path, f"{b.COLLECTION} missing", "r-cran-tm")


def test_a_source_that_cannot_be_read_is_refused(root, tmp_path):
    (root / b.TEXTS / "acq" / "reut-00001.xml").write_bytes(b"\xff\xfe not utf-8 \xff")
    draw_is_refused(NAME, root, tmp_path, "is not utf-8")


def test_nothing_to_do_is_said():
    one_line(run_builder(NAME), "nothing to do")
