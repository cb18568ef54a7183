"""The nineteenth unseen part: its committed file is what its labels give (checked on its texts, never scanned: the lead
scores the part once), and its builder draws the same documents from the same region files every time, refusing with
one line when a source is missing or cannot be read."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from evals.prose import build_unseen19 as b
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
    docs = labeled_part("unseen19", SOURCES, b.OTHER_PARTS)
    spans = [g for d in docs for g in d.spans]
    types = Counter(g.type for g in spans)
    kinds = Counter(g.kind for g in spans)
    assert len(docs) == 178 and len(spans) == 650
    assert types == {"LOCATION": 377, "PERSON": 214, "URL": 58, "EMAIL_ADDRESS": 1}
    assert kinds["name"] == 161 and kinds["last_name"] == 51 and kinds["first_name"] == 1 and kinds["initials"] == 1
    assert kinds["state"] == 123 and kinds["city"] == 93 and kinds["region"] == 80 and kinds["country"] == 75
    assert kinds["other"] == 6 and kinds["street_address"] == 0
    assert sum(not d.spans for d in docs) == 11  # the precision share
    # every region file gives documents
    assert Counter(d.id.split("-")[1] for d in docs) == {
        "europe": 35,
        "northamerica": 32,
        "asia": 31,
        "australasia": 30,
        "southamerica": 20,
        "africa": 14,
        "backzone": 14,
        "antarctica": 2,
    }
    assert all(b.MIN_CHARS <= len(d.text) <= b.MAX_CHARS for d in docs)


def test_the_committed_files_are_what_the_labels_give_their_texts():
    committed_files_are_what_the_labels_give("unseen19", SOURCES)


# One comment block a cue, each a paragraph of its own (a zone line after it ends the block): a URL, an attribution, a
# place after a preposition, none; and a few e-mail addresses
BLOCKS = {
    "contact": "The clocks of town number {k} changed, as the page at https://example.org/news says in full.",
    "person": "From Paul Eggert ({k}): the clocks here went back an hour in the night, and nobody noticed it.",
    "place": "The clocks of the island went back an hour in Chile on night number {k}, and nobody noticed it.",
    "rest": "The clocks went back an hour on night number {k} of the year, and nobody noticed it at all.",
}
MAIL = "Please send any changes for file number {k} to someone{k}@example.org, the list that keeps the files."
MAILS = 5


def region_text(r: int) -> str:
    """The r-th made-up region file: ten blocks of each cue, each wrapped over two comment lines, between rules and
    zones; the first file with MAILS blocks of an e-mail address too."""
    out = ["# tzdb data for a made-up region", "", "Rule\tX\t1970\tmax\t-\tMar\tlastSun\t2:00\t1:00\tS"]
    for n in range(10):
        for text in BLOCKS.values():
            line = text.format(k=100 * r + n)
            cut = line.index(" ", 40)
            out += [f"# {line[:cut]}", f"#\t{line[cut + 1 :]}", f"Zone\tEtc/Made_Up{n}\t0:00\t-\tXT", ""]
    if r == 0:
        for k in range(MAILS):
            out += [f"# {MAIL.format(k=k)}", "Link\tEtc/UTC\tEtc/Made_Up", ""]
    return "\n".join(out) + "\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The tarball's layout below a root of its own: its version and the eight region files, made up."""
    r = tmp_path / "root"
    r.mkdir()
    (r / "version").write_text(f"{b.VERSION}\n", "utf-8")
    for n, region in enumerate(b.REGIONS):
        (r / region).write_text(region_text(n), "utf-8")
    return r


def _cue(text: str) -> str:
    return next((cue for cue, t in BLOCKS.items() if text.startswith(t.split("{")[0])), "mail" if "@" in text else "none")


def test_the_draw_is_fixed_by_its_seed(root):
    first, again = b.draw(root), b.draw(root)
    assert first == again and list(first) == list(SOURCES)
    docs = first["tz"]
    made = {BLOCKS[c].format(k=100 * r + n) for c in BLOCKS for r in range(len(b.REGIONS)) for n in range(10)}
    mails = [MAIL.format(k=k) for k in range(MAILS)]
    # a run a block's paragraph, its two lines joined by a space, its id the region file and its first line
    assert all(d["text"] in made or d["text"] in mails for d in docs)
    assert {d["id"].split("-")[1] for d in docs} <= set(b.REGIONS)
    # 80 a cue and 5 e-mail addresses in the contacts' pool: 45 contacts (some of them e-mails), 75 people, 40 places,
    # 15 of the rest; then every e-mail address the contacts' draw left out, in the file's order
    head, tail = docs[:175], docs[175:]
    cues = Counter(_cue(d["text"]) for d in head)
    assert cues["person"] == 75 and cues["place"] == 40 and cues["rest"] == 15 and cues["contact"] + cues["mail"] == 45
    assert [d["text"] for d in tail] == [m for m in mails if m not in {d["text"] for d in head}]
    assert sum(_cue(d["text"]) == "mail" for d in docs) == MAILS


def test_a_block_is_cut_into_runs_of_whole_paragraphs():
    text = (
        "# From Ann Smith (2020-01-02):\n#  the clocks of the town\n#\tchanged that night.\n#\n"
        "# Rule\tX\t1970\tmax\n#   > > A quoted line of the mail.\n#\n# 1970 1971 1972 1973 1974\n"
        "Zone\tEtc/X\t0:00\t-\tXT\n# Another block here.\n"
    )
    # lines joined by a space, the marks and indent dropped; a table's line or a number's ends a paragraph and is gone
    assert b.region_runs("asia", text) == [
        ("tz-asia-1", "From Ann Smith (2020-01-02): the clocks of the town changed that night.\n\nA quoted line of the mail."),
        ("tz-asia-10", "Another block here."),
    ]


def test_a_long_paragraph_is_cut_at_its_sentences():
    sentence = "The clocks of the town went back an hour that night, and nobody noticed it."
    text = "# Heading\n#\n" + "\n".join(f"# {sentence}" for _ in range(12)) + "\n"
    runs = b.region_runs("europe", text)
    # the heading a run of its own (the next paragraph is cut), each piece within RUN_CHARS, whole sentences
    assert runs[0] == ("tz-europe-1", "Heading")
    assert [i for i, _ in runs[1:]] == [f"tz-europe-3.{k}" for k in range(len(runs) - 1)]
    assert all(len(t) <= b.RUN_CHARS and t.endswith("noticed it.") for _, t in runs[1:])
    assert " ".join(t for _, t in runs[1:]) == " ".join([sentence] * 12)


def test_draw_writes_the_documents_unlabeled(root, tmp_path):
    draw_writes_the_documents_unlabeled("unseen19", b.draw, root, tmp_path)


def test_another_draw_is_never_written_over_the_labeled_part(root):
    labeled_part_is_never_written_over("unseen19", SOURCES, root)


def _run(*args: str):
    return run_builder("unseen19", *args)


@pytest.mark.parametrize("path", ["version", "africa", "backzone"])
def test_a_missing_source_is_named(root, tmp_path, path):
    (root / path).unlink()
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), f"{path} missing", "apt-get source")
    assert not (tmp_path / "x.jsonl").exists()


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("asia", b"\xff\xfe\x00binary", ("asia is not UTF-8",)),
        ("europe", b"# Only a comment, no rule.\n", ("europe holds no rule, zone or link",)),
        ("version", b"2025a\n", ("says '2025a', not '2026b'",)),
    ],
)
def test_a_source_that_cannot_be_read_is_refused(root, tmp_path, name, content, words):
    (root / name).write_bytes(content)
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), *words)
    assert not (tmp_path / "x.jsonl").exists()


def test_nothing_to_do_is_said():
    one_line(_run(), "nothing to do")
