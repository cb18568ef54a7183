"""The twenty-first unseen part's family-tree source: its committed file is what its labels give (checked on its texts,
never scanned: the lead scores the part once), and its builder draws the same documents from the same package every
time, refusing with one line when the source is missing or cannot be read."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from evals.prose import build_unseen21_family as b
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

NAME = "unseen21_family"
FILE = HERE / f"{b.SOURCE}_{b.PART}.jsonl"


def test_the_source_loads_with_every_hand_label_applied():
    docs = labeled_part(b.PART, (b.SOURCE,), b.OTHER_PARTS, labels_file=b.LABELS)
    labels = json.loads((HERE / b.LABELS).read_text(encoding="utf-8"))
    assert [d.id for d in docs] == list(labels)
    spans = [g for d in docs for g in d.spans]
    assert len(docs) == 176 and len(spans) == 558
    assert Counter(g.type for g in spans) == {
        "LOCATION": 269,
        "PERSON": 252,
        "DATE_OF_BIRTH": 23,
        "URL": 6,
        "ZIP_CODE": 3,
        "AGE": 2,
        "PHONE_NUMBER": 1,
        "EMAIL_ADDRESS": 1,
        "US_SSN": 1,
    }
    kinds = Counter(g.kind for g in spans if g.type in ("PERSON", "LOCATION"))
    assert kinds == {
        "name": 132,
        "first_name": 62,
        "last_name": 57,
        "nick_name": 1,
        "city": 100,
        "state": 75,
        "country": 41,
        "region": 39,
        "street_address": 9,
        "other": 5,
    }
    assert sum(not d.spans for d in docs) == 23  # the precision share
    assert all(80 <= len(d.text) <= 600 for d in docs)
    assert Counter(d.id.split("-")[0] for d in docs) == {"example": 126, "ged": 38, "data": 12}


def test_no_text_is_another_unseen21_sources():
    mine = {d.text for d in load(FILE)}
    for path in sorted(HERE.glob(f"*_{b.PART}.jsonl")):
        if path != FILE:
            assert not mine & {d.text for d in load(path)}, path.name


def test_the_committed_file_is_what_the_labels_give_its_texts():
    rows = [json.loads(line) for line in FILE.read_text("utf-8").splitlines()]
    parts = {b.SOURCE: [{"id": r["id"], "text": r["text"]} for r in rows]}
    rebuilt = labeled_files(parts, b.LABELS, b.PART, b.BUILDER)
    assert rebuilt == {FILE.name: FILE.read_text("utf-8")}


# Made-up files of the package's forms
GED = """0 HEAD
1 SOUR Gramps
0 @I0@ INDI
1 NAME Jane /Roe/
2 GIVN Jane
2 SURN Roe
1 SEX F
1 BIRT
2 TYPE Birth of Jane Roe
2 DATE 1 JAN 1900
2 PLAC Ashford, Kent, England
1 CHAN
2 DATE 21 DEC 2007
0 @N0@ NOTE short
0 TRLR
"""
PERSON = """    <person handle="_P{k}" change="1" id="I{k:04d}">
      <gender>F</gender>
      <name type="Birth Name">
        <first>Given{k}</first>
        <surname>Family</surname>
      </name>
      <childof hlink="_F{k}"/>
    </person>
"""
XML = """<?xml version="1.0" encoding="UTF-8"?>
<database xmlns="http://gramps-project.org/xml/1.7.1/">
  <events>
    <event handle="_E0" change="1" id="E0000">
      <type>Birth</type>
      <dateval val="1900-01-01"/>
      <description>Birth of Roe, Jane</description>
    </event>
  </events>
  <people home="_P0">
{people}  </people>
  <notes>
    <note handle="_N0" change="1" id="N0000" type="Person Note">
      <text>Jane went to Ashford in the spring of the year, and &quot;stayed&quot; there a long while with her aunt.

A second paragraph of the note, which says nothing of anyone.</text>
    </note>
  </notes>
</database>
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "root"
    (r / b.GEDCOM).parent.mkdir(parents=True)
    (r / b.GEDCOM).write_text(GED, "utf-8")
    for name, path in b.XML_FILES:
        people = "".join(PERSON.format(k=k) for k in range(40 if name == "example" else 2))
        (r / path).parent.mkdir(parents=True, exist_ok=True)
        (r / path).write_text(XML.format(people=people), "utf-8")
    return r


def test_the_draw_is_fixed_by_its_seed_and_reads_every_kind(root):
    first, again = b.draw(root), b.draw(root)
    assert first == again and list(first) == [b.SOURCE]
    found = {i: t for _, i, t in b.records(root)}
    # a GEDCOM record as written; the header, the trailer and a short note are no documents
    assert found["ged-I0"].startswith("0 @I0@ INDI\n1 NAME Jane /Roe/\n2 GIVN Jane") and "ged-HEAD" not in found
    # an XML element with its own indent taken off; a note as plain text, its entities undone
    assert found["example-E0000"].startswith('<event handle="_E0" change="1" id="E0000">\n  <type>Birth</type>')
    assert found["example-E0000"].endswith("\n</event>")
    assert found["data-N0000.0"].startswith('Jane went to Ashford in the spring of the year, and "stayed"')
    drawn = [d["id"] for d in first[b.SOURCE]]
    # the two files' event and first two persons are one text each, drawn once; 34 of the 40 persons
    assert sum(i.endswith("E0000") for i in drawn) == 1
    assert sum("-I0" in i and not i.startswith("ged") for i in drawn) == 34 and "ged-I0" in drawn


def test_a_long_record_is_cut_at_its_lines():
    lines = [f"1 NOTE line {k} of a long record that goes on and on" for k in range(30)]
    docs = b.cut("ged-N9", lines)
    assert len(docs) > 1 and all(len(t) <= b.RUN_CHARS for _, t in docs)
    assert [i for i, _ in docs][:2] == ["ged-N9.0", "ged-N9.1"] and "\n".join(t for _, t in docs) == "\n".join(lines)


def test_draw_writes_the_documents_unlabeled(root, tmp_path):
    draw_writes_the_documents_unlabeled(NAME, b.draw, root, tmp_path)


def test_another_draw_is_never_written_over_the_labeled_file(root):
    labeled_file_is_never_written_over(NAME, FILE, root)


def test_a_missing_source_is_named(root, tmp_path):
    (root / b.GEDCOM).unlink()
    draw_is_refused(NAME, root, tmp_path, f"{b.GEDCOM} missing", "gramps")


def test_a_source_that_cannot_be_read_is_refused(root, tmp_path):
    (root / b.GEDCOM).write_bytes(b"\xff\xfe not utf-8 \xff")
    draw_is_refused(NAME, root, tmp_path, "is not UTF-8")


def test_nothing_to_do_is_said():
    one_line(run_builder(NAME), "nothing to do")
