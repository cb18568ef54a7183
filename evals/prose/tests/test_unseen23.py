"""The twenty-third unseen part (shoppers' reviews): its committed file is what its labels give (checked on its texts,
never scanned: the lead scores the part once), and its builder draws the same documents from the same package every
time, refusing with one line when the source is missing or cannot be read."""

from __future__ import annotations

import gzip
import json
import lzma
import zlib
from collections import Counter
from pathlib import Path

import pytest

from evals.prose import build_unseen23 as b
from evals.prose.labels import HERE, labeled_files
from evals.prose.tests.builder_checks import (
    draw_is_refused,
    draw_writes_the_documents_unlabeled,
    labeled_file_is_never_written_over,
    labeled_part,
    one_line,
    run_builder,
)
from evals.prose.tests.made_up_r import r_int, r_named_list, r_serialized, r_strings

NAME = "unseen23"
FILE = HERE / f"{b.SOURCE}_{b.PART}.jsonl"


def test_the_source_loads_with_every_hand_label_applied():
    docs = labeled_part(b.PART, (b.SOURCE,), b.OTHER_PARTS, labels_file=b.LABELS)
    labels = json.loads((HERE / b.LABELS).read_text(encoding="utf-8"))
    assert [d.id for d in docs] == list(labels)
    spans = [g for d in docs for g in d.spans]
    assert len(docs) == 200 and len(spans) == 175
    assert Counter(g.type for g in spans) == {"LOCATION": 95, "URL": 53, "PERSON": 23, "AGE": 3, "PHONE_NUMBER": 1}
    kinds = Counter(g.kind for g in spans if g.type in ("PERSON", "LOCATION"))
    assert kinds == {
        "name": 8,
        "last_name": 6,
        "first_name": 6,
        "initials": 2,
        "nick_name": 1,
        "country": 53,
        "state": 18,
        "city": 16,
        "region": 7,
        "other": 1,
    }
    assert sum(not d.spans for d in docs) == 86  # the reviews name few people and places
    assert all(80 <= len(d.text) <= 600 for d in docs)
    assert not [d.id for d in docs if "<br />" in d.text]
    # a URL is labeled only with its scheme, and never with the quotes of its link
    assert all(d.text[g.start : g.end].startswith("http://") for d in docs for g in d.spans if g.type == "URL")


def test_the_committed_file_is_what_the_labels_give_its_texts():
    rows = [json.loads(line) for line in FILE.read_text("utf-8").splitlines()]
    parts = {b.SOURCE: [{"id": r["id"], "text": r["text"]} for r in rows]}
    rebuilt = labeled_files(parts, b.LABELS, b.PART, b.BUILDER)
    assert rebuilt == {FILE.name: FILE.read_text("utf-8")}


# A made-up package of the same form (made_up_r.py)
def _xz(data: bytes) -> bytes:
    return b"Z" + lzma.compress(data, format=lzma.FORMAT_RAW, filters=b.XZ)


def write_package(root: Path, train: list[str], test: list[str], pack=_xz) -> None:
    def frame(reviews: list[str]) -> bytes:
        products = [f"B00{k:07d}" for k in range(len(reviews))]
        return r_named_list(
            {"product": r_strings(products), "review": r_strings(reviews), "score": r_strings(["1"] * len(reviews))}
        )

    objects = {"bivariate_train": r_strings(["not the reviews"]), "training_data": frame(train), "testing_data": frame(test)}
    rdb, spots, at = b"", {}, 0
    for name, obj in objects.items():
        body = pack(r_serialized(obj))
        rdb += r_int(len(body)) + body
        spots[name] = [at, 4 + len(body)]
        at += 4 + len(body)
    variables = r_named_list({k: r_int(13) + r_int(2) + r_int(v[0]) + r_int(v[1]) for k, v in spots.items()})
    index = r_named_list({"variables": variables, "references": r_int(254), "compressed": r_int(13) + r_int(1) + r_int(3)})
    (root / b.DATA).mkdir(parents=True)
    (root / b.DATABASE).write_bytes(rdb)
    (root / b.INDEX).write_bytes(gzip.compress(r_serialized(index)))


SENTENCE = "We ordered a case of these crackers and they were fresh, crisp and well packed when they came. "
LONG = (
    "I have bought this tea for years and it is always good, strong and fresh from the first cup to the last one. " * 5
    + "My husband Bob drinks it every morning.<br /><br />"
    + "We found it first on a trip to Vermont, and now we buy it here. " * 3
)
TRAIN = [
    "Too short.",
    "Great coffee &quot;as always&quot;, and my wife Anna loves it.<br /><br />Bought it in Ohio, now online for less.",
    LONG,
    "Call them at 1-800-555-0100 if the box comes damaged, as ours did twice; they sent a new one each time, free.",
] + [SENTENCE + f"Order number {k} came on time and nothing was broken in the box at all." for k in range(40)]
TEST = [
    "Great coffee &quot;as always&quot;, and my wife Anna loves it.<br /><br />Bought it in Ohio, now online for less.",
    "We tried it at a friend's house near Portland and liked it so much that we ordered two bags of it here.",
]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "root"
    write_package(r, TRAIN, TEST)
    return r


def _pool(review: str) -> str:
    found = b.document(b.clean(review))
    assert found
    return found[0]


def test_the_reviews_are_read_and_cut_into_whole_sentences(root):
    rows = b.reviews(root)
    assert len(rows) == len(TRAIN) + len(TEST) and rows[0] == ("train-1", "Too short.") and rows[-1][0] == "test-2"
    assert b.clean(TRAIN[1]) == 'Great coffee "as always", and my wife Anna loves it.\n\nBought it in Ohio, now online for less.'
    assert b.document(b.clean(TRAIN[0])) is None  # under 80 characters
    pool, text = b.document(b.clean(LONG)) or ("", "")
    # a review over 600 characters: the first run of whole sentences that has its pool's cue
    assert pool == "person" and text.endswith("My husband Bob drinks it every morning.") and len(text) <= b.MAX_CHARS
    assert text.startswith("I have bought this tea") and "Vermont" not in text
    assert all(len(r) <= b.MAX_CHARS and r == r.strip() for r in b.runs(b.clean(LONG)))
    assert _pool(TRAIN[3]) == "contact"  # a telephone number
    assert _pool(TEST[1]) == "place"
    assert _pool(TRAIN[4]) == "rest"


def test_no_sentence_is_cut_inside_a_link():
    text = 'Buy it. <a href="http://www.amazon.com/gp/B001">Tea. Loose. 8 oz.</a> Then more. Good'
    assert b.pieces(text) == ["Buy it.", ' <a href="http://www.amazon.com/gp/B001">Tea. Loose. 8 oz.</a> Then more.', " Good"]
    assert "".join(b.pieces(text)) == text


def test_the_draw_is_fixed_by_its_seed_and_draws_a_review_met_twice_once(root):
    first, again = b.draw(root), b.draw(root)
    assert first == again and list(first) == [b.SOURCE]
    docs = first[b.SOURCE]
    texts = [d["text"] for d in docs]
    assert len(texts) == len(set(texts))
    ids = {d["id"] for d in docs}
    assert len({"train-2", "test-1"} & ids) == 1  # the same review in both frames, drawn once
    assert {"train-3", "train-4", "test-2"} <= ids  # the small pools are drawn whole
    assert sum(i.startswith("train-") and int(i[6:]) > 4 for i in ids) == b.COUNTS["rest"]


@pytest.mark.parametrize(
    ("kind", "pack"), [("bzip2", lambda d: b"2" + __import__("bz2").compress(d)), ("zlib", lambda d: b"1" + zlib.compress(d))]
)
def test_other_compressions_are_read(tmp_path, kind, pack):
    r = tmp_path / kind
    write_package(r, TRAIN, TEST, pack=pack)
    assert b.reviews(r) == b.reviews(r) and len(b.reviews(r)) == len(TRAIN) + len(TEST)


def test_draw_writes_the_documents_unlabeled(root, tmp_path):
    draw_writes_the_documents_unlabeled(NAME, b.draw, root, tmp_path)


def test_another_draw_is_never_written_over_the_labeled_file(root):
    labeled_file_is_never_written_over(NAME, FILE, root)


def test_a_missing_source_is_named(root, tmp_path):
    (root / b.DATABASE).unlink()
    draw_is_refused(NAME, root, tmp_path, f"{b.DATABASE} missing", "r-cran-modeldata")


def test_a_source_that_cannot_be_read_is_refused(root, tmp_path):
    (root / b.DATABASE).write_bytes(b"\x00\x00\x00\x09Znot xz at all")
    draw_is_refused(NAME, root, tmp_path, "is not modeldata's database")


def test_an_unknown_compression_is_refused(tmp_path):
    r = tmp_path / "unknown"
    write_package(r, TRAIN, TEST, pack=lambda d: b"Q" + d)
    draw_is_refused(NAME, r, tmp_path, "is not modeldata's database", "compressed in a way not known")


def test_nothing_to_do_is_said():
    one_line(run_builder(NAME), "nothing to do")
