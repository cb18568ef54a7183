"""The twenty-second unseen part's tweets source: its committed file is what its labels give (checked on its texts, never
scanned: the lead scores the part once), and its builder draws the same documents from the same package every time,
refusing with one line when the source is missing or cannot be read."""

from __future__ import annotations

import gzip
import json
import struct
import zlib
from collections import Counter
from pathlib import Path

import pytest

from evals.prose import build_unseen22_tweets as b
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
from evals.prose.tests.made_up_r import r_int, r_named_list, r_serialized, r_strings

NAME = "unseen22_tweets"
FILE = HERE / f"{b.SOURCE}_{b.PART}.jsonl"


def test_the_source_loads_with_every_hand_label_applied():
    docs = labeled_part(b.PART, (b.SOURCE,), b.OTHER_PARTS, labels_file=b.LABELS)
    labels = json.loads((HERE / b.LABELS).read_text(encoding="utf-8"))
    assert [d.id for d in docs] == list(labels)
    spans = [g for d in docs for g in d.spans]
    assert len(docs) == 180 and len(spans) == 303
    assert Counter(g.type for g in spans) == {"PERSON": 116, "LOCATION": 102, "URL": 84, "AGE": 1}
    kinds = Counter(g.kind for g in spans if g.type in ("PERSON", "LOCATION"))
    assert kinds == {
        "name": 46,
        "last_name": 44,
        "first_name": 23,
        "nick_name": 3,
        "country": 48,
        "city": 26,
        "state": 23,
        "region": 5,
    }
    assert sum(not d.spans for d in docs) == 25  # the precision share
    assert all(80 <= len(d.text) <= 600 for d in docs)
    # a tag is never a span: no span starts right after "@" or "#"
    assert not [d.id for d in docs for g in d.spans if g.start and d.text[g.start - 1] in "@#"]


def test_no_text_is_another_unseen22_sources():
    mine = {d.text for d in load(FILE)}
    for path in sorted(HERE.glob(f"*_{b.PART}.jsonl")):
        if path != FILE:
            assert not mine & {d.text for d in load(path)}, path.name


def test_the_committed_file_is_what_the_labels_give_its_texts():
    rows = [json.loads(line) for line in FILE.read_text("utf-8").splitlines()]
    parts = {b.SOURCE: [{"id": r["id"], "text": r["text"]} for r in rows]}
    rebuilt = labeled_files(parts, b.LABELS, b.PART, b.BUILDER)
    assert rebuilt == {FILE.name: FILE.read_text("utf-8")}


# A made-up package of the same form (made_up_r.py)
def write_package(root: Path, texts: list[str], times: list[float]) -> None:
    frame = r_named_list(
        {
            "source": r_strings(["Twitter Web Client"] * len(texts)),
            "id_str": r_strings([str(1000 + k) for k in range(len(texts))]),
            "text": r_strings(texts),
            "created_at": r_int(14) + r_int(len(times)) + struct.pack(f">{len(times)}d", *times),
        }
    )
    other = zlib.compress(r_serialized(r_strings(["not the tweets"])))
    tweets = zlib.compress(r_serialized(frame))
    rdb = r_int(len(other)) + other + r_int(len(tweets)) + tweets
    spots = {"murders": [0, 4 + len(other)], b.OBJECT: [4 + len(other), 4 + len(tweets)]}
    variables = r_named_list({k: r_int(13) + r_int(2) + r_int(v[0]) + r_int(v[1]) for k, v in spots.items()})
    index = r_named_list({"variables": variables, "references": r_int(254), "compressed": r_int(10) + r_int(1) + r_int(1)})
    (root / b.DATA).mkdir(parents=True)
    (root / b.DATABASE).write_bytes(rdb)
    (root / b.INDEX).write_bytes(gzip.compress(r_serialized(index)))


YEAR = 365.25 * 86400
TEXTS = [
    "Short one.",  # joined with the two after it, still short: no document
    "Short two.",
    "Short three.",
    "Great rally tonight in Des Moines, Iowa &amp; thank you to all who came out. Make America great again!",
    "Thank you Ohio!",  # joined with the next one
    "Mr. Smith said it best: we need leadership, and we need it fast, before it is far too late for us.",
]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "root"
    texts = TEXTS + [
        f"Tweet number {k} with Jane Doe about the economy, jobs and trade: long enough to stand alone." for k in range(300)
    ]
    # the first tweets in 2000; 290 made-up ones in 2001, then three a year, in reverse order of time
    times = [30 * YEAR + k for k in range(len(TEXTS))] + [(31 + max(0, k - 287) // 3) * YEAR + 86400 - k for k in range(300)]
    write_package(r, texts, times)
    return r


def test_the_documents_join_short_tweets_and_undo_the_entities(root):
    docs = b.documents(b.tweets(root))
    by_id = {i: t for i, _, t in docs}
    assert "tweet-1000" not in by_id and "tweet-1001" not in by_id and "tweet-1002" not in by_id
    assert by_id["tweet-1003"].startswith("Great rally tonight in Des Moines, Iowa & thank you")
    assert by_id["tweet-1004"] == "Thank you Ohio!\n" + TEXTS[5]
    assert "tweet-1005" not in by_id
    assert docs[0][0] == "tweet-1003" and docs[0][1] == 2000  # in order of time


def test_the_draw_is_fixed_by_its_seed_and_caps_each_year(root):
    first, again = b.draw(root), b.draw(root)
    assert first == again and list(first) == [b.SOURCE]
    years = {i: y for i, y, _ in b.documents(b.tweets(root))}
    drawn = Counter(years[d["id"]] for d in first[b.SOURCE])
    # 290 of the two-capitalized-words pool's 300 are of 2001, which gives YEAR_CAP; the pool's other years the rest
    assert drawn[2001] == b.YEAR_CAP and sum(drawn.values()) == b.COUNTS["pair"] + 2
    assert max(n for y, n in drawn.items() if y != 2001) <= 3


def test_draw_writes_the_documents_unlabeled(root, tmp_path):
    draw_writes_the_documents_unlabeled(NAME, b.draw, root, tmp_path)


def test_another_draw_is_never_written_over_the_labeled_file(root):
    labeled_file_is_never_written_over(NAME, FILE, root)


def test_a_missing_source_is_named(root, tmp_path):
    (root / b.DATABASE).unlink()
    draw_is_refused(NAME, root, tmp_path, f"{b.DATABASE} missing", "r-cran-dslabs")


def test_a_source_that_cannot_be_read_is_refused(root, tmp_path):
    (root / b.DATABASE).write_bytes(b"\x00\x00\x00\x09not zlib at all")
    draw_is_refused(NAME, root, tmp_path, "is not dslabs's database")


def test_nothing_to_do_is_said():
    one_line(run_builder(NAME), "nothing to do")
