"""The twentieth unseen part's Wesnoth source: its committed file is what its labels give (checked on its texts, never
scanned: the lead scores the part once), and its builder draws the same documents from the same packages every time,
refusing with one line when a source is missing or cannot be read."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from evals.prose import build_unseen20 as b
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

NAME = "unseen20"
FILE = HERE / f"{b.SOURCE}_{b.PART}.jsonl"


def test_the_source_loads_with_every_hand_label_applied():
    docs = labeled_part(b.PART, (b.SOURCE,), b.OTHER_PARTS, labels_file=b.LABELS)
    labels = json.loads((HERE / b.LABELS).read_text(encoding="utf-8"))
    assert [d.id for d in docs] == list(labels)
    spans = [g for d in docs for g in d.spans]
    assert len(docs) == 160 and len(spans) == 539
    assert Counter(g.type for g in spans) == {"PERSON": 449, "LOCATION": 90}
    kinds = Counter(g.kind for g in spans)
    assert kinds == {"name": 449, "city": 47, "other": 24, "country": 13, "region": 6}
    assert sum(not d.spans for d in docs) == 3
    assert Counter(d.id.split("-", 1)[0] for d in docs) == {"httt": 58, "tsg": 48, "trow": 54}
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


# A made-up campaign in WML's form: a hero's side with its display name, messages with speakers, a story, a comment
# holding a quote, a string with a variable, doubled quotes and markup
SCENARIO = """#textdomain wesnoth-test
[scenario]
    id=01_Test
    name= _ "The Test"
    [side]
        id="Li'sar"
        name= _ "Li’sar"  # a comment with a "quote
    [/side]
    [story]
        [part]
            story= _ "Long ago the kingdom of Testland was at peace, and the people of the river towns lived without fear."
        [/part]
    [/story]
    [event]
        name=start
        [message]
            speaker="Li'sar"
            message= _ "We must ride to the old city of Northgate before the night falls on us all."
        [/message]
        [message]
            speaker=narrator
            message= _ "The wind rose, and the <i>banners</i> of the host were torn from their poles."
        [/message]
        [message]
            speaker=unit
            message= _ "I am $unit.name and I will not go there with you at all."
        [/message]
        [message]
            message= _ "They said ""never"" and they meant it, so we will go on without them."
            speaker=Old Tom
        [/message]
    [/event]
    [event]
        name=victory
        [message]
            speaker=narrator
            message= _ "And so the war was over, and the people went back to their homes in the valley."
        [/message]
    [/event]
[/scenario]
"""
FILLER = "".join(
    f'[event]\n[message]\nspeaker=narrator\nmessage= _ "Line number {k} of the test says nothing of anyone at all, and it goes on for a while longer."\n'
    "[/message]\n[/event]\n"
    for k in range(30)
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "root"
    for name, folder, _ in b.CAMPAIGNS:
        base = r / b.DATA / folder
        (base / "scenarios").mkdir(parents=True)
        (base / "_main.cfg").write_text(f'[campaign]\n    name= _ "{name}"\n[/campaign]\n' + FILLER.replace("test", name))
        (base / "scenarios" / "01_Test.cfg").write_text(SCENARIO)
    return r


def test_the_draw_is_fixed_by_its_seed_and_reads_the_strings_as_a_player_does(root):
    first, again = b.draw(root), b.draw(root)
    assert first == again and list(first) == [b.SOURCE]
    drawn = first[b.SOURCE]
    runs = [t for stem, t in b.campaign_runs(root, "Heir_To_The_Throne") if stem == "01_Test"]
    assert runs[0] == "Long ago the kingdom of Testland was at peace, and the people of the river towns lived without fear."
    # the speaker's display name before its message, the narrator none; the string with a variable left out, ending
    # the run; doubled quotes undone, markup dropped; a new event a new run
    assert runs[1] == (
        "Li’sar: We must ride to the old city of Northgate before the night falls on us all.\n"
        "The wind rose, and the banners of the host were torn from their poles."
    )
    assert runs[2] == 'Old Tom: They said "never" and they meant it, so we will go on without them.'
    assert runs[3].startswith("And so the war was over")
    assert not any("$" in t for _, t in b.campaign_runs(root, "Heir_To_The_Throne"))
    # a text met in two campaigns is drawn once, from the first; every campaign's files are read
    assert len({d["text"] for d in drawn}) == len(drawn)
    assert {d["id"].split("-", 1)[0] for d in drawn} == {"httt", "tsg", "trow"}


def test_the_pools_read_loose_cues():
    assert first_pool("We must ride to Northgate before night falls.", b.POOLS, b.CUES) == "place"
    assert first_pool("Thank you for this, Konrad, we will not forget.", b.POOLS, b.CUES) == "person"
    assert first_pool("I am sure that the Lord of the elves will come to us.", b.POOLS, b.CUES) == "rest"
    assert first_pool("Write to someone@example.org for help with this.", b.POOLS, b.CUES) == "contact"


def test_draw_writes_the_documents_unlabeled(root, tmp_path):
    draw_writes_the_documents_unlabeled(NAME, b.draw, root, tmp_path)


def test_another_draw_is_never_written_over_the_labeled_file(root):
    labeled_file_is_never_written_over(NAME, FILE, root)


@pytest.mark.parametrize("k", range(len(b.CAMPAIGNS)))
def test_a_missing_campaign_is_named(root, tmp_path, k):
    path = b.NEEDED[k][0]
    (root / path).unlink()
    draw_is_refused(NAME, root, tmp_path, f"{path} missing", b.CAMPAIGNS[k][2])


def test_a_source_that_cannot_be_read_is_refused(root, tmp_path):
    (root / b.NEEDED[0][0]).write_bytes(b"\xff\xfe not UTF-8")
    draw_is_refused(NAME, root, tmp_path, "is not UTF-8")


def test_nothing_to_do_is_said():
    one_line(run_builder(NAME), "nothing to do")
