"""The twenty-first unseen part (Stellarium's sky cultures): its committed file is what its labels give (checked on its
texts, never scanned: the lead scores the part once), and its builder draws the same documents from the same package
every time, refusing with one line when the source is missing or cannot be read."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from evals.prose import build_unseen21 as b
from evals.prose.labels import HERE
from evals.prose.tests.builder_checks import (
    committed_files_are_what_the_labels_give,
    draw_is_refused,
    draw_writes_the_documents_unlabeled,
    labeled_part,
    labeled_part_is_never_written_over,
    one_line,
    run_builder,
)

PART = b.PART
SOURCES = (b.SOURCE,)


def test_the_part_loads_with_every_hand_label_applied():
    docs = labeled_part(PART, SOURCES, b.OTHER_PARTS)
    labels = json.loads((HERE / f"{PART}_labels.json").read_text(encoding="utf-8"))
    assert [d.id for d in docs] == list(labels)
    spans = [g for d in docs for g in d.spans]
    assert len(docs) == 160 and len(spans) == 276
    assert Counter(g.type for g in spans) == {"PERSON": 141, "LOCATION": 119, "EMAIL_ADDRESS": 9, "URL": 7}
    kinds = Counter(g.kind for g in spans if g.type == "LOCATION")
    assert kinds == {"country": 54, "region": 36, "city": 18, "state": 10, "other": 1}
    people = Counter(g.kind for g in spans if g.type == "PERSON")
    assert people == {"name": 116, "last_name": 20, "first_name": 5}
    assert sum(not d.spans for d in docs) == 58
    assert all(80 <= len(d.text) <= 600 for d in docs)
    assert max(Counter(d.id.rsplit("-", 1)[0] for d in docs if not d.id.startswith("landscape-")).values()) <= b.CAP


def test_the_committed_file_is_what_the_labels_give_its_texts():
    committed_files_are_what_the_labels_give(PART, SOURCES)


# A made-up package in stellarium-data's form: two cultures (one of a free licence, one not) and a landscape
FREE = """<h1>Testers</h1>
<p>One hundred years ago, a family at Lake Nowhere told Jane Roe something of their stories relating to the night
sky. She wrote them down in 1901 and gave this information to the Institute in Smalltown.</p>
<!-- <p>A comment of the file that nobody reads on the page and that is long enough to be a document.</p> -->
<p>The people were very much acquainted with the night sky, and Jane Roe wrote that they &quot;knew more of it than any
other tribe&quot;.</p>
<table class="nomenclature">
 <tr><td>Bunya</td><td>Ring-tail possum of the trees</td></tr>
 <tr><td>Star</td><td>A cell that holds a whole sentence, long enough to be a document of its own in the part.</td></tr>
</table>
<h2>References</h2>
<p>Roe, Jane. (1901). Stories of the sky told by a family at the lake. Smalltown: Small Press.</p>
<p>Doe, John. (1950). Another book about the stars of the lake and its people. Bigtown: Big Press.</p>
<h2>Authors</h2>
<p>This sky culture was contributed by <a href="http://example.org">John Doe</a>, john.doe(at)example.org, in the year
that followed.</p>
"""
NOT_FREE = (
    "<h1>Closed</h1>\n<p>A closed description that must never be read by the builder, long as it is, and it names Rex Roe.</p>\n"
)
LANDSCAPE = (
    "<h2>Field</h2>\n<p>A field next to the hill at Smalltown, where the people of the lake watched the stars at night.</p>\n"
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "root"
    for culture, text, licence in (
        ("testers", FREE, "GNU GPL v2.0"),
        ("closed", NOT_FREE, "CC BY-NC-ND 4.0 International Public License"),
    ):
        folder = r / b.SKYCULTURES / culture
        folder.mkdir(parents=True)
        (folder / b.DESCRIPTION).write_text(text, "utf-8")
        (folder / "info.ini").write_text(f"[info]\nname = {culture}\nlicense = {licence}\n", "utf-8")
    (r / b.SKYCULTURES / "boorong").mkdir()
    (r / b.SKYCULTURES / "boorong" / b.DESCRIPTION).write_text(FREE.replace("Jane", "Mary"), "utf-8")
    (r / b.SKYCULTURES / "boorong" / "info.ini").write_text(
        "[info]\nlicense = CC BY-SA 4.0 International Public License\n", "utf-8"
    )
    (r / b.LANDSCAPES / "field").mkdir(parents=True)
    (r / b.LANDSCAPES / "field" / b.DESCRIPTION).write_text(LANDSCAPE, "utf-8")
    return r


def test_only_free_cultures_are_read(root):
    assert b.free_cultures(root) == ["boorong", "testers"]
    assert not any("Rex Roe" in t for _, _, t in b.candidates(root))


def test_the_page_is_read_as_a_reader_sees_it(root):
    texts = [t for i, _, t in b.candidates(root) if i.startswith("testers-")]
    assert texts[0].startswith("One hundred years ago, a family at Lake Nowhere told Jane Roe something of their stories")
    assert "comment" not in " ".join(texts)
    assert any('"knew more of it than any other tribe"' in t for t in texts)
    assert "Ring-tail possum of the trees" in texts and "Bunya\nRing-tail" not in " ".join(texts)
    # a reference list is cut into whole entries, never at their sentences
    assert any(t.startswith("Roe, Jane. (1901). Stories") and "\nDoe, John. (1950)." in t for t in texts)
    assert any("contributed by John Doe, john.doe(at)example.org" in t for t in texts)
    assert not any("http://example.org" in t for t in texts)


def test_the_draw_is_fixed_by_its_seed(root):
    first, again = b.draw(root), b.draw(root)
    assert first == again and list(first) == [b.SOURCE]
    ids = [d["id"] for d in first[b.SOURCE]]
    assert "landscape-field-0" in ids and not any(i.startswith("closed-") for i in ids)


def test_draw_writes_the_documents_unlabeled(root, tmp_path):
    draw_writes_the_documents_unlabeled(PART, b.draw, root, tmp_path)


def test_another_draw_is_never_written_over_the_labeled_file(root):
    labeled_part_is_never_written_over(PART, SOURCES, root)


def test_a_missing_source_is_named(root, tmp_path):
    (root / b.SKYCULTURES / "boorong" / b.DESCRIPTION).unlink()
    draw_is_refused(PART, root, tmp_path, "missing", "stellarium-data")


def test_a_source_that_cannot_be_read_is_refused(root, tmp_path):
    (root / b.SKYCULTURES / "testers" / b.DESCRIPTION).write_bytes(b"\xff\xfe not utf-8 \xff")
    draw_is_refused(PART, root, tmp_path, "is not UTF-8")


def test_nothing_to_do_is_said():
    one_line(run_builder(PART), "nothing to do")
