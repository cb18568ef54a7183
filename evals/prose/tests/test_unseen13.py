"""The thirteenth unseen part: its committed files are what its labels give (checked on their texts, never scanned: the
lead scores the part once), and its builder draws the same documents from the same sources every time, refusing with
one line when a source is missing or cannot be read."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from evals.prose import build_unseen13 as b
from evals.prose.tests.builder_checks import (
    committed_files_are_what_the_labels_give,
    draw_writes_the_documents_unlabeled,
    labeled_part,
    labeled_part_is_never_written_over,
    one_line,
    run_builder,
)

SOURCES = ("workshop", "directory", "alice")


def test_the_part_loads_with_every_hand_label_applied():
    docs = labeled_part("unseen13", SOURCES, b.OTHER_PARTS)
    spans = [g for d in docs for g in d.spans]
    types = Counter(g.type for g in spans)
    kinds = Counter(g.kind for g in spans)
    assert len(docs) == 191 and len(spans) == 520
    assert types["PERSON"] == 225 and types["LOCATION"] == 118 and types["ZIP_CODE"] == 36
    assert types["PHONE_NUMBER"] == 111 and types["EMAIL_ADDRESS"] == 30
    assert kinds["name"] == 132 and kinds["last_name"] == 76 and kinds["first_name"] == 17
    assert kinds["street_address"] == 35 and kinds["city"] == 39 and kinds["state"] == 38
    assert kinds["country"] == 4 and kinds["other"] == 2
    assert set(types) == {"PERSON", "LOCATION", "ZIP_CODE", "PHONE_NUMBER", "EMAIL_ADDRESS"}
    assert sum(not d.spans for d in docs) == 40  # the precision share
    assert all(b.MIN_CHARS <= len(d.text) <= b.MAX_CHARS for d in docs if d.id.startswith(("workshop-", "alice-")))


def test_the_committed_files_are_what_the_labels_give_their_texts():
    committed_files_are_what_the_labels_give("unseen13", SOURCES)


def _write(path: Path, text: str) -> None:
    """As the distribution writes its texts: ASCII, with CRLF line ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.replace("\n", "\r\n").encode("ascii"))


def _workshop(root: Path) -> None:
    named = [
        f"Patricia BATTIN, president of the commission, spoke about the\ncopies number {k} and what they should keep.\n\n"
        for k in range(60)
    ]
    rest = [
        f"The sessions that dealt with the machine-readable text number {k}\ntended to be concerned with access.\n\n"
        for k in range(20)
    ]
    directory = [
        f"     Jean Baronas, Senior Manager\n     {k} Wayne Avenue, Suite 1100\n     Silver Spring, MD 20910\n\n"
        for k in range(5)
    ]
    directory += [f"     Dana J. Pratt\n     Publishing Office LM 60{k}\n     (202) 707-6027\n\n" for k in range(25)]
    text = (
        "                      WORKSHOP ON ELECTRONIC TEXTS\n\n   Too short.\n\n"
        + "".join(named + rest)
        + "                Appendix III:  DIRECTORY OF PARTICIPANTS\n\nPRESENTERS:\n\n"
        + "".join(directory)
        + "                                   END\n      ******\n\nNote:  This file has been edited.\n"
    )
    _write(root / b.WORKSHOP, text)


def _alice(root: Path) -> None:
    story = [f"  Alice was beginning to get very tired of sitting by her sister\non the bank number {k}.\n\n" for k in range(30)]
    _write(root / b.ALICE, "                            CHAPTER I\n\n" + "".join(story))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Small copies of the distribution's texts, in its layout below a root of their own."""
    r = tmp_path / "root"
    _workshop(r)
    _alice(r)
    return r


def test_the_draw_is_fixed_by_its_seed(root):
    first, again = b.draw(root), b.draw(root)
    assert first == again and list(first) == list(SOURCES)
    # every paragraph naming a person, 14 of the 20 others; lines joined, CRLF gone; a short one never, nor
    # anything of the directory
    prose = {d["id"]: d["text"] for d in first["workshop"]}
    assert len(prose) == 60 + 14 and sum(t.startswith("Patricia BATTIN, president") for t in prose.values()) == 60
    # the k-th named paragraph opens on line 5 + 3k of the file
    assert all(
        t == f"Patricia BATTIN, president of the commission, spoke about the copies number {(int(i.split('-')[1]) - 5) // 3}"
        " and what they should keep."
        for i, t in prose.items()
        if t.startswith("Patricia")
    )
    assert not any("Too short" in t or "Baronas" in t or "\r" in t for t in prose.values())
    # every entry, with a street or without; lines trimmed, one a line; the heading and closing lines no entry
    entries = {d["id"]: d["text"] for d in first["directory"]}
    assert len(entries) == 5 + 25 and sum("Wayne Avenue" in t for t in entries.values()) == 5
    assert "Jean Baronas, Senior Manager\n0 Wayne Avenue, Suite 1100\nSilver Spring, MD 20910" in entries.values()
    assert not any("PRESENTERS" in t or "END" in t or "Note:" in t for t in entries.values())
    # the id names the entry's first line in the file
    lines = (root / b.WORKSHOP).read_bytes().decode("ascii").split("\r\n")
    assert all(lines[int(i.split("-")[1]) - 1].strip() == t.split("\n")[0] for i, t in entries.items())
    # 26 of the 30 paragraphs of the story; the chapter's heading none
    story = [d["text"] for d in first["alice"]]
    assert len(story) == 26 and all(t.startswith("Alice was beginning") for t in story)


def test_draw_writes_the_documents_unlabeled(root, tmp_path):
    draw_writes_the_documents_unlabeled("unseen13", b.draw, root, tmp_path)


def test_another_draw_is_never_written_over_the_labeled_part(root):
    labeled_part_is_never_written_over("unseen13", SOURCES, root)


def _run(*args: str):
    return run_builder("unseen13", *args)


def test_a_missing_source_is_named(root, tmp_path):
    (root / b.ALICE).unlink()
    one_line(
        _run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "alice29.txt missing", "pip download", "brotli==1.2.1"
    )
    assert not (tmp_path / "x.jsonl").exists()


def test_a_source_that_cannot_be_read_is_named(root, tmp_path):
    (root / b.ALICE).write_bytes(b"  Alice \xe2\x80\x94 not ASCII\r\n")
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "cannot read the sources", "alice29.txt")
    assert not (tmp_path / "x.jsonl").exists()


def test_proceedings_without_their_directory_are_refused(root, tmp_path):
    _write(root / b.WORKSHOP, "The sessions that dealt with the machine-readable text tended to be concerned with access.\n")
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "no 'DIRECTORY OF PARTICIPANTS'")


def test_nothing_to_do_is_said():
    one_line(_run(), "nothing to do")
